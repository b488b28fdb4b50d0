"""``ray_actor_pool``'s workers (Ray actors it starts, feeds and tears down itself) and the
bookkeeping both executors share: reports for lost workers, and recording reports and teardowns.

A dead actor is restarted by Ray and its call retried (``max_task_retries``), which runs
``setup`` again in the new process.
"""

from __future__ import annotations

import logging
from typing import Any

import pyarrow as pa
import ray

from curator_core.errors import StageFailedError
from curator_core.executors.adapter import StageCounts, StageOutcome
from curator_core.executors.rules import StageRules, TaskFailure, worker_lost
from curator_core.report import RunStats
from curator_core.stages.base import ProcessingStage
from curator_executor_raydata.rows import Report, concat, decode, encode
from curator_executor_raydata.worker import StageWorker

__all__ = ["WorkerPool", "lost_report", "lost_rows", "record_report", "record_teardown"]

logger = logging.getLogger(__name__)


class WorkerPool:
    """``size`` actors of one stage, spread over the cluster's nodes."""

    def __init__(
        self,
        stage: ProcessingStage[Any, Any],
        rule: StageRules,
        run_key: str,
        size: int,
        options: dict[str, Any],
        *,
        ignore_failures: bool,
    ) -> None:
        self.stage = stage
        self.rule = rule
        actor_class = ray.remote(StageWorker).options(
            **options,
            max_restarts=-1,
            max_task_retries=rule.max_attempts - 1,
            scheduling_strategy="SPREAD",
        )
        self.worker_ids = [f"{stage.name}-{k}" for k in range(size)]
        self.actors = [actor_class.remote(stage, ignore_failures, run_key, wid) for wid in self.worker_ids]
        self.nodes: list[str] = []

    def wait_ready(self) -> None:
        """Wait for every worker's setup; a setup error stops the run like the local executor's."""
        results = ray.get([actor.ready.remote() for actor in self.actors])
        self.nodes = [node for node, _ in results]
        for _, error in results:
            if error is not None:
                raise error

    def teardown(self, stats: RunStats) -> StageFailedError | None:
        """Tear every live worker down (each once), then end the actors.

        Teardown failures are recorded in ``stats``; the first error under the fail-fast policy
        is returned for the driver to raise unless the run already fails. Never silent.
        """
        first: StageFailedError | None = None
        for worker_id, ref in zip(self.worker_ids, [actor.teardown.remote() for actor in self.actors]):
            try:
                failures, error = ray.get(ref)
            except ray.exceptions.RayError as exc:  # the worker is gone: nothing left to tear down
                logger.warning("stage %r: worker %s ended before its teardown: %s", self.stage.name, worker_id, exc)
                continue
            first = first or record_teardown(stats, failures, error)
        for actor in self.actors:
            ray.kill(actor, no_restart=True)
        return first


def lost_report(rule: StageRules, task_ids: list[str], detail: str) -> Report:
    """The report for tasks whose worker died ``max_attempts`` times, by the stage's failure policy.

    Under ``ignore_failures`` each task is dropped and recorded (one failed task in); otherwise
    the report carries the ``WorkerLostError`` that stops the run.
    """
    report = Report()
    for task_id in task_ids:
        error = worker_lost(rule.name, task_id, rule.max_attempts, detail)
        report.add(
            StageOutcome(
                outputs=[],
                failures=[TaskFailure(rule.name, task_id, str(error))],
                counts=[StageCounts(rule.members[0], tasks_in=1, failed=1)],
            )
        )
        if not all(rule.ignore_failures):
            report.lost = (rule.name, task_id, rule.max_attempts, detail)
            break
    return report


def lost_rows(rule: StageRules, table: pa.Table, exc: BaseException) -> pa.Table:
    """Report rows for a block whose worker died ``max_attempts`` times (see :func:`lost_report`)."""
    tasks, _, passed = decode(table)
    report = lost_report(rule, [task.task_id for task in tasks], type(exc).__name__)
    return concat([passed, encode(reports=[report])])


def record_teardown(
    stats: RunStats, failures: list[TaskFailure], error: StageFailedError | None
) -> StageFailedError | None:
    """Record one worker's teardown in ``stats``; its error, for the driver to raise unless the run fails."""
    if error is not None:
        failures = [TaskFailure(error.stage, "", str(error), error.cause_repr)]
    if failures:
        stats.record(StageOutcome(outputs=[], failures=list(failures)))
    return error


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
