"""Test helpers for video stages: the core's conformance suite taught how to compare video tasks."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from curator_core.tasks import Task
from curator_core.testing import StageConformanceSuite
from curator_video.tasks import Clip, Video, VideoTask

__all__ = ["VideoStageSuite", "same_video", "video_columns"]


def video_columns(task: Task[Any]) -> set[str] | None:
    """A video task's "columns": Video's fields, plus ``clips.<field>`` when every clip has it filled."""
    if not isinstance(task, VideoTask):
        return None
    video = task.data
    columns = {f.name for f in dataclasses.fields(Video)}
    for f in dataclasses.fields(Clip):
        if all(_filled(getattr(clip, f.name)) for clip in video.clips):
            columns.add(f"clips.{f.name}")
    return columns


def same_video(left: Video, right: Video) -> bool:
    """Equal videos, comparing frame arrays by value (dataclass == cannot)."""
    if dataclasses.replace(left, clips=[], filtered_clips=[]) != dataclasses.replace(
        right, clips=[], filtered_clips=[]
    ):
        return False
    pairs = list(zip(left.clips, right.clips)) + list(zip(left.filtered_clips, right.filtered_clips))
    if len(left.clips) != len(right.clips) or len(left.filtered_clips) != len(right.filtered_clips):
        return False
    return all(_same_clip(a, b) for a, b in pairs)


def _same_clip(left: Clip, right: Clip) -> bool:
    if dataclasses.replace(left, extracted_frames={}) != dataclasses.replace(right, extracted_frames={}):
        return False
    if left.extracted_frames.keys() != right.extracted_frames.keys():
        return False
    return all(np.array_equal(left.extracted_frames[k], right.extracted_frames[k]) for k in left.extracted_frames)


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, dict | list | bytes):
        return len(value) > 0
    return True


class VideoStageSuite(StageConformanceSuite):
    """``StageConformanceSuite`` for stages over ``VideoTask``s (subclass it as ``Test...``)."""

    def columns_of(self, task: Task[Any]) -> set[str] | None:
        return video_columns(task) if isinstance(task, VideoTask) else super().columns_of(task)

    def assert_same_outputs(self, expected: list[Task[Any]], actual: list[Task[Any]]) -> None:
        if not all(isinstance(t, VideoTask) for t in [*expected, *actual]):
            super().assert_same_outputs(expected, actual)
            return
        assert len(expected) == len(actual), f"{len(expected)} output task(s) expected, got {len(actual)}"
        for position, (left, right) in enumerate(zip(expected, actual)):
            assert left.dataset_name == right.dataset_name, f"output {position}: dataset names differ"
            assert same_video(left.data, right.data), f"output {position}: videos differ"
            assert left._metadata == right._metadata, f"output {position}: metadata differs"
