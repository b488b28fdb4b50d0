"""Executors: the contract, the shared adapter and rulebook, and (in ``local``) the embedded executor."""

from curator_core.executors.adapter import BaseStageAdapter, StageCounts, StageOutcome, TaskFailure
from curator_core.executors.base import BaseExecutor
from curator_core.executors.rules import GpuDevice, GpuShare, Rulebook, StageRules

__all__ = [
    "BaseExecutor",
    "BaseStageAdapter",
    "GpuDevice",
    "GpuShare",
    "Rulebook",
    "StageCounts",
    "StageOutcome",
    "StageRules",
    "TaskFailure",
]
