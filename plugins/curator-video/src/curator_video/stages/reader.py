"""``VideoReader``: list video files and probe each one; a broken file becomes a recorded error."""

from __future__ import annotations

import logging
import os
from typing import Any

from curator_core import CompositeStage, EmptyTask, FileGroupTask, FilePartitioningStage, ProcessingStage, Resources
from curator_video.tasks import Video, VideoTask, file_digest

__all__ = ["VIDEO_EXTENSIONS", "VideoReader", "VideoReaderStage"]

log = logging.getLogger(__name__)

VIDEO_EXTENSIONS = [".mp4", ".mov", ".mkv", ".avi", ".webm", ".m4v"]


class VideoReaderStage(ProcessingStage[FileGroupTask, VideoTask]):
    """One ``VideoTask`` per file, with its content digest and probed metadata.

    A file PyAV cannot open or decode is not dropped and does not stop the run: its task carries
    the error in ``video.errors`` (later stages pass it through untouched, the writer lists it in
    the per-video metadata) and the ``videos_errored`` metric counts it.
    """

    name = "VideoReaderStage"
    # Probing demuxes headers and one frame: one core is plenty.
    resources = Resources(cpus=1.0)

    def __init__(self, load_bytes: bool = False, verify_decode: bool = True) -> None:
        self.load_bytes = load_bytes
        self.verify_decode = verify_decode

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["metadata", "source_digest", "errors"]

    def process(self, task: FileGroupTask) -> list[VideoTask]:
        return [self._read(task, path) for path in task.data]

    def _read(self, task: FileGroupTask, path: str) -> VideoTask:
        from curator_video.media.probe import probe

        video = Video(path=os.path.abspath(path))
        try:
            video.source_digest = file_digest(path)
            if self.load_bytes:
                video.load_bytes()
            video.metadata = probe(video, verify_decode=self.verify_decode)
            video.metadata.size_bytes = os.path.getsize(path)
        except Exception as exc:
            video.errors.append(f"read: {type(exc).__name__}: {exc}")
            video.source_bytes = None
            self.record_metric("videos_errored", 1)
            log.warning("video %s is unreadable: %s", path, exc)
        else:
            self.record_metric("video_seconds", video.metadata.duration_s or 0.0)
        self.record_metric("videos_read", 1)
        return VideoTask(task_id="", dataset_name=task.dataset_name, data=video)


class VideoReader(CompositeStage[EmptyTask, VideoTask]):
    """Read videos from files, directories or globs: file partitioning, then ``VideoReaderStage``."""

    name = "VideoReader"

    def __init__(
        self,
        file_paths: str | list[str],
        file_extensions: list[str] | None = None,
        files_per_partition: int = 1,
        limit: int | None = None,
        load_bytes: bool = False,
        verify_decode: bool = True,
    ) -> None:
        self.file_paths = file_paths
        self.file_extensions = file_extensions or list(VIDEO_EXTENSIONS)
        self.files_per_partition = files_per_partition
        self.limit = limit
        self.load_bytes = load_bytes
        self.verify_decode = verify_decode

    def decompose(self) -> list[ProcessingStage[Any, Any]]:
        return [
            FilePartitioningStage(
                self.file_paths,
                files_per_partition=self.files_per_partition,
                file_extensions=self.file_extensions,
                limit=self.limit,
            ),
            VideoReaderStage(load_bytes=self.load_bytes, verify_decode=self.verify_decode),
        ]
