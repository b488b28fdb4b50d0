"""From a stage's ``Resources`` and the executor config to Ray options and worker counts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from curator_core.plan import FusedStage
from curator_core.resources import Resources
from curator_core.stages.base import ProcessingStage

__all__ = ["fit_cpu_budget", "needs_actor", "ray_resources", "worker_limit"]

# A stage that asks only for hardware codecs still has to land on a GPU node.
CODEC_ONLY_GPU_SHARE = 0.1


def ray_resources(resources: Resources, gpu_memory_per_gpu_gb: float) -> dict[str, float]:
    """``num_cpus`` and ``num_gpus`` for one worker; a GPU memory request becomes a GPU fraction."""
    if resources.gpus:
        gpus = float(resources.gpus)
    elif resources.gpu_memory_gb:
        gpus = min(1.0, resources.gpu_memory_gb / gpu_memory_per_gpu_gb)
    elif resources.requires_gpu:
        gpus = CODEC_ONLY_GPU_SHARE
    else:
        gpus = 0.0
    return {"num_cpus": float(resources.cpus), "num_gpus": gpus}


def members(stage: ProcessingStage[Any, Any]) -> list[ProcessingStage[Any, Any]]:
    return list(stage.stages) if isinstance(stage, FusedStage) else [stage]


def needs_actor(stage: ProcessingStage[Any, Any]) -> bool:
    """Stages with lifecycle hooks or GPUs keep long-lived workers; the rest can run as tasks."""
    hooks = ("setup_on_node", "setup", "teardown")
    for member in members(stage):
        if member.resources.requires_gpu:
            return True
        if any(getattr(type(member), hook) is not getattr(ProcessingStage, hook) for hook in hooks):
            return True
    return False


def worker_limit(
    stage: ProcessingStage[Any, Any], config: Mapping[str, Any], cluster_cpus: float, cluster_gpus: float
) -> tuple[int, bool]:
    """How many workers a stage may have, and whether that number was asked for (not derived).

    The stage's ``num_workers()``, overridden by config ``num_workers`` (an int, or a dict keyed
    by stage name); else as many as the cluster's CPUs (and GPUs) hold; capped by
    ``max_workers_per_stage``.
    """
    wanted = stage.num_workers()
    configured = config.get("num_workers")
    if isinstance(configured, Mapping):
        configured = next((configured[m.name] for m in [stage, *members(stage)] if m.name in configured), None)
    if configured is not None:
        wanted = int(configured)
    explicit = wanted is not None
    if wanted is None:
        cpus = stage.resources.cpus
        wanted = max(1, math.floor(cluster_cpus / cpus)) if cpus else max(1, math.floor(cluster_cpus))
        gpus = ray_resources(stage.resources, float(config.get("gpu_memory_per_gpu_gb") or 80.0))["num_gpus"]
        if gpus:
            wanted = min(wanted, max(1, math.floor(cluster_gpus / gpus)))
    cap = config.get("max_workers_per_stage")
    return max(1, min(wanted, int(cap)) if cap else wanted), explicit


def fit_cpu_budget(
    pools: list[tuple[int, float, bool]], task_cpus: list[float], cluster_cpus: float
) -> tuple[list[int], float]:
    """Shrink actor pools that run at once so that task stages always find a CPU.

    An actor pool holding every CPU starves the tasks that feed it, forever (ENGINES.md: the
    2-CPU deadlock). ``pools`` are (size, cpus per worker, explicit size). Derived sizes shrink
    first (to 1); if the pools still do not fit, every actor's logical CPU request is scaled by
    the returned factor (Ray does not pin CPUs, so this only changes how many fit).
    """
    sizes = [size for size, _, _ in pools]
    reserve = min(sum(task_cpus), cluster_cpus / 2) if task_cpus else 0.0
    budget = max(cluster_cpus - reserve, 1e-3)

    def total() -> float:
        return sum(size * cpus for size, (_, cpus, _) in zip(sizes, pools))

    while total() > budget:
        shrinkable = [i for i, (_, cpus, explicit) in enumerate(pools) if not explicit and sizes[i] > 1 and cpus]
        if not shrinkable:
            break
        largest = max(shrinkable, key=lambda i: sizes[i] * pools[i][1])
        sizes[largest] -= 1
    scale = min(1.0, budget / total()) if total() else 1.0
    return sizes, scale
