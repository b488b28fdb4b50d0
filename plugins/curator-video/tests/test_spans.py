from __future__ import annotations

import pytest

from curator_video.spans import fixed_stride_spans, scene_spans


def test_fixed_stride_covers_the_video_in_equal_clips() -> None:
    assert fixed_stride_spans(6.0, 2.0, 2.0) == [(0.0, 2.0), (2.0, 4.0), (4.0, 6.0)]


def test_overlapping_stride_starts_a_clip_every_stride() -> None:
    assert fixed_stride_spans(4.0, 2.0, 1.0, min_clip_length_s=2.0) == [(0.0, 2.0), (1.0, 3.0), (2.0, 4.0)]


def test_short_tail_is_dropped_below_min_clip_length() -> None:
    assert fixed_stride_spans(5.0, 2.0, 2.0, min_clip_length_s=1.5) == [(0.0, 2.0), (2.0, 4.0)]
    assert fixed_stride_spans(5.0, 2.0, 2.0, min_clip_length_s=1.0) == [(0.0, 2.0), (2.0, 4.0), (4.0, 5.0)]


def test_limit_clips_keeps_the_first_clips() -> None:
    assert fixed_stride_spans(60.0, 2.0, 2.0, limit_clips=2) == [(0.0, 2.0), (2.0, 4.0)]


def test_stride_must_be_positive() -> None:
    with pytest.raises(ValueError, match="clip_stride_s"):
        fixed_stride_spans(6.0, 2.0, 0.0)


def test_scenes_run_between_cuts_and_long_scenes_are_split() -> None:
    assert scene_spans([2.5], 4.0) == [(0.0, 2.5), (2.5, 4.0)]
    assert scene_spans([1.0], 5.0, max_clip_length_s=2.0) == [(0.0, 1.0), (1.0, 3.0), (3.0, 5.0)]


def test_scenes_shorter_than_min_clip_length_are_dropped() -> None:
    assert scene_spans([0.3, 2.0], 4.0, min_clip_length_s=0.5) == [(0.3, 2.0), (2.0, 4.0)]
