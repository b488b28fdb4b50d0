"""A curator stage (or fused chain) as a Xenna stage: every rule stays in BaseStageAdapter."""

from __future__ import annotations

import pickle
import re
from typing import Any

import ray
from cosmos_xenna.pipelines import v1 as xenna
from ray import cloudpickle

from curator_core.errors import StageFailedError
from curator_core.executors.adapter import BaseStageAdapter
from curator_core.executors.rules import setup_failed
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import Task
from curator_core.workers import NodeInfo, WorkerMetadata
from curator_executor_xenna.stats import BatchRecord

__all__ = ["StageFailure", "XennaStage", "make_xenna_stage"]


class StageFailure(Exception):
    """Carries a StageFailedError and its original exception out of a worker (Ray re-raises it)."""

    def __init__(self, error: StageFailedError, cause: BaseException | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.cause = cause

    def __reduce__(self) -> tuple[Any, ...]:
        return (StageFailure, (self.error, self.cause))


class XennaStage(xenna.Stage):  # type: ignore[misc]
    """Runs one (fused) stage in a Xenna worker through the shared adapter."""

    def __init__(
        self,
        stage: ProcessingStage[Any, Any],
        index: int,
        *,
        cpus: float,
        gpus: float,
        ignore_failures: bool,
        collector: Any,
    ) -> None:
        self.stage = stage
        self.index = index
        self.cpus = cpus
        self.gpus = gpus
        self.ignore_failures = ignore_failures
        self.collector = collector
        self._adapter: BaseStageAdapter | None = None
        self._worker_id = ""
        self._torn_down = False

    @property
    def required_resources(self) -> xenna.Resources:
        return xenna.Resources(cpus=self.cpus, gpus=self.gpus)

    @property
    def stage_batch_size(self) -> int:
        return self.stage.batch_size

    def setup_on_node(self, node_info: xenna.NodeInfo, worker_metadata: xenna.WorkerMetadata) -> None:
        adapter = BaseStageAdapter(self.stage, ignore_failures=self.ignore_failures)
        try:
            adapter.setup_on_node(NodeInfo(node_id=str(node_info.node_id)), _worker(worker_metadata))
        except Exception as exc:
            raise _setup_failure(self.stage, str(worker_metadata.worker_id), exc) from exc

    def setup(self, worker_metadata: xenna.WorkerMetadata) -> None:
        self._worker_id = str(worker_metadata.worker_id)
        adapter = BaseStageAdapter(self.stage, ignore_failures=self.ignore_failures)
        # Registered before setup: a worker whose setup fails is still one the driver may stop.
        _deliver(self.collector.register.remote(self._worker_id, ray.get_runtime_context().current_actor))
        try:
            adapter.setup(_worker(worker_metadata))
        except Exception as exc:
            raise _setup_failure(self.stage, self._worker_id, exc) from exc
        self._adapter = adapter

    def process_data(self, in_data: list[Task[Any]]) -> list[Task[Any]]:
        assert self._adapter is not None, "Xenna called process_data before setup"
        tasks = list(in_data)
        try:
            outcome = self._adapter.process_batch(tasks)
            try:
                cloudpickle.dumps(outcome.outputs)
            except Exception:  # an output that cannot travel is a failure of the stage on that task
                outcome = self._adapter.sendable(outcome, cloudpickle.dumps)
        except StageFailedError as exc:
            raise StageFailure(exc, _picklable(exc.__cause__)) from exc
        record = BatchRecord(
            self.index,
            outcome.counts,
            outcome.failures,
            [t.task_id for t in tasks],
            [t.task_id for t in outcome.outputs],
        )
        _deliver(self.collector.record.remote(record))
        # Xenna crashes on None: an empty list is how a batch that produced nothing is returned.
        return list(outcome.outputs)

    def destroy(self) -> None:
        """Xenna calls this once per worker before killing it; it is our teardown.

        Its errors go to the collector, never only to a log: a stage that flushes in teardown
        must not lose data silently.
        """
        if self._adapter is None or self._torn_down:
            return
        self._torn_down = True
        failures: list[Any] = []
        error: StageFailedError | None = None
        try:
            failures = self._adapter.teardown(self._worker_id)
        except StageFailedError as exc:
            error = exc
        _deliver(self.collector.torn_down.remote(self._worker_id, failures, error))


def make_xenna_stage(stage: ProcessingStage[Any, Any], index: int, **params: Any) -> XennaStage:
    """A XennaStage subclass named after the stage, so that Xenna's logs and tables name it."""
    safe = re.sub(r"[^0-9A-Za-z_]", "_", stage.name)[:60] or "stage"
    named = type(f"{safe}", (XennaStage,), {"__qualname__": safe})
    instance: XennaStage = named(stage, index, **params)
    return instance


def _deliver(ref: Any, timeout_s: float = 120.0) -> None:
    """Wait until the collector has the report, so that a worker killed right after loses nothing.

    ``ray.wait`` rather than ``ray.get``: Xenna's workers are async actors, and Ray warns about a
    blocking ``get`` there although we run on Xenna's processing thread, not the event loop.
    """
    ready, _ = ray.wait([ref], timeout=timeout_s, fetch_local=False)
    if not ready:
        raise RuntimeError(f"the run's stats collector did not answer within {timeout_s:g} s")


def _worker(metadata: xenna.WorkerMetadata) -> WorkerMetadata:
    return WorkerMetadata(worker_id=str(metadata.worker_id), allocation=metadata.allocation)


def _setup_failure(stage: ProcessingStage[Any, Any], worker_id: str, exc: Exception) -> StageFailure:
    return StageFailure(setup_failed(stage.name, worker_id, exc), _picklable(exc))


def _picklable(exc: BaseException | None) -> BaseException | None:
    try:
        pickle.dumps(exc)
    except Exception:
        return None
    return exc
