"""Workers of the local executor: a child process per worker, or an inline one for debugging.

Both speak the same protocol with the driver: ``submit(batch_id, tasks)``; later, a message
``("done", batch_id, outcome)``, ``("error", batch_id, error, cause)`` or
``("setup_error", None, error, cause)``. ``stop()`` asks for teardown, whose result arrives as
``final``: ``("stopped", None, failures, None)`` or ``("teardown_error", None, error, cause)``.
``kill()`` does not wait.
"""

from __future__ import annotations

import copy
import multiprocessing as mp
import os
import pickle
import signal
import sys
from abc import ABC, abstractmethod
from collections.abc import Mapping
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

from curator_core.errors import StageFailedError
from curator_core.executors.adapter import BaseStageAdapter
from curator_core.executors.rules import setup_failed
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
    devices: tuple[str, ...] = ()
    final: Message | None = None

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
        """Wait up to ``timeout`` seconds for the worker to exit; its teardown result lands in ``final``."""

    @property
    def busy(self) -> bool:
        return self.batch is not None


def _metadata(worker_id: str, devices: tuple[str, ...]) -> WorkerMetadata:
    return WorkerMetadata(worker_id=worker_id, allocation={"gpus": list(devices)} if devices else None)


def _dumps(obj: Any) -> Any:
    # Protocol 5 pickles Arrow tables and numpy arrays by buffer: many times faster than the default 4.
    return ForkingPickler.dumps(obj, protocol=5)


def _result(adapter: BaseStageAdapter, batch_id: int, tasks: list[Task[Any]]) -> tuple[Message, Any]:
    """Process a batch; the message and its bytes (outputs that cannot travel follow the failure policy)."""
    try:
        outcome = adapter.process_batch(tasks)
        try:
            return ("done", batch_id, outcome, None), _dumps(("done", batch_id, outcome, None))
        except Exception:
            outcome = adapter.sendable(outcome, _dumps)
            message: Message = ("done", batch_id, outcome, None)
    except StageFailedError as exc:
        message = ("error", batch_id, exc, _picklable(exc.__cause__))
    return message, _dumps(message)


class InlineWorker(Worker):
    """Runs the adapter in the driver's process: same semantics, easy to debug."""

    def __init__(
        self,
        stage_index: int,
        stage: ProcessingStage[Any, Any],
        worker_id: str,
        ignore_failures: bool,
        devices: tuple[str, ...] = (),
    ) -> None:
        self.stage_index = stage_index
        self.worker_id = worker_id
        self.devices = devices
        # A private copy, as a worker process would have: stages keep per-worker state.
        self.adapter = BaseStageAdapter(copy.deepcopy(stage), ignore_failures=ignore_failures)
        self.setup_error: Message | None = None
        self.result: Message | None = None
        self.alive = True
        try:
            self.adapter.setup(_metadata(worker_id, devices))
        except Exception as exc:
            self.setup_error = ("setup_error", None, setup_failed(stage.name, worker_id, exc), exc)

    def submit(self, batch_id: int, tasks: list[Task[Any]]) -> None:
        self.batch = (batch_id, tasks)
        # Serialised as a worker's result would be: what cannot travel fails here too, not only on other executors.
        message, _ = _result(self.adapter, batch_id, tasks)
        self.result = message

    def stop(self) -> None:
        if self.alive and self.setup_error is None:
            try:
                self.final = ("stopped", None, self.adapter.teardown(self.worker_id), None)
            except StageFailedError as exc:
                self.final = ("teardown_error", None, exc, exc.__cause__)
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
        devices: tuple[str, ...] = (),
    ) -> None:
        self.stage_index = stage_index
        self.worker_id = worker_id
        self.devices = devices
        env = {"CUDA_VISIBLE_DEVICES": ",".join(devices)} if devices else {}
        self.conn, child_conn = context.Pipe(duplex=True)
        self.process = context.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(child_conn, stage, worker_id, ignore_failures, os.getpid(), env, devices),
            name=f"curator-{stage.name}-{worker_id}",
            daemon=True,
        )
        self.process.start()
        child_conn.close()

    def submit(self, batch_id: int, tasks: list[Task[Any]]) -> None:
        self.batch = (batch_id, tasks)
        try:
            self.conn.send_bytes(_dumps((batch_id, tasks)))
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
            self.conn.send_bytes(_dumps(None))
        except (BrokenPipeError, OSError):
            pass

    def terminate(self) -> None:
        self.process.terminate()  # SIGTERM: the worker exits through teardown

    def join(self, timeout: float) -> None:
        try:
            if self.conn.poll(timeout):
                message = self.conn.recv()
                if message[0] in ("stopped", "teardown_error"):
                    self.final = message
        except (EOFError, OSError):
            pass
        self.process.join(timeout)
        if self.process.is_alive():
            self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    @property
    def exit_code(self) -> int | None:
        """The exit code once the process is reaped (call ``kill`` first)."""
        code: int | None = self.process.exitcode
        return code


def _picklable(exc: BaseException | None) -> BaseException | None:
    try:
        pickle.dumps(exc)
    except Exception:
        return None
    return exc


def _worker_main(
    conn: Connection,
    stage: ProcessingStage[Any, Any],
    worker_id: str,
    ignore_failures: bool,
    driver_pid: int,
    env: Mapping[str, str],
    devices: tuple[str, ...],
) -> None:
    # The driver owns shutdown: Ctrl-C reaches it, and it stops us; SIGTERM still tears down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ.update(env)  # before setup, where GPU libraries start
    adapter = BaseStageAdapter(stage, ignore_failures=ignore_failures)
    try:
        adapter.setup(_metadata(worker_id, devices))
    except Exception as exc:
        conn.send_bytes(_dumps(("setup_error", None, setup_failed(stage.name, worker_id, exc), _picklable(exc))))
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
            _, data = _result(adapter, batch_id, tasks)
            conn.send_bytes(data)
    except (EOFError, OSError):
        return
    finally:
        final: Message
        try:
            final = ("stopped", None, adapter.teardown(worker_id), None)
        except StageFailedError as exc:
            final = ("teardown_error", None, exc, _picklable(exc.__cause__))
        try:
            conn.send_bytes(_dumps(final))
        except Exception:
            pass
