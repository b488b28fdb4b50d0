"""What runs inside a worker: the adapter over Arrow rows, the node-once guard, the workers.

``run_rows`` is shared by tasks and actors. :class:`StageWorker` is an actor: it runs
``setup_on_node`` (once per node and stage, across all actors and restarts, guarded by a file
lock keyed by run, stage and node) and ``setup`` when it starts, and ``teardown`` once, when
asked. ``ray_actor_pool`` starts and asks them itself; ``ray_data`` hands :class:`StageActor`
to Ray Data's actor pools and asks each live one itself when the stream ends
(:func:`tear_down_actor`), and the actor reports to the run's ledger instead.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import threading
import weakref
from collections.abc import Callable
from typing import Any

import pyarrow as pa
from ray import cloudpickle

from curator_core.errors import StageFailedError
from curator_core.executors.adapter import BaseStageAdapter
from curator_core.executors.rules import TaskFailure, setup_failed
from curator_core.stages.base import ProcessingStage
from curator_core.workers import NodeInfo, WorkerMetadata
from curator_executor_raydata.ledger import ReportSink
from curator_executor_raydata.rows import Report, concat, decode, encode, encode_cells

__all__ = [
    "StageActor",
    "StageWorker",
    "node_id",
    "run_once_per_node",
    "run_rows",
    "run_rows_in_task",
    "tear_down_actor",
]


def node_id() -> str:
    """The Ray node this process runs on."""
    import ray

    return str(ray.get_runtime_context().get_node_id())


def run_rows(adapter: BaseStageAdapter, batch_size: int, table: pa.Table, sink: ReportSink | None = None) -> pa.Table:
    """Process the task rows of ``table`` in batches; report rows pass through unchanged.

    A ``StageFailedError`` (fail-fast policy) is returned as a report row, not raised, so that
    the driver (not Ray) decides how the run stops and every worker can still be torn down.
    An output that cannot be pickled to the next worker is a failure of the stage on that task.
    With a ``sink``, the call is announced before it runs (so that a call whose worker dies on
    every attempt is known by its tasks), and counts and dropped failures go there instead of
    into the rows, so that the rows are tasks only and the next stage can be re-blocked to its
    exact batch size. Outputs are pickled once, as they go into the rows.
    """
    tasks, _, passed = decode(table)
    task_ids = [task.task_id for task in tasks]
    if sink is not None:
        sink.begin(task_ids)
    report = Report()
    cells: list[bytes] = []
    for start in range(0, len(tasks), batch_size):
        try:
            outcome = adapter.process_batch(tasks[start : start + batch_size])
            try:
                pickled = [cloudpickle.dumps(task) for task in outcome.outputs]
            except Exception:
                outcome = adapter.sendable(outcome, cloudpickle.dumps)
                pickled = [cloudpickle.dumps(task) for task in outcome.outputs]
        except StageFailedError as exc:
            report.error = exc
            break
        cells.extend(pickled)
        report.add(outcome)
    if sink is None:
        return concat([passed, encode_cells(cells, [report])])
    sink.deliver(task_ids, Report(outcome=report.outcome))
    return concat([passed, encode_cells(cells, [Report(error=report.error)] if report.error is not None else [])])


def run_rows_in_task(
    table: pa.Table, stage: ProcessingStage[Any, Any], ignore_failures: bool, sink: ReportSink | None = None
) -> pa.Table:
    """A Ray task for a stage with no lifecycle hooks: each call is a short-lived worker."""
    worker_id = f"task-{os.getpid()}"
    adapter = BaseStageAdapter(stage, ignore_failures=ignore_failures)
    adapter.setup(WorkerMetadata(worker_id=worker_id))
    rows = run_rows(adapter, stage.batch_size, table, sink)
    adapter.teardown(worker_id)  # a stage without hooks: nothing that can fail
    return rows


def run_once_per_node(key: str, action: Callable[[], None]) -> bool:
    """Run ``action`` unless a process on this node already ran it for ``key``; True if we did.

    A lock file serialises the actors of one node; a marker records success, so a failed
    attempt is retried by the next actor and a restarted actor does not run it again.
    """
    directory = _marker_dir()
    marker = os.path.join(directory, f"{key}.done")
    with open(marker + ".lock", "a", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if os.path.exists(marker):
                return False
            action()
            with open(marker, "w", encoding="utf-8"):
                pass
            return True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _marker_dir() -> str:
    # The Ray session directory is per node and removed with the session; fall back to temp.
    try:
        import ray._private.worker as ray_worker

        base = os.path.join(ray_worker.global_worker.node.get_session_dir_path(), "curator")
    except Exception:  # any failure: use the system temp dir
        base = os.path.join(tempfile.gettempdir(), "curator-raydata")
    os.makedirs(base, exist_ok=True)
    return base


class StageWorker:
    """One worker of one stage, run as a Ray actor (wrapped with ``ray.remote`` by the pool)."""

    def __init__(
        self,
        stage: ProcessingStage[Any, Any],
        ignore_failures: bool,
        run_key: str,
        worker_id: str,
    ) -> None:
        self.batch_size = stage.batch_size
        self.adapter = BaseStageAdapter(stage, ignore_failures=ignore_failures)
        self.worker_id = worker_id
        self.node = node_id()
        self.setup_error: StageFailedError | None = None
        self.torn_down = False
        metadata = WorkerMetadata(worker_id=worker_id)
        try:
            run_once_per_node(
                f"{run_key}-{self.node}", lambda: self.adapter.setup_on_node(NodeInfo(node_id=self.node), metadata)
            )
            self.adapter.setup(metadata)
        except Exception as exc:  # reported by ready(); a restart would fail again
            self.setup_error = setup_failed(stage.name, worker_id, exc)

    def ready(self) -> tuple[str, StageFailedError | None]:
        """This worker's node, and its setup error if setup failed."""
        return self.node, self.setup_error

    def run(self, table: pa.Table) -> pa.Table:
        return run_rows(self.adapter, self.batch_size, table)

    def teardown(self) -> tuple[list[TaskFailure], StageFailedError | None]:
        """Tear down once: failures recorded under ``ignore_failures``, or the error that stops the run.

        Returned, not raised, so that the driver tells a teardown error from a dead worker.
        A worker whose setup failed has nothing to tear down.
        """
        if self.torn_down or self.setup_error is not None:
            return [], None
        self.torn_down = True
        try:
            return self.adapter.teardown(self.worker_id), None
        except StageFailedError as exc:
            return [], exc


class StageActor(StageWorker):
    """One worker of one stage in a Ray Data actor pool: Ray Data calls it with blocks of task rows.

    It registers in the run's ledger once set up, with its handle (a setup error is reported
    there and on every call), and announces each call before running it. It is torn down once:
    by the driver when the stream ends (:func:`tear_down_actor`, before Ray Data may
    ``ray.kill`` it), or in ``__del__`` when Ray Data lets it go earlier (the stage is done:
    Ray then ends it gracefully, within its ``actor_graceful_shutdown_timeout_ms``). The worker
    id is the actor's, so an actor Ray restarts after a crash keeps it.
    """

    def __init__(self, stage: ProcessingStage[Any, Any], ignore_failures: bool, run_key: str, sink: ReportSink) -> None:
        import ray

        context = ray.get_runtime_context()
        actor_id = context.get_actor_id() or f"pid{os.getpid()}"
        super().__init__(stage, ignore_failures, run_key, f"{stage.name}-{actor_id[:8]}")
        self.sink = sink
        self.lock = threading.Lock()
        _LIVE_ACTORS[self.worker_id] = self
        sink.register(self.worker_id, actor_id, self.setup_error, cloudpickle.dumps(context.current_actor))

    def __call__(self, table: pa.Table) -> pa.Table:
        with self.lock:
            error = self.setup_error
            if error is None and self.torn_down:  # a call Ray Data sent after the stream was ended
                error = StageFailedError("the worker was already torn down", stage=self.adapter.name, task_id="")
            if error is not None:
                _, _, passed = decode(table)
                return concat([passed, encode(reports=[Report(error=error)])])
            return run_rows(self.adapter, self.batch_size, table, self.sink)

    def close(self) -> None:
        """Tear down (once) and report it to the run's ledger."""
        with self.lock:
            if self.torn_down or self.setup_error is not None:
                return
            failures, error = self.teardown()
            self.sink.torn_down(self.worker_id, failures, error)

    def __del__(self) -> None:
        if "lock" in self.__dict__:  # not if __init__ itself failed
            self.close()


_LIVE_ACTORS: weakref.WeakValueDictionary[str, StageActor] = weakref.WeakValueDictionary()
"""This process's Ray Data stage actors, by worker id, for :func:`tear_down_actor`; weak, so
that Ray Data dropping an actor's object still runs its ``__del__``."""


def tear_down_actor(_instance: object, worker_id: str) -> None:
    """Run through the actor's ``__ray_call__`` by the driver: tear that worker down now.

    The actor object Ray calls it on is Ray Data's wrapper, so the worker is found by id.
    """
    actor = _LIVE_ACTORS.get(worker_id)
    if actor is not None:
        actor.close()
