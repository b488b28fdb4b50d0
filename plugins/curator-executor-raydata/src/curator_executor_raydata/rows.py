"""Tasks and run bookkeeping as Arrow rows, the unit Ray Data moves between stages.

A row holds either a pickled task (``task``) or a pickled :class:`Report` (``meta``): what an
adapter call counted and dropped, or the error that stops the run. ``ray_actor_pool`` returns
reports with the rows of each call; ``ray_data`` keeps only fatal errors in the rows (so that a
stream re-blocked to a batch size holds tasks only) and sends counts to the run's ledger.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from ray import cloudpickle

from curator_core.executors.adapter import StageOutcome
from curator_core.executors.rules import worker_lost
from curator_core.tasks import Task

__all__ = ["SCHEMA", "Report", "concat", "decode", "encode", "encode_cells"]

SCHEMA = pa.schema([("task", pa.binary()), ("meta", pa.binary())])


@dataclass
class Report:
    """Counts and failures of adapter calls (``outcome`` holds no outputs), and a fatal error.

    A lost worker travels as ``worker_lost`` arguments: ``WorkerLostError`` does not unpickle.
    """

    outcome: StageOutcome = field(default_factory=lambda: StageOutcome(outputs=[]))
    error: BaseException | None = None
    lost: tuple[str, str, int, str] | None = None

    def fatal(self) -> BaseException | None:
        """The error that stops the run, if any."""
        if self.lost is not None:
            return worker_lost(*self.lost)
        return self.error

    def add(self, outcome: StageOutcome) -> None:
        self.outcome.failures.extend(outcome.failures)
        self.outcome.counts.extend(outcome.counts)


def encode(tasks: Iterable[Task[Any]] = (), reports: Iterable[Report] = ()) -> pa.Table:
    """A table with one row per task, then one per report."""
    return encode_cells([cloudpickle.dumps(task) for task in tasks], reports)


def encode_cells(pickled_tasks: Iterable[bytes], reports: Iterable[Report] = ()) -> pa.Table:
    """:func:`encode` for tasks already pickled."""
    task_cells: list[bytes | None] = list(pickled_tasks)
    meta_cells: list[bytes | None] = [None] * len(task_cells)
    for report in reports:
        task_cells.append(None)
        meta_cells.append(cloudpickle.dumps(report))
    return pa.Table.from_arrays([pa.array(task_cells, pa.binary()), pa.array(meta_cells, pa.binary())], schema=SCHEMA)


def decode(table: pa.Table) -> tuple[list[Task[Any]], list[Report], pa.Table]:
    """Tasks, reports, and the report rows as a table (to pass on unchanged downstream)."""
    tasks: list[Task[Any]] = []
    reports: list[Report] = []
    keep: list[int] = []
    for row, (task, meta) in enumerate(zip(table.column("task").to_pylist(), table.column("meta").to_pylist())):
        if task is not None:
            tasks.append(cloudpickle.loads(task))
        elif meta is not None:
            reports.append(cloudpickle.loads(meta))
            keep.append(row)
    return tasks, reports, table.take(pa.array(keep, pa.int64()))


def concat(tables: list[pa.Table]) -> pa.Table:
    """Tables with our schema as one."""
    return pa.concat_tables([t.select(SCHEMA.names).cast(SCHEMA) for t in tables]) if tables else encode()
