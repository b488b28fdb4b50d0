"""Stages for the Xenna tests: they record what happened as files (workers run elsewhere)."""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from typing import Any

from curator_core.resources import Resources
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import Task, with_framework_ids
from curator_core.workers import WorkerMetadata


@dataclass
class Item(Task[int]):
    """One integer."""

    @property
    def num_items(self) -> int:
        return 1

    def validate(self) -> bool:
        return True


def items(n: int) -> list[Item]:
    return [Item(task_id=f"item{i}", dataset_name="items", data=i) for i in range(n)]


def run_ids(tasks: list[Item]) -> list[str]:
    """The ids a run gives these tasks (the framework renames given tasks: unique, stable), sorted."""
    return sorted(t.task_id for t in with_framework_ids(tasks))


class Timed(ProcessingStage[Item, Item]):
    """Sleeps, then records when it started and finished each task and on which worker."""

    allow_fusion = False

    def __init__(self, name: str, directory: str, sleep_s: float = 0.0, cpus: float = 1.0, workers: int | None = None):
        self.name = name
        self.directory = directory
        self.sleep_s = sleep_s
        self.resources = Resources(cpus=cpus)
        self.workers = workers
        self.token = ""

    def num_workers(self) -> int | None:
        return self.workers

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        self.token = uuid.uuid4().hex

    def process(self, task: Item) -> Item:
        start = time.time()
        time.sleep(self.sleep_s)
        record = {"stage": self.name, "task": task.task_id, "start": start, "end": time.time(), "worker": self.token}
        with open(os.path.join(self.directory, f"{self.name}-{uuid.uuid4().hex}.json"), "w", encoding="utf-8") as f:
            json.dump(record, f)
        return task


def read_records(directory: str) -> list[dict[str, Any]]:
    out = []
    for name in os.listdir(directory):
        with open(os.path.join(directory, name), encoding="utf-8") as handle:
            out.append(json.load(handle))
    return out


class Recorded(Timed):
    """A Timed stage that also records each worker's setup."""

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        super().setup(worker_metadata)
        path = os.path.join(self.directory, f"setup-{self.token}.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"stage": "setup", "worker": self.token}, handle)


class DiesOnce(ProcessingStage[Item, Item]):
    """Kills its worker process the first time it sees the item ``victim`` (a marker file remembers)."""

    name = "dies_once"

    def __init__(self, directory: str, victim: int) -> None:
        self.directory = directory
        self.victim = victim

    def process(self, task: Item) -> Item:
        marker = os.path.join(self.directory, "died")
        if task.data == self.victim and not os.path.exists(marker):
            open(marker, "w").close()
            os._exit(1)
        return task


class Brittle(ProcessingStage[Item, Item]):
    """Fails on the item ``victim``; records each worker's setup and teardown."""

    name = "brittle"

    def __init__(self, directory: str, victim: int) -> None:
        self.directory = directory
        self.victim = victim
        self.token = ""

    def _record(self, event: str) -> None:
        with open(os.path.join(self.directory, f"{event}-{self.token}.json"), "w", encoding="utf-8") as handle:
            json.dump({"stage": event, "worker": self.token}, handle)

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        self.token = uuid.uuid4().hex
        self._record("setup")

    def process(self, task: Item) -> Item:
        if task.data == self.victim:
            raise RuntimeError(f"cannot take item {task.data}")
        return task

    def teardown(self) -> None:
        self._record("teardown")
