"""The core's stage conformance suite for every video stage, on the session's synthetic videos."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from video_helpers import read_task

from curator_core import FileGroupTask, ProcessingStage
from curator_video.stages import (
    ClipFrameExtractionStage,
    ClipTranscodingStage,
    ClipWriterStage,
    FixedStrideExtractorStage,
    MotionFilterStage,
    MotionScoringStage,
    SceneCutExtractorStage,
    VideoReaderStage,
)
from curator_video.synthetic import SyntheticVideo
from curator_video.tasks import VideoTask
from curator_video.testing import VideoStageSuite

_CACHE: dict[str, list[VideoTask]] = {}


def _clipped(videos: dict[str, SyntheticVideo]) -> list[VideoTask]:
    stage = FixedStrideExtractorStage(clip_len_s=2.0, clip_stride_s=2.0)
    return [stage.process(read_task(videos[name].path)) for name in ("static_middle", "corrupt")]


def _encoded(videos: dict[str, SyntheticVideo]) -> list[VideoTask]:
    if "encoded" not in _CACHE:
        stage = ClipTranscodingStage(num_cpus=1)
        _CACHE["encoded"] = [stage.process(task) for task in _clipped(videos)]  # type: ignore[misc]
    return copy.deepcopy(_CACHE["encoded"])


def _scored(videos: dict[str, SyntheticVideo]) -> list[VideoTask]:
    stage = MotionScoringStage()
    return [stage.process(task) for task in _encoded(videos)]


class _Suite(VideoStageSuite):
    videos: dict[str, SyntheticVideo]

    @pytest.fixture(autouse=True)
    def _inputs(self, videos: dict[str, SyntheticVideo], tmp_path: Path) -> None:
        self.videos = videos
        self.tmp_path = tmp_path


class TestVideoReaderStage(_Suite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return VideoReaderStage()

    def sample_tasks(self) -> list[Any]:
        v = self.videos
        return [
            FileGroupTask(task_id="a", dataset_name="d", data=[v["moving_shapes"].path, v["corrupt"].path]),
            FileGroupTask(task_id="b", dataset_name="d", data=[v["scene_cut"].path]),
        ]


class TestFixedStrideExtractorStage(_Suite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return FixedStrideExtractorStage(clip_len_s=2.0, clip_stride_s=1.0)

    def sample_tasks(self) -> list[Any]:
        return [read_task(self.videos[name].path) for name in ("moving_shapes", "corrupt")]


class TestSceneCutExtractorStage(_Suite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return SceneCutExtractorStage()

    def sample_tasks(self) -> list[Any]:
        return [read_task(self.videos[name].path) for name in ("scene_cut", "corrupt")]


class TestClipTranscodingStage(_Suite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return ClipTranscodingStage(num_cpus=1, clips_per_chunk=2)

    def sample_tasks(self) -> list[Any]:
        return _clipped(self.videos)


class TestMotionScoringStage(_Suite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return MotionScoringStage()

    def sample_tasks(self) -> list[Any]:
        return _encoded(self.videos)


class TestMotionFilterStage(_Suite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return MotionFilterStage()

    def sample_tasks(self) -> list[Any]:
        return _scored(self.videos)


class TestClipFrameExtractionStage(_Suite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return ClipFrameExtractionStage(target_fps=2, width=32)

    def sample_tasks(self) -> list[Any]:
        return _encoded(self.videos)


class TestClipWriterStage(_Suite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return ClipWriterStage(str(self.tmp_path / "out"))

    def sample_tasks(self) -> list[Any]:
        return _scored(self.videos)
