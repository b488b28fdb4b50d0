"""A stage's workers as Ray actors that this executor starts, feeds and tears down itself.

Ray Data's own actor pools do not give the lifecycle we promise (measured on ray 2.60: a pool
scaling up after the last batch set up a worker that was never torn down, and a failed run
tore down none), so both executors run their actors themselves. A dead actor is restarted
by Ray and its call retried (``max_task_retries``), which runs ``setup`` again in the new
process.
"""

from __future__ import annotations

import logging
from typing import Any

import pyarrow as pa
import ray

from curator_core.errors import StageFailedError, WorkerLostError
from curator_core.executors.adapter import StageCounts, StageOutcome, TaskFailure
from curator_core.report import RunStats
from curator_core.stages.base import ProcessingStage
from curator_executor_raydata.rows import Report, decode, encode
from curator_executor_raydata.worker import StageWorker

__all__ = ["Balancer", "WorkerPool", "forward_rows", "record_report"]

logger = logging.getLogger(__name__)


class WorkerPool:
    """``size`` actors of one stage, spread over the cluster's nodes."""

    def __init__(
        self,
        stage: ProcessingStage[Any, Any],
        run_key: str,
        size: int,
        options: dict[str, Any],
        *,
        ignore_failures: bool,
        max_attempts: int,
    ) -> None:
        self.stage = stage
        self.max_attempts = max_attempts
        actor_class = ray.remote(StageWorker).options(
            **options,
            max_restarts=-1,
            max_task_retries=max_attempts - 1,
            scheduling_strategy="SPREAD",
        )
        self.worker_ids = [f"{stage.name}-{k}" for k in range(size)]
        self.actors = [actor_class.remote(stage, ignore_failures, run_key, wid) for wid in self.worker_ids]
        self.nodes: list[str] = []

    def wait_ready(self) -> None:
        """Wait for every worker's setup; a setup error stops the run like the local executor's."""
        results = ray.get([actor.ready.remote() for actor in self.actors])
        self.nodes = [node for node, _ in results]
        for worker_id, (_, error) in zip(self.worker_ids, results):
            if error is not None:
                raise StageFailedError(
                    f"stage {self.stage.name!r} failed in setup on worker {worker_id}: {error.splitlines()[0]}",
                    stage=self.stage.name,
                    task_id="",
                    cause_repr=error,
                )

    def teardown(self) -> None:
        """Tear every live worker down (each once), then end the actors."""
        for worker_id, ref in zip(self.worker_ids, [actor.teardown.remote() for actor in self.actors]):
            try:
                ray.get(ref)
            except Exception as exc:  # one worker's teardown must not skip the others'
                logger.warning("stage %r: teardown failed on worker %s: %s", self.stage.name, worker_id, exc)
        for actor in self.actors:
            ray.kill(actor, no_restart=True)

    def lost(self, table: pa.Table, exc: BaseException) -> WorkerLostError:
        """The error for a call whose worker died more often than the attempt limit allows."""
        return lost_error(self.stage.name, table, self.max_attempts, exc)


def lost_error(stage: str, table: pa.Table, attempts: int, exc: BaseException) -> WorkerLostError:
    tasks, _, _ = decode(table)
    task_id = tasks[0].task_id if tasks else ""
    return WorkerLostError(
        f"stage {stage!r}: a worker died on task {task_id!r} {attempts} times; giving up ({type(exc).__name__})",
        stage=stage,
        task_id=task_id,
        attempts=attempts,
    )


@ray.remote(num_cpus=0)
class Balancer:
    """Hands Ray Data's calls to the least busy actor of a pool."""

    def __init__(self, size: int) -> None:
        self.load = [0] * size

    def acquire(self) -> int:
        index = min(range(len(self.load)), key=self.load.__getitem__)
        self.load[index] += 1
        return index

    def release(self, index: int) -> None:
        self.load[index] -= 1


def forward_rows(table: pa.Table, actors: list[Any], balancer: Any, stage: str, attempts: int) -> pa.Table:
    """A Ray Data task that hands a block to one of the stage's actors and returns its rows."""
    if table.column("task").null_count == table.num_rows:
        return table  # only report rows: nothing for the stage to do
    index = ray.get(balancer.acquire.remote())
    try:
        result: pa.Table = ray.get(actors[index].run.remote(table))
        return result
    except ray.exceptions.RayActorError as exc:
        return encode(reports=[Report(error=lost_error(stage, table, attempts, exc))])
    finally:
        balancer.release.remote(index)


def record_report(stats: RunStats, report: Report) -> None:
    """Feed a worker's report to the run stats; a fatal error is counted as the local executor does."""
    stats.record(report.outcome)
    error = report.error
    if isinstance(error, StageFailedError):
        stats.record(
            StageOutcome(
                outputs=[],
                failures=[TaskFailure(error.stage, error.task_id, str(error), error.cause_repr)],
                counts=[StageCounts(error.stage, tasks_in=1, failed=1)],
            )
        )
