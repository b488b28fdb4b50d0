"""Errors raised by audio stages."""

from __future__ import annotations

from curator_core.errors import CuratorError

__all__ = ["AudioFileError", "ManifestFormatError"]


class AudioFileError(CuratorError, OSError):
    """An audio file is missing or unreadable; names the file, the stage and the task."""

    def __init__(self, path: str, *, stage: str, task_id: str, reason: str) -> None:
        super().__init__(f"stage {stage!r}, task {task_id!r}: cannot read audio file {path!r}: {reason}")
        self.path = path
        self.stage = stage
        self.task_id = task_id
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_audio, (self.path, self.stage, self.task_id, self.reason))


class ManifestFormatError(CuratorError, ValueError):
    """A manifest line is not a JSON object; names the file and the line number."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"manifest {path!r}, line {line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        return (ManifestFormatError, (self.path, self.line, self.reason))


def _rebuild_audio(path: str, stage: str, task_id: str, reason: str) -> AudioFileError:
    return AudioFileError(path, stage=stage, task_id=task_id, reason=reason)
