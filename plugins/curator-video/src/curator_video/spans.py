"""Clip spans: fixed stride, or between scene cuts (pure functions, seconds in and out)."""

from __future__ import annotations

import itertools

__all__ = ["fixed_stride_spans", "scene_spans"]

Span = tuple[float, float]


def fixed_stride_spans(
    duration_s: float, clip_len_s: float, clip_stride_s: float, min_clip_length_s: float = 0.0, limit_clips: int = 0
) -> list[Span]:
    """Spans ``[k * stride, min(k * stride + len, duration))``; shorter tails than ``min_clip_length_s`` are dropped.

    ``limit_clips`` > 0 keeps only the first that many spans.
    """
    if clip_len_s <= 0 or clip_stride_s <= 0:
        raise ValueError(f"clip_len_s and clip_stride_s must be > 0, got {clip_len_s} and {clip_stride_s}")
    spans: list[Span] = []
    k = 0
    while (start := round(k * clip_stride_s, 9)) < duration_s - 1e-9:
        end = min(start + clip_len_s, duration_s)
        if end - start >= min_clip_length_s - 1e-9:
            spans.append((start, end))
        if limit_clips and len(spans) >= limit_clips:
            break
        k += 1
    return spans


def scene_spans(
    cuts_s: list[float],
    duration_s: float,
    min_clip_length_s: float = 0.0,
    max_clip_length_s: float | None = None,
    limit_clips: int = 0,
) -> list[Span]:
    """Scenes between consecutive cuts; long scenes split into equal parts of at most ``max_clip_length_s``."""
    bounds = [0.0, *sorted(c for c in cuts_s if 0.0 < c < duration_s), duration_s]
    spans: list[Span] = []
    for start, end in itertools.pairwise(bounds):
        if end - start < min_clip_length_s - 1e-9:
            continue
        parts = 1
        if max_clip_length_s:
            parts = max(1, -int(-(end - start) // max_clip_length_s))
        step = (end - start) / parts
        spans.extend((start + i * step, start + (i + 1) * step if i + 1 < parts else end) for i in range(parts))
    return spans[:limit_clips] if limit_clips else spans
