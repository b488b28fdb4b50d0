"""Content-based scene-cut detection on downscaled frames, in numpy.

The score between consecutive frames is the mean absolute difference of their pixels in HSV
(0-255 per channel), as in PySceneDetect's ``ContentDetector``; a cut is where the score
exceeds ``threshold`` and the previous cut is at least ``min_scene_len_s`` back. Written here
rather than taken from PySceneDetect because that pulls in OpenCV for a few lines of numpy.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["content_scores", "detect_cuts", "rgb_to_hsv"]


def rgb_to_hsv(rgb: np.ndarray) -> np.ndarray:
    """``(..., 3)`` uint8 RGB to float HSV, every channel scaled to 0-255."""
    x = rgb.astype(np.float32) / 255.0
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    v = x.max(axis=-1)
    c = v - x.min(axis=-1)
    s = np.where(v > 0, c / np.maximum(v, 1e-12), 0.0)
    safe = np.maximum(c, 1e-12)
    h = np.where(v == r, (g - b) / safe % 6, np.where(v == g, (b - r) / safe + 2, (r - g) / safe + 4))
    h = np.where(c > 0, h / 6.0, 0.0)
    return np.stack([h, s, v], axis=-1) * 255.0


def content_scores(frames: Iterable[np.ndarray]) -> np.ndarray:
    """Score of each frame against the one before it (the first frame scores 0)."""
    scores: list[float] = []
    previous: np.ndarray | None = None
    for frame in frames:
        hsv = rgb_to_hsv(frame)
        scores.append(0.0 if previous is None else float(np.abs(hsv - previous).mean()))
        previous = hsv
    return np.asarray(scores, dtype=np.float64)


def detect_cuts(
    times_s: np.ndarray, scores: np.ndarray, threshold: float = 27.0, min_scene_len_s: float = 0.5
) -> list[float]:
    """Times of the first frame of every new scene."""
    cuts: list[float] = []
    last = float(times_s[0]) if len(times_s) else 0.0
    for t, score in zip(times_s[1:], scores[1:]):
        if score >= threshold and t - last >= min_scene_len_s - 1e-9:
            cuts.append(float(t))
            last = float(t)
    return cuts
