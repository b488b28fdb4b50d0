"""The per-entry error policy shared by every stage that opens audio files.

``on_error="raise"`` (the default) stops on the first missing or unreadable file with an
:class:`~curator_audio.errors.AudioFileError` naming file, stage and task (the executor's failure
policy then applies to the whole task). ``on_error="skip"`` drops just that entry, counts it in
the ``skipped_entries`` metric and records it under ``task._metadata["skipped_entries"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from curator_audio.audio_io import UnreadableAudio
from curator_audio.errors import AudioFileError
from curator_audio.tasks import AudioTask
from curator_core.stages.base import ProcessingStage

__all__ = ["ON_ERROR_CHOICES", "SKIPPED_KEY", "check_on_error", "map_entries"]

ON_ERROR_CHOICES = ("raise", "skip")
SKIPPED_KEY = "skipped_entries"

Entry = dict[str, Any]


def check_on_error(stage_name: str, on_error: str) -> str:
    if on_error not in ON_ERROR_CHOICES:
        raise ValueError(f"{stage_name}: on_error must be one of {ON_ERROR_CHOICES}, got {on_error!r}")
    return on_error


def map_entries(
    stage: ProcessingStage[Any, Any],
    task: AudioTask,
    func: Callable[[Entry], Entry | list[Entry] | None],
    on_error: str,
) -> AudioTask:
    """Apply ``func`` to each entry (a dict, a list of dicts, or None to drop) under the policy."""
    entries: list[Entry] = []
    skipped: list[dict[str, str]] = []
    for entry in task.data:
        try:
            result = func(entry)
        except UnreadableAudio as exc:
            if on_error == "raise":
                raise AudioFileError(exc.path, stage=stage.name, task_id=task.task_id, reason=exc.reason) from exc
            skipped.append({"stage": stage.name, "audio_filepath": exc.path, "error": exc.reason})
            continue
        if result is None:
            continue
        entries.extend(result if isinstance(result, list) else [result])
    return with_skipped(stage, task.derive(entries), skipped)


def with_skipped(stage: ProcessingStage[Any, Any], task: AudioTask, skipped: list[dict[str, str]]) -> AudioTask:
    """Count and record skipped entries on ``task`` (its metadata is its own copy)."""
    if skipped:
        stage.record_metric(SKIPPED_KEY, len(skipped))
        task._metadata[SKIPPED_KEY] = [*task._metadata.get(SKIPPED_KEY, []), *skipped]
    return task
