"""The local executor follows the rulebook: no hang for any batch size, errors by the failure policy."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from curator_core import Pipeline, StageFailedError
from curator_core.executors.local import LocalExecutor
from curator_core.testing.canonical import RangeSource
from curator_core.testing.suite_stages import (
    BatchRecorder,
    KillWorkerOn,
    ReturnsNonTask,
    TeardownFails,
    Unpicklable,
    records,
)

MODES = ["process", "in_process"]


@pytest.mark.parametrize("mode", MODES)
def test_a_batch_larger_than_the_queue_does_not_hang(tmp_path: Path, mode: str) -> None:
    # A subprocess with a deadline: a regression fails here instead of hanging CI.
    script = textwrap.dedent(
        f"""
        from curator_core import Pipeline
        from curator_core.executors.local import LocalExecutor
        from curator_core.testing.canonical import RangeSource
        from curator_core.testing.suite_stages import BatchRecorder, Identity, records
        stages = [RangeSource(n_tasks=40, per_task=1), Identity(), BatchRecorder({str(tmp_path)!r}, batch_size=16)]
        out = Pipeline("big_batch", stages=stages).run(LocalExecutor({{"mode": {mode!r}, "cpus": 2}}))
        sizes = sorted(e["size"] for e in records({str(tmp_path)!r}, "batch"))
        print(len(out), sizes)
        """
    )
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the local executor hung on a stage whose batch_size exceeds its queue")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "40 [8, 16, 16]"


@pytest.mark.parametrize("mode", MODES)
def test_batches_are_exact_with_a_partial_last(tmp_path: Path, mode: str) -> None:
    stages = [RangeSource(n_tasks=10, per_task=1), BatchRecorder(str(tmp_path), batch_size=4)]
    Pipeline("batches", stages=stages).run(LocalExecutor({"mode": mode}))
    assert sorted(e["size"] for e in records(str(tmp_path), "batch")) == [2, 4, 4]


def _run(stage: Any, **config: Any) -> Pipeline:
    pipeline = Pipeline("errors", stages=[RangeSource(n_tasks=4, per_task=2), stage])
    pipeline.run(LocalExecutor(config))
    return pipeline


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("stage", [ReturnsNonTask(5), Unpicklable(5)], ids=["non_task", "unpicklable"])
def test_a_bad_output_fails_the_run_naming_stage_and_task(mode: str, stage: Any) -> None:
    with pytest.raises(StageFailedError) as caught:
        _run(stage, mode=mode)
    assert caught.value.stage == stage.name
    assert caught.value.task_id  # the task is named
    assert stage.name in str(caught.value)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("stage", [ReturnsNonTask(5), Unpicklable(5)], ids=["non_task", "unpicklable"])
def test_a_bad_output_is_dropped_and_recorded_under_ignore_failures(mode: str, stage: Any) -> None:
    pipeline = Pipeline("errors", stages=[RangeSource(n_tasks=4, per_task=2), stage])
    outputs = pipeline.run(LocalExecutor({"mode": mode, "ignore_failures": True}))
    assert sorted(x for t in outputs for x in t.data) == [0, 1, 2, 3, 6, 7]
    report = pipeline.last_report
    assert report is not None
    assert [f.stage for f in report.failures] == [stage.name]
    assert {c.stage: c.failed for c in report.stages}[stage.name] == 1


def test_a_task_that_always_kills_its_worker_is_dropped_under_ignore_failures(tmp_path: Path) -> None:
    pipeline = Pipeline("kill", stages=[RangeSource(n_tasks=4, per_task=2), KillWorkerOn(5, str(tmp_path))])
    outputs = pipeline.run(LocalExecutor({"ignore_failures": True, "max_attempts": 2}))
    assert sorted(x for t in outputs for x in t.data) == [0, 1, 2, 3, 6, 7]
    assert len(records(str(tmp_path), "kill")) == 2
    report = pipeline.last_report
    assert report is not None
    [failure] = report.failures
    assert failure.stage == "kill_worker_on" and "exit code 17" in failure.error


@pytest.mark.parametrize("mode", MODES)
def test_a_teardown_error_fails_the_run_naming_stage_and_worker(mode: str) -> None:
    with pytest.raises(StageFailedError) as caught:
        _run(TeardownFails(), mode=mode)
    assert caught.value.stage == "teardown_fails"
    assert "teardown" in str(caught.value) and "could not flush the buffer" in str(caught.value)


@pytest.mark.parametrize("mode", MODES)
def test_a_teardown_error_is_recorded_under_ignore_failures(mode: str) -> None:
    pipeline = _run(TeardownFails(), mode=mode, ignore_failures=True)
    report = pipeline.last_report
    assert report is not None
    # One record per worker that tore down.
    assert report.failures
    assert {(f.stage, "could not flush the buffer" in f.error) for f in report.failures} == {("teardown_fails", True)}


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_every_start_method_gives_the_same_result(tmp_path: Path, method: str) -> None:
    # In a subprocess: a forkserver outlives the run as a child of the process that started it.
    script = textwrap.dedent(
        f"""
        from curator_core.executors.local import LocalExecutor
        from curator_core.testing.executor_suite import canonical_pipeline, output_signature
        reference = canonical_pipeline({str(tmp_path)!r}).run(LocalExecutor({{"mode": "in_process"}}))
        outputs = canonical_pipeline({str(tmp_path)!r}).run(LocalExecutor({{"start_method": {method!r}}}))
        assert output_signature(outputs) == output_signature(reference), "outputs differ"
        print(len(outputs))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0
