"""A minimal serial executor that follows every rule, and broken variants of it.

The conformance kit's own test runs its checks against each broken executor and expects them to
fail: a kit that passes a broken executor guards nothing. :class:`SerialExecutor` itself passes
the kit, which shows that the checks fail for the defect, not for being serial or in-process.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from curator_core.errors import StageFailedError
from curator_core.executors.adapter import BaseStageAdapter, StageCounts, StageOutcome
from curator_core.executors.base import BaseExecutor
from curator_core.executors.rules import RULE_CONFIG_DEFAULTS, Rulebook, TaskFailure, batches, setup_failed
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task
from curator_core.workers import NodeInfo, WorkerMetadata

__all__ = [
    "BROKEN_EXECUTORS",
    "DropsATask",
    "IgnoresBatchSize",
    "ReassignsIds",
    "SerialExecutor",
    "SkipsTeardown",
    "SwallowsFailures",
]


class SerialExecutor(BaseExecutor):
    """Runs stages one after another in this process, one worker each, by the rulebook."""

    name = "serial"
    default_config: ClassVar[dict[str, Any]] = dict(RULE_CONFIG_DEFAULTS)

    def execute(
        self, stages: Sequence[ProcessingStage[Any, Any]], initial_tasks: Iterable[Task[Any]] | None = None
    ) -> list[Task[Any]]:
        self.stats = type(self.stats)()
        rules = Rulebook(stages, self.config, cpus=1, codecs=False, executor=self.name)
        tasks: list[Task[Any]] = list([EmptyTask()] if initial_tasks is None else initial_tasks)
        for index, stage in enumerate(stages):
            worker_id = f"serial-{index}"
            adapter = BaseStageAdapter(copy.deepcopy(stage), ignore_failures=self.ignore_failures)
            adapter.setup_on_node(NodeInfo(), WorkerMetadata(worker_id="driver"))
            try:
                adapter.setup(WorkerMetadata(worker_id=worker_id))
            except Exception as exc:
                raise setup_failed(stage.name, worker_id, exc) from exc
            try:
                tasks = self._stage(adapter, tasks, self.batch_size(rules[index].batch_size))
            except BaseException:
                self.teardown(adapter, worker_id, failing=True)
                raise
            self.teardown(adapter, worker_id, failing=False)
        return self.finish(tasks)

    def _stage(self, adapter: BaseStageAdapter, tasks: list[Task[Any]], size: int) -> list[Task[Any]]:
        outputs: list[Task[Any]] = []
        for batch in batches(tasks, size):
            try:
                outcome = adapter.process_batch(batch)
                try:
                    pickle.dumps(outcome.outputs)
                except Exception:
                    outcome = adapter.sendable(outcome, pickle.dumps)
            except StageFailedError as exc:
                failure = TaskFailure(exc.stage, exc.task_id, str(exc), exc.cause_repr)
                self.stats.record(StageOutcome([], [failure], [StageCounts(exc.stage, tasks_in=1, failed=1)]))
                if self.swallow(exc):
                    continue
                raise
            self.stats.record(outcome)
            outputs.extend(outcome.outputs)
        return outputs

    # -- what the broken variants change -----------------------------------------------------
    def batch_size(self, size: int) -> int:
        return size

    def swallow(self, error: StageFailedError) -> bool:
        return False

    def teardown(self, adapter: BaseStageAdapter, worker_id: str, *, failing: bool) -> None:
        try:
            self.stats.record(StageOutcome([], adapter.teardown(worker_id)))
        except StageFailedError:
            if not failing:
                raise

    def finish(self, tasks: list[Task[Any]]) -> list[Task[Any]]:
        return tasks


class DropsATask(SerialExecutor):
    """Loses the last output task."""

    def finish(self, tasks: list[Task[Any]]) -> list[Task[Any]]:
        return tasks[:-1]


class SkipsTeardown(SerialExecutor):
    """Never calls ``teardown``."""

    def teardown(self, adapter: BaseStageAdapter, worker_id: str, *, failing: bool) -> None:
        return None


class IgnoresBatchSize(SerialExecutor):
    """Calls every stage one task at a time."""

    def batch_size(self, size: int) -> int:
        return 1


class SwallowsFailures(SerialExecutor):
    """Drops a failing task and goes on, even when the policy says stop."""

    def swallow(self, error: StageFailedError) -> bool:
        return True


class ReassignsIds(SerialExecutor):
    """Renames outputs by their position, so ids depend on order, not on the input."""

    def finish(self, tasks: list[Task[Any]]) -> list[Task[Any]]:
        for position, task in enumerate(tasks):
            task.task_id = f"out{position}"
        return tasks


#: Each broken executor and the conformance checks that must fail on it.
BROKEN_EXECUTORS: dict[type[SerialExecutor], tuple[str, ...]] = {
    DropsATask: ("test_outputs_ids_history_and_counts_match_local",),
    SkipsTeardown: (
        "test_lifecycle_setup_before_process_and_teardown_per_worker",
        "test_every_stage_with_hooks",
        "test_teardown_runs_after_a_failure",
    ),
    IgnoresBatchSize: ("test_batch_size_is_exact_with_a_partial_last",),
    SwallowsFailures: ("test_failure_stops_the_run_naming_stage_and_task",),
    ReassignsIds: ("test_outputs_ids_history_and_counts_match_local", "test_given_tasks_get_unique_framework_ids"),
}
