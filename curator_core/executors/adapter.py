"""Every rule that must hold the same on every executor, written once.

An executor wraps each (fused) stage of the plan in a :class:`BaseStageAdapter` inside each
worker and calls ``setup_on_node`` / ``setup`` / ``process_batch`` / ``teardown`` on it. The
adapter times the stage, drops None results, assigns task ids, carries metadata and perf
history from input to output, collects custom metrics, and applies the failure policy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from curator_core.executors.rules import TaskFailure, stage_failed, task_failure, teardown_failed
from curator_core.perf import StagePerfStats
from curator_core.plan import FusedStage
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task, content_id
from curator_core.workers import NodeInfo, WorkerMetadata

__all__ = ["BaseStageAdapter", "StageCounts", "StageOutcome", "TaskFailure", "child_task_ids"]


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
    items_in: int = 0  # Task.num_items: documents, clips, audio entries (a task count hides filtering)
    items_out: int = 0

    def add(self, other: StageCounts) -> None:
        self.tasks_in += other.tasks_in
        self.tasks_out += other.tasks_out
        self.items_in += other.items_in
        self.items_out += other.items_out
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


def _items(tasks: list[Task[Any]]) -> int:
    """Items (rows, clips, entries) the tasks hold; a task type that cannot say counts as none."""
    total = 0
    for task in tasks:
        try:
            total += int(task.num_items)
        except Exception:
            continue
    return total


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
        # Resume: stages of a checkpointed run record, per call, which task became which children.
        self._marks = [getattr(s, "_checkpoint_mark", None) for s in self.stages]
        self._lineage: list[tuple[int, str, list[str]]] = []

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

    def teardown(self, worker_id: str = "") -> list[TaskFailure]:
        """Tear every sub-stage down, even if one raises; errors follow each stage's failure policy.

        Returns the failures recorded under ``ignore_failures``; otherwise raises the first error,
        wrapped to name the stage and worker (a stage that flushes in teardown must not lose data silently).
        """
        recorded: list[TaskFailure] = []
        first: tuple[str, Exception] | None = None
        for index, stage in enumerate(self.stages):
            try:
                stage.teardown()
            except Exception as exc:
                if self._ignore[index]:
                    message = str(teardown_failed(stage.name, worker_id, exc))
                    recorded.append(TaskFailure(stage.name, "", message, task_failure(stage.name, "", exc).traceback))
                elif first is None:
                    first = (stage.name, exc)
        if first is not None:
            raise teardown_failed(first[0], worker_id, first[1]) from first[1]
        return recorded

    # -- processing -----------------------------------------------------------------------
    def process_batch(self, tasks: list[Task[Any]]) -> StageOutcome:
        """Run the batch through the stage (or chain) and apply every rule."""
        start = time.perf_counter()
        idle = 0.0 if self._last_end is None else start - self._last_end
        outcome = StageOutcome(outputs=list(tasks))
        for index, stage in enumerate(self.stages):
            counts = StageCounts(stage.name, tasks_in=len(outcome.outputs), items_in=_items(outcome.outputs))
            outputs, failures = self._run_stage(index, stage, outcome.outputs, idle if index == 0 else 0.0, counts)
            counts.tasks_out = len(outputs)
            counts.items_out = _items(outputs)
            outcome.outputs = outputs
            outcome.failures.extend(failures)
            outcome.counts.append(counts)
            if not outputs:
                # Later sub-stages saw nothing, but the report still lists them.
                outcome.counts.extend(StageCounts(s.name) for s in self.stages[index + 1 :])
                break
        self._record_lineage()
        self._last_end = time.perf_counter()
        return outcome

    def _note_lineage(self, index: int, parent: Task[Any], child_ids: list[str]) -> None:
        mark = self._marks[index]
        if mark is not None:
            self._lineage.append((mark.position, parent.task_id, child_ids))

    def _record_lineage(self) -> None:
        """Written once per call, after every sub-stage: a record exists only for finished work."""
        if not self._lineage:
            return
        mark = next(m for m in self._marks if m is not None)
        entries, self._lineage = self._lineage, []
        mark.ledger.record(entries)

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
                try:
                    children = self._children(stage, parent, result)
                except TypeError as exc:
                    failures.append(self._fail(index, stage, parent, exc))
                    counts.failed += 1
                    continue
                if not children:
                    counts.filtered += 1
                    self._note_lineage(index, parent, [])
                    continue
                ids = child_task_ids(parent, children)
                self._note_lineage(index, parent, ids)
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
        failure = task_failure(stage.name, task.task_id, exc)
        if self._ignore[index]:
            return failure
        raise stage_failed(failure) from exc

    # -- transport ------------------------------------------------------------------------
    def sendable(self, outcome: StageOutcome, dumps: Callable[[Any], Any]) -> StageOutcome:
        """Apply the failure policy to outputs that cannot travel to the next worker (``dumps`` fails).

        Called only when the whole outcome failed to serialise: each output is tried alone, and
        one that fails is a failure of the last stage of the chain on that task.
        """
        index = len(self.stages) - 1
        stage = self.stages[index]
        kept: list[Task[Any]] = []
        for task in outcome.outputs:
            try:
                dumps(task)
            except Exception as exc:
                error = TypeError(f"its output cannot be serialised to the next worker: {type(exc).__name__}: {exc}")
                error.__cause__ = exc
                outcome.failures.append(self._fail(index, stage, task, error))
                last = outcome.counts[-1]
                last.tasks_out -= 1
                last.failed += 1
                continue
            kept.append(task)
        outcome.outputs = kept
        return outcome
