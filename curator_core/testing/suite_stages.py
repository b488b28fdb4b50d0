"""Stages the executor conformance suite runs to probe an executor's edge cases.

They live in an importable module so that every executor can ship them to its workers, and they
record what they see as files, because executors may stop or kill their workers.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from typing import Any

from curator_core.resources import Resources
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask
from curator_core.testing.canonical import NumberBatch
from curator_core.workers import NodeInfo, WorkerMetadata

__all__ = [
    "BatchRecorder",
    "DeviceProbe",
    "FailsInSetup",
    "HookedIdentity",
    "HookedSource",
    "Identity",
    "KillWorkerOn",
    "ReturnsNonTask",
    "TeardownFails",
    "Unpicklable",
    "record",
    "records",
]


def record(directory: str, kind: str, **fields: Any) -> None:
    """Write one event as its own file (atomic rename: readers never see half a record)."""
    event = {"kind": kind, "pid": os.getpid(), "time": time.time(), **fields}
    name = f"{kind}-{uuid.uuid4().hex}"
    tmp = os.path.join(directory, f".{name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(event, handle)
    os.replace(tmp, os.path.join(directory, f"{name}.json"))


def records(directory: str, kind: str | None = None) -> list[dict[str, Any]]:
    """Events in ``directory`` (of one ``kind`` when given), oldest first."""
    found = []
    for name in os.listdir(directory):
        if name.endswith(".json") and (kind is None or name.startswith(f"{kind}-")):
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                found.append(json.load(handle))
    return sorted(found, key=lambda e: e["time"])


class Identity(ProcessingStage[NumberBatch, NumberBatch]):
    """Passes tasks through unchanged."""

    name = "identity"

    def process(self, task: NumberBatch) -> NumberBatch:
        return task


class BatchRecorder(ProcessingStage[NumberBatch, NumberBatch]):
    """Vectorised stage that records the size of every call it gets."""

    name = "batch_recorder"

    def __init__(self, directory: str, batch_size: int = 4) -> None:
        self.directory = directory
        self.batch_size = batch_size

    def process(self, task: NumberBatch) -> NumberBatch:
        return self.process_batch([task])[0]

    def process_batch(self, tasks: list[NumberBatch]) -> list[NumberBatch]:  # type: ignore[override]
        record(self.directory, "batch", size=len(tasks), ids=[t.task_id for t in tasks])
        return tasks


class ReturnsNonTask(ProcessingStage[NumberBatch, NumberBatch]):
    """Returns a plain dict (not a Task) for the task holding ``value``."""

    name = "returns_non_task"

    def __init__(self, value: int) -> None:
        self.value = value

    def process(self, task: NumberBatch) -> Any:
        return {"data": task.data} if self.value in task.data else task


class Unpicklable(ProcessingStage[NumberBatch, NumberBatch]):
    """Returns a task that cannot be pickled (it holds a lock) for the task holding ``value``."""

    name = "unpicklable"

    def __init__(self, value: int) -> None:
        self.value = value

    def process(self, task: NumberBatch) -> NumberBatch:
        if self.value in task.data:
            out: NumberBatch = task.derive(list(task.data))
            out._metadata["lock"] = threading.Lock()
            return out
        return task


class KillWorkerOn(ProcessingStage[NumberBatch, NumberBatch]):
    """Kills its own worker process on the task holding ``value``: the first ``times`` times, or always."""

    name = "kill_worker_on"

    def __init__(self, value: int, directory: str, times: int | None = None) -> None:
        self.value = value
        self.directory = directory
        self.times = times

    def process(self, task: NumberBatch) -> NumberBatch:
        if self.value in task.data and (self.times is None or len(records(self.directory, "kill")) < self.times):
            record(self.directory, "kill", task=task.task_id)
            os._exit(17)
        return task


class FailsInSetup(ProcessingStage[NumberBatch, NumberBatch]):
    """Raises in ``setup``, as a stage whose model is missing would."""

    name = "fails_in_setup"

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        raise FileNotFoundError("no model here")

    def process(self, task: NumberBatch) -> NumberBatch:
        return task


class TeardownFails(ProcessingStage[NumberBatch, NumberBatch]):
    """Raises in ``teardown``: a stage that flushes there would lose data."""

    name = "teardown_fails"

    def process(self, task: NumberBatch) -> NumberBatch:
        return task

    def teardown(self) -> None:
        raise OSError("could not flush the buffer")


class _Hooks:
    directory: str
    label: str
    token: str = ""

    def setup_on_node(self, node_info: NodeInfo | None = None, worker_metadata: WorkerMetadata | None = None) -> None:
        record(self.directory, "setup_on_node", label=self.label, node=node_info.node_id if node_info else "")

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        self.token = uuid.uuid4().hex
        record(self.directory, "setup", label=self.label, worker=self.token)

    def teardown(self) -> None:
        record(self.directory, "teardown", label=self.label, worker=self.token)


class HookedSource(_Hooks, ProcessingStage[EmptyTask, NumberBatch]):
    """A source with every lifecycle hook, emitting ``n_tasks`` batches of ``per_task`` integers."""

    name = "hooked_source"

    def __init__(self, directory: str, n_tasks: int = 4, per_task: int = 2) -> None:
        self.directory = directory
        self.label = self.name
        self.n_tasks = n_tasks
        self.per_task = per_task

    def process(self, task: EmptyTask) -> list[NumberBatch]:
        record(self.directory, "process", label=self.label, worker=self.token)
        return [
            NumberBatch(task_id="", dataset_name="numbers", data=list(range(i * n, (i + 1) * n)))
            for i, n in ((i, self.per_task) for i in range(self.n_tasks))
        ]


class HookedIdentity(_Hooks, ProcessingStage[NumberBatch, NumberBatch]):
    """Passes tasks through, recording every lifecycle call under its ``label``."""

    name = "hooked_identity"

    def __init__(self, directory: str, label: str = "hooked_identity") -> None:
        self.directory = directory
        self.label = label
        self.name = label

    def process(self, task: NumberBatch) -> NumberBatch:
        record(self.directory, "process", label=self.label, worker=self.token)
        return task


class DeviceProbe(ProcessingStage[NumberBatch, NumberBatch]):
    """Records the ``CUDA_VISIBLE_DEVICES`` its worker saw, and when the worker lived."""

    name = "device_probe"

    def __init__(self, directory: str, label: str, resources: Resources, hold_s: float = 0.0) -> None:
        self.directory = directory
        self.label = label
        self.name = label
        self.resources = resources
        self.hold_s = hold_s
        self.token = ""
        self.devices: str | None = None

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        self.token = uuid.uuid4().hex
        self.devices = os.environ.get("CUDA_VISIBLE_DEVICES")
        allocation = worker_metadata.allocation if worker_metadata else None
        record(self.directory, "gpu_setup", label=self.label, worker=self.token, devices=self.devices, alloc=allocation)

    def process(self, task: NumberBatch) -> NumberBatch:
        time.sleep(self.hold_s)
        return task

    def teardown(self) -> None:
        record(self.directory, "gpu_teardown", label=self.label, worker=self.token, devices=self.devices)
