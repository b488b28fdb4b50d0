from __future__ import annotations

import numpy as np
import pytest
from video_helpers import read_task

from curator_video.stages.frames import ClipFrameExtractionStage, frames_key
from curator_video.stages.motion import MotionFilterStage, MotionScoringStage, motion_scores
from curator_video.stages.splitting import FixedStrideExtractorStage
from curator_video.stages.transcoding import ClipTranscodingStage
from curator_video.synthetic import SyntheticVideo
from curator_video.tasks import VideoTask


@pytest.fixture(scope="module")
def static_middle_clips(videos: dict[str, SyntheticVideo]) -> VideoTask:
    """static_middle.mp4 in three 2 s clips, encoded; the middle one is still."""
    task = FixedStrideExtractorStage(clip_len_s=2.0, clip_stride_s=2.0).process(read_task(videos["static_middle"].path))
    out = ClipTranscodingStage(num_cpus=1).process(task)
    assert isinstance(out, VideoTask)
    return out


def test_still_frames_score_zero_and_a_moving_patch_scores_high() -> None:
    still = np.full((5, 32, 32), 100, dtype=np.uint8)
    assert motion_scores(still) == {"motion_global": 0.0, "motion_patch_max": 0.0}
    moving = still.copy()
    for i in range(5):
        moving[i, :8, i : i + 2] = 255
    scores = motion_scores(moving)
    assert scores["motion_patch_max"] > 4 * scores["motion_global"] > 0


def test_static_segment_is_filtered_by_motion_and_listed_with_its_score(
    videos: dict[str, SyntheticVideo], static_middle_clips: VideoTask
) -> None:
    import copy

    task = MotionScoringStage().process(copy.deepcopy(static_middle_clips))
    stage = MotionFilterStage()
    out = stage.process(task)
    (static_span,) = videos["static_middle"].static_spans_s
    assert [c.span for c in out.data.clips] == [(0.0, 2.0), (4.0, 6.0)]
    (filtered,) = out.data.filtered_clips
    assert filtered.span == static_span
    assert filtered.scores["motion_global"] < stage.global_threshold
    assert filtered.buffer is None
    assert filtered.metadata["filtered_by"] == "MotionFilterStage"
    assert all(c.scores["motion_global"] >= stage.global_threshold for c in out.data.clips)
    assert stage.pop_metrics() == {"clips_static": 1.0}


def test_score_only_keeps_static_clips_but_marks_them(static_middle_clips: VideoTask) -> None:
    import copy

    task = MotionScoringStage().process(copy.deepcopy(static_middle_clips))
    out = MotionFilterStage(score_only=True).process(task)
    assert len(out.data.clips) == 3 and not out.data.filtered_clips
    assert [c.metadata.get("static", False) for c in out.data.clips] == [False, True, False]


def test_frames_are_extracted_at_target_fps_and_resolution(static_middle_clips: VideoTask) -> None:
    import copy

    out = ClipFrameExtractionStage(target_fps=4, width=64).process(copy.deepcopy(static_middle_clips))
    for clip in out.data.clips:
        frames = clip.extracted_frames[frames_key(4, 64, None)]
        assert frames.dtype == np.uint8
        assert frames.shape == (8, 48, 64, 3)  # 2 s at 4 fps, 128x96 scaled to width 64


def test_native_rate_and_size_keep_every_frame(static_middle_clips: VideoTask) -> None:
    import copy

    out = ClipFrameExtractionStage(target_fps=None).process(copy.deepcopy(static_middle_clips))
    clip = out.data.clips[0]
    assert clip.extracted_frames["native-0x0"].shape == (clip.num_frames, 96, 128, 3)
