"""Curator: data-curation pipelines of stages over tasks, on interchangeable executors."""

from curator_core.__about__ import __version__
from curator_core.errors import (
    CapabilityError,
    CuratorError,
    ExecutorConfigError,
    ExecutorError,
    ExecutorNotFoundError,
    InvalidResourcesError,
    MissingPluginError,
    PipelineFileError,
    PipelineValidationError,
    PluginConflictError,
    PluginError,
    PluginIncompatibleError,
    PluginLoadError,
    ResolutionError,
    StageChainError,
    StageFailedError,
    StageNotFoundError,
    StorageError,
    WorkerLostError,
)
from curator_core.executors import BaseExecutor, BaseStageAdapter, StageCounts, StageOutcome, TaskFailure
from curator_core.perf import StagePerfStats
from curator_core.pipeline import Pipeline
from curator_core.plan import FusedStage, Plan
from curator_core.plugins.problems import CuratorWarning, PluginWarning
from curator_core.plugins.records import ExecutorCapabilities, ExecutorSpec, StageSpec
from curator_core.report import RunReport, RunStats
from curator_core.resources import Resources
from curator_core.stages import (
    OPEN_COLUMNS,
    CompositeStage,
    FilePartitioningStage,
    FunctionStage,
    ProcessingStage,
    processing_stage,
)
from curator_core.tasks import EmptyTask, FileGroupTask, Task
from curator_core.workers import NodeInfo, WorkerMetadata

__all__ = [
    "OPEN_COLUMNS",
    "BaseExecutor",
    "BaseStageAdapter",
    "CapabilityError",
    "CompositeStage",
    "CuratorError",
    "CuratorWarning",
    "EmptyTask",
    "ExecutorCapabilities",
    "ExecutorConfigError",
    "ExecutorError",
    "ExecutorNotFoundError",
    "ExecutorSpec",
    "FileGroupTask",
    "FilePartitioningStage",
    "FunctionStage",
    "FusedStage",
    "InvalidResourcesError",
    "MissingPluginError",
    "NodeInfo",
    "Pipeline",
    "PipelineFileError",
    "PipelineValidationError",
    "Plan",
    "PluginConflictError",
    "PluginError",
    "PluginIncompatibleError",
    "PluginLoadError",
    "PluginWarning",
    "ProcessingStage",
    "ResolutionError",
    "Resources",
    "RunReport",
    "RunStats",
    "StageChainError",
    "StageCounts",
    "StageFailedError",
    "StageNotFoundError",
    "StageOutcome",
    "StagePerfStats",
    "StageSpec",
    "StorageError",
    "Task",
    "TaskFailure",
    "WorkerLostError",
    "WorkerMetadata",
    "__version__",
    "hookimpl",
    "processing_stage",
]


def __getattr__(name: str) -> object:
    # pluggy is needed only by plugin manifests, not by users importing the core.
    if name == "hookimpl":
        from curator_core.plugins.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module 'curator_core' has no attribute {name!r}")
