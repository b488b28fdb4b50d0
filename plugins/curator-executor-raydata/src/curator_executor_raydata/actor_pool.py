"""``ray_actor_pool``: stage by stage, a pool of Ray actors per stage, all output collected between.

Each stage sees every task before the next starts, which suits all-to-all work (dedup). The
driver keeps ``calls_per_worker`` batches queued on each actor, least busy first. A stage with
no lifecycle hooks and no GPU needs no long-lived worker: its batches run as Ray tasks, which
reuse Ray's idle worker processes instead of starting new ones.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any, ClassVar

from curator_core.executors.rules import StageRules
from curator_core.executors.rules import batches as rule_batches
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import Task
from curator_executor_raydata.base import RayExecutorBase
from curator_executor_raydata.rows import decode, encode
from curator_executor_raydata.sizing import needs_actor, ray_options

__all__ = ["RayActorPoolExecutor"]


class RayActorPoolExecutor(RayExecutorBase):
    """An actor pool per stage, sized from the stage's resources and its number of batches."""

    name: ClassVar[str] = "ray_actor_pool"

    def _run(self, stages: list[ProcessingStage[Any, Any]], tasks: list[Task[Any]], run_key: str) -> list[Task[Any]]:
        rules = self._rulebook(stages)
        for index, stage in enumerate(stages):
            if not tasks:
                return []
            tasks = self._run_stage(stage, rules[index], tasks, f"{run_key}-{index}")
        return tasks

    def _run_stage(
        self, stage: ProcessingStage[Any, Any], rule: StageRules, tasks: list[Task[Any]], run_key: str
    ) -> list[Task[Any]]:
        import ray

        from curator_executor_raydata.pool import WorkerPool, lost_rows
        from curator_executor_raydata.worker import run_rows_in_task

        batches = list(rule_batches(tasks, rule.batch_size))
        size = min(rule.num_workers, len(batches))
        options = ray_options(rule)
        if not needs_actor(rule):
            remote = ray.remote(run_rows_in_task).options(**options, max_retries=rule.max_attempts - 1)
            stage_ref = ray.put(stage)
            return self._dispatch(
                batches,
                [lambda table: remote.remote(table, stage_ref, self.ignore_failures)] * size,
                lambda table, exc: lost_rows(rule, table, exc),
                per_worker=1,
            )
        pool = WorkerPool(stage, rule, run_key, size, options, ignore_failures=self.ignore_failures)
        failed = False
        try:
            pool.wait_ready()
            return self._dispatch(
                batches,
                [actor.run.remote for actor in pool.actors],
                lambda table, exc: lost_rows(rule, table, exc),
                per_worker=int(self.config["calls_per_worker"]),
            )
        except BaseException:
            failed = True
            raise
        finally:
            error = pool.teardown(self.stats)
            if error is not None and not failed:
                raise error from None

    def _dispatch(
        self,
        batches: list[list[Task[Any]]],
        workers: list[Callable[[Any], Any]],
        lost: Callable[[Any, BaseException], Any],
        per_worker: int,
    ) -> list[Task[Any]]:
        """Keep every worker busy, least loaded first; record reports; outputs in input order."""
        import ray

        from curator_executor_raydata.pool import record_report

        results: list[list[Task[Any]]] = [[] for _ in batches]
        waiting = deque(enumerate(batches))
        load = [0] * len(workers)
        in_flight: dict[Any, tuple[int, int, Any]] = {}
        while waiting or in_flight:
            while waiting and min(load) < per_worker:
                worker = load.index(min(load))
                position, batch = waiting.popleft()
                table = encode(batch)
                in_flight[workers[worker](table)] = (worker, position, table)
                load[worker] += 1
            done, _ = ray.wait(list(in_flight), num_returns=1)
            for ref in done:
                worker, position, table = in_flight.pop(ref)
                load[worker] -= 1
                try:
                    rows = ray.get(ref)
                except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError) as exc:
                    rows = lost(table, exc)  # by the stage's failure policy, as report rows
                outputs, reports, _ = decode(rows)
                for report in reports:
                    record_report(self.stats, report)
                    if (fatal := report.fatal()) is not None:
                        raise fatal
                results[position] = outputs
        return [task for outputs in results for task in outputs]
