"""Motion: score each clip by frame differences, and filter out static clips (listed, not lost)."""

from __future__ import annotations

import numpy as np

from curator_core import ProcessingStage, Resources
from curator_video.tasks import VideoTask

__all__ = ["MotionFilterStage", "MotionScoringStage", "motion_scores"]

GLOBAL = "motion_global"
PATCH = "motion_patch_max"


def motion_scores(gray: np.ndarray, patch_grid: int = 4) -> dict[str, float]:
    """Scores of a ``(n, h, w)`` uint8 clip, both in 0..1 (fraction of full scale).

    ``motion_global``: mean absolute difference between consecutive frames. ``motion_patch_max``:
    the same mean inside each cell of a ``patch_grid`` x ``patch_grid`` grid, the largest cell; it
    sees a small moving object on a still background that the global mean dilutes.
    """
    if len(gray) < 2:
        return {GLOBAL: 0.0, PATCH: 0.0}
    diff = np.abs(np.diff(gray.astype(np.int16), axis=0)).mean(axis=0) / 255.0
    h, w = diff.shape
    cells = [
        diff[i * h // patch_grid : (i + 1) * h // patch_grid, j * w // patch_grid : (j + 1) * w // patch_grid].mean()
        for i in range(patch_grid)
        for j in range(patch_grid)
    ]
    return {GLOBAL: float(diff.mean()), PATCH: float(max(cells))}


class MotionScoringStage(ProcessingStage[VideoTask, VideoTask]):
    """Decode each encoded clip small and grey, at ``target_fps``, and score its motion."""

    name = "MotionScoringStage"
    resources = Resources(cpus=1.0)

    def __init__(self, target_fps: float | None = 8.0, analysis_width: int = 64, patch_grid: int = 4) -> None:
        self.target_fps = target_fps
        self.analysis_width = analysis_width
        self.patch_grid = patch_grid

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["clips.buffer"]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["clips.scores"]

    def process(self, task: VideoTask) -> VideoTask:
        from curator_video.media.decode import decode_frames

        for clip in task.data.clips:
            if clip.buffer is None:
                continue
            try:
                _times, gray = decode_frames(
                    clip.buffer, target_fps=self.target_fps, width=self.analysis_width, pix_fmt="gray"
                )
            except Exception as exc:
                clip.errors.append(f"motion scoring: {type(exc).__name__}: {exc}")
                self.record_metric("clips_errored", 1)
                continue
            clip.scores.update(motion_scores(gray, self.patch_grid))
        return task


class MotionFilterStage(ProcessingStage[VideoTask, VideoTask]):
    """Move static clips to ``video.filtered_clips`` (with their scores); keep the rest.

    A clip is static when both scores are below their thresholds. A clip with no score (it was
    never encoded) is kept, so its error reaches the writer.
    """

    name = "MotionFilterStage"
    resources = Resources(cpus=1.0)

    def __init__(
        self, global_threshold: float = 0.004, patch_threshold: float = 0.01, score_only: bool = False
    ) -> None:
        self.global_threshold = global_threshold
        self.patch_threshold = patch_threshold
        self.score_only = score_only

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["clips.scores"]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["filtered_clips"]

    def is_static(self, scores: dict[str, float]) -> bool:
        if GLOBAL not in scores:
            return False
        return scores[GLOBAL] < self.global_threshold and scores.get(PATCH, 0.0) < self.patch_threshold

    def process(self, task: VideoTask) -> VideoTask:
        video = task.data
        static = [clip for clip in video.clips if self.is_static(clip.scores)]
        for clip in static:
            clip.metadata["static"] = True
        self.record_metric("clips_static", len(static))
        if self.score_only or not static:
            return task
        video.clips = [clip for clip in video.clips if not self.is_static(clip.scores)]
        for clip in static:
            clip.metadata["filtered_by"] = self.name
            clip.buffer = None
            clip.extracted_frames.clear()
        video.filtered_clips.extend(static)
        return task
