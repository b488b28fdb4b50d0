"""One Xenna run: build the Xenna pipeline, run it, bring counts home, tear down what is left."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import ray
from cosmos_xenna.pipelines import v1 as xenna
from ray.exceptions import RayTaskError

from curator_core.errors import ExecutorError
from curator_core.executors.adapter import StageOutcome
from curator_core.executors.ray_session import environment
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import Task
from curator_executor_xenna.fitting import FittedPlan
from curator_executor_xenna.stage import StageFailure, make_xenna_stage
from curator_executor_xenna.stats import Snapshot, StatsCollector

if TYPE_CHECKING:
    from curator_executor_xenna.executor import XennaExecutor

__all__ = ["XennaRun", "engine_logging", "pipeline_config", "verbose"]

log = logging.getLogger("curator_executor_xenna")

_SHUTDOWN_TIMEOUT_S = 60.0


def verbose(config: dict[str, Any]) -> bool:
    """Engine logging wanted: config ``verbose``, or DEBUG on our or the core's logger (``curator run --verbose``)."""
    if config.get("verbose") or os.environ.get("CURATOR_VERBOSE") == "1":
        return True
    loggers = ("curator_executor_xenna", "curator_core")
    return any(logging.getLogger(name).isEnabledFor(logging.DEBUG) for name in loggers)


@contextlib.contextmanager
def engine_logging(loud: bool) -> Iterator[None]:
    """Xenna's own logging (loguru, driver and workers) for one run: warnings only unless ``loud``.

    Xenna reads ``PYTHON_LOG`` (and forwards it to its workers' runtime env); a value the user
    set is left alone. Otherwise it is set for the run and the driver's loguru reconfigured,
    then both are restored: an ordinary run printed about 120 lines of Xenna INFO logging.
    """
    if "PYTHON_LOG" in os.environ:
        yield
        return
    from cosmos_xenna.utils import python_log

    try:
        with environment(PYTHON_LOG="info" if loud else "warning"):
            python_log.reload_from_env()
            yield
    finally:
        python_log.reload_from_env()


def pipeline_config(config: dict[str, Any]) -> xenna.PipelineConfig:
    """Xenna's PipelineConfig from the executor's config keys.

    Xenna's own ``ignore_failures`` stays off: the adapter applies the failure policy per task
    and reports what it dropped, whereas Xenna would drop a whole batch without a count.
    Status tables (every ``logging_interval``) and the chattier logs only when :func:`verbose`.
    """
    chatty = xenna.VerbosityLevel.INFO if verbose(config) else xenna.VerbosityLevel.NONE
    streaming = config["execution_mode"] == "streaming"
    return xenna.PipelineConfig(
        execution_mode=xenna.ExecutionMode.STREAMING if streaming else xenna.ExecutionMode.BATCH,
        logging_interval_s=float(config["logging_interval"]),
        ignore_failures=False,
        cpu_allocation_percentage=float(config["cpu_allocation_percentage"]),
        return_last_stage_outputs=True,
        mode_specific=xenna.StreamingSpecificSpec(
            autoscale_interval_s=float(config["autoscale_interval_s"]),
            autoscaler_verbosity_level=chatty,
            executor_verbosity_level=chatty,
        )
        if streaming
        else None,
        actor_pool_verbosity_level=chatty,
        monitoring_verbosity_level=xenna.VerbosityLevel.INFO,
        log_worker_allocation_layout=False,
    )


class XennaRun:
    """Runs ``stages`` (fitted as ``plan``) over tasks and feeds ``executor.stats``."""

    def __init__(self, executor: XennaExecutor, stages: list[ProcessingStage[Any, Any]], plan: FittedPlan) -> None:
        self.executor = executor
        self.stages = stages
        self.plan = plan

    def go(self, tasks: list[Task[Any]]) -> list[Task[Any]]:
        """Run the pipeline.

        One slot per worker (config ``slots_per_actor``, default 1) keeps a worker's death to
        its own task: Xenna requeues every task queued on a dead worker and charges each one an
        attempt, so with Xenna's default of 2 slots an innocent task queued behind one that
        kills its worker used up its ``max_attempts`` too and was dropped. The second slot only
        prefetches the next input (a worker processes one batch at a time), which is worth
        something for tiny tasks alone; raise it, or ``batch_size``, for those.
        """
        collector = StatsCollector.remote()  # type: ignore[attr-defined]
        specs = [
            xenna.StageSpec(
                make_xenna_stage(
                    stage,
                    index,
                    cpus=fitted.cpus,
                    gpus=fitted.gpus,
                    ignore_failures=self.executor.ignore_failures,
                    collector=collector,
                ),
                num_workers=fitted.workers,
                slots_per_actor=int(self.executor.config["slots_per_actor"]),
            )
            for index, (stage, fitted) in enumerate(zip(self.stages, self.plan.stages, strict=True))
        ]
        spec = xenna.PipelineSpec(input_data=tasks, stages=specs, config=pipeline_config(self.executor.config))
        error: BaseException | None = None
        outputs: list[Task[Any]] = []
        started = time.perf_counter()
        try:
            with engine_logging(verbose(self.executor.config)), _attempts(int(self.executor.config["max_attempts"])):
                outputs = list(xenna.run_pipeline(spec) or [])
        except Exception as exc:
            error = exc
        finally:
            snapshot: Snapshot = ray.get(collector.collect.remote())
            _stop_leftover_workers(snapshot)
            ray.kill(collector)
            log.debug("xenna: pipeline ran in %.2f s", time.perf_counter() - started)
        for record in snapshot.records:
            self.executor.stats.record(StageOutcome(outputs=[], failures=record.failures, counts=record.counts))
        if snapshot.teardown_failures:
            self.executor.stats.record(StageOutcome(outputs=[], failures=snapshot.teardown_failures))
        if error is not None:
            raise self._unwrap(error)
        self._check_nothing_lost(tasks, outputs, snapshot)
        if snapshot.teardown_error is not None:
            raise snapshot.teardown_error
        return outputs

    def _unwrap(self, error: BaseException) -> BaseException:
        failure = _find_stage_failure(error)
        if failure is None:
            wrapped = ExecutorError(f"Xenna pipeline failed: {type(error).__name__}: {error}")
            wrapped.__cause__ = error
            return wrapped
        found = failure.error
        if found.task_id:
            self.executor.record_failure(found.stage, found.task_id, str(found), found.cause_repr)
        found.__cause__ = failure.cause
        return found

    def _check_nothing_lost(self, tasks: list[Task[Any]], outputs: list[Task[Any]], snapshot: Snapshot) -> None:
        """Xenna drops a task silently after ``max_attempts`` worker deaths: compare ids in and out of each stage.

        A task processed by a worker that then died (another task in its slots killed it) has a
        record but no output; for the last stage that shows only against the run's outputs.
        """
        expected = Counter(task.task_id for task in tasks)
        rules = self.executor.rules(self.stages)
        records: list[Any] = []
        for index, stage in enumerate(self.stages):
            records = [r for r in snapshot.records if r.stage_index == index]
            seen = Counter(task_id for r in records for task_id in r.input_ids)
            missing = expected - seen
            if missing:
                rule = rules[index]
                self.executor.lost_tasks(stage.name, rule.members[0], missing, all(rule.ignore_failures))
            expected = Counter(task_id for r in records for task_id in r.output_ids)
        vanished = set(expected - Counter(task.task_id for task in outputs))
        if vanished and self.stages:
            parents = Counter(
                {
                    parent
                    for r in records
                    for parent in r.input_ids
                    if any(out == parent or out.startswith(f"{parent}.") for out in r.output_ids if out in vanished)
                }
            )
            rule = rules[len(self.stages) - 1]
            self.executor.lost_tasks(rule.name, rule.members[0], parents, all(rule.ignore_failures))


@contextlib.contextmanager
def _attempts(max_attempts: int) -> Iterator[None]:
    """Xenna 0.5 retries a task whose actor died a fixed 3 times: make it ``max_attempts`` in all.

    Its actor pool (in this driver process) reads two module constants, set for the run and
    then restored: the per-task retry cap, and how many deaths in a row (without a task done in
    between) abandon a worker. The second must stay above the first (Xenna asserts it at
    import); Xenna keeps it one above, which abandons the worker on the very death that drops a
    poison task: with one worker (and one slot each) the tasks still queued behind it are then
    stranded and the run fails ("abandoned worker group ... leaving 1 queued task(s)"). Two
    above lets the replacement worker take the queue; a worker that keeps dying without
    finishing anything is still abandoned after ``max_attempts + 1`` deaths.
    """
    from cosmos_xenna.ray_utils import actor_pool

    names = ("_MAX_ACTOR_DEATH_RETRIES", "_MAX_CONSECUTIVE_WG_DEATHS")
    saved = {name: getattr(actor_pool, name, None) for name in names}
    if None in saved.values():  # another Xenna version: keep its own limit
        yield
        return
    actor_pool._MAX_ACTOR_DEATH_RETRIES = max_attempts - 1
    actor_pool._MAX_CONSECUTIVE_WG_DEATHS = max_attempts + 1
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(actor_pool, name, value)


def _find_stage_failure(error: BaseException) -> StageFailure | None:
    """The StageFailure behind Xenna's RuntimeError / Ray's RayTaskError, if any."""
    stack: list[BaseException | None] = [error]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, RayTaskError):
            stack.append(getattr(current, "cause", None))
        elif isinstance(current, StageFailure):
            return current
        stack.extend([current.__cause__, current.__context__])
    return None


def _stop_leftover_workers(snapshot: Snapshot) -> None:
    """Tear down every worker Xenna left standing (batch mode does not stop pools after a failure).

    ``StageWorker.shutdown`` is Xenna's own graceful path: it calls the stage's ``destroy``,
    which is our teardown. Then the actor is killed so that it holds no resources.
    """
    leftovers = {wid: handle for wid, handle in snapshot.workers.items() if wid not in snapshot.torn_down}
    if not leftovers:
        return
    refs = {wid: handle.shutdown.remote(0.0) for wid, handle in leftovers.items()}
    ray.wait(list(refs.values()), num_returns=len(refs), timeout=_SHUTDOWN_TIMEOUT_S)
    for wid, handle in leftovers.items():
        try:
            ray.get(refs[wid], timeout=0)
        except Exception as exc:
            log.debug("worker %s could not be shut down: %s", wid, exc)
        ray.kill(handle)
