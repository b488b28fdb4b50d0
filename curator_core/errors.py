"""Curator's exception hierarchy.

Every error Curator raises derives from :class:`CuratorError`, and where a built-in
exception fits, from that too (so ``except LookupError`` keeps working)::

    CuratorError
    ├── PluginError
    │   ├── PluginLoadError            a plugin failed to import or registered malformed records
    │   ├── PluginConflictError        two plugins provide one name (lists every provider)
    │   ├── PluginIncompatibleError    a plugin needs another core, or implements unknown hooks
    │   └── MissingPluginError         a pipeline file requires a plugin that is not installed
    ├── ResolutionError (LookupError)
    │   ├── StageNotFoundError         no installed plugin provides that stage name
    │   └── ExecutorNotFoundError      no installed plugin provides that executor name
    ├── PipelineValidationError (ValueError)
    │   ├── InvalidResourcesError      an impossible Resources combination
    │   ├── StageChainError            a stage's inputs or task type are not met upstream
    │   ├── CapabilityError            the plan asks for what the executor or machine lacks
    │   └── PipelineFileError          a pipeline file is malformed (unknown key, bad parameter)
    ├── ExecutorError (RuntimeError)
    │   ├── ExecutorConfigError        an unknown or invalid executor config key
    │   └── WorkerLostError            a worker died on the same task too many times
    ├── StageFailedError (RuntimeError) a stage raised while processing a task
    ├── CheckpointError                a checkpoint folder cannot be used
    │   └── CheckpointMismatchError (ValueError)  it was written by another plan (says what changed)
    └── StorageError (OSError)         a storage backend failed: missing bucket, unreachable endpoint,
                                       denied credentials, missing protocol package (names the URL)
"""

from __future__ import annotations

__all__ = [
    "CapabilityError",
    "CheckpointError",
    "CheckpointMismatchError",
    "CuratorError",
    "ExecutorConfigError",
    "ExecutorError",
    "ExecutorNotFoundError",
    "InvalidResourcesError",
    "MissingPluginError",
    "PipelineFileError",
    "PipelineValidationError",
    "PluginConflictError",
    "PluginError",
    "PluginIncompatibleError",
    "PluginLoadError",
    "ResolutionError",
    "StageChainError",
    "StageFailedError",
    "StageNotFoundError",
    "StorageError",
    "WorkerLostError",
]


class CuratorError(Exception):
    """Root of every error Curator raises."""


class PluginError(CuratorError):
    """A problem with an installed plugin."""


class PluginLoadError(PluginError):
    """A plugin's manifest failed to import, or it registered malformed records."""


class PluginConflictError(PluginError):
    """Two or more plugins provide the same stage or executor name."""


class PluginIncompatibleError(PluginError):
    """A plugin requires a different curator-core, or implements hooks this core lacks."""


class MissingPluginError(PluginError):
    """A pipeline requires plugins that are not installed (or not at the required version)."""


class ResolutionError(CuratorError, LookupError):
    """A name could not be resolved to a registered stage or executor."""


class StageNotFoundError(ResolutionError):
    """No installed plugin provides the requested stage."""


class ExecutorNotFoundError(ResolutionError):
    """No installed plugin provides the requested executor."""


class PipelineValidationError(CuratorError, ValueError):
    """The pipeline cannot be turned into a valid plan."""


class InvalidResourcesError(PipelineValidationError):
    """A :class:`~curator_core.Resources` request that cannot be satisfied by construction."""


class StageChainError(PipelineValidationError):
    """A stage needs an attribute, column or task type that no upstream stage produces."""


class CapabilityError(PipelineValidationError):
    """The plan needs something (GPUs, say) that the executor or machine does not offer."""


class PipelineFileError(PipelineValidationError):
    """A pipeline file is malformed: unknown keys, wrong parameter names or types."""


class ExecutorError(CuratorError, RuntimeError):
    """An executor could not run the plan."""


class ExecutorConfigError(ExecutorError, ValueError):
    """An executor got a config key it does not know, or a value it cannot use."""


class WorkerLostError(ExecutorError):
    """A worker process died on the same task more times than the attempt limit allows."""

    def __init__(self, message: str, *, stage: str, task_id: str, attempts: int) -> None:
        super().__init__(message)
        self.stage = stage
        self.task_id = task_id
        self.attempts = attempts


class StageFailedError(CuratorError, RuntimeError):
    """A stage raised while processing a task; ``__cause__`` holds the original exception."""

    def __init__(self, message: str, *, stage: str, task_id: str, cause_repr: str = "") -> None:
        super().__init__(message)
        self.stage = stage
        self.task_id = task_id
        self.cause_repr = cause_repr

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_stage_failed, (str(self), self.stage, self.task_id, self.cause_repr))


def _rebuild_stage_failed(message: str, stage: str, task_id: str, cause_repr: str) -> StageFailedError:
    return StageFailedError(message, stage=stage, task_id=task_id, cause_repr=cause_repr)


class StorageError(CuratorError, OSError):
    """A file-layer operation failed in its backend; the message names the URL and what to do."""


class CheckpointError(CuratorError):
    """A checkpoint folder cannot be used: unreadable records, or another plan's checkpoint."""


class CheckpointMismatchError(CheckpointError, ValueError):
    """The checkpoint was written by another plan; ``changes`` lists what differs."""

    def __init__(self, message: str, *, path: str, changes: list[str]) -> None:
        super().__init__(message)
        self.path = path
        self.changes = changes
