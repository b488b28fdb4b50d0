"""The core rulebook translated to Ray: options per worker, who needs an actor, pools that fit.

Worker counts, GPU shares and attempts are the rulebook's (``curator_core.executors.rules``);
this module only says how Ray expresses them, and the one thing Ray needs on top: actor pools
that run at once must leave CPUs for the Ray tasks that feed them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from curator_core.executors.rules import GpuDevice, Rulebook, StageRules, detect_gpus, devices_from_config
from curator_core.stages.base import ProcessingStage

__all__ = ["fit_cpu_budget", "needs_actor", "ray_options", "ray_rulebook"]


def ray_rulebook(
    stages: Sequence[ProcessingStage[Any, Any]],
    config: Mapping[str, Any],
    cluster_cpus: float,
    cluster_gpus: float,
    executor: str,
) -> Rulebook:
    """The rulebook for a plan on the connected cluster: its CPUs, and its GPUs as devices.

    A device's memory comes from config (``gpus`` / ``gpu_memory_gb_per_device``), else from
    this machine's GPUs when it has any; Ray itself does not report it.
    """
    devices = devices_from_config(config)
    if devices is None:
        count = int(cluster_gpus)
        needs_memory = count and any(stage.resources.gpu_memory_gb for stage in stages)
        local = detect_gpus() if needs_memory and not config.get("gpu_memory_gb_per_device") else ()
        memory = min((d.memory_gb for d in local if d.memory_gb), default=None)
        devices = tuple(GpuDevice(str(k), memory) for k in range(count))
    cpus = float(config.get("cpus") or cluster_cpus)
    return Rulebook(stages, config, cpus=cpus, devices=devices, codecs=False, executor=executor)


def ray_options(rule: StageRules) -> dict[str, float]:
    """``num_cpus`` and ``num_gpus`` for one worker of the stage."""
    return {"num_cpus": rule.cpus, "num_gpus": rule.gpu.num_gpus if rule.gpu is not None else 0.0}


def needs_actor(rule: StageRules) -> bool:
    """Stages with lifecycle hooks or GPUs keep long-lived workers; the rest can run as tasks."""
    return rule.hooks or rule.gpu is not None


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
