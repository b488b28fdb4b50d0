"""The stage a checkpointed run inserts right after its source: drop partitions already done."""

from __future__ import annotations

from typing import Any

from curator_core.stages.base import ProcessingStage
from curator_core.tasks import Task

__all__ = ["SkipDonePartitionsStage"]


class SkipDonePartitionsStage(ProcessingStage[Task[Any], Task[Any]]):
    """Filters out tasks whose id is a partition the checkpoint records as done."""

    name = "checkpoint_skip"

    def __init__(self, done: frozenset[str], like: ProcessingStage[Any, Any] | None = None) -> None:
        self.done = done
        # Take the next stage's shape so the two fuse: skipping costs no extra hop.
        self._workers = like.num_workers() if like is not None else None
        if like is not None:
            self.resources = like.resources
            self.batch_size = like.batch_size

    def num_workers(self) -> int | None:
        return self._workers

    def process(self, task: Task[Any]) -> Task[Any] | None:
        if task.task_id in self.done:
            self.record_metric("partitions_skipped", 1)
            return None
        return task
