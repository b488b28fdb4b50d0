"""``ManifestWriterStage``: one JSONL manifest per task, written atomically."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from curator_audio.tasks import AudioTask
from curator_core.stages import ProcessingStage
from curator_core.storage import atomic_write, join, open_input, safe_file_name
from curator_core.tasks import FileGroupTask

__all__ = ["ManifestWriterStage", "read_manifests"]


class ManifestWriterStage(ProcessingStage[AudioTask, FileGroupTask]):
    """Write each task's entries to ``output_dir/<prefix>-<task id>.jsonl`` (temporary name, then rename).

    ``output_dir`` is a folder or a URL prefix (``s3://bucket/manifests``, with ``storage_options``).
    File names come from task ids, which are the same on every run and executor, so a rerun
    overwrites instead of duplicating. A task with no entries writes nothing. Returns the
    written paths as a FileGroupTask.
    """

    name = "ManifestWriterStage"

    def __init__(
        self,
        output_dir: str,
        keys: list[str] | None = None,
        prefix: str = "manifest",
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.output_dir = output_dir
        self.keys = keys
        self.prefix = prefix
        self.storage_options = dict(storage_options) if storage_options else None

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], list(self.keys or [])

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def process(self, task: AudioTask) -> FileGroupTask:
        if not task.data:
            return task.derive([], task_type=FileGroupTask)
        path = join(self.output_dir, safe_file_name(f"{self.prefix}-{task.task_id}") + ".jsonl")
        lines = [json.dumps(self._select(entry), ensure_ascii=False) for entry in task.data]
        with atomic_write(path, "w", self.storage_options) as handle:
            handle.write("\n".join(lines) + "\n")
        self.record_metric("entries_written", len(lines))
        return task.derive([path], task_type=FileGroupTask)

    def _select(self, entry: dict[str, Any]) -> dict[str, Any]:
        return entry if self.keys is None else {k: entry[k] for k in self.keys if k in entry}


def read_manifests(paths: list[str] | str, storage_options: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every entry of one or more JSONL manifests (files or URLs), in file order."""
    entries: list[dict[str, Any]] = []
    for path in [paths] if isinstance(paths, str) else paths:
        with open_input(path, "r", storage_options) as handle:
            entries.extend(json.loads(line) for line in handle.read().splitlines() if line.strip())
    return entries
