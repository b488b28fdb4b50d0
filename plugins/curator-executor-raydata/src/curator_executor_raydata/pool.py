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

from curator_core.errors import StageFailedError
from curator_core.executors.adapter import StageCounts, StageOutcome
from curator_core.executors.rules import StageRules, TaskFailure, worker_lost
from curator_core.report import RunStats
from curator_core.stages.base import ProcessingStage
from curator_executor_raydata.rows import Report, concat, decode, encode
from curator_executor_raydata.worker import ReportSink, StageWorker

__all__ = ["Balancer", "ReportCollector", "WorkerPool", "forward_rows", "lost_rows", "record_report"]

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
        sink: ReportSink | None = None,
    ) -> None:
        self.stage = stage
        self.rule = rule
        self.sink = sink
        actor_class = ray.remote(StageWorker).options(
            **options,
            max_restarts=-1,
            max_task_retries=rule.max_attempts - 1,
            scheduling_strategy="SPREAD",
        )
        self.worker_ids = [f"{stage.name}-{k}" for k in range(size)]
        self.actors = [actor_class.remote(stage, ignore_failures, run_key, wid, sink) for wid in self.worker_ids]
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
            if error is not None:
                failures = [TaskFailure(error.stage, "", str(error), error.cause_repr)]
                first = first or error
            if failures:
                stats.record(StageOutcome(outputs=[], failures=list(failures)))
        for actor in self.actors:
            ray.kill(actor, no_restart=True)
        return first


def lost_rows(rule: StageRules, table: pa.Table, exc: BaseException, sink: ReportSink | None = None) -> pa.Table:
    """Report rows for a block whose worker died ``max_attempts`` times, by the stage's failure policy.

    Under ``ignore_failures`` each task of the block is dropped and recorded (one failed task in);
    otherwise the report carries the ``WorkerLostError`` that stops the run.
    """
    tasks, _, passed = decode(table)
    detail = type(exc).__name__
    report = Report()
    for task in tasks:
        error = worker_lost(rule.name, task.task_id, rule.max_attempts, detail)
        report.add(
            StageOutcome(
                outputs=[],
                failures=[TaskFailure(rule.name, task.task_id, str(error))],
                counts=[StageCounts(rule.members[0], tasks_in=1, failed=1)],
            )
        )
        if not all(rule.ignore_failures):
            report.lost = (rule.name, task.task_id, rule.max_attempts, detail)
            break
    if sink is not None and report.lost is None:
        sink.deliver([task.task_id for task in tasks], report)
        return passed
    return concat([passed, encode(reports=[report])])


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


def forward_rows(
    table: pa.Table, actors: list[Any], balancer: Any, rule: StageRules, sink: ReportSink | None = None
) -> pa.Table:
    """A Ray Data task that hands a block to one of the stage's actors and returns its rows.

    Ray restarts a dead actor and retries the call ``max_attempts - 1`` times; a block of several
    tasks that still fails is split, so that only the task that kills its worker is given up.
    """
    tasks, _, passed = decode(table)
    if not tasks:
        return table  # only report rows: nothing for the stage to do
    try:
        return _call(table, actors, balancer)
    except ray.exceptions.RayActorError as exc:
        if len(tasks) == 1:
            return lost_rows(rule, table, exc, sink)
    return concat([passed, *(forward_rows(encode([task]), actors, balancer, rule, sink) for task in tasks)])


def _call(table: pa.Table, actors: list[Any], balancer: Any) -> pa.Table:
    index = ray.get(balancer.acquire.remote())
    try:
        result: pa.Table = ray.get(actors[index].run.remote(table))
        return result
    finally:
        balancer.release.remote(index)


@ray.remote(num_cpus=0)
class ReportCollector:
    """The reports of one run's calls, one per call (see ``ReportSink``)."""

    def __init__(self) -> None:
        self.reports: dict[tuple[int, tuple[str, ...]], Report] = {}

    def put(self, key: tuple[int, tuple[str, ...]], report: Report) -> None:
        self.reports[key] = report

    def collect(self) -> list[Report]:
        return list(self.reports.values())


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
