"""XennaExecutor: a curator plan as a Cosmos-Xenna pipeline, streaming or batch, on Ray."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from curator_core.errors import ExecutorConfigError, WorkerLostError
from curator_core.executors.adapter import StageCounts, StageOutcome, TaskFailure
from curator_core.executors.base import BaseExecutor, local_gpu_count
from curator_core.plugins.records import ExecutorCapabilities
from curator_core.report import RunStats
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task
from curator_executor_xenna.fitting import FittedPlan, NodeCapacity, StageDemand, fit_plan, local_cpu_count
from curator_executor_xenna.resources import gpu_share

__all__ = ["XennaExecutor"]

log = logging.getLogger(__name__)

_MODES = ("streaming", "batch")


class XennaExecutor(BaseExecutor):
    """Runs a plan on Cosmos-Xenna over Ray.

    Config keys (NeMo Curator's): ``execution_mode`` ('streaming': all stages at once, with
    per-stage autoscaling; 'batch': one stage after another), ``logging_interval`` (seconds
    between Xenna's status tables), ``ignore_failures``, ``cpu_allocation_percentage`` (share
    of each node's CPUs Xenna may use, rounded down per node), ``autoscale_interval_s``
    (streaming), ``max_workers_per_stage`` (None: no limit; else each stage runs that many
    workers at most, pinned, since Xenna's autoscaler has no upper bound).
    """

    name = "xenna"
    capabilities: ClassVar[ExecutorCapabilities] = ExecutorCapabilities(
        gpus=True, multi_node=True, streaming=True, autoscaling=True
    )
    default_config: ClassVar[dict[str, Any]] = {
        "execution_mode": "streaming",
        "logging_interval": 60,
        "ignore_failures": False,
        "cpu_allocation_percentage": 0.95,
        "autoscale_interval_s": 180,
        "max_workers_per_stage": None,
    }

    def __init__(self, config: Mapping[str, Any] | None = None, ignore_head_node: bool = False) -> None:
        super().__init__(config, ignore_head_node)
        _validate(self.config)
        if ignore_head_node:
            raise ExecutorConfigError(
                "XennaExecutor: ignore_head_node is not supported (Xenna schedules on every node)"
            )

    @property
    def mode(self) -> str:
        return str(self.config["execution_mode"])

    # -- before anything starts -------------------------------------------------------------
    def available_gpus(self) -> int | None:
        nodes = _known_nodes()
        return None if nodes is None else sum(node.gpus for node in nodes)

    def check_plan(self, stages: Sequence[ProcessingStage[Any, Any]]) -> None:
        """Reject a plan that cannot fit, explaining it (the cluster is checked again once joined)."""
        super().check_plan(stages)
        nodes = _known_nodes()
        if nodes is not None:
            self.fit(stages, nodes)

    def demands(self, stages: Sequence[ProcessingStage[Any, Any]]) -> list[StageDemand]:
        """What each (fused) stage asks for, with ``max_workers_per_stage`` applied."""
        cap = self.config["max_workers_per_stage"]
        out = []
        for stage in stages:
            pinned = stage.num_workers()
            workers = min(pinned, cap) if pinned and cap else (pinned or cap)
            out.append(StageDemand(stage.name, float(stage.resources.cpus), gpu_share(stage.resources), workers))
        return out

    def fit(self, stages: Sequence[ProcessingStage[Any, Any]], nodes: Sequence[NodeCapacity]) -> FittedPlan:
        """The plan as Xenna will get it, or CapabilityError explaining why it cannot fit."""
        return fit_plan(
            self.demands(stages),
            nodes,
            mode=self.mode,
            cpu_allocation_percentage=float(self.config["cpu_allocation_percentage"]),
        )

    # -- running ----------------------------------------------------------------------------
    def execute(
        self, stages: Sequence[ProcessingStage[Any, Any]], initial_tasks: Iterable[Task[Any]] | None = None
    ) -> list[Task[Any]]:
        self.stats = RunStats()
        tasks = [EmptyTask()] if initial_tasks is None else list(initial_tasks)
        if not tasks or not stages:
            return []
        from curator_executor_xenna.cluster import node_capacities, ray_session
        from curator_executor_xenna.run import XennaRun

        started = time.perf_counter()
        with ray_session():
            log.debug("xenna: Ray ready in %.2f s", time.perf_counter() - started)
            plan = self.fit(stages, node_capacities())
            for note in plan.notes:
                log.info("xenna plan: %s", note)
            run = XennaRun(self, list(stages), plan)
            return run.go(tasks)

    def record_failure(self, stage: str, task_id: str, error: str, cause: str) -> None:
        """Count a fail-fast failure as the local executor does (one task in, one failed)."""
        self.stats.record(
            StageOutcome(
                outputs=[],
                failures=[TaskFailure(stage, task_id, error, cause)],
                counts=[StageCounts(stage, tasks_in=1, failed=1)],
            )
        )

    def lost_tasks_error(self, stage: str, missing: Counter[str]) -> WorkerLostError:
        first = sorted(missing)[0]
        return WorkerLostError(
            f"stage {stage!r}: {sum(missing.values())} task(s) never reached it (first: {first!r}); "
            "Xenna drops a task after workers died on it 3 times",
            stage=stage,
            task_id=first,
            attempts=3,
        )


def _validate(config: dict[str, Any]) -> None:
    def bad(key: str, wanted: str) -> ExecutorConfigError:
        return ExecutorConfigError(f"XennaExecutor: {key} must be {wanted}, got {config[key]!r}")

    if config["execution_mode"] not in _MODES:
        raise bad("execution_mode", "'streaming' or 'batch'")
    if not isinstance(config["ignore_failures"], bool):
        raise bad("ignore_failures", "True or False")
    for key in ("logging_interval", "autoscale_interval_s"):
        if isinstance(config[key], bool) or not isinstance(config[key], int | float) or config[key] <= 0:
            raise bad(key, "a number of seconds > 0")
    pct = config["cpu_allocation_percentage"]
    if isinstance(pct, bool) or not isinstance(pct, int | float) or not 0 < pct <= 1:
        raise bad("cpu_allocation_percentage", "a fraction in (0, 1]")
    cap = config["max_workers_per_stage"]
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        raise bad("max_workers_per_stage", "None or an int >= 1")


def _known_nodes() -> list[NodeCapacity] | None:
    """The cluster a run would use, when known without connecting to anything."""
    ray = sys.modules.get("ray")
    if ray is not None and ray.is_initialized():
        from curator_executor_xenna.cluster import node_capacities

        return node_capacities()
    if os.environ.get("RAY_ADDRESS"):
        return None  # a remote cluster: checked once joined, before any actor starts
    return [NodeCapacity(cpus=local_cpu_count(), gpus=local_gpu_count(), name="local")]
