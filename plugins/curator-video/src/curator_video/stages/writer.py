"""``ClipWriterStage``: clips and their metadata in a folder or bucket, atomically, under deterministic names.

Layout under ``output_path`` (a local folder or a URL prefix such as ``s3://bucket/clips``)::

    clips/<clip-id>.mp4              every kept, encoded clip
    metas/clips/<clip-id>.json       its metadata (span, frames, scores, errors)
    metas/filtered/<clip-id>.json    metadata of each filtered clip (no video written)
    metas/videos/<task-id>.json      per video (or per chunk of a long video's clips): source,
                                     probe metadata, errors, kept and filtered clips listed apart

Clip ids come from the source's content and the span and task ids from the input, so a rerun
overwrites the same files instead of adding new ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from curator_core import FileGroupTask, ProcessingStage, Resources
from curator_core.storage import atomic_write, join, safe_file_name
from curator_video.tasks import VideoTask

__all__ = ["ClipWriterStage"]


def _json(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode("utf-8")


class ClipWriterStage(ProcessingStage[VideoTask, FileGroupTask]):
    """Write kept clips, per-clip and per-video JSON; return the written paths."""

    name = "ClipWriterStage"
    # File writes: mostly waiting on the disk.
    resources = Resources(cpus=0.5)

    def __init__(
        self,
        output_path: str,
        write_filtered_metadata: bool = True,
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.output_path = output_path
        self.write_filtered_metadata = write_filtered_metadata
        self.storage_options = dict(storage_options) if storage_options else None

    def _write(self, path: str, data: bytes) -> None:
        with atomic_write(path, "wb", self.storage_options) as handle:
            handle.write(data)

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["clips"]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def process(self, task: VideoTask) -> FileGroupTask:
        video = task.data
        root = self.output_path if "://" in self.output_path else os.path.abspath(self.output_path)
        written: list[str] = []
        for clip in video.clips:
            name = safe_file_name(clip.clip_id)
            if clip.buffer is not None:
                path = join(root, "clips", f"{name}.mp4")
                self._write(path, clip.buffer)
                written.append(path)
                self.record_metric("clips_written", 1)
            path = join(root, "metas", "clips", f"{name}.json")
            self._write(path, _json({**clip.to_dict(), "video": video.name}))
            written.append(path)
        if self.write_filtered_metadata:
            for clip in video.filtered_clips:
                path = join(root, "metas", "filtered", f"{safe_file_name(clip.clip_id)}.json")
                self._write(path, _json({**clip.to_dict(), "video": video.name}))
                written.append(path)
        self.record_metric("clips_filtered", len(video.filtered_clips))
        if video.errors:
            self.record_metric("videos_with_errors", 1)
        path = join(root, "metas", "videos", f"{safe_file_name(task.task_id)}.json")
        self._write(path, _json({**video.to_dict(), "task_id": task.task_id}))
        written.append(path)
        return FileGroupTask(task_id="", dataset_name=task.dataset_name, data=written)
