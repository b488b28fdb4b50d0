"""One Xenna run: build the Xenna pipeline, run it, bring counts home, tear down what is left."""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

import ray
from cosmos_xenna.pipelines import v1 as xenna
from ray.exceptions import RayTaskError

from curator_core.errors import ExecutorError
from curator_core.executors.adapter import StageOutcome
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import Task
from curator_executor_xenna.fitting import FittedPlan
from curator_executor_xenna.stage import StageFailure, make_xenna_stage
from curator_executor_xenna.stats import Snapshot, StatsCollector

if TYPE_CHECKING:
    from curator_executor_xenna.executor import XennaExecutor

__all__ = ["XennaRun", "pipeline_config"]

log = logging.getLogger("curator_executor_xenna")

_SHUTDOWN_TIMEOUT_S = 60.0


def pipeline_config(config: dict[str, Any]) -> xenna.PipelineConfig:
    """Xenna's PipelineConfig from the executor's config keys.

    Xenna's own ``ignore_failures`` stays off: the adapter applies the failure policy per task
    and reports what it dropped, whereas Xenna would drop a whole batch without a count.
    Status tables follow ``logging_interval``; the chattier logs only at DEBUG on our logger.
    """
    chatty = xenna.VerbosityLevel.INFO if log.isEnabledFor(logging.DEBUG) else xenna.VerbosityLevel.NONE
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
            )
            for index, (stage, fitted) in enumerate(zip(self.stages, self.plan.stages, strict=True))
        ]
        spec = xenna.PipelineSpec(input_data=tasks, stages=specs, config=pipeline_config(self.executor.config))
        error: BaseException | None = None
        outputs: list[Task[Any]] = []
        started = time.perf_counter()
        try:
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
        if error is not None:
            raise self._unwrap(error)
        self._check_nothing_lost(tasks, snapshot)
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

    def _check_nothing_lost(self, tasks: list[Task[Any]], snapshot: Snapshot) -> None:
        """Xenna drops a task silently after 3 worker deaths: compare ids in and out of each stage."""
        expected = Counter(task.task_id for task in tasks)
        for index, stage in enumerate(self.stages):
            records = [r for r in snapshot.records if r.stage_index == index]
            seen = Counter(task_id for r in records for task_id in r.input_ids)
            missing = expected - seen
            if missing:
                raise self.executor.lost_tasks_error(stage.name, missing)
            expected = Counter(task_id for r in records for task_id in r.output_ids)


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
