"""The executor conformance suite: an executor must behave exactly like the local executor.

Subclass it in your executor's tests and implement ``make_executor``::

    class TestMyExecutor(ExecutorConformanceSuite):
        def make_executor(self, **config):
            return MyExecutor(config)
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import pytest

from curator_core.errors import StageFailedError
from curator_core.executors.base import BaseExecutor
from curator_core.executors.local import LocalExecutor
from curator_core.pipeline import Pipeline
from curator_core.tasks import Task
from curator_core.testing.canonical import DropMultiples, Explode, FailOn, LifecycleRecorder, RangeSource, read_events

__all__ = ["ExecutorConformanceSuite", "canonical_pipeline", "output_signature"]


def canonical_pipeline(directory: str, *, n_tasks: int = 6, fail_on: int | None = None) -> Pipeline:
    """Source, fan-out, filter, a failure point and a stage with setup hooks and custom metrics."""
    return Pipeline(
        "canonical",
        stages=[
            RangeSource(n_tasks=n_tasks, per_task=4),
            Explode(),
            DropMultiples(k=3),
            FailOn(fail_on),
            LifecycleRecorder(directory),
        ],
    )


def output_signature(tasks: list[Task[Any]]) -> list[tuple[str, tuple[int, ...], tuple[str, ...]]]:
    """Outputs as a sorted list of (task id, data, stages in their perf history)."""
    return sorted((t.task_id, tuple(t.data), tuple(s.stage_name for s in t._stage_perf)) for t in tasks)


class ExecutorConformanceSuite:
    """Shared guarantees (DESIGN.md section 4), checked against the local executor."""

    def make_executor(self, **config: Any) -> BaseExecutor:
        raise NotImplementedError("subclasses return the executor under test, configured with **config")

    def reference_executor(self, **config: Any) -> BaseExecutor:
        """The reference: the local executor, in process, so it is cheap and deterministic."""
        return LocalExecutor({"mode": "in_process", **config})

    def _run(
        self, tmp_path: Path, executor: BaseExecutor, label: str, **kwargs: Any
    ) -> tuple[Pipeline, list[Task[Any]]]:
        directory = tmp_path / label
        directory.mkdir()
        pipeline = canonical_pipeline(str(directory), **kwargs)
        return pipeline, pipeline.run(executor)

    def test_outputs_ids_and_history_match_local(self, tmp_path: Path) -> None:
        _, expected = self._run(tmp_path, self.reference_executor(), "reference")
        _, actual = self._run(tmp_path, self.make_executor(), "actual")
        assert output_signature(actual) == output_signature(expected)
        assert len({t.task_id for t in actual}) == len(actual), "task ids must be unique"

    def test_task_ids_are_deterministic_across_runs(self, tmp_path: Path) -> None:
        _, first = self._run(tmp_path, self.make_executor(), "first")
        _, second = self._run(tmp_path, self.make_executor(), "second")
        assert sorted(t.task_id for t in first) == sorted(t.task_id for t in second)

    def test_perf_stats_on_every_output(self, tmp_path: Path) -> None:
        _, outputs = self._run(tmp_path, self.make_executor(), "perf")
        stages = ["range_source", "explode", "drop_multiples", "fail_on", "lifecycle_recorder"]
        assert outputs
        for task in outputs:
            assert [s.stage_name for s in task._stage_perf] == stages
            assert all(s.process_time >= 0 for s in task._stage_perf)
            assert task._stage_perf[-1].custom_metrics == {"squared": 1.0}

    def test_report_counts_match_local(self, tmp_path: Path) -> None:
        reference, _ = self._run(tmp_path, self.reference_executor(), "reference")
        actual, _ = self._run(tmp_path, self.make_executor(), "actual")
        assert reference.last_report is not None and actual.last_report is not None

        def counts(pipeline: Pipeline) -> list[tuple[str, int, int, int, int]]:
            assert pipeline.last_report is not None
            return [(c.stage, c.tasks_in, c.tasks_out, c.filtered, c.failed) for c in pipeline.last_report.stages]

        assert counts(actual) == counts(reference)

    def test_lifecycle_setup_before_process_and_teardown_per_worker(self, tmp_path: Path) -> None:
        self._run(tmp_path, self.make_executor(), "lifecycle")
        events = read_events(str(tmp_path / "lifecycle"))
        by_kind = collections.defaultdict(list)
        for event in events:
            by_kind[event["event"]].append(event)
        nodes = collections.Counter(e["node"] for e in by_kind["setup_on_node"])
        assert nodes and all(count == 1 for count in nodes.values()), f"setup_on_node per node: {nodes}"
        setups = collections.Counter(e["worker"] for e in by_kind["setup"])
        teardowns = collections.Counter(e["worker"] for e in by_kind["teardown"])
        assert all(count == 1 for count in setups.values()), f"setup per worker: {setups}"
        assert teardowns == setups, "every worker that ran setup must run teardown exactly once"
        first_setup = {e["worker"]: e["time"] for e in by_kind["setup"]}
        for event in by_kind["process"]:
            assert event["worker"] in first_setup, "process ran on a worker that never ran setup"
            assert event["time"] >= first_setup[event["worker"]]
        first_node_setup = min(e["time"] for e in by_kind["setup_on_node"])
        assert all(e["time"] >= first_node_setup for e in by_kind["setup"])

    def test_empty_stream_is_an_empty_result(self, tmp_path: Path) -> None:
        _, outputs = self._run(tmp_path, self.make_executor(), "empty", n_tasks=0)
        assert outputs == []

    def test_no_initial_tasks_is_an_empty_result(self, tmp_path: Path) -> None:
        directory = tmp_path / "none"
        directory.mkdir()
        assert canonical_pipeline(str(directory)).run(self.make_executor(), initial_tasks=[]) == []

    def test_failure_stops_the_run_naming_stage_and_task(self, tmp_path: Path) -> None:
        with pytest.raises(StageFailedError) as caught:
            self._run(tmp_path, self.make_executor(), "fail", fail_on=5)
        message = str(caught.value)
        assert "fail_on" in message
        assert caught.value.stage == "fail_on"
        assert caught.value.task_id.endswith(".1")  # 5 is element 1 of the second source partition
        assert "refusing to process 5" in message

    def test_teardown_runs_after_a_failure(self, tmp_path: Path) -> None:
        with pytest.raises(StageFailedError):
            self._run(tmp_path, self.make_executor(), "fail", fail_on=5)
        events = read_events(str(tmp_path / "fail"))
        setups = collections.Counter(e["worker"] for e in events if e["event"] == "setup")
        teardowns = collections.Counter(e["worker"] for e in events if e["event"] == "teardown")
        assert teardowns == setups

    def test_ignore_failures_drops_counts_and_records(self, tmp_path: Path) -> None:
        _, expected = self._run(tmp_path, self.reference_executor(), "reference")
        pipeline, outputs = self._run(tmp_path, self.make_executor(ignore_failures=True), "ignored", fail_on=5)
        assert output_signature(outputs) == [s for s in output_signature(expected) if s[1] != (25,)]
        report = pipeline.last_report
        assert report is not None
        assert [(f.stage, "refusing to process 5" in f.error) for f in report.failures] == [("fail_on", True)]
        failed = {c.stage: c.failed for c in report.stages}
        assert failed["fail_on"] == 1
        assert sum(failed.values()) == 1
