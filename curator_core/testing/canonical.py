"""The canonical pipeline every executor must run exactly like the local executor.

Stages live in an importable module so that any executor can ship them to its workers.
Lifecycle events are recorded as files, outside the workers, because executors may stop them.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from typing import Any

from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task
from curator_core.workers import NodeInfo, WorkerMetadata

__all__ = [
    "DropMultiples",
    "Explode",
    "FailOn",
    "LifecycleRecorder",
    "NumberBatch",
    "RangeSource",
    "read_events",
]


@dataclass
class NumberBatch(Task[list[int]]):
    """A batch of integers."""

    @property
    def num_items(self) -> int:
        return len(self.data)

    def validate(self) -> bool:
        return all(isinstance(x, int) for x in self.data)

    def content_key(self) -> str | None:
        return ",".join(map(str, self.data))


class RangeSource(ProcessingStage[EmptyTask, NumberBatch]):
    """Source: ``n_tasks`` batches of ``per_task`` consecutive integers."""

    name = "range_source"

    def __init__(self, n_tasks: int = 6, per_task: int = 4) -> None:
        self.n_tasks = n_tasks
        self.per_task = per_task

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def process(self, task: EmptyTask) -> list[NumberBatch]:
        return [
            NumberBatch(
                task_id="", dataset_name="numbers", data=list(range(i * self.per_task, (i + 1) * self.per_task))
            )
            for i in range(self.n_tasks)
        ]


class Explode(ProcessingStage[NumberBatch, NumberBatch]):
    """Fan-out: one task per integer."""

    name = "explode"
    allow_fusion = False

    def process(self, task: NumberBatch) -> list[NumberBatch]:
        return [task.derive([x]) for x in task.data]


class DropMultiples(ProcessingStage[NumberBatch, NumberBatch]):
    """Filter: drop tasks whose first integer is a multiple of ``k`` (returns None)."""

    name = "drop_multiples"

    def __init__(self, k: int = 3) -> None:
        self.k = k

    def process(self, task: NumberBatch) -> NumberBatch | None:
        return None if task.data[0] % self.k == 0 else task


class FailOn(ProcessingStage[NumberBatch, NumberBatch]):
    """Raise on the task holding ``value`` (None: never)."""

    name = "fail_on"

    def __init__(self, value: int | None = None) -> None:
        self.value = value

    def process(self, task: NumberBatch) -> NumberBatch:
        if self.value is not None and self.value in task.data:
            raise ValueError(f"refusing to process {self.value}")
        return task


class LifecycleRecorder(ProcessingStage[NumberBatch, NumberBatch]):
    """Squares integers and records every lifecycle call as a file in ``directory``."""

    name = "lifecycle_recorder"
    batch_size = 2

    def __init__(self, directory: str, label: str = "recorder") -> None:
        self.directory = directory
        self.label = label
        self.token = ""

    def _record(self, event: str, **extra: Any) -> None:
        record = {"event": event, "label": self.label, "pid": os.getpid(), "worker": self.token, "time": time.time()}
        record.update(extra)
        path = os.path.join(self.directory, f"{event}-{uuid.uuid4().hex}.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(record, handle)

    def setup_on_node(self, node_info: NodeInfo | None = None, worker_metadata: WorkerMetadata | None = None) -> None:
        self._record("setup_on_node", node=node_info.node_id if node_info else "")

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        self.token = uuid.uuid4().hex
        self._record("setup")

    def process(self, task: NumberBatch) -> NumberBatch:
        self._record("process", task=task.task_id)
        self.record_metric("squared", len(task.data))
        return task.derive([x * x for x in task.data])

    def teardown(self) -> None:
        self._record("teardown")


def read_events(directory: str) -> list[dict[str, Any]]:
    """Every lifecycle record in ``directory``, oldest first."""
    events = []
    for name in os.listdir(directory):
        if name.endswith(".json"):
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                events.append(json.load(handle))
    return sorted(events, key=lambda e: e["time"])
