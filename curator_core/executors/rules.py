"""The rulebook: what every executor must decide the same way, decided once.

An executor builds a :class:`Rulebook` from the plan's (fused) stages, its config and what it
offers (cores, GPU devices, codec units), then translates each :class:`StageRules` to its engine:

- **workers**: the stage's ``num_workers()``, overridden by config ``num_workers`` (an int for
  every stage, or a dict keyed by any stage name, fused members included; an unknown key is an
  error naming the valid ones); else as many as the cores (``cpus`` / ``Resources.cpus``) and
  the GPU devices hold; capped by ``max_workers_per_stage``.
- **batches**: exactly ``batch_size`` tasks per call; a partial last batch when the stream ends.
- **GPUs** (:class:`GpuShare`): ``gpu_memory_gb`` is a fraction of one device whose memory comes
  from config (``gpu_memory_gb_per_device``, or a ``gpus`` device list), else from the machine;
  ``gpus >= 1`` (with or without ``entire_gpu``) takes whole devices; a codec-only stage takes
  :data:`CODEC_ONLY_GPU_SHARE` of one device; ``nvdecs``/``nvencs`` need an executor that
  offers hardware codecs.
- **attempts**: a task whose worker dies is tried ``max_attempts`` times in all; then it is a
  failure that follows the stage's failure policy.
- **failures**: :func:`task_failure`, :func:`stage_failed`, :func:`setup_failed`,
  :func:`teardown_failed`, :func:`worker_lost` make the records and errors every executor raises.
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import subprocess
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from curator_core.errors import CapabilityError, ExecutorConfigError, StageFailedError, WorkerLostError
from curator_core.plan import FusedStage
from curator_core.resources import Resources
from curator_core.stages.base import ProcessingStage

__all__ = [
    "CODEC_ONLY_GPU_SHARE",
    "DEFAULT_MAX_ATTEMPTS",
    "RULE_CONFIG_DEFAULTS",
    "GpuDevice",
    "GpuShare",
    "Rulebook",
    "StageRules",
    "TaskFailure",
    "batches",
    "detect_gpus",
    "gpu_share",
    "has_hooks",
    "members",
    "setup_failed",
    "stage_failed",
    "task_failure",
    "teardown_failed",
    "worker_lost",
]

T = TypeVar("T")

#: Share of one device a stage gets when it asks only for hardware codecs: it must land on a GPU.
CODEC_ONLY_GPU_SHARE: Final = 0.1
DEFAULT_MAX_ATTEMPTS: Final = 3
#: The config keys the rulebook reads; an executor adds the ones it supports to its defaults.
RULE_CONFIG_DEFAULTS: Final[Mapping[str, Any]] = {
    "num_workers": None,
    "max_workers_per_stage": None,
    "cpus": None,
    "max_attempts": DEFAULT_MAX_ATTEMPTS,
    "ignore_failures": False,
    "gpus": None,
    "gpu_memory_gb_per_device": None,
}


# -- failures ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class TaskFailure:
    """A task a stage failed on and, under ``ignore_failures``, dropped (or a teardown error)."""

    stage: str
    task_id: str
    error: str
    traceback: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"stage": self.stage, "task_id": self.task_id, "error": self.error, "traceback": self.traceback}


def task_failure(stage: str, task_id: str, exc: BaseException | str) -> TaskFailure:
    """The record of one failed task, as the report lists it."""
    if isinstance(exc, BaseException):
        return TaskFailure(stage, task_id, f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc)))
    return TaskFailure(stage, task_id, exc)


def stage_failed(failure: TaskFailure) -> StageFailedError:
    """The error that stops a run on a failed task (raise it ``from`` the original exception)."""
    return StageFailedError(
        f"stage {failure.stage!r} failed on task {failure.task_id!r}: {failure.error}",
        stage=failure.stage,
        task_id=failure.task_id,
        cause_repr=failure.traceback,
    )


def setup_failed(stage: str, worker_id: str, exc: BaseException) -> StageFailedError:
    """A worker's ``setup`` (or ``setup_on_node``) raised: the run stops, naming stage and worker."""
    return StageFailedError(
        f"stage {stage!r} failed in setup on worker {worker_id}: {type(exc).__name__}: {exc}",
        stage=stage,
        task_id="",
        cause_repr="".join(traceback.format_exception(exc)),
    )


def teardown_failed(stage: str, worker_id: str, exc: BaseException | str) -> StageFailedError:
    """A worker's ``teardown`` raised: data it flushes may be lost, so it is never silent."""
    error = f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else exc
    detail = "".join(traceback.format_exception(exc)) if isinstance(exc, BaseException) else ""
    return StageFailedError(
        f"stage {stage!r} failed in teardown on worker {worker_id}: {error}",
        stage=stage,
        task_id="",
        cause_repr=detail,
    )


def worker_lost(stage: str, task_id: str, attempts: int, detail: str = "") -> WorkerLostError:
    """A task killed its worker on every one of its ``attempts``."""
    why = f" ({detail})" if detail else ""
    return WorkerLostError(
        f"stage {stage!r}: a worker died on task {task_id!r} {attempts} times{why}; giving up. "
        "A crash in native code or running out of memory are the usual causes.",
        stage=stage,
        task_id=task_id,
        attempts=attempts,
    )


# -- batches ----------------------------------------------------------------------------------
def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Exactly ``size`` items per batch, and a partial last batch when the stream ends."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- GPUs -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GpuDevice:
    """One GPU: its id as ``CUDA_VISIBLE_DEVICES`` names it, and its memory when known."""

    id: str
    memory_gb: float | None = None


@dataclass(frozen=True)
class GpuShare:
    """What one worker takes from GPUs: ``devices`` whole ones, or ``fraction`` of one."""

    devices: int = 0
    fraction: float = 0.0
    nvdecs: int = 0
    nvencs: int = 0

    @property
    def num_gpus(self) -> float:
        """The GPU count to ask an engine for (Ray's ``num_gpus``, Xenna's ``gpus``)."""
        return float(self.devices) if self.devices else self.fraction

    @property
    def whole(self) -> bool:
        return self.devices > 0


def gpu_share(resources: Resources, device_memory_gb: float | None, stage: str = "") -> GpuShare | None:
    """A stage's per-worker GPU share, or None when it needs no GPU."""
    if not resources.requires_gpu:
        return None
    codecs = {"nvdecs": resources.nvdecs, "nvencs": resources.nvencs}
    if resources.gpus >= 1:
        return GpuShare(devices=int(resources.gpus), **codecs)
    if resources.gpus:
        return GpuShare(fraction=float(resources.gpus), **codecs)
    if resources.gpu_memory_gb:
        if not device_memory_gb:
            raise CapabilityError(
                f"stage {stage!r} asks for gpu_memory_gb={resources.gpu_memory_gb:g}, but the memory of a GPU "
                "is unknown: set the executor config key gpu_memory_gb_per_device (or list devices with memory "
                "under gpus)"
            )
        return GpuShare(fraction=min(1.0, resources.gpu_memory_gb / device_memory_gb), **codecs)
    return GpuShare(fraction=CODEC_ONLY_GPU_SHARE, **codecs)


@functools.cache
def detect_gpus() -> tuple[GpuDevice, ...]:
    """The NVIDIA GPUs this process may use (``CUDA_VISIBLE_DEVICES`` respected), via nvidia-smi."""
    if shutil.which("nvidia-smi") is None:
        return ()
    try:
        result = subprocess.run(
            ["nvidia-smi", "--query-gpu=index,memory.total", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    devices = []
    for line in result.stdout.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) == 2 and parts[0].isdigit():
            try:
                devices.append(GpuDevice(parts[0], float(parts[1]) / 1024))
            except ValueError:
                devices.append(GpuDevice(parts[0]))
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        wanted = [v.strip() for v in visible.split(",") if v.strip()]
        by_id = {d.id: d for d in devices}
        devices = [by_id[v] for v in wanted if v in by_id]
    return tuple(devices)


def devices_from_config(config: Mapping[str, Any]) -> tuple[GpuDevice, ...] | None:
    """Devices named in config ``gpus`` (ids, or ``{"id", "memory_gb"}`` dicts), else None."""
    listed = config.get("gpus")
    if listed is None:
        return None
    if isinstance(listed, str | int) or not isinstance(listed, Sequence):
        raise ExecutorConfigError(
            f"config gpus must be a list of device ids or {{'id': ..., 'memory_gb': ...}} entries, got {listed!r}"
        )
    default_memory = config.get("gpu_memory_gb_per_device")
    devices = []
    for entry in listed:
        if isinstance(entry, Mapping):
            if "id" not in entry or set(entry) - {"id", "memory_gb"}:
                raise ExecutorConfigError(f"config gpus entry {dict(entry)!r}: keys are 'id' and 'memory_gb'")
            memory = entry.get("memory_gb", default_memory)
            devices.append(GpuDevice(str(entry["id"]), float(memory) if memory else None))
        else:
            devices.append(GpuDevice(str(entry), float(default_memory) if default_memory else None))
    if len({d.id for d in devices}) != len(devices):
        raise ExecutorConfigError(f"config gpus lists a device twice: {[d.id for d in devices]}")
    return tuple(devices)


# -- stages -----------------------------------------------------------------------------------
def members(stage: ProcessingStage[Any, Any]) -> list[ProcessingStage[Any, Any]]:
    """The user's stages inside one worker group (itself when not fused)."""
    return list(stage.stages) if isinstance(stage, FusedStage) else [stage]


def has_hooks(stage: ProcessingStage[Any, Any]) -> bool:
    """True when any member overrides ``setup_on_node``, ``setup`` or ``teardown``."""
    hooks = ("setup_on_node", "setup", "teardown")
    return any(getattr(type(m), hook) is not getattr(ProcessingStage, hook) for m in members(stage) for hook in hooks)


@dataclass(frozen=True)
class StageRules:
    """Everything an executor needs to know to run one (fused) stage of the plan."""

    index: int
    name: str
    members: tuple[str, ...]
    num_workers: int
    """Workers to run (the most at once)."""
    workers_explicit: bool
    """True when the count was asked for (stage or config), not derived from cores or GPUs."""
    batch_size: int
    cpus: float
    gpu: GpuShare | None
    max_attempts: int
    ignore_failures: tuple[bool, ...]
    """The failure policy of each member, in order (the stage's own, else the executor's)."""
    hooks: bool

    def take(self, waiting: int, upstream_done: bool) -> int:
        """How many waiting tasks to hand to a worker now: a full batch, or the rest at the end."""
        if waiting >= self.batch_size:
            return self.batch_size
        return waiting if upstream_done else 0

    def queue_capacity(self, queue_size: int) -> int:
        """Tasks that may wait for this stage before upstream pauses: never less than one batch."""
        return max(queue_size, self.batch_size)


class Rulebook:
    """The decisions for a whole plan; ``rules[i]`` answers for the i-th (fused) stage.

    ``cpus``: cores to plan for (default: config ``cpus``, else this machine's usable cores).
    ``devices``: GPUs to place on (default: config ``gpus``, else this machine's, looked up only
    when a stage needs a GPU). ``codecs``: whether the executor can schedule ``nvdecs``/``nvencs``.
    """

    def __init__(
        self,
        stages: Sequence[ProcessingStage[Any, Any]],
        config: Mapping[str, Any],
        *,
        cpus: float | None = None,
        devices: Sequence[GpuDevice] | None = None,
        codecs: bool = True,
        executor: str = "",
    ) -> None:
        self.config = {**RULE_CONFIG_DEFAULTS, **config}
        self.executor = executor or "executor"
        self.cpus = float(cpus if cpus is not None else (self.config["cpus"] or usable_cpus()))
        max_attempts = int(self.config["max_attempts"])
        if max_attempts < 1:
            raise ExecutorConfigError(f"{self.executor}: max_attempts must be >= 1, got {max_attempts}")
        self.max_attempts = max_attempts
        needs_gpu = any(m.resources.requires_gpu for s in stages for m in members(s))
        if devices is not None:
            self.devices: tuple[GpuDevice, ...] = tuple(devices)
        else:
            self.devices = devices_from_config(self.config) or (detect_gpus() if needs_gpu else ())
        self._check_worker_keys(stages)
        self.stages: tuple[StageRules, ...] = tuple(self._rules(i, s, codecs) for i, s in enumerate(stages))

    def __getitem__(self, index: int) -> StageRules:
        return self.stages[index]

    def __iter__(self) -> Iterator[StageRules]:
        return iter(self.stages)

    def __len__(self) -> int:
        return len(self.stages)

    def device_memory_gb(self) -> float | None:
        """Memory of the smallest device: a fraction must fit on any of them."""
        config_memory = self.config.get("gpu_memory_gb_per_device")
        known = [d.memory_gb for d in self.devices if d.memory_gb]
        if known:
            return min(known)
        return float(config_memory) if config_memory else None

    def _check_worker_keys(self, stages: Sequence[ProcessingStage[Any, Any]]) -> None:
        configured = self.config["num_workers"]
        if configured is None or (isinstance(configured, int) and not isinstance(configured, bool)):
            return
        if not isinstance(configured, Mapping):
            raise ExecutorConfigError(
                f"{self.executor}: num_workers must be an int or a mapping of stage name to int, got {configured!r}"
            )
        names = {s.name for s in stages} | {m.name for s in stages for m in members(s)}
        unknown = sorted(set(configured) - names)
        if unknown:
            raise ExecutorConfigError(
                f"{self.executor}: num_workers names unknown stage(s) {', '.join(map(repr, unknown))}; "
                f"stages in this plan: {', '.join(sorted(names))}"
            )

    def _configured_workers(self, stage: ProcessingStage[Any, Any]) -> int | None:
        configured = self.config["num_workers"]
        if not isinstance(configured, Mapping):
            return None if configured is None else int(configured)
        if stage.name in configured:
            return int(configured[stage.name])
        # Fused members that disagree: the fewest wins (one may be limited by memory).
        asked = [int(configured[m.name]) for m in members(stage) if m.name in configured]
        return min(asked) if asked else None

    def _rules(self, index: int, stage: ProcessingStage[Any, Any], codecs: bool) -> StageRules:
        resources = stage.resources
        if (resources.nvdecs or resources.nvencs) and not codecs:
            raise CapabilityError(
                f"stage {stage.name!r} asks for hardware codec units (nvdecs/nvencs), which {self.executor} "
                "cannot schedule"
            )
        share = gpu_share(resources, self.device_memory_gb(), stage.name)
        wanted = self._configured_workers(stage)
        if wanted is None:
            wanted = stage.num_workers()
        explicit = wanted is not None
        if wanted is None:
            wanted = max(1, math.floor(self.cpus / resources.cpus)) if resources.cpus else 1
            if share is not None:
                wanted = min(wanted, max(1, self._gpu_slots(share)))
        if wanted < 1:
            raise ExecutorConfigError(f"{self.executor}: stage {stage.name!r} needs at least one worker, got {wanted}")
        cap = self.config["max_workers_per_stage"]
        count = min(wanted, int(cap)) if cap else wanted
        policy = bool(self.config["ignore_failures"])
        ignore = tuple(m.ignore_failures if m.ignore_failures is not None else policy for m in members(stage))
        return StageRules(
            index=index,
            name=stage.name,
            members=tuple(m.name for m in members(stage)),
            num_workers=max(1, count),
            workers_explicit=explicit,
            batch_size=int(stage.batch_size),
            cpus=float(resources.cpus),
            gpu=share,
            max_attempts=self.max_attempts,
            ignore_failures=ignore,
            hooks=has_hooks(stage),
        )

    def _gpu_slots(self, share: GpuShare) -> int:
        """Workers with this share that the devices hold at once."""
        if not self.devices:
            return 0
        if share.whole:
            return len(self.devices) // share.devices
        return len(self.devices) * max(1, math.floor(1.0 / share.fraction + 1e-9))


def usable_cpus() -> int:
    """CPUs this process may run on (respects taskset and container CPU sets)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
