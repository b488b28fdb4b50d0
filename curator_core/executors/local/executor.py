"""The local executor: every stage at once in worker processes, joined by bounded queues."""

from __future__ import annotations

import itertools
import math
import multiprocessing as mp
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.connection import wait
from typing import Any, ClassVar

from curator_core.errors import ExecutorConfigError, StageFailedError, WorkerLostError
from curator_core.executors.adapter import BaseStageAdapter, StageCounts, StageOutcome, TaskFailure
from curator_core.executors.base import BaseExecutor, local_gpu_count
from curator_core.executors.local.progress import Progress
from curator_core.executors.local.workers import InlineWorker, Message, ProcessWorker, Worker
from curator_core.plugins.records import ExecutorCapabilities
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task
from curator_core.workers import NodeInfo, WorkerMetadata

__all__ = ["LocalExecutor"]

_MODES = ("process", "in_process")


class LocalExecutor(BaseExecutor):
    """Runs a plan on this machine, streaming: all stages work at once.

    Config keys: ``mode`` ('process', or 'in_process' to debug in one process),
    ``num_workers`` (an int for every stage, or ``{stage_name: n}``), ``max_workers_per_stage``,
    ``cpus`` (cores to plan for; default: this machine's), ``queue_size`` (tasks waiting per stage
    before upstream pauses), ``max_attempts`` (tries of a task whose worker died),
    ``ignore_failures``, ``progress`` (None: only on a terminal), ``start_method``
    ('fork' where available), ``shutdown_timeout_s``.

    Workers are forked by default: they start in milliseconds and share what the driver imported.
    A native library that keeps per-thread pools from before the fork can hang in a forked worker;
    such a stage should create its pools in ``setup``, or the run can use ``start_method='spawn'``
    (stages then travel pickled, so they must be importable, as they must for every other executor).
    """

    name = "local"
    capabilities: ClassVar[ExecutorCapabilities] = ExecutorCapabilities(gpus=True, streaming=True)
    default_config: ClassVar[dict[str, Any]] = {
        "mode": "process",
        "num_workers": None,
        "max_workers_per_stage": None,
        "cpus": None,
        "queue_size": 8,
        "max_attempts": 3,
        "ignore_failures": False,
        "progress": None,
        "start_method": None,
        "shutdown_timeout_s": 60.0,
    }

    def __init__(self, config: dict[str, Any] | None = None, ignore_head_node: bool = False) -> None:
        super().__init__(config, ignore_head_node)
        if self.config["mode"] not in _MODES:
            raise ExecutorConfigError(f"LocalExecutor: mode must be one of {_MODES}, got {self.config['mode']!r}")
        if int(self.config["max_attempts"]) < 1:
            raise ExecutorConfigError("LocalExecutor: max_attempts must be >= 1")
        if int(self.config["queue_size"]) < 1:
            raise ExecutorConfigError("LocalExecutor: queue_size must be >= 1")

    def available_gpus(self) -> int | None:
        return local_gpu_count()

    def execute(
        self, stages: Sequence[ProcessingStage[Any, Any]], initial_tasks: Iterable[Task[Any]] | None = None
    ) -> list[Task[Any]]:
        self.stats = type(self.stats)()
        source = iter([EmptyTask()] if initial_tasks is None else initial_tasks)
        run = _Run(self, list(stages), source)
        return run.go()

    def worker_limit(self, stage: ProcessingStage[Any, Any]) -> int:
        """How many workers a stage may have: its own wish, the config, or cores / its CPUs."""
        wanted = stage.num_workers()
        configured = self.config["num_workers"]
        if isinstance(configured, dict):
            configured = configured.get(stage.name)
        if configured is not None:
            wanted = int(configured)
        if wanted is None:
            cores = float(self.config["cpus"] or _usable_cpus())
            wanted = max(1, math.floor(cores / stage.resources.cpus)) if stage.resources.cpus else 1
            if stage.resources.requires_gpu:
                wanted = min(wanted, max(1, local_gpu_count()))
        cap = self.config["max_workers_per_stage"]
        return max(1, min(wanted, int(cap)) if cap else wanted)


class _Run:
    """One execution: the driver loop that routes batches between stage worker pools."""

    def __init__(
        self, executor: LocalExecutor, stages: list[ProcessingStage[Any, Any]], source: Iterator[Task[Any]]
    ) -> None:
        self.executor = executor
        self.stages = stages
        self.source: Iterator[Task[Any]] | None = source
        self.config = executor.config
        self.inline = self.config["mode"] == "in_process"
        self.context = _context(self.config["start_method"]) if not self.inline else None
        self.pending: list[deque[Task[Any]]] = [deque() for _ in stages]
        self.workers: list[list[Worker]] = [[] for _ in stages]
        self.finished = [False] * len(stages)
        self.attempts: dict[tuple[int, str], int] = {}
        # In process there is no parallelism to gain: one worker per stage keeps debugging simple.
        self.limits = [1 if self.inline else executor.worker_limit(stage) for stage in stages]
        self.results: list[Task[Any]] = []
        self.batch_ids = itertools.count()
        self.worker_ids = itertools.count()
        self.queue_size = int(self.config["queue_size"])
        self.progress = Progress(stages, enabled=self.config["progress"])

    # -- main loop ------------------------------------------------------------------------
    def go(self) -> list[Task[Any]]:
        for stage in self.stages:
            BaseStageAdapter(stage).setup_on_node(NodeInfo(), WorkerMetadata(worker_id="driver"))
        try:
            while not all(self.finished):
                self._refill_source()
                self._dispatch()
                self._finish_stages()
                if all(self.finished):
                    break
                for worker, message in self._events():
                    self._handle(worker, message)
                self.progress.update(self.pending, self.workers, self.executor.stats)
        except BaseException:
            self._shutdown()
            raise
        finally:
            self.progress.close(self.executor.stats)
        return self.results

    def _refill_source(self) -> None:
        while self.source is not None and len(self.pending[0]) < self.queue_size:
            task = next(self.source, None)
            if task is None:
                self.source = None
            else:
                self.pending[0].append(task)

    def _upstream_done(self, index: int) -> bool:
        if index == 0:
            return self.source is None
        return self.finished[index - 1]

    def _room_downstream(self, index: int) -> bool:
        if index + 1 == len(self.stages):
            return True
        waiting = len(self.pending[index + 1])
        return waiting < self.queue_size

    def _dispatch(self) -> None:
        # Downstream first, so that a full pipeline drains before it fills further.
        for index in reversed(range(len(self.stages))):
            stage = self.stages[index]
            queue = self.pending[index]
            while queue and self._room_downstream(index):
                if len(queue) < stage.batch_size and not self._upstream_done(index):
                    break
                worker = self._idle_worker(index)
                if worker is None:
                    break
                batch = [queue.popleft() for _ in range(min(stage.batch_size, len(queue)))]
                worker.submit(next(self.batch_ids), batch)

    def _idle_worker(self, index: int) -> Worker | None:
        for worker in self.workers[index]:
            if not worker.busy:
                return worker
        if len(self.workers[index]) < self.limits[index]:
            return self._start_worker(index)
        return None

    def _start_worker(self, index: int) -> Worker:
        stage = self.stages[index]
        worker_id = f"{index}-{next(self.worker_ids)}"
        ignore = self.executor.ignore_failures
        worker: Worker
        if self.inline:
            worker = InlineWorker(index, stage, worker_id, ignore)
        else:
            assert self.context is not None
            worker = ProcessWorker(self.context, index, stage, worker_id, ignore)
        self.workers[index].append(worker)
        if isinstance(worker, InlineWorker) and worker.setup_error is not None:
            self._handle(worker, worker.setup_error)
        return worker

    def _finish_stages(self) -> None:
        """Stop a stage's workers once nothing more can reach it."""
        for index in range(len(self.stages)):
            if self.finished[index] or not self._upstream_done(index) or self.pending[index]:
                continue
            if any(worker.busy for worker in self.workers[index]):
                continue
            self._stop_workers(index)
            self.finished[index] = True

    # -- events ---------------------------------------------------------------------------
    def _events(self) -> list[tuple[Worker, Message]]:
        busy = [w for pool in self.workers for w in pool if w.busy]
        events: list[tuple[Worker, Message]] = []
        if self.inline:
            for worker in busy:
                assert isinstance(worker, InlineWorker) and worker.result is not None
                events.append((worker, worker.result))
                worker.result = None
            return events
        if not busy:
            return []
        handles: dict[Any, ProcessWorker] = {}
        for worker in busy:
            assert isinstance(worker, ProcessWorker)
            handles[worker.conn] = worker
            handles[worker.process.sentinel] = worker
        ready = wait(list(handles), timeout=0.2 if self.progress.enabled else None)
        seen: set[int] = set()
        for handle in ready:
            process_worker = handles[handle]
            if id(process_worker) in seen:
                continue
            seen.add(id(process_worker))
            message = process_worker.receive()
            if message is None:
                if not process_worker.process.is_alive() or handle is process_worker.process.sentinel:
                    self._worker_died(process_worker)
                continue
            events.append((process_worker, message))
        return events

    def _handle(self, worker: Worker, message: Message) -> None:
        kind, _batch_id, payload, cause = message
        index = worker.stage_index
        if kind == "setup_error":
            raise payload from cause
        worker.batch = None
        if kind == "error":
            error: StageFailedError = payload
            self.executor.stats.record(
                StageOutcome(
                    outputs=[],
                    failures=[TaskFailure(error.stage, error.task_id, str(error), error.cause_repr)],
                    counts=[StageCounts(error.stage, tasks_in=1, failed=1)],
                )
            )
            raise error from cause
        outcome: StageOutcome = payload
        self.executor.stats.record(outcome)
        if index + 1 == len(self.stages):
            self.results.extend(outcome.outputs)
        else:
            self.pending[index + 1].extend(outcome.outputs)

    def _worker_died(self, worker: ProcessWorker) -> None:
        index = worker.stage_index
        stage = self.stages[index]
        self.workers[index].remove(worker)
        exit_code = worker.process.exitcode
        worker.kill()
        if worker.batch is None:
            return
        _batch_id, tasks = worker.batch
        limit = int(self.config["max_attempts"])
        for task in tasks:
            key = (index, task.task_id)
            self.attempts[key] = self.attempts.get(key, 1) + 1
            if self.attempts[key] > limit:
                raise WorkerLostError(
                    f"stage {stage.name!r}: a worker died (exit code {exit_code}) on task {task.task_id!r} "
                    f"{limit} times; giving up",
                    stage=stage.name,
                    task_id=task.task_id,
                    attempts=limit,
                )
        self.pending[index].extendleft(reversed(tasks))

    # -- shutdown -------------------------------------------------------------------------
    def _stop_workers(self, index: int, *, interrupted: bool = False) -> None:
        """Let a stage's workers tear down and exit; interrupted (Ctrl-C), do not wait long."""
        pool = self.workers[index]
        for worker in pool:
            if interrupted:
                worker.terminate()
            else:
                worker.stop()
        timeout = 5.0 if interrupted else float(self.config["shutdown_timeout_s"])
        for worker in pool:
            worker.join(timeout)
        self.workers[index] = []

    def _shutdown(self) -> None:
        """After an error: stop every stage's workers, whatever their own teardown does."""
        interrupted = sys.exc_info()[0] is KeyboardInterrupt
        for index in range(len(self.workers)):
            try:
                self._stop_workers(index, interrupted=interrupted)
            except Exception:
                pass


def _context(start_method: str | None) -> mp.context.BaseContext:
    if start_method:
        return mp.get_context(start_method)
    # fork starts workers in milliseconds and shares what the driver already imported.
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _usable_cpus() -> int:
    """CPUs this process may run on (respects taskset and container CPU sets)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
