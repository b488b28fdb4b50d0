"""XennaExecutor: a curator plan as a Cosmos-Xenna pipeline, streaming or batch, on Ray."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from curator_core.errors import ExecutorConfigError
from curator_core.executors.adapter import StageCounts, StageOutcome
from curator_core.executors.base import BaseExecutor, local_gpu_count
from curator_core.executors.rules import DEFAULT_MAX_ATTEMPTS, Rulebook, TaskFailure, worker_lost
from curator_core.plugins.records import ExecutorCapabilities
from curator_core.report import RunStats
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, Task
from curator_executor_xenna.fitting import FittedPlan, NodeCapacity, StageDemand, fit_plan, local_cpu_count

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
    workers at most, pinned, since Xenna's autoscaler has no upper bound), ``slots_per_actor``
    (tasks Xenna queues on one worker; 1 by default, see ``run.py``), ``verbose`` (Xenna's own
    logging and status tables; also on when our or the core's logger is at DEBUG). And the rulebook's
    (``curator_core.executors.rules``): ``num_workers`` (int, or ``{stage_name: n}`` with fused
    members' names), ``max_attempts`` (tries of a task whose worker dies), ``gpus`` (device
    list) and ``gpu_memory_gb_per_device`` (turns ``gpu_memory_gb`` into a GPU fraction).
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
        "slots_per_actor": 1,
        "verbose": False,
        # The rulebook's (curator_core.executors.rules), beyond NeMo Curator's six.
        "num_workers": None,
        "max_attempts": DEFAULT_MAX_ATTEMPTS,
        "gpus": None,
        "gpu_memory_gb_per_device": None,
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

    def rules(self, stages: Sequence[ProcessingStage[Any, Any]]) -> Rulebook:
        """The core rulebook for this plan (Xenna 0.5 has no hardware-codec units to schedule)."""
        return Rulebook(stages, self.config, codecs=False, executor="XennaExecutor")

    def demands(self, stages: Sequence[ProcessingStage[Any, Any]]) -> list[StageDemand]:
        """What each (fused) stage asks for, from the rulebook.

        A worker count asked for (the stage's, or config ``num_workers``) is pinned, capped by
        ``max_workers_per_stage``; otherwise Xenna's autoscaler decides, pinned to
        ``max_workers_per_stage`` when set, since the autoscaler has no upper bound.
        """
        cap = self.config["max_workers_per_stage"]
        out = []
        for rule in self.rules(stages):
            workers = rule.num_workers if rule.workers_explicit else cap
            gpus = rule.gpu.num_gpus if rule.gpu is not None else 0.0
            out.append(StageDemand(rule.name, rule.cpus, gpus, workers))
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

    def lost_tasks(self, stage: str, first_member: str, missing: Counter[str], ignore: bool) -> None:
        """Tasks Xenna dropped after their workers died ``max_attempts`` times: recorded, and fatal unless ignored."""
        attempts = int(self.config["max_attempts"])
        for task_id in sorted(missing):
            error = worker_lost(stage, task_id, attempts, "Xenna dropped the task")
            self.stats.record(
                StageOutcome(
                    outputs=[],
                    failures=[TaskFailure(stage, task_id, str(error))] * missing[task_id],
                    counts=[StageCounts(first_member, tasks_in=missing[task_id], failed=missing[task_id])],
                )
            )
            if not ignore:
                raise error


def _validate(config: dict[str, Any]) -> None:
    def bad(key: str, wanted: str) -> ExecutorConfigError:
        return ExecutorConfigError(f"XennaExecutor: {key} must be {wanted}, got {config[key]!r}")

    if config["execution_mode"] not in _MODES:
        raise bad("execution_mode", "'streaming' or 'batch'")
    for key in ("ignore_failures", "verbose"):
        if not isinstance(config[key], bool):
            raise bad(key, "True or False")
    for key in ("logging_interval", "autoscale_interval_s"):
        if isinstance(config[key], bool) or not isinstance(config[key], int | float) or config[key] <= 0:
            raise bad(key, "a number of seconds > 0")
    pct = config["cpu_allocation_percentage"]
    if isinstance(pct, bool) or not isinstance(pct, int | float) or not 0 < pct <= 1:
        raise bad("cpu_allocation_percentage", "a fraction in (0, 1]")
    cap = config["max_workers_per_stage"]
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        raise bad("max_workers_per_stage", "None or an int >= 1")
    for key in ("max_attempts", "slots_per_actor"):
        value = config[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad(key, "an int >= 1")


def _known_nodes() -> list[NodeCapacity] | None:
    """The cluster a run would use, when known without connecting to anything."""
    ray = sys.modules.get("ray")
    if ray is not None and ray.is_initialized():
        from curator_executor_xenna.cluster import node_capacities

        return node_capacities()
    if os.environ.get("RAY_ADDRESS"):
        return None  # a remote cluster: checked once joined, before any actor starts
    return [NodeCapacity(cpus=local_cpu_count(), gpus=local_gpu_count(), name="local")]
