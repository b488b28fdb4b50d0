"""Stages for these tests (shipped to Ray workers by value: see test_cluster.py)."""

from __future__ import annotations

import os
import signal
import time

from curator_core.stages.base import ProcessingStage
from curator_core.testing.canonical import LifecycleRecorder, NumberBatch
from curator_core.workers import WorkerMetadata


class KillOnce(ProcessingStage[NumberBatch, NumberBatch]):
    """Kills its own worker process (SIGKILL) the first time it meets ``value``; setup makes it an actor."""

    name = "kill_once"

    def __init__(self, marker: str, value: int) -> None:
        self.marker = marker
        self.value = value

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        self.pid = os.getpid()

    def process(self, task: NumberBatch) -> NumberBatch:
        if self.value in task.data and not os.path.exists(self.marker):
            with open(self.marker, "w", encoding="utf-8") as handle:
                handle.write(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return task.derive([x + 1000 for x in task.data])


class SlowTeardownRecorder(LifecycleRecorder):
    """A recorder whose teardown takes a while (a model to free, a buffer to flush) before it records."""

    name = "slow_teardown_recorder"
    batch_size = 1

    def teardown(self) -> None:
        time.sleep(1.0)
        super().teardown()
