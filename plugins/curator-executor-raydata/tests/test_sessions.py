"""Ray's lifecycle around runs: join a cluster and leave it running, or start Ray and stop it after."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from curator_core.errors import ExecutorConfigError
from curator_core.testing.executor_suite import canonical_pipeline, output_signature
from curator_executor_raydata import RayActorPoolExecutor, RayDataExecutor
from curator_executor_raydata.cluster import LocalRayCluster
from curator_executor_raydata.sizing import fit_cpu_budget


def _back_to_back(tmp_path: Path) -> list[list[tuple[object, ...]]]:
    signatures = []
    for number, executor in enumerate([RayDataExecutor(), RayActorPoolExecutor()]):
        directory = tmp_path / f"run{number}"
        directory.mkdir()
        signatures.append(output_signature(canonical_pipeline(str(directory)).run(executor)))
    return signatures


@pytest.fixture
def disconnected(monkeypatch: pytest.MonkeyPatch) -> None:
    """No driver connection left over from other tests (they share one session cluster)."""
    import ray

    if ray.is_initialized():
        ray.shutdown()
    monkeypatch.delenv("RAY_ADDRESS", raising=False)


@pytest.mark.usefixtures("disconnected")
def test_two_runs_join_an_external_cluster_and_leave_it_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ray

    with LocalRayCluster(num_cpus=2) as cluster:
        monkeypatch.setenv("RAY_ADDRESS", cluster.address)
        first, second = _back_to_back(tmp_path)
        assert first == second and len(first) == 16
        assert not ray.is_initialized(), "the executor disconnects the driver it connected"
        assert cluster.alive, "a cluster the executor joined is never shut down"
        ray.init(address=cluster.address, log_to_driver=False)  # still accepts drivers
        assert len([n for n in ray.nodes() if n["Alive"]]) == 1
        ray.shutdown()
        process = cluster.process
    assert process is not None and process.poll() is not None
    assert not os.path.exists(cluster.temp_dir)


@pytest.mark.usefixtures("disconnected")
def test_two_runs_without_a_cluster_each_start_and_stop_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ray

    ray_tmp = Path(tempfile.mkdtemp(prefix="rtt-"))  # short: Ray's socket paths must fit 107 bytes
    monkeypatch.setenv("RAY_TMPDIR", str(ray_tmp))
    monkeypatch.delenv("RAY_AUTH_MODE", raising=False)
    home_token = Path.home() / ".ray" / "auth_token"
    token_before = home_token.exists()
    first, second = _back_to_back(tmp_path)
    assert first == second and len(first) == 16
    assert not ray.is_initialized()
    assert list(ray_tmp.iterdir()) == [], "each run removes the temp dir of the Ray it started"
    assert home_token.exists() == token_before, "no token written to ~/.ray"
    assert "RAY_AUTH_MODE" not in os.environ
    ray_tmp.rmdir()


@pytest.mark.usefixtures("disconnected")
def test_a_private_ray_starts_lean(monkeypatch: pytest.MonkeyPatch) -> None:
    """No dashboard, autoscaler monitor or log monitor process: each costs 50-80 MB and start time."""
    import psutil
    import ray

    from curator_core.executors.ray_session import ray_session

    monkeypatch.setenv("RAY_TMPDIR", tempfile.gettempdir())
    with ray_session(num_cpus=1) as session:
        assert session.started
        assert session.temp_dir
        commands = [" ".join(child.cmdline()) for child in psutil.Process().children(recursive=True)]
        commands = [command for command in commands if session.temp_dir in command]  # not another cluster's
        assert ray.get(ray.remote(lambda: 7).remote()) == 7
    assert any("gcs_server" in command for command in commands)
    for script in ("dashboard/dashboard.py", "autoscaler/_private/monitor.py", "log_monitor.py"):
        assert not [command for command in commands if script in command], script


def test_unknown_config_key_names_the_valid_ones() -> None:
    with pytest.raises(ExecutorConfigError, match="'workers'.*valid keys: .*max_attempts.*num_workers"):
        RayDataExecutor({"workers": 2})
    with pytest.raises(ExecutorConfigError, match="max_attempts must be >= 1"):
        RayActorPoolExecutor({"max_attempts": 0})


def test_actor_pools_leave_cpus_for_tasks_on_a_small_machine() -> None:
    # 2 CPUs, a 1-CPU task stage, a pool that would take both CPUs: it shrinks to one worker.
    assert fit_cpu_budget([(2, 1.0, False)], [1.0], 2.0) == ([1], 1.0)
    # Sizes asked for are kept; their logical CPU requests shrink to leave one CPU free.
    assert fit_cpu_budget([(4, 1.0, True)], [1.0], 2.0) == ([4], 0.25)
    # Only actor stages: they may use every CPU.
    assert fit_cpu_budget([(2, 1.0, False)], [], 2.0) == ([2], 1.0)


def test_a_hooked_stage_after_a_listing_source_gets_every_cpu(tmp_path: Path) -> None:
    # The source runs on the driver and nothing else runs as a task, so no CPU is held back:
    # on 2 CPUs the heavy stage gets 2 workers (it used to get 1, its blocks one after another).
    from curator_core.tasks import EmptyTask
    from curator_core.testing.canonical import RangeSource
    from curator_core.testing.suite_stages import HookedIdentity
    from curator_executor_raydata.ray_data import _pool_sizes, _source_on_driver
    from curator_executor_raydata.sizing import ray_rulebook

    stages = [RangeSource(8, 2), HookedIdentity(str(tmp_path))]
    rules = ray_rulebook(stages, RayDataExecutor().config, 2.0, 0.0, executor="RayDataExecutor")
    assert _source_on_driver(stages, rules, [EmptyTask()])
    assert not _source_on_driver(stages, rules, [EmptyTask(), EmptyTask()]), "given tasks go to the cluster"
    sizes, scale = _pool_sizes(stages, rules, first=1)
    assert (sizes[1], scale) == (2, 1.0)
    # With the source run remotely (one with hooks, say), its tasks and re-blocking keep a CPU.
    sizes, scale = _pool_sizes(stages, rules, first=0)
    assert (sizes[1], scale) == (1, 1.0)


def test_manifest_imports_nothing_heavy() -> None:
    code = (
        "import sys, curator_executor_raydata.plugin as p; p.curator_executors(); "
        "print(sorted(m for m in ('ray', 'pyarrow') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
