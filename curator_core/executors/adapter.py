"""Every rule that must hold the same on every executor, written once.

An executor wraps each (fused) stage of the plan in a :class:`BaseStageAdapter` inside each
worker and calls ``setup_on_node`` / ``setup`` / ``process_batch`` / ``teardown`` on it. The
adapter times the stage, drops None results, assigns task ids, carries metadata and perf
history from input to output, collects custom metrics, and applies the failure policy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from curator_core.errors import StageFailedError
from curator_core.perf import StagePerfStats
from curator_core.plan import FusedStage
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task, content_id
from curator_core.workers import NodeInfo, WorkerMetadata

__all__ = ["BaseStageAdapter", "StageCounts", "StageOutcome", "TaskFailure", "child_task_ids"]


@dataclass(frozen=True)
class TaskFailure:
    """A task a stage failed on and, under ``ignore_failures``, dropped."""

    stage: str
    task_id: str
    error: str
    traceback: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"stage": self.stage, "task_id": self.task_id, "error": self.error, "traceback": self.traceback}


@dataclass
class StageCounts:
    """Tasks into and out of one stage for one call (summed by executors into the run report)."""

    stage: str
    tasks_in: int = 0
    tasks_out: int = 0
    filtered: int = 0
    failed: int = 0
    process_time: float = 0.0
    metrics: dict[str, float] = field(default_factory=dict)

    def add(self, other: StageCounts) -> None:
        self.tasks_in += other.tasks_in
        self.tasks_out += other.tasks_out
        self.filtered += other.filtered
        self.failed += other.failed
        self.process_time += other.process_time
        self.add_metrics(other.metrics)

    def add_metrics(self, metrics: dict[str, float]) -> None:
        """Sum custom metrics; counted once per call, however many outputs carry them."""
        for name, value in metrics.items():
            self.metrics[name] = self.metrics.get(name, 0.0) + value


@dataclass
class StageOutcome:
    """What one adapter call produced: outputs, failures, and counts per (sub-)stage."""

    outputs: list[Task[Any]]
    failures: list[TaskFailure] = field(default_factory=list)
    counts: list[StageCounts] = field(default_factory=list)


def child_task_ids(parent: Task[Any], children: list[Task[Any]]) -> list[str]:
    """Ids for a parent's outputs: content ids at the source, positional below.

    A source stage (its input is the seed ``EmptyTask``) names each output by a hash of its
    ``content_key()`` when it has one. Below, a single output keeps its parent's id and a fan-out
    appends ``.k``, so every id starts with the id of the source partition it came from.
    """
    if isinstance(parent, EmptyTask):
        keys = [child.content_key() for child in children]
        if all(key is not None for key in keys) and len(set(keys)) == len(keys):
            return [content_id(key) for key in keys if key is not None]
        return [f"{parent.task_id}.{k}" for k in range(len(children))]
    if len(children) == 1:
        return [parent.task_id]
    return [f"{parent.task_id}.{k}" for k in range(len(children))]


class BaseStageAdapter:
    """Wraps one stage (or a fused chain) with the cross-executor rules."""

    def __init__(self, stage: ProcessingStage[Any, Any], *, ignore_failures: bool = False) -> None:
        self.stage = stage
        self.stages: list[ProcessingStage[Any, Any]] = list(stage.stages) if isinstance(stage, FusedStage) else [stage]
        self._ignore = [s.ignore_failures if s.ignore_failures is not None else ignore_failures for s in self.stages]
        self._per_task = [type(s).process_batch is ProcessingStage.process_batch for s in self.stages]
        self._last_end: float | None = None

    @property
    def name(self) -> str:
        return self.stage.name

    # -- lifecycle ------------------------------------------------------------------------
    def setup_on_node(self, node_info: NodeInfo | None = None, worker_metadata: WorkerMetadata | None = None) -> None:
        for stage in self.stages:
            stage.setup_on_node(node_info, worker_metadata)

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        for stage in self.stages:
            stage.setup(worker_metadata)

    def teardown(self) -> None:
        """Tear every sub-stage down, even if one of them raises (the first error is re-raised)."""
        error: BaseException | None = None
        for stage in self.stages:
            try:
                stage.teardown()
            except Exception as exc:
                error = error or exc
        if error is not None:
            raise error

    # -- processing -----------------------------------------------------------------------
    def process_batch(self, tasks: list[Task[Any]]) -> StageOutcome:
        """Run the batch through the stage (or chain) and apply every rule."""
        start = time.perf_counter()
        idle = 0.0 if self._last_end is None else start - self._last_end
        outcome = StageOutcome(outputs=list(tasks))
        for index, stage in enumerate(self.stages):
            counts = StageCounts(stage.name, tasks_in=len(outcome.outputs))
            outputs, failures = self._run_stage(index, stage, outcome.outputs, idle if index == 0 else 0.0, counts)
            counts.tasks_out = len(outputs)
            outcome.outputs = outputs
            outcome.failures.extend(failures)
            outcome.counts.append(counts)
            if not outputs:
                # Later sub-stages saw nothing, but the report still lists them.
                outcome.counts.extend(StageCounts(s.name) for s in self.stages[index + 1 :])
                break
        self._last_end = time.perf_counter()
        return outcome

    def _run_stage(
        self, index: int, stage: ProcessingStage[Any, Any], tasks: list[Task[Any]], idle: float, counts: StageCounts
    ) -> tuple[list[Task[Any]], list[TaskFailure]]:
        if not tasks:
            return [], []
        if self._per_task[index] or len(tasks) == 1:
            calls = [[task] for task in tasks]
        else:
            calls = [tasks]
        outputs: list[Task[Any]] = []
        failures: list[TaskFailure] = []
        for batch in calls:
            try:
                results, elapsed, metrics = self._call(stage, batch)
            except Exception as exc:
                if len(batch) > 1:
                    # Isolate the failing task(s) so the error names the right one.
                    sub_out, sub_fail = self._run_stage_each(index, stage, batch, counts)
                    outputs.extend(sub_out)
                    failures.extend(sub_fail)
                    continue
                failures.append(self._fail(index, stage, batch[0], exc))
                counts.failed += 1
                continue
            counts.process_time += elapsed
            counts.add_metrics(metrics)
            share = elapsed / len(batch)
            for parent, result in zip(batch, results, strict=True):
                children = self._children(stage, parent, result)
                if not children:
                    counts.filtered += 1
                    continue
                ids = child_task_ids(parent, children)
                for child, task_id in zip(children, ids, strict=True):
                    self._inherit(child, parent, task_id)
                    child._stage_perf.append(
                        StagePerfStats(
                            stage_name=stage.name,
                            process_time=share / len(children),
                            actor_idle_time=idle,
                            num_items_processed=parent.num_items,
                            custom_metrics=dict(metrics),
                        )
                    )
                    outputs.append(child)
            idle = 0.0
        return outputs, failures

    def _run_stage_each(
        self, index: int, stage: ProcessingStage[Any, Any], batch: list[Task[Any]], counts: StageCounts
    ) -> tuple[list[Task[Any]], list[TaskFailure]]:
        outputs: list[Task[Any]] = []
        failures: list[TaskFailure] = []
        for task in batch:
            out, fail = self._run_stage(index, stage, [task], 0.0, counts)
            outputs.extend(out)
            failures.extend(fail)
        return outputs, failures

    @staticmethod
    def _call(stage: ProcessingStage[Any, Any], batch: list[Task[Any]]) -> tuple[list[Any], float, dict[str, float]]:
        stage.pop_metrics()
        start = time.perf_counter()
        if len(batch) == 1 and type(stage).process_batch is ProcessingStage.process_batch:
            results = [stage.process(batch[0])]
        else:
            results = list(stage.process_batch(batch))
        elapsed = time.perf_counter() - start
        if len(results) != len(batch):
            raise TypeError(
                f"stage {stage.name!r}: process_batch returned {len(results)} results for {len(batch)} tasks; "
                "it must return one entry (a task, a list of tasks, or None) per input task"
            )
        return results, elapsed, stage.pop_metrics()

    @staticmethod
    def _children(stage: ProcessingStage[Any, Any], parent: Task[Any], result: Any) -> list[Task[Any]]:
        if result is None:
            return []
        children = result if isinstance(result, list) else [result]
        for child in children:
            if not isinstance(child, Task):
                raise TypeError(
                    f"stage {stage.name!r} returned {type(child).__name__} for task {parent.task_id!r}; "
                    "expected a Task, a list of Tasks, or None"
                )
        return children

    @staticmethod
    def _inherit(child: Task[Any], parent: Task[Any], task_id: str) -> None:
        if child is not parent:
            # Fresh containers: children made with dataclasses.replace share the parent's.
            child._stage_perf = list(child._stage_perf or parent._stage_perf)
            child._metadata = {**parent._metadata, **child._metadata}
            if not child.dataset_name:
                child.dataset_name = parent.dataset_name
        child.task_id = task_id

    def _fail(self, index: int, stage: ProcessingStage[Any, Any], task: Task[Any], exc: Exception) -> TaskFailure:
        import traceback

        failure = TaskFailure(
            stage=stage.name,
            task_id=task.task_id,
            error=f"{type(exc).__name__}: {exc}",
            traceback="".join(traceback.format_exception(exc)),
        )
        if self._ignore[index]:
            return failure
        raise StageFailedError(
            f"stage {stage.name!r} failed on task {task.task_id!r}: {failure.error}",
            stage=stage.name,
            task_id=task.task_id,
            cause_repr=failure.traceback,
        ) from exc
