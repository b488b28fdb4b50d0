"""Workers of the local executor: a child process per worker, or an inline one for debugging.

Both speak the same protocol with the driver: ``submit(batch_id, tasks)``; later, a message
``("done", batch_id, outcome)``, ``("error", batch_id, error, cause)`` or
``("setup_error", None, error, cause)``. ``stop()`` asks for teardown; ``kill()`` does not wait.
"""

from __future__ import annotations

import copy
import multiprocessing as mp
import os
import pickle
import signal
import sys
from abc import ABC, abstractmethod
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

from curator_core.errors import StageFailedError
from curator_core.executors.adapter import BaseStageAdapter
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import Task
from curator_core.workers import WorkerMetadata

__all__ = ["InlineWorker", "ProcessWorker", "Worker"]

Message = tuple[str, Any, Any, Any]


class Worker(ABC):
    """What the driver needs from a worker, whatever runs it."""

    stage_index: int
    worker_id: str
    batch: tuple[int, list[Task[Any]]] | None = None

    @abstractmethod
    def submit(self, batch_id: int, tasks: list[Task[Any]]) -> None:
        """Hand a batch to the worker; its result arrives later as a message."""

    @abstractmethod
    def stop(self) -> None:
        """Ask for teardown and exit (after the batch in hand)."""

    def terminate(self) -> None:
        """Stop without waiting for the batch in hand (Ctrl-C)."""
        self.stop()

    @abstractmethod
    def join(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the worker to exit."""

    @property
    def busy(self) -> bool:
        return self.batch is not None


class InlineWorker(Worker):
    """Runs the adapter in the driver's process: same semantics, easy to debug."""

    def __init__(
        self, stage_index: int, stage: ProcessingStage[Any, Any], worker_id: str, ignore_failures: bool
    ) -> None:
        self.stage_index = stage_index
        self.worker_id = worker_id
        # A private copy, as a worker process would have: stages keep per-worker state.
        self.adapter = BaseStageAdapter(copy.deepcopy(stage), ignore_failures=ignore_failures)
        self.setup_error: Message | None = None
        self.result: Message | None = None
        self.alive = True
        try:
            self.adapter.setup(WorkerMetadata(worker_id=worker_id))
        except Exception as exc:
            self.setup_error = ("setup_error", None, _setup_error(stage, worker_id, exc), exc)

    def submit(self, batch_id: int, tasks: list[Task[Any]]) -> None:
        self.batch = (batch_id, tasks)
        try:
            self.result = ("done", batch_id, self.adapter.process_batch(tasks), None)
        except StageFailedError as exc:
            self.result = ("error", batch_id, exc, exc.__cause__)

    def stop(self) -> None:
        if self.alive and self.setup_error is None:
            self.adapter.teardown()
        self.alive = False

    def join(self, timeout: float) -> None:
        """Nothing to wait for: an inline worker has finished when ``stop`` returns."""


class ProcessWorker(Worker):
    """A child process that runs ``setup``, then batches, then ``teardown``."""

    def __init__(
        self,
        context: mp.context.BaseContext,
        stage_index: int,
        stage: ProcessingStage[Any, Any],
        worker_id: str,
        ignore_failures: bool,
    ) -> None:
        self.stage_index = stage_index
        self.worker_id = worker_id
        self.conn, child_conn = context.Pipe(duplex=True)
        self.process = context.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child_conn, stage, worker_id, ignore_failures, os.getpid()),
            name=f"curator-{stage.name}-{worker_id}",
            daemon=True,
        )
        self.process.start()
        child_conn.close()

    def submit(self, batch_id: int, tasks: list[Task[Any]]) -> None:
        self.batch = (batch_id, tasks)
        try:
            _send(self.conn, (batch_id, tasks))
        except (BrokenPipeError, ConnectionResetError):
            pass  # it died while idle: its sentinel tells the driver, which retries the batch

    def receive(self) -> Message | None:
        """The worker's next message, or None when it died before sending one."""
        try:
            if self.conn.poll():
                message: Message = self.conn.recv()
                return message
        except (EOFError, OSError):
            pass
        return None

    def stop(self) -> None:
        """Ask for teardown and exit (the worker finishes its current batch first)."""
        try:
            _send(self.conn, None)
        except (BrokenPipeError, OSError):
            pass

    def terminate(self) -> None:
        self.process.terminate()  # SIGTERM: the worker exits through teardown

    def join(self, timeout: float) -> None:
        self.process.join(timeout)
        if self.process.is_alive():
            self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _send(conn: Connection, obj: Any) -> None:
    # Protocol 5 pickles Arrow tables and numpy arrays by buffer: many times faster than the default 4.
    conn.send_bytes(ForkingPickler.dumps(obj, protocol=5))


def _setup_error(stage: ProcessingStage[Any, Any], worker_id: str, exc: BaseException) -> StageFailedError:
    return StageFailedError(
        f"stage {stage.name!r} failed in setup on worker {worker_id}: {type(exc).__name__}: {exc}",
        stage=stage.name,
        task_id="",
    )


def _picklable(exc: BaseException | None) -> BaseException | None:
    try:
        pickle.dumps(exc)
    except Exception:
        return None
    return exc


def _worker_main(
    conn: Connection, stage: ProcessingStage[Any, Any], worker_id: str, ignore_failures: bool, driver_pid: int
) -> None:
    # The driver owns shutdown: Ctrl-C reaches it, and it stops us; SIGTERM still tears down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    adapter = BaseStageAdapter(stage, ignore_failures=ignore_failures)
    try:
        adapter.setup(WorkerMetadata(worker_id=worker_id))
    except Exception as exc:
        _send(conn, ("setup_error", None, _setup_error(stage, worker_id, exc), _picklable(exc)))
        return
    try:
        while True:
            while not conn.poll(1.0):
                if os.getppid() != driver_pid:
                    return  # the driver is gone: nobody will read our results
            request = conn.recv()
            if request is None:
                return
            batch_id, tasks = request
            try:
                message: Message = ("done", batch_id, adapter.process_batch(tasks), None)
            except StageFailedError as exc:
                message = ("error", batch_id, exc, _picklable(exc.__cause__))
            _send(conn, message)
    except (EOFError, OSError):
        return
    finally:
        adapter.teardown()
