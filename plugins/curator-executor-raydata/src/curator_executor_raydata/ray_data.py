"""``ray_data``: the plan as one streaming Ray Data dataset, one ``map_batches`` step per stage.

Ray Data carries the work itself, with nothing relayed: a stage with lifecycle hooks or GPUs
runs on a fixed-size Ray Data actor pool of :class:`StageActor` (set up before the stream
starts; torn down by the driver when the stream ends, or by itself when Ray Data lets it go
earlier; the driver waits for every teardown), any other stage as Ray Data tasks, which Ray
Data fuses with their neighbours. A source without hooks runs on the driver: it only lists
work, and a remote task would cost more than the work. The stream is re-blocked strictly to a
stage's ``batch_size`` before it, and to single tasks after a remote source or fan-out, so
that they spread over the workers.

Rows carry tasks and fatal errors only. Counts, dropped failures, call announcements, worker
registrations and teardowns go to the run's ledger in Ray's key-value store (``ledger``). A call
announced but never delivered lost its worker on every attempt (Ray retries ``max_attempts - 1``
times): by the stage's failure policy it stops the run or is recorded and skipped (Ray Data's
``max_errored_blocks``).
"""

from __future__ import annotations

import logging
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

import pyarrow as pa

from curator_core.errors import ExecutorError, WorkerLostError
from curator_core.executors.adapter import BaseStageAdapter
from curator_core.executors.rules import Rulebook
from curator_core.plan import FusedStage
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task
from curator_core.workers import WorkerMetadata
from curator_executor_raydata.base import RayExecutorBase
from curator_executor_raydata.sizing import fit_cpu_budget, needs_actor, ray_options

__all__ = ["RayDataExecutor"]

ACTOR_START_TIMEOUT_S = 1800
"""How long a stage's actor pool may take to start (set up) before the run fails."""
TEARDOWN_GRACE_S = 600.0
"""How long a worker Ray Data let go may take to tear down before the run stops waiting for it."""

log = logging.getLogger(__name__)


class RayDataExecutor(RayExecutorBase):
    """Streams every stage at once through Ray Data's own task and actor pools."""

    name: ClassVar[str] = "ray_data"

    def _run(self, stages: list[ProcessingStage[Any, Any]], tasks: list[Task[Any]], run_key: str) -> list[Task[Any]]:
        from curator_executor_raydata.ledger import clear_ledger
        from curator_executor_raydata.rows import encode

        rules = self._rulebook(stages)
        first = 0
        if _source_on_driver(stages, rules, tasks):
            tasks = self._outputs(self._run_on_driver(stages[0]))
            first = 1
        if first == len(stages) or not tasks:
            return tasks
        try:
            return self._stream(_Remote(stages, rules, first, run_key), encode(tasks))
        finally:
            clear_ledger(run_key)  # a cluster outlives its runs

    def _run_on_driver(self, stage: ProcessingStage[Any, Any]) -> pa.Table:
        """The source, in this process, through the same adapter and rows as a remote worker."""
        from curator_executor_raydata.rows import encode
        from curator_executor_raydata.worker import run_rows

        adapter = BaseStageAdapter(stage, ignore_failures=self.ignore_failures)
        adapter.setup(WorkerMetadata(worker_id="driver"))
        rows = run_rows(adapter, stage.batch_size, encode([EmptyTask()]))
        adapter.teardown("driver")  # no hooks: nothing that can fail
        return rows

    def _outputs(self, rows: pa.Table) -> list[Task[Any]]:
        """Tasks of result rows; their reports recorded, a fatal one raised."""
        from curator_executor_raydata.pool import record_report
        from curator_executor_raydata.rows import decode

        outputs, reports, _ = decode(rows)
        for report in reports:
            record_report(self.stats, report)
            if (fatal := report.fatal()) is not None:
                raise fatal
        return outputs

    def _stream(self, remote: _Remote, rows: pa.Table) -> list[Task[Any]]:
        import ray

        results: list[Task[Any]] = []
        errors_allowed = any(any(remote.rules[i].ignore_failures) for i in remote.indices)
        engine_error: BaseException | None = None
        with _data_context(max_errored_blocks=-1 if errors_allowed else 0):
            blocks = iter(self._dataset(remote, rows).iter_batches(**_WHOLE_BLOCKS))
            try:
                for table in blocks:
                    results.extend(self._outputs(table))
            except ray.exceptions.RayError as exc:  # the engine's, not a stage's: maybe a lost worker
                engine_error = exc
            finally:  # also when a stage's error stops the run: every worker is torn down first
                _tear_down_live_workers(remote.run_key)
                _close(blocks)
                errors = self._finish(remote.rules, remote.run_key)
        if engine_error is not None:
            lost = [error for error in errors if isinstance(error, WorkerLostError)]
            if lost:
                raise lost[0] from None
            raise ExecutorError(f"ray_data: the Ray Data run failed: {engine_error}") from engine_error
        if errors:
            raise errors[0]
        return results

    def _dataset(self, remote: _Remote, rows: pa.Table) -> Any:
        """The lazy dataset: one block per task, then a ``map_batches`` per remote stage."""
        import ray.data

        from curator_executor_raydata.worker import ReportSink, StageActor, run_rows_in_task

        stages, rules = remote.stages, remote.rules
        sizes, scale = _pool_sizes(stages, rules, remote.first)
        calls = int(self.config["calls_per_worker"])
        cells = rows.column("task").to_pylist()
        dataset: Any = ray.data.from_items(
            [{"task": cell, "meta": None} for cell in cells], override_num_blocks=len(cells)
        )
        for i in remote.indices:
            stage, rule = stages[i], rules[i]
            if _reblock(stages, i, remote.first):
                dataset = dataset.repartition(target_num_rows_per_block=stage.batch_size, strict=True)
            options = ray_options(rule)
            sink = ReportSink(remote.run_key, i)
            if needs_actor(rule):
                dataset = dataset.map_batches(
                    StageActor,
                    fn_constructor_args=(stage, self.ignore_failures, f"{remote.run_key}-{i}", sink),
                    compute=ray.data.ActorPoolStrategy(size=sizes[i], max_tasks_in_flight_per_actor=calls),
                    num_cpus=options["num_cpus"] * scale,
                    num_gpus=options["num_gpus"],
                    max_restarts=-1,
                    max_task_retries=rule.max_attempts - 1,
                    **_WHOLE_BLOCKS,
                )
            else:
                dataset = dataset.map_batches(
                    run_rows_in_task,
                    fn_args=(stage, self.ignore_failures, sink),
                    compute=ray.data.TaskPoolStrategy(size=sizes[i]),
                    num_cpus=options["num_cpus"],
                    max_retries=rule.max_attempts - 1,
                    **_WHOLE_BLOCKS,
                )
        return dataset

    def _finish(self, rules: Rulebook, run_key: str) -> list[BaseException]:
        """After the stream: wait for every teardown, record what the run's ledger holds.

        Returns the errors that end the run (unless it already fails with its own), first
        first: calls that lost their worker under the fail-fast policy, setup errors (a
        worker may have failed setup without being given a call), teardown errors.
        """
        from curator_executor_raydata.ledger import read_ledger
        from curator_executor_raydata.pool import lost_report, record_report, record_teardown

        _await_teardowns(run_key)
        ledger = read_ledger(run_key)
        for report in ledger.reports:
            record_report(self.stats, report)
        errors: list[BaseException] = []
        for stage_index, task_ids in ledger.lost:
            report = lost_report(rules[stage_index], list(task_ids), "its worker died on every attempt")
            record_report(self.stats, report)
            if (fatal := report.fatal()) is not None:
                errors.append(fatal)
        errors.extend(worker.setup_error for worker in ledger.workers.values() if worker.setup_error is not None)
        for failures, error in ledger.teardowns.values():
            if (teardown_error := record_teardown(self.stats, failures, error)) is not None:
                errors.append(teardown_error)
        return errors


_WHOLE_BLOCKS: dict[str, Any] = {"batch_format": "pyarrow", "batch_size": None}


@dataclass(frozen=True)
class _Remote:
    """What the stream runs: the plan's stages from ``first`` on, with their rules, for one run."""

    stages: list[ProcessingStage[Any, Any]]
    rules: Rulebook
    first: int
    run_key: str

    @property
    def indices(self) -> range:
        return range(self.first, len(self.stages))


def _source_on_driver(stages: list[ProcessingStage[Any, Any]], rules: Rulebook, tasks: list[Task[Any]]) -> bool:
    """A lone source with no hooks and no GPU, given no tasks of the user's, runs on the driver."""
    stage = stages[0]
    given = not (len(tasks) == 1 and isinstance(tasks[0], EmptyTask))
    return (
        not given
        and not isinstance(stage, FusedStage)
        and stage.input_task_type() is EmptyTask
        and not needs_actor(rules[0])
    )


def _pool_sizes(stages: list[ProcessingStage[Any, Any]], rules: Rulebook, first: int) -> tuple[list[int], float]:
    """Workers per stage, actor pools fitted to the cluster so that tasks always find a CPU."""
    remote = range(first, len(stages))
    actors = [i for i in remote if needs_actor(rules[i])]
    task_cpus = [1.0 for i in remote if _reblock(stages, i, first)]
    task_cpus += [rules[i].cpus for i in remote if not needs_actor(rules[i])]
    wanted = [(rules[i].num_workers, rules[i].cpus, rules[i].workers_explicit) for i in actors]
    fitted, scale = fit_cpu_budget(wanted, task_cpus, rules.cpus)
    sizes = [rule.num_workers for rule in rules]
    for i, size in zip(actors, fitted, strict=True):
        sizes[i] = size
    return sizes, scale


def _reblock(stages: list[ProcessingStage[Any, Any]], index: int, first: int) -> bool:
    """Re-block before a stage that batches, and after a remote source or fan-out (to spread its tasks).

    A source run on the driver already gives one block per task.
    """
    if stages[index].batch_size > 1:
        return True
    return index > first and _may_fan_out(stages[index - 1])


def _may_fan_out(stage: ProcessingStage[Any, Any]) -> bool:
    """Sources and stages that opt out of fusion (what fan-out stages do) get re-blocked."""
    head = stage.stages[0] if isinstance(stage, FusedStage) else stage
    return head.input_task_type() is EmptyTask or (not isinstance(stage, FusedStage) and not stage.allow_fusion)


def _tear_down_live_workers(run_key: str) -> None:
    """Tear down every registered worker that is still alive, through its handle, and wait.

    Ray Data ends an actor either by letting it go (a graceful exit, in which it tears itself
    down) or, when the stream is left early, with ``ray.kill``, which would skip its teardown.
    So before the stream is closed the driver tears down the live ones itself. One that is
    gone already was let go (its own teardown is awaited from the ledger) or died.
    """
    import ray
    from ray import cloudpickle

    from curator_executor_raydata.ledger import read_workers
    from curator_executor_raydata.worker import tear_down_actor

    live = {
        worker_id: cloudpickle.loads(state.handle)
        for worker_id, state in read_workers(run_key).items()
        if not state.torn_down and state.setup_error is None
    }
    calls = [handle.__ray_call__.remote(tear_down_actor, worker_id) for worker_id, handle in live.items()]
    for call in calls:
        try:
            ray.get(call)
        except ray.exceptions.RayActorError:
            pass


def _close(blocks: Iterator[Any]) -> None:
    """End the stream now, which ends its actors (each already torn down, or tearing down)."""
    close = getattr(blocks, "close", None)
    if close is not None:
        close()


def _await_teardowns(run_key: str, poll_s: float = 0.05) -> None:
    """Wait until every worker that set up was torn down, or died without a teardown to come.

    Ray marks an actor dead as soon as Ray Data lets it go, before its graceful exit (and so
    its teardown) has run: such an actor is waited for, up to ``TEARDOWN_GRACE_S`` (its process
    may still crash mid-teardown); one that died any other way is not.
    """
    from curator_executor_raydata.ledger import read_workers

    released: dict[str, float] = {}
    while True:
        states = read_workers(run_key)
        waiting = [state.actor_id for state in states.values() if not state.torn_down and state.setup_error is None]
        now = time.monotonic()
        pending = []
        for actor in waiting:
            status = _status(actor)
            if status == "released":
                released.setdefault(actor, now)
                if now - released[actor] > TEARDOWN_GRACE_S:
                    log.warning(
                        "ray_data: worker actor %s released %.0f s ago; not waiting for its teardown",
                        actor,
                        TEARDOWN_GRACE_S,
                    )
                    continue
            if status != "dead":
                pending.append(actor)
        if not pending:
            return
        time.sleep(poll_s)


def _status(actor_id: str) -> str:
    """``alive``, ``released`` (let go, exiting gracefully: its teardown runs) or ``dead``.

    From Ray's control store, so no dashboard is needed.
    """
    from ray._private import state

    info = state.actors(actor_id) or {}
    if info.get("State", "DEAD") != "DEAD":
        return "alive"
    cause = str(info.get("DeathCause", ""))
    return "released" if any(f"reason: {why}" in cause for why in _RELEASED) else "dead"


_RELEASED = ("REF_DELETED", "OUT_OF_SCOPE")
"""Death reasons of an actor whose handles were dropped: it exits gracefully, tearing down first."""


@contextmanager
def _data_context(max_errored_blocks: int) -> Iterator[None]:
    """Progress bars only on a terminal, no plan dump, pools set up before the stream, our error budget."""
    import ray.data

    context = ray.data.DataContext.get_current()
    wanted = {
        "enable_progress_bars": sys.stderr.isatty(),
        "print_on_execution_start": False,
        "wait_for_min_actors_s": ACTOR_START_TIMEOUT_S,
        "max_errored_blocks": max_errored_blocks,
    }
    saved = {key: getattr(context, key) for key in wanted}
    for key, value in wanted.items():
        setattr(context, key, value)
    try:
        with warnings.catch_warnings():
            # One block per task is by design; Ray Data warns that it caps concurrency.
            warnings.filterwarnings("ignore", message="The maximum number of concurrent tasks", category=UserWarning)
            warnings.filterwarnings("ignore", message="The minimum number of concurrent actors", category=UserWarning)
            # Attempts are set through ray_remote_args (max_restarts, max_task_retries, max_retries):
            # Ray 2.60 names no parameter for them yet.
            warnings.filterwarnings("ignore", message="`ray_remote_args` is deprecated")
            yield
    finally:
        for key, value in saved.items():
            setattr(context, key, value)
