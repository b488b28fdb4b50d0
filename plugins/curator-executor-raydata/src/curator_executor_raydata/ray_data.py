"""``ray_data``: the plan as one streaming Ray Data dataset, a ``map_batches`` step per stage.

Stages without lifecycle hooks or GPUs run as Ray Data tasks. The others run on actor pools
this executor owns (see ``pool.py`` for why not Ray Data's), fed by light Ray Data tasks,
so that ``setup_on_node``/``setup``/``teardown`` run exactly as promised. After a source or
fan-out stage the stream is re-blocked to the next stage's batch size, so that the tasks of
one block spread over many workers. Task rows and report rows travel together (``rows.py``).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from curator_core.errors import ExecutorError
from curator_core.plan import FusedStage
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task
from curator_executor_raydata.base import RayExecutorBase
from curator_executor_raydata.sizing import fit_cpu_budget, needs_actor, ray_resources, worker_limit

if TYPE_CHECKING:
    from curator_executor_raydata.pool import WorkerPool

__all__ = ["RayDataExecutor"]


class RayDataExecutor(RayExecutorBase):
    """Streams every stage at once through Ray Data; pools share the cluster without starving tasks."""

    name: ClassVar[str] = "ray_data"

    def _run(self, stages: list[ProcessingStage[Any, Any]], tasks: list[Task[Any]], run_key: str) -> list[Task[Any]]:
        from curator_executor_raydata.pool import record_report
        from curator_executor_raydata.rows import decode

        pools: dict[int, WorkerPool] = {}
        results: list[Task[Any]] = []
        with _quiet_data_context():
            try:
                pools = self._start_pools(stages, run_key)
                for table in _blocks(self._dataset(stages, tasks, pools)):
                    outputs, reports, _ = decode(table)
                    results.extend(outputs)
                    for report in reports:
                        record_report(self.stats, report)
                        if report.error is not None:
                            raise report.error
            finally:
                for pool in pools.values():
                    pool.teardown()
        return results

    def _start_pools(self, stages: list[ProcessingStage[Any, Any]], run_key: str) -> dict[int, WorkerPool]:
        """An actor pool for every stage that needs one, all sized to fit the cluster together."""
        from curator_executor_raydata.pool import WorkerPool

        cpus, gpus = self._cluster()
        actor_stages = [i for i, stage in enumerate(stages) if needs_actor(stage)]
        task_cpus = [stage.resources.cpus for i, stage in enumerate(stages) if i not in actor_stages]
        wanted = [(*worker_limit(stages[i], self.config, cpus, gpus), stages[i].resources.cpus) for i in actor_stages]
        sizes, scale = fit_cpu_budget([(size, cpu, explicit) for size, explicit, cpu in wanted], task_cpus, cpus)
        pools: dict[int, WorkerPool] = {}
        try:
            for i, size in zip(actor_stages, sizes):
                options = ray_resources(stages[i].resources, float(self.config["gpu_memory_per_gpu_gb"]))
                options["num_cpus"] *= scale
                pools[i] = WorkerPool(
                    stages[i],
                    f"{run_key}-{i}",
                    size,
                    options,
                    ignore_failures=self.ignore_failures,
                    max_attempts=int(self.config["max_attempts"]),
                )
            for pool in pools.values():
                pool.wait_ready()
        except BaseException:
            for pool in pools.values():
                pool.teardown()
            raise
        return pools

    def _dataset(self, stages: list[ProcessingStage[Any, Any]], tasks: list[Task[Any]], pools: dict[int, Any]) -> Any:
        """The lazy dataset: one block per initial task, a ``map_batches`` per stage, re-blocking."""
        import ray.data

        from curator_executor_raydata.pool import Balancer, forward_rows
        from curator_executor_raydata.rows import encode
        from curator_executor_raydata.worker import run_rows_in_task

        cpus, gpus = self._cluster()
        attempts = int(self.config["max_attempts"])
        # Ray Data tasks keep Ray's own retries of a dead worker (3): passing ``max_retries`` is
        # deprecated in Ray Data; the actors behind ``forward_rows`` honour ``max_attempts``.
        common: dict[str, Any] = {"batch_format": "pyarrow", "batch_size": None}
        dataset: Any = ray.data.from_arrow([encode([task]) for task in tasks])
        for i, stage in enumerate(stages):
            if i in pools:
                actors = pools[i].actors
                balancer = Balancer.remote(len(actors))  # type: ignore[attr-defined]
                calls = len(actors) * int(self.config["calls_per_worker"])
                dataset = dataset.map_batches(
                    forward_rows,
                    fn_args=(actors, balancer, stage.name, attempts),
                    num_cpus=0,  # it only waits for the actor, which holds the stage's resources
                    compute=ray.data.TaskPoolStrategy(size=calls),
                    **common,
                )
            else:
                options = ray_resources(stage.resources, float(self.config["gpu_memory_per_gpu_gb"]))
                limit, _ = worker_limit(stage, self.config, cpus, gpus)
                dataset = dataset.map_batches(
                    run_rows_in_task,
                    fn_args=(stage, self.ignore_failures),
                    num_cpus=options["num_cpus"],
                    compute=ray.data.TaskPoolStrategy(size=limit),
                    **common,
                )
            if i + 1 < len(stages) and _may_fan_out(stage):
                dataset = dataset.repartition(target_num_rows_per_block=stages[i + 1].batch_size)
        return dataset


def _may_fan_out(stage: ProcessingStage[Any, Any]) -> bool:
    """Sources and stages that opt out of fusion (what fan-out stages do) get re-blocked."""
    first = stage.stages[0] if isinstance(stage, FusedStage) else stage
    return first.input_task_type() is EmptyTask or (not isinstance(stage, FusedStage) and not stage.allow_fusion)


def _blocks(dataset: Any) -> Iterator[Any]:
    """The dataset's output blocks; an engine failure (not a stage's) becomes an ExecutorError."""
    import ray

    iterator = iter(dataset.iter_batches(batch_format="pyarrow", batch_size=None))
    while True:
        try:
            table = next(iterator)
        except StopIteration:
            return
        except ray.exceptions.RayError as exc:
            raise ExecutorError(f"ray_data: the Ray Data run failed: {exc}") from exc
        yield table


@contextmanager
def _quiet_data_context() -> Iterator[None]:
    """Progress bars only on a terminal, no plan dump on every run, no warning about our blocks."""
    import ray.data

    context = ray.data.DataContext.get_current()
    saved = {key: getattr(context, key) for key in ("enable_progress_bars", "print_on_execution_start")}
    context.enable_progress_bars = sys.stderr.isatty()
    context.print_on_execution_start = False
    try:
        with warnings.catch_warnings():
            # One block per source task is by design; Ray Data warns that it caps concurrency.
            warnings.filterwarnings("ignore", message="The maximum number of concurrent tasks", category=UserWarning)
            yield
    finally:
        for key, value in saved.items():
            setattr(context, key, value)
