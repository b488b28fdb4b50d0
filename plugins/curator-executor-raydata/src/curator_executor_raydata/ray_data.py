"""``ray_data``: the plan as one streaming Ray Data dataset, a ``map_batches`` step per stage.

Every stage runs on an actor pool this executor owns (see ``pool.py`` for why not Ray Data's),
fed by light Ray Data tasks, so that ``setup_on_node``/``setup``/``teardown`` run exactly as
promised and a worker that dies on a task follows the rulebook's attempts and failure policy.
The stream is re-blocked strictly to a stage's ``batch_size`` before it (and to single tasks
after a source or fan-out, so that they spread over the workers). Rows carry tasks and fatal
errors only; counts and dropped failures go to a collector, once per call (``ReportSink``).
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from curator_core.errors import ExecutorError, StageFailedError
from curator_core.executors.rules import Rulebook
from curator_core.plan import FusedStage
from curator_core.report import RunStats
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task
from curator_executor_raydata.base import RayExecutorBase
from curator_executor_raydata.sizing import fit_cpu_budget, ray_options

if TYPE_CHECKING:
    from curator_executor_raydata.pool import WorkerPool

__all__ = ["RayDataExecutor"]


class RayDataExecutor(RayExecutorBase):
    """Streams every stage at once through Ray Data; pools share the cluster without starving tasks."""

    name: ClassVar[str] = "ray_data"

    def _run(self, stages: list[ProcessingStage[Any, Any]], tasks: list[Task[Any]], run_key: str) -> list[Task[Any]]:
        import ray
        import ray.data

        from curator_executor_raydata.pool import ReportCollector, record_report
        from curator_executor_raydata.rows import decode, encode

        rules = self._rulebook(stages)
        pools: dict[int, WorkerPool] = {}
        results: list[Task[Any]] = []
        failed = False
        collector = ReportCollector.remote()  # type: ignore[attr-defined]
        balancers: list[Any] = []
        with _quiet_data_context():
            try:
                # Before any actor holds a CPU: from_arrow runs a 1-CPU metadata task per block.
                source = ray.data.from_arrow([encode([task]) for task in tasks])
                pools = self._start_pools(stages, rules, run_key, collector)
                for table in _blocks(self._dataset(source, stages, pools, balancers)):
                    outputs, reports, _ = decode(table)
                    results.extend(outputs)
                    for report in reports:  # only fatal errors travel with the rows
                        record_report(self.stats, report)
                        if (fatal := report.fatal()) is not None:
                            raise fatal
            except BaseException:
                failed = True
                raise
            finally:
                error = _teardown(pools.values(), self.stats)
                for report in ray.get(collector.collect.remote()):
                    record_report(self.stats, report)
                for actor in [collector, *balancers]:  # a long-lived driver must not collect idle actors
                    ray.kill(actor)
                if error is not None and not failed:
                    raise error from None
        return results

    def _start_pools(
        self, stages: list[ProcessingStage[Any, Any]], rules: Rulebook, run_key: str, collector: Any
    ) -> dict[int, WorkerPool]:
        """An actor pool for every stage, all sized to fit the cluster together.

        Every stage runs on actors this executor owns, so that a worker that dies on a task
        ``max_attempts`` times is given up by the stage's failure policy (Ray Data's own tasks
        retry forever and then fail the whole dataset). Re-blocking steps are Ray Data tasks of
        one CPU each: the pools leave room for them, else the stream waits forever.
        """
        from curator_executor_raydata.pool import WorkerPool
        from curator_executor_raydata.worker import ReportSink

        cpus = rules.cpus
        task_cpus = [1.0 for i in range(len(stages)) if _reblock(stages, i)]
        wanted = [(rule.num_workers, rule.cpus, rule.workers_explicit) for rule in rules]
        sizes, scale = fit_cpu_budget(wanted, task_cpus, cpus)
        pools: dict[int, WorkerPool] = {}
        try:
            for i, size in enumerate(sizes):
                options = ray_options(rules[i])
                options["num_cpus"] *= scale
                pools[i] = WorkerPool(
                    stages[i],
                    rules[i],
                    f"{run_key}-{i}",
                    size,
                    options,
                    ignore_failures=self.ignore_failures,
                    sink=ReportSink(collector, i),
                )
            for pool in pools.values():
                pool.wait_ready()
        except BaseException:
            _teardown(pools.values(), self.stats)
            raise
        return pools

    def _dataset(
        self, source: Any, stages: list[ProcessingStage[Any, Any]], pools: dict[int, WorkerPool], balancers: list[Any]
    ) -> Any:
        """The lazy dataset: one block per initial task, a ``map_batches`` per stage.

        Blocks are tasks only (reports go to the collector), so re-blocking strictly to a stage's
        ``batch_size`` makes every call but the last exactly one batch, as on every executor.
        """
        import ray.data

        from curator_executor_raydata.pool import Balancer, forward_rows

        common: dict[str, Any] = {"batch_format": "pyarrow", "batch_size": None}
        dataset: Any = source
        for i, stage in enumerate(stages):
            if _reblock(stages, i):
                dataset = dataset.repartition(target_num_rows_per_block=stage.batch_size, strict=True)
            actors = pools[i].actors
            balancer = Balancer.remote(len(actors))  # type: ignore[attr-defined]
            balancers.append(balancer)
            calls = len(actors) * int(self.config["calls_per_worker"])
            dataset = dataset.map_batches(
                forward_rows,
                fn_args=(actors, balancer, pools[i].rule, pools[i].sink),
                num_cpus=0,  # it only waits for the actor, which holds the stage's resources
                compute=ray.data.TaskPoolStrategy(size=calls),
                **common,
            )
        return dataset


def _teardown(pools: Iterable[WorkerPool], stats: RunStats) -> StageFailedError | None:
    """Tear down every pool; the first teardown error, for the driver to raise unless the run fails."""
    first: StageFailedError | None = None
    for pool in pools:
        error = pool.teardown(stats)
        first = first or error
    return first


def _reblock(stages: list[ProcessingStage[Any, Any]], index: int) -> bool:
    """Re-block before a stage that batches, and after a source or fan-out (to spread its tasks)."""
    return stages[index].batch_size > 1 or (index > 0 and _may_fan_out(stages[index - 1]))


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
