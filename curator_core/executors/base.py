"""The executor contract: run a plan's stages over tasks, honouring every shared guarantee."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from curator_core.errors import CapabilityError, ExecutorConfigError
from curator_core.plugins.records import ExecutorCapabilities
from curator_core.report import RunStats
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import Task

__all__ = ["BaseExecutor", "local_gpu_count"]


class BaseExecutor(ABC):
    """Runs stages over tasks. Subclasses declare ``name``, ``capabilities`` and ``default_config``.

    ``config`` is checked against ``default_config``: an unknown key is an error naming the valid
    ones. ``stats`` collects per-stage counts and failures for the run report.
    """

    name: ClassVar[str] = ""
    capabilities: ClassVar[ExecutorCapabilities] = ExecutorCapabilities()
    default_config: ClassVar[Mapping[str, Any]] = {"ignore_failures": False}

    def __init__(self, config: Mapping[str, Any] | None = None, ignore_head_node: bool = False) -> None:
        given = dict(config or {})
        unknown = sorted(set(given) - set(self.default_config))
        if unknown:
            valid = ", ".join(sorted(self.default_config)) or "none"
            raise ExecutorConfigError(
                f"{type(self).__name__}: unknown config key(s) {', '.join(map(repr, unknown))}; valid keys: {valid}"
            )
        self.config: dict[str, Any] = {**self.default_config, **given}
        self.ignore_head_node = ignore_head_node
        self.stats = RunStats()

    @property
    def ignore_failures(self) -> bool:
        return bool(self.config.get("ignore_failures", False))

    @abstractmethod
    def execute(
        self, stages: Sequence[ProcessingStage[Any, Any]], initial_tasks: Iterable[Task[Any]] | None = None
    ) -> list[Task[Any]]:
        """Run ``stages`` (already built and fused) over ``initial_tasks``; return the last stage's outputs."""

    def available_gpus(self) -> int | None:
        """GPUs this executor can place work on, or None when unknown until it starts."""
        return None

    def check_plan(self, stages: Sequence[ProcessingStage[Any, Any]]) -> None:
        """Reject a plan this executor cannot run, before anything starts."""
        gpu_stages = [s.name for s in stages if s.resources.requires_gpu]
        if not gpu_stages:
            return
        label = self.name or type(self).__name__
        if not self.capabilities.gpus:
            raise CapabilityError(
                f"stage(s) {', '.join(gpu_stages)} request GPUs, which executor {label!r} cannot schedule"
            )
        available = self.available_gpus()
        if available is not None and available == 0:
            raise CapabilityError(
                f"stage(s) {', '.join(gpu_stages)} request GPUs, but executor {label!r} found none on this machine"
            )


def local_gpu_count() -> int:
    """NVIDIA GPUs visible on this machine, without importing any GPU library."""
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        return len([d for d in visible.split(",") if d.strip() and d.strip() != "-1"])
    try:
        return len(os.listdir("/proc/driver/nvidia/gpus"))
    except OSError:
        return 0
