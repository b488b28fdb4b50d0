"""What both Ray executors share: config keys, the Ray session around a run, stage sizing."""

from __future__ import annotations

import uuid
from abc import abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from curator_core.errors import ExecutorConfigError
from curator_core.executors.base import BaseExecutor
from curator_core.executors.rules import RULE_CONFIG_DEFAULTS, Rulebook
from curator_core.plugins.records import ExecutorCapabilities
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task

__all__ = ["RayExecutorBase"]

CAPABILITIES = ExecutorCapabilities(gpus=True, multi_node=True, streaming=False)


class RayExecutorBase(BaseExecutor):
    """Runs a plan on Ray: joins ``RAY_ADDRESS`` or a connected driver, else starts Ray for the run.

    Config keys: the rulebook's (``ignore_failures``, ``num_workers`` (an int for every stage,
    or ``{stage_name: n}``, fused members included), ``max_workers_per_stage``, ``max_attempts``,
    ``cpus``, ``gpus``, ``gpu_memory_gb_per_device``; see ``curator_core.executors.rules``);
    ``calls_per_worker`` (calls queued per actor, to hide latency); ``num_cpus`` / ``num_gpus``
    (only for a local Ray this executor starts).
    """

    capabilities: ClassVar[ExecutorCapabilities] = CAPABILITIES
    default_config: ClassVar[dict[str, Any]] = {
        **RULE_CONFIG_DEFAULTS,
        "calls_per_worker": 2,
        "num_cpus": None,
        "num_gpus": None,
    }

    def __init__(self, config: dict[str, Any] | None = None, ignore_head_node: bool = False) -> None:
        super().__init__(config, ignore_head_node)
        label = type(self).__name__
        for key in ("max_attempts", "calls_per_worker"):
            if int(self.config[key]) < 1:
                raise ExecutorConfigError(f"{label}: {key} must be >= 1, got {self.config[key]!r}")
        memory = self.config["gpu_memory_gb_per_device"]
        if memory is not None and float(memory) <= 0:
            raise ExecutorConfigError(f"{label}: gpu_memory_gb_per_device must be > 0, got {memory!r}")

    def execute(
        self, stages: Sequence[ProcessingStage[Any, Any]], initial_tasks: Iterable[Task[Any]] | None = None
    ) -> list[Task[Any]]:
        self.stats = type(self.stats)()
        tasks: list[Task[Any]] = [EmptyTask()] if initial_tasks is None else list(initial_tasks)
        if not tasks:
            return []
        from curator_executor_raydata.session import ray_session

        with ray_session(num_cpus=self.config["num_cpus"], num_gpus=self.config["num_gpus"]):
            return self._run(list(stages), tasks, run_key=uuid.uuid4().hex[:12])

    @abstractmethod
    def _run(self, stages: list[ProcessingStage[Any, Any]], tasks: list[Task[Any]], run_key: str) -> list[Task[Any]]:
        """Run the plan with Ray connected."""

    def _cluster(self) -> tuple[float, float]:
        import ray

        resources = ray.cluster_resources()
        return float(resources.get("CPU", 1.0)), float(resources.get("GPU", 0.0))

    def _rulebook(self, stages: list[ProcessingStage[Any, Any]]) -> Rulebook:
        """The core rulebook for this plan on the connected cluster."""
        from curator_executor_raydata.sizing import ray_rulebook

        cpus, gpus = self._cluster()
        return ray_rulebook(stages, self.config, cpus, gpus, executor=type(self).__name__)
