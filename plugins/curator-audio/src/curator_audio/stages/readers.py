"""Readers: JSONL manifests and folders of audio files, both built on core file partitioning."""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Mapping
from typing import Any

from curator_audio.audio_io import audio_info
from curator_audio.errors import ManifestFormatError
from curator_audio.policy import check_on_error, map_entries, with_skipped
from curator_audio.tasks import AudioTask
from curator_core.stages import OPEN_COLUMNS, CompositeStage, FilePartitioningStage, ProcessingStage
from curator_core.storage import exists, is_local, open_input
from curator_core.tasks import EmptyTask, FileGroupTask

__all__ = [
    "AUDIO_EXTENSIONS",
    "AudioDirectoryReader",
    "AudioFilesToEntriesStage",
    "ManifestReader",
    "ManifestReaderStage",
]

AUDIO_EXTENSIONS = [".wav", ".flac", ".ogg", ".mp3", ".aiff", ".aif", ".opus"]


class ManifestReaderStage(ProcessingStage[FileGroupTask, AudioTask]):
    """Read JSONL manifests (one entry per line) into AudioTasks of ``entries_per_task`` entries.

    Manifests and audio may be local or URLs (``s3://...``, with ``storage_options``).
    Relative ``audio_filepath`` values are resolved against the manifest's folder. With
    ``check_audio`` each file's header is opened, so missing or unreadable audio meets the
    error policy here, once, rather than in every later stage. A malformed line raises
    :class:`~curator_audio.errors.ManifestFormatError` (file and line) under ``on_error="raise"``,
    and is skipped and recorded under ``"skip"``.
    """

    name = "ManifestReaderStage"
    allow_fusion = False  # fan-out: let the chunks spread over the next stage's workers

    def __init__(
        self,
        entries_per_task: int | None = 16,
        filepath_key: str = "audio_filepath",
        check_audio: bool = True,
        on_error: str = "raise",
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        if entries_per_task is not None and entries_per_task < 1:
            raise ValueError(f"ManifestReaderStage: entries_per_task must be >= 1, got {entries_per_task}")
        self.entries_per_task = entries_per_task
        self.filepath_key = filepath_key
        self.check_audio = check_audio
        self.on_error = check_on_error(self.name, on_error)
        self.storage_options = dict(storage_options) if storage_options else None

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.filepath_key, OPEN_COLUMNS]

    def process(self, task: FileGroupTask) -> list[AudioTask]:
        entries: list[dict[str, Any]] = []
        skipped: list[dict[str, str]] = []
        for manifest in task.data:
            for number, line in enumerate(_lines(manifest, self.storage_options), 1):
                if not line.strip():
                    continue
                try:
                    entries.append(self._entry(manifest, number, line))
                except ManifestFormatError as exc:
                    if self.on_error == "raise":
                        raise
                    skipped.append({"stage": self.name, "manifest": manifest, "line": str(number), "error": exc.reason})
        chunk = self.entries_per_task or max(len(entries), 1)
        groups = [entries[start : start + chunk] for start in range(0, len(entries), chunk)] or [[]]
        out: list[AudioTask] = []
        for index, group in enumerate(groups):
            audio = AudioTask(task_id="", dataset_name=task.dataset_name, data=group, filepath_key=self.filepath_key)
            audio = with_skipped(self, audio, skipped if index == 0 else [])
            if self.check_audio:
                audio = map_entries(self, _with_id(audio, task), self._checked, self.on_error)
            out.append(audio)
        return out

    def _entry(self, manifest: str, number: int, line: str) -> dict[str, Any]:
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ManifestFormatError(manifest, number, f"not JSON ({exc.msg})") from exc
        if not isinstance(entry, dict):
            raise ManifestFormatError(manifest, number, f"expected a JSON object, got {type(entry).__name__}")
        path = entry.get(self.filepath_key)
        if not isinstance(path, str) or not path:
            raise ManifestFormatError(manifest, number, f"missing {self.filepath_key!r}")
        entry[self.filepath_key] = _resolve(manifest, path)
        return entry

    def _checked(self, entry: dict[str, Any]) -> dict[str, Any]:
        audio_info(entry[self.filepath_key], self.storage_options)
        return entry


class ManifestReader(CompositeStage[EmptyTask, AudioTask]):
    """Read JSONL manifests (files, folders or globs) into AudioTasks: partitioning + reading."""

    name = "ManifestReader"

    def __init__(
        self,
        manifest_paths: str | list[str],
        files_per_partition: int | None = 1,
        entries_per_task: int | None = 16,
        filepath_key: str = "audio_filepath",
        check_audio: bool = True,
        on_error: str = "raise",
        file_extensions: list[str] | None = None,
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.manifest_paths = manifest_paths
        self.files_per_partition = files_per_partition
        self.file_extensions = file_extensions if file_extensions is not None else [".jsonl", ".json"]
        self.storage_options = dict(storage_options) if storage_options else None
        self.read_stage = ManifestReaderStage(
            entries_per_task, filepath_key, check_audio, on_error, storage_options=self.storage_options
        )

    def decompose(self) -> list[ProcessingStage[Any, Any]]:
        return [
            FilePartitioningStage(
                self.manifest_paths,
                files_per_partition=self.files_per_partition,
                file_extensions=self.file_extensions,
                storage_options=self.storage_options,
            ),
            self.read_stage,
        ]


class AudioFilesToEntriesStage(ProcessingStage[FileGroupTask, AudioTask]):
    """Turn a group of audio paths into manifest entries.

    A sidecar ``<stem>.txt`` beside an audio file becomes the entry's ``text``. Each file's
    header is opened, so missing or unreadable audio meets the error policy here.
    """

    name = "AudioFilesToEntriesStage"

    def __init__(
        self,
        filepath_key: str = "audio_filepath",
        text_key: str = "text",
        on_error: str = "raise",
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.filepath_key = filepath_key
        self.text_key = text_key
        self.on_error = check_on_error(self.name, on_error)
        self.storage_options = dict(storage_options) if storage_options else None

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.filepath_key, OPEN_COLUMNS]

    def process(self, task: FileGroupTask) -> AudioTask:
        seed = AudioTask(
            task_id=task.task_id,
            dataset_name=task.dataset_name,
            data=[{self.filepath_key: os.path.abspath(p) if is_local(p) else p} for p in task.data],
            filepath_key=self.filepath_key,
        )
        return map_entries(self, seed, self._entry, self.on_error)

    def _entry(self, entry: dict[str, Any]) -> dict[str, Any]:
        path = entry[self.filepath_key]
        audio_info(path, self.storage_options)
        sidecar = os.path.splitext(path)[0] + ".txt"
        if exists(sidecar, self.storage_options):
            with open_input(sidecar, "r", self.storage_options) as handle:
                entry[self.text_key] = handle.read().strip()
        return entry


class AudioDirectoryReader(CompositeStage[EmptyTask, AudioTask]):
    """Build manifest entries from a folder (or globs) of audio files: partitioning + entries."""

    name = "AudioDirectoryReader"

    def __init__(
        self,
        audio_paths: str | list[str],
        files_per_partition: int | None = 16,
        file_extensions: list[str] | None = None,
        filepath_key: str = "audio_filepath",
        text_key: str = "text",
        on_error: str = "raise",
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.audio_paths = audio_paths
        self.files_per_partition = files_per_partition
        self.file_extensions = file_extensions if file_extensions is not None else list(AUDIO_EXTENSIONS)
        self.storage_options = dict(storage_options) if storage_options else None
        self.entries_stage = AudioFilesToEntriesStage(filepath_key, text_key, on_error, self.storage_options)

    def decompose(self) -> list[ProcessingStage[Any, Any]]:
        return [
            FilePartitioningStage(
                self.audio_paths,
                files_per_partition=self.files_per_partition,
                file_extensions=self.file_extensions,
                storage_options=self.storage_options,
            ),
            self.entries_stage,
        ]


def _lines(manifest: str, storage_options: Mapping[str, Any] | None) -> list[str]:
    with open_input(manifest, "r", storage_options) as handle:
        return str(handle.read()).splitlines()


def _resolve(manifest: str, path: str) -> str:
    """An entry's audio path: absolute paths and URLs as they are, relative ones against the manifest's folder."""
    if not is_local(path) or os.path.isabs(path):
        return path
    if is_local(manifest):
        return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(manifest)), path))
    protocol, rest = manifest.split("://", 1)
    return f"{protocol}://{posixpath.normpath(posixpath.join(posixpath.dirname(rest), path))}"


def _with_id(audio: AudioTask, parent: FileGroupTask) -> AudioTask:
    # Fan-out children get their ids from the framework later; name the parent in errors meanwhile.
    audio.task_id = audio.task_id or parent.task_id
    return audio
