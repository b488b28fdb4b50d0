from __future__ import annotations

import pytest
from video_helpers import FPS, read_task

from curator_video.stages.splitting import FixedStrideExtractorStage, SceneCutExtractorStage
from curator_video.synthetic import SyntheticVideo


def test_fixed_stride_gives_expected_clip_count_and_spans(videos: dict[str, SyntheticVideo]) -> None:
    task = FixedStrideExtractorStage(clip_len_s=2.0, clip_stride_s=2.0).process(read_task(videos["static_middle"].path))
    assert [c.span for c in task.data.clips] == [(0.0, 2.0), (2.0, 4.0), (4.0, 6.0)]
    assert task.data.num_total_clips == 3
    assert len({c.clip_id for c in task.data.clips}) == 3


def test_fixed_stride_with_overlap_and_limit(videos: dict[str, SyntheticVideo]) -> None:
    stage = FixedStrideExtractorStage(clip_len_s=1.5, clip_stride_s=1.0, min_clip_length_s=1.0, limit_clips=3)
    task = stage.process(read_task(videos["moving_shapes"].path))
    assert [c.span for c in task.data.clips] == [(0.0, 1.5), (1.0, 2.5), (2.0, 3.5)]


def test_errored_video_gets_no_clips_and_keeps_its_error(videos: dict[str, SyntheticVideo]) -> None:
    task = FixedStrideExtractorStage().process(read_task(videos["corrupt"].path))
    assert task.data.clips == []
    assert task.data.errors


def test_scene_cut_is_found_within_one_frame_interval(videos: dict[str, SyntheticVideo]) -> None:
    made = videos["scene_cut"]
    task = SceneCutExtractorStage().process(read_task(made.path))
    (cut,) = task.data.scene_cuts_s
    assert cut == pytest.approx(made.scene_cuts_s[0], abs=1 / FPS)
    assert [c.span[0] for c in task.data.clips] == [0.0, cut]
    assert task.data.clips[-1].span[1] == pytest.approx(made.duration_s)


def test_moving_shapes_without_a_cut_give_one_scene(videos: dict[str, SyntheticVideo]) -> None:
    task = SceneCutExtractorStage().process(read_task(videos["moving_shapes"].path))
    assert task.data.scene_cuts_s == []
    assert len(task.data.clips) == 1


def test_long_scenes_are_split_to_max_clip_length(videos: dict[str, SyntheticVideo]) -> None:
    task = SceneCutExtractorStage(max_clip_length_s=1.0).process(read_task(videos["scene_cut"].path))
    assert all(c.duration_s <= 1.0 + 1e-9 for c in task.data.clips)
    assert len(task.data.clips) == 5  # 2.5 s -> 3 parts, 1.5 s -> 2 parts
