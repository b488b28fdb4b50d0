"""``ClipFrameExtractionStage``: decode each encoded clip into frames at a target rate and size."""

from __future__ import annotations

import math

from curator_core import ProcessingStage, Resources
from curator_video.tasks import VideoTask

__all__ = ["ClipFrameExtractionStage", "frames_key"]


def frames_key(target_fps: float | None, width: int | None, height: int | None) -> str:
    """Where a clip keeps frames of one setting in ``clip.extracted_frames`` (e.g. ``"2fps-64x0"``)."""
    fps = "native" if not target_fps else f"{target_fps:g}fps"
    return f"{fps}-{width or 0}x{height or 0}"


class ClipFrameExtractionStage(ProcessingStage[VideoTask, VideoTask]):
    """Frames as a uint8 numpy array ``(n, h, w, 3)`` per clip, for downstream models.

    ``target_fps`` None keeps every frame; give ``width`` or ``height`` alone to keep the aspect
    ratio, neither to keep the clip's size. Frames land in ``clip.extracted_frames[frames_key(...)]``.
    """

    name = "ClipFrameExtractionStage"
    resources = Resources(cpus=1.0)

    def __init__(
        self,
        target_fps: float | None = 2.0,
        width: int | None = None,
        height: int | None = None,
        pix_fmt: str = "rgb24",
    ) -> None:
        self.target_fps = target_fps
        self.width = width
        self.height = height
        self.pix_fmt = pix_fmt

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["clips.buffer"]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["clips.extracted_frames"]

    def process(self, task: VideoTask) -> VideoTask:
        from curator_video.media.decode import decode_frames

        key = frames_key(self.target_fps, self.width, self.height)
        threads = max(1, math.floor(self.resources.cpus))
        for clip in task.data.clips:
            if clip.buffer is None:
                continue
            try:
                _times, frames = decode_frames(
                    clip.buffer,
                    target_fps=self.target_fps,
                    width=self.width,
                    height=self.height,
                    pix_fmt=self.pix_fmt,
                    threads=threads,
                )
            except Exception as exc:
                clip.errors.append(f"frame extraction: {type(exc).__name__}: {exc}")
                self.record_metric("clips_errored", 1)
                continue
            clip.extracted_frames[key] = frames
            self.record_metric("frames_extracted", len(frames))
        return task
