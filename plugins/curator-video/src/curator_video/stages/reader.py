"""``VideoReader``: list video files and probe each one; a broken file becomes a recorded error."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from curator_core import CompositeStage, EmptyTask, FileGroupTask, FilePartitioningStage, ProcessingStage, Resources
from curator_core.storage import is_local, open_input
from curator_video.tasks import Video, VideoTask, bytes_digest, file_digest

__all__ = ["VIDEO_EXTENSIONS", "VideoReader", "VideoReaderStage"]

log = logging.getLogger(__name__)

VIDEO_EXTENSIONS = [".mp4", ".mov", ".mkv", ".avi", ".webm", ".m4v"]


class VideoReaderStage(ProcessingStage[FileGroupTask, VideoTask]):
    """One ``VideoTask`` per file, with its content digest and probed metadata.

    A file PyAV cannot open or decode is not dropped and does not stop the run: its task carries
    the error in ``video.errors`` (later stages pass it through untouched, the writer lists it in
    the per-video metadata) and the ``videos_errored`` metric counts it. A remote source
    (``s3://...``) is read whole into the task, since decoders cannot open URLs.
    """

    name = "VideoReaderStage"
    # Probing demuxes headers and one frame: one core is plenty.
    resources = Resources(cpus=1.0)

    def __init__(
        self, load_bytes: bool = False, verify_decode: bool = True, storage_options: Mapping[str, Any] | None = None
    ) -> None:
        self.load_bytes = load_bytes
        self.verify_decode = verify_decode
        self.storage_options = dict(storage_options) if storage_options else None

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["metadata", "source_digest", "errors"]

    def process(self, task: FileGroupTask) -> list[VideoTask]:
        return [self._read(task, path) for path in task.data]

    def _read(self, task: FileGroupTask, path: str) -> VideoTask:
        from curator_video.media.probe import probe

        local = is_local(path)
        video = Video(path=os.path.abspath(path) if local else path)
        try:
            if local:
                video.source_digest = file_digest(path)
                if self.load_bytes:
                    video.load_bytes()
            else:
                with open_input(path, "rb", self.storage_options) as handle:
                    video.source_bytes = handle.read()
                video.source_digest = bytes_digest(video.source_bytes)
            video.metadata = probe(video, verify_decode=self.verify_decode)
            video.metadata.size_bytes = os.path.getsize(path) if local else len(video.source_bytes or b"")
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
    """Read videos from files, directories or globs (local or URLs): file partitioning, then ``VideoReaderStage``."""

    name = "VideoReader"

    def __init__(
        self,
        file_paths: str | list[str],
        file_extensions: list[str] | None = None,
        files_per_partition: int = 1,
        limit: int | None = None,
        load_bytes: bool = False,
        verify_decode: bool = True,
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.file_paths = file_paths
        self.file_extensions = file_extensions or list(VIDEO_EXTENSIONS)
        self.files_per_partition = files_per_partition
        self.limit = limit
        self.load_bytes = load_bytes
        self.verify_decode = verify_decode
        self.storage_options = dict(storage_options) if storage_options else None

    def decompose(self) -> list[ProcessingStage[Any, Any]]:
        return [
            FilePartitioningStage(
                self.file_paths,
                files_per_partition=self.files_per_partition,
                file_extensions=self.file_extensions,
                limit=self.limit,
                storage_options=self.storage_options,
            ),
            VideoReaderStage(
                load_bytes=self.load_bytes, verify_decode=self.verify_decode, storage_options=self.storage_options
            ),
        ]
