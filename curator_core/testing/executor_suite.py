"""The executor conformance suite: an executor must behave exactly like the local executor.

Subclass it in your executor's tests and implement ``make_executor``::

    class TestMyExecutor(ExecutorConformanceSuite):
        def make_executor(self, **config):
            return MyExecutor(config)

Every check compares against the local executor in worker processes (the reference), whose
results are computed once per session. Lifecycle events are recorded in files, so a check fails
when events are missing, not only when they are wrong. ``config`` keys the suite passes are the
rulebook's (``ignore_failures``, ``max_attempts``); set ``kills_workers = False`` for an executor
whose workers share the test's process (a stage that kills its worker would kill the test).
"""

from __future__ import annotations

import collections
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest

from curator_core.errors import StageFailedError, WorkerLostError
from curator_core.executors.base import BaseExecutor
from curator_core.executors.local import LocalExecutor
from curator_core.pipeline import Pipeline
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import Task
from curator_core.testing.canonical import (
    DropMultiples,
    Explode,
    FailOn,
    LifecycleRecorder,
    NumberBatch,
    RangeSource,
    read_events,
)
from curator_core.testing.suite_stages import (
    BatchRecorder,
    FailsInSetup,
    HookedIdentity,
    HookedSource,
    Identity,
    KillWorkerOn,
    ReturnsNonTask,
    TeardownFails,
    Unpicklable,
    records,
)

__all__ = ["ExecutorConformanceSuite", "canonical_pipeline", "output_signature"]

Signature = list[tuple[str, tuple[int, ...], tuple[str, ...]]]
Counts = list[tuple[str, int, int, int, int]]

# Reference results, computed once per process: every executor's suite compares against them.
_REFERENCE: dict[str, tuple[Signature, Counts, list[str]]] = {}


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


def output_signature(tasks: list[Task[Any]]) -> Signature:
    """Outputs as a sorted list of (task id, data, stages in their perf history)."""
    return sorted((t.task_id, tuple(t.data), tuple(s.stage_name for s in t._stage_perf)) for t in tasks)


def _counts(pipeline: Pipeline) -> Counts:
    assert pipeline.last_report is not None, "the run left no report"
    return [(c.stage, c.tasks_in, c.tasks_out, c.filtered, c.failed) for c in pipeline.last_report.stages]


def _given() -> list[NumberBatch]:
    # Two with the same content and none with an id: the framework must name them, uniquely.
    return [NumberBatch(task_id="", dataset_name="given", data=list(d)) for d in ([1, 2], [3], [1, 2], [4, 5])]


def _scenarios(directory: str) -> dict[str, Callable[[], tuple[Pipeline, dict[str, Any]]]]:
    """Named pipelines the checks run; each returns (pipeline, run keyword arguments)."""
    tolerant = FailOn(5)
    tolerant.ignore_failures = True
    return {
        "canonical": lambda: (canonical_pipeline(directory), {}),
        "canonical_fail": lambda: (canonical_pipeline(directory, fail_on=5), {}),
        # The failure comes after the hooked stage, so every executor has set its workers up by then.
        "fail_after_hooks": lambda: (
            Pipeline("fail_after_hooks", stages=[RangeSource(), Explode(), LifecycleRecorder(directory), FailOn(25)]),
            {},
        ),
        "per_stage_policy": lambda: (
            Pipeline("per_stage", stages=[RangeSource(n_tasks=4, per_task=2), Explode(), tolerant]),
            {},
        ),
        "given_tasks": lambda: (Pipeline("given", stages=[Identity(), Explode()]), {"initial_tasks": _given()}),
        "all_hooks": lambda: (
            Pipeline(
                "all_hooks",
                stages=[HookedSource(directory), HookedIdentity(directory, "hooked_a"), HookedIdentity(directory, "b")],
            ),
            {},
        ),
        "unpicklable_ignored": lambda: (Pipeline("unpicklable", stages=[RangeSource(4, 2), Unpicklable(5)]), {}),
        "non_task_ignored": lambda: (Pipeline("non_task", stages=[RangeSource(4, 2), ReturnsNonTask(5)]), {}),
    }


class ExecutorConformanceSuite:
    """Shared guarantees (DESIGN.md section 4), checked against the local executor in worker processes."""

    kills_workers: ClassVar[bool] = True
    """False when a stage that kills its worker would kill the test process (in-process executors)."""

    def make_executor(self, **config: Any) -> BaseExecutor:
        raise NotImplementedError("subclasses return the executor under test, configured with **config")

    def reference_executor(self, **config: Any) -> BaseExecutor:
        """The reference: the local executor with worker processes, as users run it."""
        return LocalExecutor({"mode": "process", **config})

    # -- helpers ----------------------------------------------------------------------------
    def _directory(self, tmp_path: Path, label: str) -> str:
        directory = tmp_path / label
        directory.mkdir()
        return str(directory)

    def _run(
        self, tmp_path: Path, executor: BaseExecutor, label: str, scenario: str = "canonical"
    ) -> tuple[Pipeline, list[Task[Any]]]:
        directory = self._directory(tmp_path, label)
        pipeline, kwargs = _scenarios(directory)[scenario]()
        return pipeline, pipeline.run(executor, **kwargs)

    def _reference(self, scenario: str, **config: Any) -> tuple[Signature, Counts, list[str]]:
        key = f"{scenario}:{sorted(config.items())}"
        if key not in _REFERENCE:
            with tempfile.TemporaryDirectory() as directory:
                pipeline, kwargs = _scenarios(directory)[scenario]()
                outputs = pipeline.run(self.reference_executor(**config), **kwargs)
                assert pipeline.last_report is not None
                failures = sorted(f.stage for f in pipeline.last_report.failures)
                _REFERENCE[key] = (output_signature(outputs), _counts(pipeline), failures)
        return _REFERENCE[key]

    def _same_as_reference(self, tmp_path: Path, scenario: str, **config: Any) -> Pipeline:
        expected, expected_counts, expected_failures = self._reference(scenario, **config)
        pipeline, outputs = self._run(tmp_path, self.make_executor(**config), scenario, scenario)
        assert output_signature(outputs) == expected, f"{scenario}: outputs, ids or history differ from local"
        assert len({t.task_id for t in outputs}) == len(outputs), "task ids must be unique"
        assert _counts(pipeline) == expected_counts, f"{scenario}: report counts differ from local"
        assert pipeline.last_report is not None
        assert sorted(f.stage for f in pipeline.last_report.failures) == expected_failures
        return pipeline

    @staticmethod
    def _lifecycle(events: list[dict[str, Any]], key: str = "event") -> None:
        by_kind: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
        for event in events:
            by_kind[event[key]].append(event)
        assert by_kind["setup"], "no worker ran setup (or its events were lost)"
        assert by_kind["process"], "no process call was recorded"
        setups = collections.Counter(e["worker"] for e in by_kind["setup"])
        teardowns = collections.Counter(e["worker"] for e in by_kind["teardown"])
        assert all(count == 1 for count in setups.values()), f"setup per worker: {setups}"
        assert teardowns == setups, f"every worker that ran setup must run teardown exactly once: {teardowns}"
        first_setup = {e["worker"]: e["time"] for e in by_kind["setup"]}
        for event in by_kind["process"]:
            assert event["worker"] in first_setup, "process ran on a worker that never ran setup"
            assert event["time"] >= first_setup[event["worker"]]
        nodes = collections.Counter(e["node"] for e in by_kind["setup_on_node"])
        assert nodes and all(count == 1 for count in nodes.values()), f"setup_on_node per node: {nodes}"
        assert all(e["time"] >= min(e2["time"] for e2 in by_kind["setup_on_node"]) for e in by_kind["setup"])

    # -- same results -----------------------------------------------------------------------
    def test_outputs_ids_history_and_counts_match_local(self, tmp_path: Path) -> None:
        self._same_as_reference(tmp_path, "canonical")

    def test_task_ids_are_deterministic_across_runs(self, tmp_path: Path) -> None:
        _, first = self._run(tmp_path, self.make_executor(), "first")
        _, second = self._run(tmp_path, self.make_executor(), "second")
        assert first and sorted(t.task_id for t in first) == sorted(t.task_id for t in second)

    def test_perf_stats_on_every_output(self, tmp_path: Path) -> None:
        _, outputs = self._run(tmp_path, self.make_executor(), "perf")
        stages = ["range_source", "explode", "drop_multiples", "fail_on", "lifecycle_recorder"]
        assert outputs
        for task in outputs:
            assert [s.stage_name for s in task._stage_perf] == stages
            assert all(s.process_time >= 0 for s in task._stage_perf)
            assert task._stage_perf[-1].custom_metrics == {"squared": 1.0}

    def test_given_tasks_get_unique_framework_ids(self, tmp_path: Path) -> None:
        self._same_as_reference(tmp_path, "given_tasks")

    def test_empty_stream_is_an_empty_result(self, tmp_path: Path) -> None:
        directory = self._directory(tmp_path, "empty")
        assert canonical_pipeline(directory, n_tasks=0).run(self.make_executor()) == []
        assert canonical_pipeline(directory).run(self.make_executor(), initial_tasks=[]) == []

    # -- batches ----------------------------------------------------------------------------
    def test_batch_size_is_exact_with_a_partial_last(self, tmp_path: Path) -> None:
        directory = self._directory(tmp_path, "batches")
        stages: list[ProcessingStage[Any, Any]] = [RangeSource(10, 1), Identity(), BatchRecorder(directory, 4)]
        outputs = Pipeline("batches", stages=stages).run(self.make_executor())
        assert len(outputs) == 10
        assert sorted(e["size"] for e in records(directory, "batch")) == [2, 4, 4]

    # -- lifecycle --------------------------------------------------------------------------
    def test_lifecycle_setup_before_process_and_teardown_per_worker(self, tmp_path: Path) -> None:
        _, outputs = self._run(tmp_path, self.make_executor(), "lifecycle")
        events = read_events(str(tmp_path / "lifecycle"))
        self._lifecycle(events)
        assert len([e for e in events if e["event"] == "process"]) == len(outputs)  # every task, once

    def test_every_stage_with_hooks(self, tmp_path: Path) -> None:
        self._same_as_reference(tmp_path, "all_hooks")
        events = records(str(tmp_path / "all_hooks"))
        for label in ("hooked_source", "hooked_a", "b"):
            mine = [{**e, "event": e["kind"]} for e in events if e["label"] == label]
            self._lifecycle(mine)

    def test_teardown_runs_after_a_failure(self, tmp_path: Path) -> None:
        with pytest.raises(StageFailedError):
            self._run(tmp_path, self.make_executor(), "fail_teardown", "fail_after_hooks")
        events = read_events(str(tmp_path / "fail_teardown"))
        setups = collections.Counter(e["worker"] for e in events if e["event"] == "setup")
        teardowns = collections.Counter(e["worker"] for e in events if e["event"] == "teardown")
        assert setups, "no worker ran setup before the failure (or its events were lost)"
        assert teardowns == setups

    def test_setup_failure_stops_the_run_naming_the_stage(self, tmp_path: Path) -> None:
        pipeline = Pipeline("setup_fails", stages=[RangeSource(2, 2), FailsInSetup()])
        with pytest.raises(StageFailedError) as caught:
            pipeline.run(self.make_executor())
        assert caught.value.stage == "fails_in_setup"
        assert "setup" in str(caught.value) and "no model here" in str(caught.value)

    def test_teardown_error_stops_the_run_naming_the_stage(self, tmp_path: Path) -> None:
        with pytest.raises(StageFailedError) as caught:
            Pipeline("teardown_fails", stages=[RangeSource(2, 2), TeardownFails()]).run(self.make_executor())
        assert caught.value.stage == "teardown_fails"
        assert "teardown" in str(caught.value) and "could not flush the buffer" in str(caught.value)

    # -- failures ---------------------------------------------------------------------------
    def test_failure_stops_the_run_naming_stage_and_task(self, tmp_path: Path) -> None:
        with pytest.raises(StageFailedError) as caught:
            self._run(tmp_path, self.make_executor(), "fail", "canonical_fail")
        message = str(caught.value)
        assert caught.value.stage == "fail_on" and "fail_on" in message
        assert caught.value.task_id.endswith(".1")  # 5 is element 1 of the second source partition
        assert "refusing to process 5" in message

    def test_ignore_failures_drops_counts_and_records(self, tmp_path: Path) -> None:
        expected, _, _ = self._reference("canonical")
        pipeline, outputs = self._run(tmp_path, self.make_executor(ignore_failures=True), "ignored", "canonical_fail")
        assert output_signature(outputs) == [s for s in expected if s[1] != (25,)]
        report = pipeline.last_report
        assert report is not None
        assert [(f.stage, "refusing to process 5" in f.error) for f in report.failures] == [("fail_on", True)]
        failed = {c.stage: c.failed for c in report.stages}
        assert failed["fail_on"] == 1 and sum(failed.values()) == 1

    def test_per_stage_failure_policy_overrides_the_executor(self, tmp_path: Path) -> None:
        pipeline = self._same_as_reference(tmp_path, "per_stage_policy")
        assert pipeline.last_report is not None and len(pipeline.last_report.failures) == 1

    @pytest.mark.parametrize("scenario", ["unpicklable", "non_task"])
    def test_a_bad_output_follows_the_failure_policy(self, tmp_path: Path, scenario: str) -> None:
        stage: ProcessingStage[Any, Any] = Unpicklable(5) if scenario == "unpicklable" else ReturnsNonTask(5)
        with pytest.raises(StageFailedError) as caught:
            Pipeline(scenario, stages=[RangeSource(4, 2), stage]).run(self.make_executor())
        assert caught.value.stage == stage.name and caught.value.task_id
        pipeline = self._same_as_reference(tmp_path, f"{scenario}_ignored", ignore_failures=True)
        assert pipeline.last_report is not None and len(pipeline.last_report.failures) == 1

    # -- worker death -----------------------------------------------------------------------
    def test_a_dead_worker_is_replaced_and_its_task_retried(self, tmp_path: Path) -> None:
        if not self.kills_workers:
            pytest.skip("this executor's workers share the test's process")
        directory = self._directory(tmp_path, "death")
        stages: list[ProcessingStage[Any, Any]] = [RangeSource(4, 2), KillWorkerOn(5, directory, times=1)]
        outputs = Pipeline("death", stages=stages).run(self.make_executor())
        assert len(records(directory, "kill")) == 1
        assert sorted(x for t in outputs for x in t.data) == list(range(8))
        assert len({t.task_id for t in outputs}) == 4

    def test_a_task_that_always_kills_its_worker_fails_after_max_attempts(self, tmp_path: Path) -> None:
        if not self.kills_workers:
            pytest.skip("this executor's workers share the test's process")
        directory = self._directory(tmp_path, "always")
        stages: list[ProcessingStage[Any, Any]] = [RangeSource(4, 2), KillWorkerOn(5, directory)]
        with pytest.raises(WorkerLostError) as caught:
            Pipeline("always", stages=stages).run(self.make_executor(max_attempts=2))
        assert caught.value.stage == "kill_worker_on"
        assert len(records(directory, "kill")) == 2
        pipeline = Pipeline("always", stages=[RangeSource(4, 2), KillWorkerOn(5, directory)])
        outputs = pipeline.run(self.make_executor(max_attempts=2, ignore_failures=True))
        assert sorted(x for t in outputs for x in t.data) == [0, 1, 2, 3, 6, 7]
        assert pipeline.last_report is not None
        assert [f.stage for f in pipeline.last_report.failures] == ["kill_worker_on"]
