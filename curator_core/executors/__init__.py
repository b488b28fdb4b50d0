"""Executors: the contract, the shared adapter, and (in ``local``) the embedded executor."""

from curator_core.executors.adapter import BaseStageAdapter, StageCounts, StageOutcome, TaskFailure
from curator_core.executors.base import BaseExecutor

__all__ = ["BaseExecutor", "BaseStageAdapter", "StageCounts", "StageOutcome", "TaskFailure"]
