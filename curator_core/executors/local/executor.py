"""The local executor: every stage at once in worker processes, joined by bounded queues."""

from __future__ import annotations

import itertools
import multiprocessing as mp
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.connection import wait
from typing import Any, ClassVar

from curator_core.errors import CapabilityError, ExecutorConfigError, ExecutorError, StageFailedError
from curator_core.executors.adapter import BaseStageAdapter, StageCounts, StageOutcome, TaskFailure
from curator_core.executors.base import BaseExecutor, local_gpu_count
from curator_core.executors.local.gpus import GpuPool
from curator_core.executors.local.progress import Progress
from curator_core.executors.local.workers import InlineWorker, Message, ProcessWorker, Worker
from curator_core.executors.rules import (
    RULE_CONFIG_DEFAULTS,
    Rulebook,
    devices_from_config,
    members,
    setup_failed,
    worker_lost,
)
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
    ``cpus`` (cores to plan for; default: this machine's), ``gpus`` (device ids to place GPU
    stages on, or ``{"id", "memory_gb"}`` entries; default: this machine's, from nvidia-smi),
    ``gpu_memory_gb_per_device``, ``queue_size`` (tasks waiting per stage before upstream
    pauses; at least one batch), ``max_attempts`` (tries of a task whose worker died),
    ``ignore_failures``, ``progress`` (None: only on a terminal), ``start_method``,
    ``shutdown_timeout_s``. Worker counts, batches, GPU shares and failures follow
    :class:`~curator_core.executors.rules.Rulebook`.

    Each GPU worker gets its own ``CUDA_VISIBLE_DEVICES``; the GPU budget is shared by every
    stage, so two whole-GPU stages on one device take turns.
    """

    name = "local"
    capabilities: ClassVar[ExecutorCapabilities] = ExecutorCapabilities(gpus=True, streaming=True)
    default_config: ClassVar[dict[str, Any]] = {
        **RULE_CONFIG_DEFAULTS,
        "mode": "process",
        "queue_size": 8,
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
        devices_from_config(self.config)  # a malformed device list fails here, not mid-run

    def available_gpus(self) -> int | None:
        listed = devices_from_config(self.config)
        return len(listed) if listed is not None else local_gpu_count()

    def execute(
        self, stages: Sequence[ProcessingStage[Any, Any]], initial_tasks: Iterable[Task[Any]] | None = None
    ) -> list[Task[Any]]:
        self.stats = type(self.stats)()
        source = iter([EmptyTask()] if initial_tasks is None else initial_tasks)
        run = _Run(self, list(stages), source)
        return run.go()


class _Run:
    """One execution: the driver loop that routes batches between stage worker pools."""

    def __init__(
        self, executor: LocalExecutor, stages: list[ProcessingStage[Any, Any]], source: Iterator[Task[Any]]
    ) -> None:
        self.executor = executor
        self.stages = stages
        self.source: Iterator[Task[Any]] | None = source
        self.config = executor.config
        self.rules = Rulebook(stages, self.config, codecs=True, executor="LocalExecutor")
        self.gpus = GpuPool(self.rules.devices)
        for rule in self.rules:
            if rule.gpu is not None and not self.gpus.fits_ever(rule.gpu):
                raise CapabilityError(
                    f"stage {rule.name!r} needs {rule.gpu.num_gpus:g} GPU(s) per worker; "
                    f"the local executor has {len(self.rules.devices)} device(s)"
                )
        self.inline = self.config["mode"] == "in_process"
        self.context = _context(self.config["start_method"], stages) if not self.inline else None
        self.pending: list[deque[Task[Any]]] = [deque() for _ in stages]
        self.workers: list[list[Worker]] = [[] for _ in stages]
        self.finished = [False] * len(stages)
        self.attempts: dict[tuple[int, str], int] = {}
        # In process there is no parallelism to gain: one worker per stage keeps debugging simple.
        self.limits = [1 if self.inline else rule.num_workers for rule in self.rules]
        self.results: list[Task[Any]] = []
        self.batch_ids = itertools.count()
        self.worker_ids = itertools.count()
        self.queue_size = int(self.config["queue_size"])
        self.progress = Progress(stages, enabled=self.config["progress"])
        self.failing = False
        self.teardown_error: StageFailedError | None = None

    # -- main loop ------------------------------------------------------------------------
    def go(self) -> list[Task[Any]]:
        try:
            for stage in self.stages:
                try:
                    BaseStageAdapter(stage).setup_on_node(NodeInfo(), WorkerMetadata(worker_id="driver"))
                except Exception as exc:
                    raise setup_failed(stage.name, "driver (setup_on_node)", exc) from exc
            while not all(self.finished):
                moved = self._refill_source()
                moved = self._dispatch() or moved
                moved = self._finish_stages() or moved
                if all(self.finished):
                    break
                if not any(w.busy for pool in self.workers for w in pool) and not moved:
                    self._unblock()
                    continue
                for worker, message in self._events():
                    self._handle(worker, message)
                self.progress.update(self.pending, self.workers, self.executor.stats)
        except BaseException:
            self.failing = True
            self._shutdown()
            raise
        finally:
            self.progress.close(self.executor.stats)
        if self.teardown_error is not None:
            raise self.teardown_error from self.teardown_error.__cause__
        return self.results

    def _refill_source(self) -> bool:
        moved = False
        while self.source is not None and len(self.pending[0]) < self.rules[0].queue_capacity(self.queue_size):
            task = next(self.source, None)
            if task is None:
                self.source = None
            else:
                self.pending[0].append(task)
            moved = True
        return moved

    def _upstream_done(self, index: int) -> bool:
        if index == 0:
            return self.source is None
        return self.finished[index - 1]

    def _room_downstream(self, index: int) -> bool:
        if index + 1 == len(self.stages):
            return True
        return len(self.pending[index + 1]) < self.rules[index + 1].queue_capacity(self.queue_size)

    def _dispatch(self) -> bool:
        moved = False
        # Downstream first, so that a full pipeline drains before it fills further.
        for index in reversed(range(len(self.stages))):
            queue = self.pending[index]
            while queue and self._room_downstream(index):
                take = self.rules[index].take(len(queue), self._upstream_done(index))
                if not take:
                    break
                worker = self._idle_worker(index)
                if worker is None:
                    break
                batch = [queue.popleft() for _ in range(take)]
                worker.submit(next(self.batch_ids), batch)
                moved = True
        return moved

    def _idle_worker(self, index: int) -> Worker | None:
        for worker in self.workers[index]:
            if not worker.busy:
                return worker
        if len(self.workers[index]) < self.limits[index]:
            return self._start_worker(index)
        return None

    def _start_worker(self, index: int) -> Worker | None:
        stage = self.stages[index]
        share = self.rules[index].gpu
        devices: tuple[str, ...] = ()
        if share is not None:
            placed = self.gpus.acquire(share)
            if placed is None:
                return None  # the GPU budget is taken; a worker that stops frees it
            devices = placed
        worker_id = f"{index}-{next(self.worker_ids)}"
        ignore = self.executor.ignore_failures
        worker: Worker
        if self.inline:
            worker = InlineWorker(index, stage, worker_id, ignore, devices)
        else:
            assert self.context is not None
            worker = ProcessWorker(self.context, index, stage, worker_id, ignore, devices)
        self.workers[index].append(worker)
        if isinstance(worker, InlineWorker) and worker.setup_error is not None:
            self._handle(worker, worker.setup_error)
        return worker

    def _finish_stages(self) -> bool:
        """Stop a stage's workers once nothing more can reach it."""
        moved = False
        for index in range(len(self.stages)):
            if self.finished[index] or not self._upstream_done(index) or self.pending[index]:
                continue
            if any(worker.busy for worker in self.workers[index]):
                continue
            self._stop_workers(index)
            self.finished[index] = True
            moved = True
        return moved

    def _unblock(self) -> None:
        """Nothing runs and nothing can start: free GPUs held by idle workers of other stages."""
        blocked = {
            index
            for index, queue in enumerate(self.pending)
            if queue
            and self._room_downstream(index)
            and self.rules[index].take(len(queue), self._upstream_done(index))
            and self.rules[index].gpu is not None
        }
        freed = False
        for index, pool in enumerate(self.workers):
            if index in blocked or self.rules[index].gpu is None or not pool:
                continue
            self._stop_workers(index)
            freed = True
        if not freed:
            raise ExecutorError(
                "LocalExecutor stalled: no worker is running and none can start "
                f"(waiting per stage: {[len(q) for q in self.pending]}); please report this as a bug"
            )

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
        rule = self.rules[index]
        self.workers[index].remove(worker)
        worker.kill()  # reaps it: the exit code is known only after that
        self._release(worker)
        if worker.batch is None:
            return
        _batch_id, tasks = worker.batch
        detail = f"exit code {worker.exit_code}"
        retry: list[Task[Any]] = []
        for task in tasks:
            key = (index, task.task_id)
            self.attempts[key] = self.attempts.get(key, 1) + 1
            if self.attempts[key] <= rule.max_attempts:
                retry.append(task)
                continue
            error = worker_lost(rule.name, task.task_id, rule.max_attempts, detail)
            first = rule.members[0]
            self.executor.stats.record(
                StageOutcome(
                    outputs=[],
                    failures=[TaskFailure(rule.name, task.task_id, str(error))],
                    counts=[StageCounts(first, tasks_in=1, failed=1)],
                )
            )
            if not all(rule.ignore_failures):
                raise error
        self.pending[index].extendleft(reversed(retry))

    # -- shutdown -------------------------------------------------------------------------
    def _release(self, worker: Worker) -> None:
        share = self.rules[worker.stage_index].gpu
        if share is not None and worker.devices:
            self.gpus.release(worker.devices, share)
            worker.devices = ()

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
            self._release(worker)
            self._teardown_result(worker)
        self.workers[index] = []

    def _teardown_result(self, worker: Worker) -> None:
        """Record what teardown reported; an error stops the run (unless one already does)."""
        final, worker.final = worker.final, None
        if final is None:
            return
        kind, _, payload, _cause = final
        if kind == "stopped":
            if payload:
                self.executor.stats.record(StageOutcome(outputs=[], failures=list(payload)))
            return
        error: StageFailedError = payload
        self.executor.stats.record(
            StageOutcome(outputs=[], failures=[TaskFailure(error.stage, "", str(error), error.cause_repr)])
        )
        if not self.failing and self.teardown_error is None:
            self.teardown_error = error

    def _shutdown(self) -> None:
        """After an error: stop every stage's workers, whatever their own teardown does."""
        interrupted = sys.exc_info()[0] is KeyboardInterrupt
        for index in range(len(self.workers)):
            try:
                self._stop_workers(index, interrupted=interrupted)
            except Exception:
                pass


def _context(start_method: str | None, stages: Sequence[ProcessingStage[Any, Any]]) -> mp.context.BaseContext:
    context = mp.get_context(start_method or _default_start_method())
    if context.get_start_method() == "forkserver":
        # The server imports these once; every worker then forks from it with them loaded.
        modules = {"curator_core.executors.local.workers"}
        modules.update(type(m).__module__ for stage in stages for m in members(stage))
        context.set_forkserver_preload(sorted(m for m in modules if m != "__main__"))
    return context


def _default_start_method() -> str:
    """``fork``: workers start in milliseconds and share what the driver imported.

    Measured on the text benchmark, ``forkserver`` (stage modules preloaded) took about 25-30 %
    longer and ``spawn`` about 70 % longer, and both need stages defined in importable modules.
    """
    return "fork" if "fork" in mp.get_all_start_methods() else "spawn"
