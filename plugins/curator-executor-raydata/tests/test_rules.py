"""Regressions on ``ray_data``: plans whose every stage has hooks finish; a worker killer is given up.

A hang must fail the test, not CI: runs go through :func:`bounded`, which gives up after a while.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from curator_core.errors import WorkerLostError
from curator_core.executors.local import LocalExecutor
from curator_core.pipeline import Pipeline
from curator_core.testing.canonical import RangeSource
from curator_core.testing.executor_suite import output_signature
from curator_core.testing.suite_stages import HookedIdentity, HookedSource, KillWorkerOn, records
from curator_executor_raydata import RayDataExecutor

LIMIT_S = 240.0  # a run here takes seconds; a hang never ends


def bounded(run: Callable[[], Any], limit_s: float = LIMIT_S) -> Any:
    """``run()``'s result or exception; a test failure if it has not returned within ``limit_s``."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = run()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit_s)
    if thread.is_alive():
        pytest.fail(f"the run did not return within {limit_s:.0f} s (hang)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.mark.usefixtures("connected")
@pytest.mark.parametrize("plan", ["hooked_source", "source_then_hooked"])
def test_a_plan_whose_every_stage_has_hooks_finishes(tmp_path: Path, plan: str) -> None:
    def pipeline(directory: Path) -> Pipeline:
        directory.mkdir()
        if plan == "hooked_source":
            return Pipeline(plan, stages=[HookedSource(str(directory), n_tasks=4)])
        return Pipeline(plan, stages=[RangeSource(n_tasks=4, per_task=2), HookedIdentity(str(directory))])

    expected = pipeline(tmp_path / "local").run(LocalExecutor({"mode": "in_process"}))
    outputs = bounded(lambda: pipeline(tmp_path / "ray").run(RayDataExecutor()))
    assert output_signature(outputs) == output_signature(expected)
    events = records(str(tmp_path / "ray"))
    setups = sorted(e["worker"] for e in events if e["kind"] == "setup")
    assert setups and sorted(e["worker"] for e in events if e["kind"] == "teardown") == setups


def _killing(directory: Path) -> Pipeline:
    directory.mkdir()
    return Pipeline("kill", stages=[RangeSource(n_tasks=3, per_task=2), KillWorkerOn(2, str(directory))])


@pytest.mark.usefixtures("connected")
def test_a_task_that_kills_its_worker_every_time_stops_the_run_after_max_attempts(tmp_path: Path) -> None:
    with pytest.raises(WorkerLostError) as caught:
        bounded(lambda: _killing(tmp_path / "kills").run(RayDataExecutor({"max_attempts": 2})))
    assert caught.value.stage == "kill_worker_on" and caught.value.attempts == 2
    killed = {e["task"] for e in records(str(tmp_path / "kills"), "kill")}
    assert killed == {caught.value.task_id}
    assert len(records(str(tmp_path / "kills"), "kill")) == 2
