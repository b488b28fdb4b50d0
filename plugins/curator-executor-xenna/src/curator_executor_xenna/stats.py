"""The side channel that brings every adapter outcome back to the driver.

Xenna's samples are the tasks themselves (so that ``stage_batch_size`` counts tasks), which
leaves no room for counts and failures in a stage's output list. Each worker reports them
here instead, synchronously, before its batch's outputs leave the worker, so nothing is lost
when Xenna kills the worker right after. Workers also register their actor handle and report
their teardown, so that the driver can tear down any worker Xenna left standing after a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ray

from curator_core.errors import StageFailedError
from curator_core.executors.adapter import StageCounts, TaskFailure

__all__ = ["BatchRecord", "Snapshot", "StatsCollector"]


@dataclass
class BatchRecord:
    """One adapter call: which Xenna stage, its counts and failures, and the ids in and out."""

    stage_index: int
    counts: list[StageCounts]
    failures: list[TaskFailure]
    input_ids: list[str]
    output_ids: list[str]


@dataclass
class Snapshot:
    """Everything the collector holds at the end of a run."""

    records: list[BatchRecord] = field(default_factory=list)
    workers: dict[str, Any] = field(default_factory=dict)
    torn_down: set[str] = field(default_factory=set)
    teardown_failures: list[TaskFailure] = field(default_factory=list)
    """Teardown errors: recorded under ``ignore_failures``, else the first one fails the run."""
    teardown_error: StageFailedError | None = None


@ray.remote(num_cpus=0)
class StatsCollector:
    """A zero-CPU actor owned by the driver for one run."""

    def __init__(self) -> None:
        self.snapshot = Snapshot()

    def record(self, record: BatchRecord) -> None:
        self.snapshot.records.append(record)

    def register(self, worker_id: str, handle: Any) -> None:
        self.snapshot.workers[worker_id] = handle

    def torn_down(
        self, worker_id: str, failures: list[TaskFailure] | None = None, error: StageFailedError | None = None
    ) -> None:
        self.snapshot.torn_down.add(worker_id)
        self.snapshot.teardown_failures.extend(failures or [])
        if error is not None:
            self.snapshot.teardown_failures.append(TaskFailure(error.stage, "", str(error), error.cause_repr))
            self.snapshot.teardown_error = self.snapshot.teardown_error or error

    def collect(self) -> Snapshot:
        return self.snapshot
