"""``ManifestWriterStage``: one JSONL manifest per task, written atomically."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from curator_audio.audio_io import replace_atomically
from curator_audio.tasks import AudioTask
from curator_core.stages import ProcessingStage
from curator_core.tasks import FileGroupTask

__all__ = ["ManifestWriterStage", "read_manifests"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")


class ManifestWriterStage(ProcessingStage[AudioTask, FileGroupTask]):
    """Write each task's entries to ``output_dir/<task id>.jsonl`` (temporary name, then rename).

    File names come from task ids, which are the same on every run and executor, so a rerun
    overwrites instead of duplicating. A task with no entries writes nothing. Returns the
    written paths as a FileGroupTask.
    """

    name = "ManifestWriterStage"

    def __init__(self, output_dir: str, keys: list[str] | None = None, prefix: str = "manifest") -> None:
        self.output_dir = output_dir
        self.keys = keys
        self.prefix = prefix

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], list(self.keys or [])

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def process(self, task: AudioTask) -> FileGroupTask:
        if not task.data:
            return task.derive([], task_type=FileGroupTask)
        os.makedirs(self.output_dir, exist_ok=True)
        path = os.path.join(self.output_dir, f"{_safe(self.prefix)}-{_safe(task.task_id)}.jsonl")
        lines = [json.dumps(self._select(entry), ensure_ascii=False) for entry in task.data]
        replace_atomically(path, "\n".join(lines) + "\n")
        self.record_metric("entries_written", len(lines))
        return task.derive([path], task_type=FileGroupTask)

    def _select(self, entry: dict[str, Any]) -> dict[str, Any]:
        return entry if self.keys is None else {k: entry[k] for k in self.keys if k in entry}


def _safe(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("._") or "task"


def read_manifests(paths: list[str] | str) -> list[dict[str, Any]]:
    """Every entry of one or more JSONL manifests, in file order."""
    entries: list[dict[str, Any]] = []
    for path in [paths] if isinstance(paths, str) else paths:
        with open(path, encoding="utf-8") as handle:
            entries.extend(json.loads(line) for line in handle if line.strip())
    return entries
