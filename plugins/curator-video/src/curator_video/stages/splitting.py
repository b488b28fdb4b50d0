"""Clip extraction: spans by fixed stride, or between detected scene cuts."""

from __future__ import annotations

from collections.abc import Iterator

from curator_core import ProcessingStage, Resources
from curator_video.spans import fixed_stride_spans, scene_spans
from curator_video.tasks import Clip, Video, VideoTask, clip_id_for

__all__ = ["FixedStrideExtractorStage", "SceneCutExtractorStage"]


def _set_clips(video: Video, spans: list[tuple[float, float]], method: str) -> None:
    video.clips = [
        Clip(clip_id=clip_id_for(video.source_digest, span), source=video.path, span=span, metadata={"method": method})
        for span in spans
    ]
    video.num_total_clips = len(video.clips)


class FixedStrideExtractorStage(ProcessingStage[VideoTask, VideoTask]):
    """Clips of ``clip_len_s`` every ``clip_stride_s`` seconds (metadata only: nothing is decoded)."""

    name = "FixedStrideExtractorStage"
    # Nothing is decoded; the same request as the reader lets the two share a worker (fusion).
    resources = Resources(cpus=1.0)

    def __init__(
        self,
        clip_len_s: float = 10.0,
        clip_stride_s: float = 10.0,
        min_clip_length_s: float = 2.0,
        limit_clips: int = 0,
    ) -> None:
        if clip_len_s <= 0 or clip_stride_s <= 0:
            raise ValueError(f"clip_len_s and clip_stride_s must be > 0, got {clip_len_s} and {clip_stride_s}")
        self.clip_len_s = clip_len_s
        self.clip_stride_s = clip_stride_s
        self.min_clip_length_s = min_clip_length_s
        self.limit_clips = limit_clips

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["metadata"]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["clips"]

    def process(self, task: VideoTask) -> VideoTask:
        video = task.data
        if video.ok:
            if not video.metadata.duration_s:
                video.errors.append("split: the container reports no duration")
                self.record_metric("videos_errored", 1)
                return task
            spans = fixed_stride_spans(
                video.metadata.duration_s, self.clip_len_s, self.clip_stride_s, self.min_clip_length_s, self.limit_clips
            )
            _set_clips(video, spans, "fixed_stride")
            self.record_metric("clips_extracted", len(spans))
        return task


class SceneCutExtractorStage(ProcessingStage[VideoTask, VideoTask]):
    """Clips between hard cuts, found by a content detector on downscaled decoded frames.

    See :mod:`curator_video.scenes` for the score; ``analysis_width`` is the width frames are
    scaled to before scoring (cuts survive downscaling, the cost mostly does not).
    """

    name = "SceneCutExtractorStage"
    resources = Resources(cpus=1.0)

    def __init__(
        self,
        threshold: float = 27.0,
        min_scene_len_s: float = 0.5,
        min_clip_length_s: float = 0.5,
        max_clip_length_s: float | None = None,
        limit_clips: int = 0,
        analysis_width: int = 64,
    ) -> None:
        self.threshold = threshold
        self.min_scene_len_s = min_scene_len_s
        self.min_clip_length_s = min_clip_length_s
        self.max_clip_length_s = max_clip_length_s
        self.limit_clips = limit_clips
        self.analysis_width = analysis_width

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["metadata"]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["clips", "scene_cuts_s"]

    def process(self, task: VideoTask) -> VideoTask:
        import numpy as np

        from curator_video.media.decode import iter_frames
        from curator_video.scenes import content_scores, detect_cuts

        video = task.data
        if not video.ok:
            return task
        try:
            # Streamed: only two small frames are held at a time, whatever the video's length.
            times: list[float] = []

            def frames() -> Iterator[np.ndarray]:
                for t, frame in iter_frames(video, width=self.analysis_width, threads=int(self.resources.cpus)):
                    times.append(t)
                    yield frame

            scores = content_scores(frames())
        except Exception as exc:
            video.errors.append(f"scene detection: {type(exc).__name__}: {exc}")
            self.record_metric("videos_errored", 1)
            return task
        cuts = detect_cuts(np.asarray(times), scores, self.threshold, self.min_scene_len_s)
        duration = video.metadata.duration_s or (float(times[-1]) + 1.0 / (video.metadata.fps or 25.0))
        video.scene_cuts_s = cuts
        _set_clips(
            video,
            scene_spans(cuts, duration, self.min_clip_length_s, self.max_clip_length_s, self.limit_clips),
            "scene_cut",
        )
        self.record_metric("scene_cuts", len(cuts))
        self.record_metric("clips_extracted", len(video.clips))
        return task
