"""What runs inside a worker: the adapter over Arrow rows, the node-once guard, the actor class.

``run_rows`` is shared by Ray Data tasks and actors. :class:`StageWorker` is the actor: it runs
``setup_on_node`` (once per node and stage, across all actors and restarts, guarded by a file
lock keyed by run, stage and node) and ``setup`` when it starts; ``teardown`` only when the
driver asks, so that it runs exactly once per worker, also after a failure elsewhere.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable
from typing import Any

import pyarrow as pa
from ray import cloudpickle

from curator_core.errors import StageFailedError
from curator_core.executors.adapter import BaseStageAdapter
from curator_core.executors.rules import TaskFailure, setup_failed
from curator_core.stages.base import ProcessingStage
from curator_core.workers import NodeInfo, WorkerMetadata
from curator_executor_raydata.rows import Report, concat, decode, encode

__all__ = ["ReportSink", "StageWorker", "node_id", "run_once_per_node", "run_rows", "run_rows_in_task"]


def node_id() -> str:
    """The Ray node this process runs on."""
    import ray

    return str(ray.get_runtime_context().get_node_id())


def run_rows(adapter: BaseStageAdapter, batch_size: int, table: pa.Table, sink: ReportSink | None = None) -> pa.Table:
    """Process the task rows of ``table`` in batches; report rows pass through unchanged.

    A ``StageFailedError`` (fail-fast policy) is returned as a report row, not raised, so that
    the driver (not Ray) decides how the run stops and every worker can still be torn down.
    An output that cannot be pickled to the next worker is a failure of the stage on that task.
    With a ``sink``, counts and dropped failures go there instead of into the rows, so that the
    rows are tasks only and the next stage can be re-blocked to its exact batch size.
    """
    tasks, _, passed = decode(table)
    report = Report()
    outputs = []
    for start in range(0, len(tasks), batch_size):
        try:
            outcome = adapter.process_batch(tasks[start : start + batch_size])
            try:
                cloudpickle.dumps(outcome.outputs)
            except Exception:
                outcome = adapter.sendable(outcome, cloudpickle.dumps)
        except StageFailedError as exc:
            report.error = exc
            break
        outputs.extend(outcome.outputs)
        report.add(outcome)
    if sink is None:
        return concat([passed, encode(outputs, [report])])
    sink.deliver([task.task_id for task in tasks], Report(outcome=report.outcome))
    return concat([passed, encode(outputs, [Report(error=report.error)] if report.error is not None else [])])


class ReportSink:
    """Where a call's report goes when it does not travel with the rows: the run's collector.

    Keyed by stage and the call's input ids, so that a call Ray re-runs replaces its report
    instead of counting twice. The worker waits for delivery before it returns its rows.
    """

    def __init__(self, collector: Any, stage_index: int) -> None:
        self.collector = collector
        self.stage_index = stage_index

    def deliver(self, task_ids: list[str], report: Report, timeout_s: float = 300.0) -> None:
        import ray

        ref = self.collector.put.remote((self.stage_index, tuple(task_ids)), report)
        ready, _ = ray.wait([ref], timeout=timeout_s, fetch_local=False)
        if not ready:
            raise RuntimeError(f"the run's report collector did not answer within {timeout_s:g} s")


def run_rows_in_task(table: pa.Table, stage: ProcessingStage[Any, Any], ignore_failures: bool) -> pa.Table:
    """A Ray Data task for a stage with no lifecycle hooks: each call is a short-lived worker."""
    worker_id = f"task-{os.getpid()}"
    adapter = BaseStageAdapter(stage, ignore_failures=ignore_failures)
    adapter.setup(WorkerMetadata(worker_id=worker_id))
    rows = run_rows(adapter, stage.batch_size, table)
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
        sink: ReportSink | None = None,
    ) -> None:
        self.batch_size = stage.batch_size
        self.sink = sink
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
        return run_rows(self.adapter, self.batch_size, table, self.sink)

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
