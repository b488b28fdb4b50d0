"""``AudioTask``: a batch of manifest entries (one dict per utterance)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from curator_core.tasks import Task

__all__ = ["AudioBatch", "AudioTask"]


@dataclass
class AudioTask(Task[list[dict[str, Any]]]):
    """Manifest entries (``audio_filepath``, ``text``, ``duration`` and whatever stages add).

    A task holds a batch of entries, as NeMo Curator's ``AudioBatch`` does, so that per-task
    overhead (scheduling, serialisation, perf records) is paid once per batch, not per file.
    """

    data: list[dict[str, Any]] = field(default_factory=list)
    filepath_key: str = "audio_filepath"

    @property
    def num_items(self) -> int:
        return len(self.data)

    def validate(self) -> bool:
        return isinstance(self.data, list) and all(
            isinstance(entry, dict) and isinstance(entry.get(self.filepath_key), str) for entry in self.data
        )

    def content_key(self) -> str | None:
        return "\n".join(str(entry.get(self.filepath_key, "")) for entry in self.data)


AudioBatch = AudioTask
"""NeMo Curator's name for the same thing."""
