"""``ClipTranscodingStage``: cut every clip out of its source and encode it, then fan out in chunks."""

from __future__ import annotations

import dataclasses
import math
from typing import ClassVar

from curator_core import ProcessingStage, Resources
from curator_video.tasks import VideoTask

__all__ = ["ClipTranscodingStage"]


class ClipTranscodingStage(ProcessingStage[VideoTask, VideoTask]):
    """Encode each clip to MP4 with PyAV, ``num_cpus`` encoder threads; emit chunks of ``clips_per_chunk``.

    ``encoder="auto"`` takes the first available of libx264, h264, libopenh264, mpeg4
    (see :data:`curator_video.media.codecs.ENCODER_PREFERENCE`). An NVENC encoder
    (``h264_nvenc``, ``hevc_nvenc``) makes the stage ask for a GPU's encoder (``nvencs=1``).
    Chunking keeps a long video from becoming one huge task downstream: each chunk is its own
    task (and fusion is off), so frame extraction, scoring and writing spread over workers.
    """

    name = "ClipTranscodingStage"
    allow_fusion: ClassVar[bool] = False

    def __init__(
        self, encoder: str = "auto", num_cpus: float = 2.0, clips_per_chunk: int = 32, quality: int = 23
    ) -> None:
        if clips_per_chunk < 1:
            raise ValueError(f"clips_per_chunk must be >= 1, got {clips_per_chunk}")
        self.encoder = encoder
        self.clips_per_chunk = clips_per_chunk
        self.quality = quality
        gpu_encoder = encoder.endswith("_nvenc")
        self.resources = Resources(cpus=num_cpus, nvencs=1 if gpu_encoder else 0)
        self._resolved: str | None = None

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["clips"]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["clips.buffer", "clip_chunk_index", "num_clip_chunks"]

    @property
    def encoder_threads(self) -> int:
        """Threads given to each decoder and encoder: the whole CPUs this stage asked for."""
        return max(1, math.floor(self.resources.cpus))

    def setup(self, worker_metadata: object = None) -> None:
        from curator_video.media.codecs import pick_encoder

        self._resolved = pick_encoder(self.encoder)

    def process(self, task: VideoTask) -> VideoTask | list[VideoTask]:
        from curator_video.media.codecs import pick_encoder
        from curator_video.media.encode import encode_clips

        video = task.data
        if not video.ok or not video.clips:
            return task
        encoder = self._resolved or pick_encoder(self.encoder)
        try:
            encode_clips(video, video.clips, encoder=encoder, threads=self.encoder_threads, quality=self.quality)
        except Exception as exc:
            video.errors.append(f"transcode: {type(exc).__name__}: {exc}")
            for clip in video.clips:
                if clip.buffer is None:
                    clip.errors.append("not encoded: the source failed to decode")
            self.record_metric("videos_errored", 1)
        encoded = [clip for clip in video.clips if clip.buffer is not None]
        self.record_metric("clips_transcoded", len(encoded))
        self.record_metric("clip_seconds_transcoded", sum(clip.duration_s for clip in encoded))
        return self._chunks(task)

    def _chunks(self, task: VideoTask) -> VideoTask | list[VideoTask]:
        video = task.data
        groups = [video.clips[i : i + self.clips_per_chunk] for i in range(0, len(video.clips), self.clips_per_chunk)]
        if len(groups) <= 1:
            return task
        return [
            task.derive(
                dataclasses.replace(
                    video,
                    clips=group,
                    filtered_clips=list(video.filtered_clips) if index == 0 else [],
                    errors=list(video.errors),
                    clip_chunk_index=index,
                    num_clip_chunks=len(groups),
                )
            )
            for index, group in enumerate(groups)
        ]
