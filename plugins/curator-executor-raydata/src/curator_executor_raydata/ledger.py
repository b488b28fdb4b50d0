"""``ray_data``'s bookkeeping that does not travel with the rows, kept in Ray's own key-value store.

Rows carry tasks and fatal errors only. What must outlive a skipped block or a dead worker goes
to the run's ledger: each call announced before it runs and its report when it delivers (keyed
by stage and input task ids, so a call Ray re-runs overwrites instead of counting twice, and a
call announced but never delivered lost its worker), and each worker's registration (with a
handle through which the driver tears it down) and teardown. Every write is acknowledged
before the worker goes on.

The store is the GCS key-value store, where Ray's own libraries keep their state: every
process of the cluster reaches it and it costs no process of ours (the actor it replaces took
about 70 MB and a second of start-up). Keys live under the run's key, removed when it ends.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ray import cloudpickle

from curator_core.errors import StageFailedError
from curator_core.executors.rules import TaskFailure
from curator_executor_raydata.rows import Report

__all__ = ["CallKey", "LedgerEntries", "ReportSink", "WorkerState", "clear_ledger", "read_ledger", "read_workers"]

NAMESPACE = b"curator"
TIMEOUT_S = 300.0
"""How long a write may wait for Ray's control store before the worker fails."""

CallKey = tuple[int, tuple[str, ...]]
"""A worker call: the stage's index in the plan and the ids of the tasks it was given."""


@dataclass(frozen=True)
class WorkerState:
    """A registered worker, as the driver reads it."""

    stage_index: int
    actor_id: str
    setup_error: StageFailedError | None
    handle: bytes
    """The actor's handle, pickled: unpickled only by the driver that tears the worker down."""
    torn_down: bool


@dataclass(frozen=True)
class ReportSink:
    """Where one stage's workers write their bookkeeping for one run."""

    run_key: str
    stage_index: int

    def begin(self, task_ids: list[str]) -> None:
        key: CallKey = (self.stage_index, tuple(task_ids))
        _put(_call_key(self.run_key, key, "begin"), key)

    def deliver(self, task_ids: list[str], report: Report) -> None:
        key: CallKey = (self.stage_index, tuple(task_ids))
        _put(_call_key(self.run_key, key, "done"), (key, report))

    def register(self, worker_id: str, actor_id: str, setup_error: StageFailedError | None, handle: bytes) -> None:
        _put(f"{self.run_key}/worker/{worker_id}", (worker_id, (self.stage_index, actor_id, setup_error, handle)))

    def torn_down(self, worker_id: str, failures: list[TaskFailure], error: StageFailedError | None) -> None:
        _put(f"{self.run_key}/teardown/{worker_id}", (worker_id, (failures, error)))


@dataclass
class LedgerEntries:
    """Everything a run's workers wrote."""

    reports: list[Report] = field(default_factory=list)
    lost: list[CallKey] = field(default_factory=list)
    """Calls that began and never delivered: their worker died on them every time."""
    workers: dict[str, WorkerState] = field(default_factory=dict)
    teardowns: dict[str, tuple[list[TaskFailure], StageFailedError | None]] = field(default_factory=dict)


def read_ledger(run_key: str) -> LedgerEntries:
    """What the run's workers wrote, read on the driver once the stream has ended."""
    entries = LedgerEntries()
    begun: set[CallKey] = set()
    delivered: set[CallKey] = set()
    for key, value in _read(f"{run_key}/call/").items():
        if key.endswith("/begin"):
            begun.add(value)
        else:
            call, report = value
            delivered.add(call)
            entries.reports.append(report)
    entries.lost = sorted(begun - delivered)
    entries.teardowns = _teardowns(run_key)
    entries.workers = read_workers(run_key)
    return entries


def read_workers(run_key: str) -> dict[str, WorkerState]:
    """Every worker registered so far, and whether it was torn down."""
    torn = _teardowns(run_key)
    return {
        worker_id: WorkerState(*state, torn_down=worker_id in torn)
        for worker_id, state in _read(f"{run_key}/worker/").values()
    }


def _teardowns(run_key: str) -> dict[str, tuple[list[TaskFailure], StageFailedError | None]]:
    return dict(_read(f"{run_key}/teardown/").values())


def clear_ledger(run_key: str) -> None:
    """Remove the run's entries (a cluster outlives its runs)."""
    _client().internal_kv_del(f"{run_key}/".encode(), True, NAMESPACE, timeout=TIMEOUT_S)


def _call_key(run_key: str, call: CallKey, event: str) -> str:
    digest = hashlib.blake2b("\0".join(call[1]).encode(), digest_size=16).hexdigest()
    return f"{run_key}/call/{call[0]}/{digest}/{event}"


def _put(key: str, value: Any) -> None:
    _client().internal_kv_put(key.encode(), cloudpickle.dumps(value), True, NAMESPACE, timeout=TIMEOUT_S)


def _read(prefix: str) -> dict[str, Any]:
    """Every entry under ``prefix``: one key listing and one multi-get."""
    client = _client()
    keys = list(client.internal_kv_keys(prefix.encode(), NAMESPACE, timeout=TIMEOUT_S))
    if not keys:
        return {}
    values = client.internal_kv_multi_get(keys, NAMESPACE, timeout=TIMEOUT_S)
    return {key.decode(): cloudpickle.loads(value) for key, value in values.items()}


def _client() -> Any:
    from ray.experimental.internal_kv import internal_kv_get_gcs_client

    client = internal_kv_get_gcs_client()
    if client is None:
        raise RuntimeError("ray_data: this process is not connected to Ray, so it cannot reach the run's ledger")
    return client
