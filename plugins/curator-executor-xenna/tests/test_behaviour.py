"""Each config key changes what Xenna does, and a plan that cannot fit never starts a worker."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from xenna_stages import Brittle, DiesOnce, Recorded, Timed, items, read_records, run_ids

from curator_core.errors import CapabilityError, StageFailedError
from curator_core.pipeline import Pipeline
from curator_core.tasks import with_framework_ids
from curator_executor_xenna import XennaExecutor

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("ray_cluster")]


def two_timed_stages(directory: Path) -> Pipeline:
    return Pipeline(
        "ordering",
        stages=[Timed("first", str(directory), sleep_s=0.4, cpus=0.5), Timed("second", str(directory), cpus=0.5)],
    )


@pytest.mark.parametrize("mode", ["batch", "streaming"])
def test_batch_finishes_a_stage_before_the_next_starts_and_streaming_overlaps_them(tmp_path, mode):
    outputs = two_timed_stages(tmp_path).run(XennaExecutor({"execution_mode": mode}), initial_tasks=items(10))
    assert sorted(t.task_id for t in outputs) == run_ids(items(10))
    records = read_records(str(tmp_path))
    first_done = max(r["end"] for r in records if r["stage"] == "first")
    second_started = min(r["start"] for r in records if r["stage"] == "second")
    if mode == "batch":
        assert second_started >= first_done
    else:
        assert second_started < first_done


def test_max_workers_per_stage_caps_a_stages_workers(tmp_path):
    def setups(directory: Path, **config: object) -> int:
        directory.mkdir()
        stage = Recorded("wide", str(directory), sleep_s=0.3, cpus=0.25, workers=3)
        Pipeline("wide", stages=[stage]).run(XennaExecutor(config), initial_tasks=items(12))
        return sum(1 for r in read_records(str(directory)) if r["stage"] == "setup")

    # The stage pins 3 workers; Xenna may finish before the last one is up, but more than one starts.
    assert setups(tmp_path / "pinned") > 1
    assert setups(tmp_path / "capped", max_workers_per_stage=1) == 1


def test_plan_that_does_not_fit_fails_before_any_worker_starts(tmp_path):
    pipeline = Pipeline("too-big", stages=[Recorded("heavy", str(tmp_path), cpus=4.0), Timed("light", str(tmp_path))])
    with pytest.raises(CapabilityError) as caught:
        pipeline.run(XennaExecutor(), initial_tasks=items(2))
    message = str(caught.value)
    assert "'heavy' needs 4 CPUs per worker; the largest node has 1 usable" in message
    assert "2 CPUs on 1 node(s) x cpu_allocation_percentage 0.95" in message
    # The same check guards execute() itself, once the cluster is joined.
    with pytest.raises(CapabilityError, match="'heavy' needs 4 CPUs"):
        XennaExecutor().execute(pipeline.stages, items(2))
    assert read_records(str(tmp_path)) == []


def test_a_small_machine_runs_a_multi_stage_pipeline_with_default_config(tmp_path):
    stages = [Timed(f"s{k}", str(tmp_path)) for k in range(3)]  # 3 x 1 CPU asked, 1 CPU usable
    outputs = Pipeline("small", stages=stages).run(XennaExecutor(), initial_tasks=items(3))
    assert len(outputs) == 3
    assert [p.stage_name for p in outputs[0]._stage_perf] == ["s0", "s1", "s2"]


def _ray_processes_using(directory: str) -> list[str]:
    import psutil

    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if directory in cmdline:
            found.append(cmdline[:120])
    return found


def test_own_cluster_is_started_beside_another_and_stopped_after(ray_cluster):
    """No RAY_ADDRESS: the executor starts its own cluster, though another one runs here, and stops it."""
    import ray

    script = textwrap.dedent(
        """
        import json, os
        from curator_core.pipeline import Pipeline
        from curator_core.testing.canonical import Explode, RangeSource
        from curator_executor_xenna import XennaExecutor
        import ray
        out = Pipeline("own", stages=[RangeSource(n_tasks=2), Explode()]).run(XennaExecutor())
        print(json.dumps({"outputs": len(out), "ray": ray.is_initialized(), "address": os.environ.get("RAY_ADDRESS")}))
        """
    )
    scratch = tempfile.mkdtemp(prefix="cxo-", dir="/tmp")  # the executor's Ray temp dir lands under TMPDIR
    env = {k: v for k, v in os.environ.items() if k not in ("RAY_ADDRESS", "RAY_TMPDIR")}
    env["TMPDIR"] = scratch
    try:
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=400)
        assert result.returncode == 0, result.stderr[-3000:]
        report = json.loads(result.stdout.strip().splitlines()[-1])
        assert report == {"outputs": 8, "ray": False, "address": None}
        deadline = time.monotonic() + 20
        while _ray_processes_using(scratch) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _ray_processes_using(scratch) == []
        assert [name for name in os.listdir(scratch) if name.startswith("curator-ray-")] == []
        # The other cluster (this session's) is untouched.
        assert ray.is_initialized() and os.environ["RAY_ADDRESS"] == ray_cluster
        assert ray.get(ray.remote(lambda: 41 + 1).remote(), timeout=120) == 42
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_worker_that_dies_is_replaced_and_its_task_retried(tmp_path):
    pipeline = Pipeline("dies", stages=[DiesOnce(str(tmp_path), victim=2)])
    outputs = pipeline.run(XennaExecutor(), initial_tasks=items(4))
    assert (tmp_path / "died").exists()
    assert sorted(t.task_id for t in outputs) == run_ids(items(4))
    assert pipeline.last_report is not None
    [counts] = pipeline.last_report.stages
    assert (counts.tasks_in, counts.tasks_out, counts.failed) == (4, 4, 0)


def test_batch_mode_tears_down_the_failing_stages_workers(tmp_path):
    """Xenna's batch mode leaves the failing stage's pool standing (measured); the executor stops it."""
    pipeline = Pipeline("brittle", stages=[Brittle(str(tmp_path), victim=1)])
    with pytest.raises(StageFailedError, match="cannot take item 1") as caught:
        pipeline.run(XennaExecutor({"execution_mode": "batch"}), initial_tasks=items(3))
    given_ids = [t.task_id for t in with_framework_ids(items(3))]
    assert (caught.value.stage, caught.value.task_id) == ("brittle", given_ids[1])
    records = read_records(str(tmp_path))
    setups = sorted(r["worker"] for r in records if r["stage"] == "setup")
    teardowns = sorted(r["worker"] for r in records if r["stage"] == "teardown")
    assert setups and teardowns == setups
