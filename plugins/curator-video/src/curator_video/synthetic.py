"""Synthetic test videos made with PyAV: moving shapes, a hard scene cut, a static segment, a corrupt file.

Used by the example generator (``examples/video/generate_videos.py``), the tests and the benchmark;
nothing is downloaded. Every video is deterministic for given arguments.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import av
import numpy as np

from curator_video.media.codecs import encoder_options, pick_encoder

__all__ = ["SyntheticVideo", "generate_examples", "write_corrupt", "write_video"]

Painter = Callable[[int, float], np.ndarray]


@dataclass(frozen=True)
class SyntheticVideo:
    """What was written, so tests can check results against what was made."""

    path: str
    duration_s: float
    fps: int
    num_frames: int
    scene_cuts_s: list[float] = field(default_factory=list)
    static_spans_s: list[tuple[float, float]] = field(default_factory=list)
    corrupt: bool = False


def write_video(path: str, paint: Painter, num_frames: int, fps: int, encoder: str = "auto") -> None:
    """Encode ``paint(index, t)`` (an RGB uint8 array, even sides) for every frame into ``path``."""
    first = paint(0, 0.0)
    height, width = first.shape[:2]
    codec = pick_encoder(encoder)
    with av.open(path, "w", format="mp4") as container:
        stream: Any = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = encoder_options(codec, 18)
        for index in range(num_frames):
            image = first if index == 0 else paint(index, index / fps)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def write_corrupt(path: str, size: int = 4096, seed: int = 7) -> None:
    """An MP4 name and a plausible first box, then random bytes: no demuxer can read it."""
    noise = np.random.default_rng(seed).integers(0, 256, size, dtype=np.uint8).tobytes()
    with open(path, "wb") as handle:
        handle.write(b"\x00\x00\x00\x18ftypisom" + noise)


def shapes(
    width: int, height: int, background: tuple[int, int, int], speed: float = 1.0, shape: str = "square"
) -> Painter:
    """A shape moving across a textured background, plus a second one bouncing vertically."""
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.empty((height, width, 3), dtype=np.uint8)
    base[...] = background
    base[(xx // 16 + yy // 16) % 2 == 0] //= 2  # a checkerboard, so the background has texture
    size = max(8, height // 4)

    def paint(index: int, t: float) -> np.ndarray:
        image = base.copy()
        x = int((t * speed * width * 0.4) % (width - size))
        y = height // 3
        if shape == "circle":
            mask = (xx - x - size // 2) ** 2 + (yy - y - size // 2) ** 2 <= (size // 2) ** 2
            image[mask] = (255, 255, 255)
        else:
            image[y : y + size, x : x + size] = (255, 255, 0)
        by = int(abs(((t * speed * 0.8) % 2.0) - 1.0) * (height - size))
        image[by : by + size // 2, width - size : width - size // 2] = (255, 0, 255)
        return image

    return paint


def static(painter: Painter, at_t: float) -> Painter:
    """The frame ``painter`` draws at ``at_t``, held."""
    frame = painter(0, at_t)
    return lambda index, t: frame


def sequence(parts: list[tuple[float, Painter]], fps: int) -> Painter:
    """Painters one after another, each for its duration (seconds)."""

    def paint(index: int, t: float) -> np.ndarray:
        start = 0.0
        for duration, painter in parts:
            # Compare frame indices, not float times, so a cut lands exactly on its frame.
            if index < round((start + duration) * fps):
                return painter(index, t - start)
            start += duration
        return parts[-1][1](index, t - start)

    return paint


def generate_examples(
    out_dir: str,
    *,
    width: int = 128,
    height: int = 96,
    fps: int = 24,
    seconds: float = 4.0,
    encoder: str = "auto",
    variant: int = 0,
) -> list[SyntheticVideo]:
    """Write the example set into ``out_dir``: moving shapes, a scene cut, a static middle, a corrupt file.

    Durations scale with ``seconds`` (the moving video lasts ``seconds``; the scene cut falls at
    5/8 of the cut video; the static segment is the middle third of a video 1.5x as long).
    ``variant`` shifts the colours, so that sets made with different variants differ in content
    (clip ids come from content: identical sets would name the same clips).
    """

    def colour(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
        return (rgb[0] + 37 * variant) % 256, (rgb[1] + 71 * variant) % 256, (rgb[2] + 13 * variant) % 256

    os.makedirs(out_dir, exist_ok=True)
    made: list[SyntheticVideo] = []

    moving = os.path.join(out_dir, "moving_shapes.mp4")
    frames = round(seconds * fps)
    write_video(moving, shapes(width, height, colour((40, 90, 160))), frames, fps, encoder)
    made.append(SyntheticVideo(moving, frames / fps, fps, frames))

    cut_video = os.path.join(out_dir, "scene_cut.mp4")
    cut_frame = round(seconds * 5 / 8 * fps)
    cut_t = cut_frame / fps
    painter = sequence(
        [
            (cut_t, shapes(width, height, colour((30, 120, 40)))),
            (seconds - cut_t, shapes(width, height, colour((200, 60, 30)), 1.5, "circle")),
        ],
        fps,
    )
    write_video(cut_video, painter, frames, fps, encoder)
    made.append(SyntheticVideo(cut_video, frames / fps, fps, frames, scene_cuts_s=[cut_t]))

    still = os.path.join(out_dir, "static_middle.mp4")
    third = round(seconds / 2 * fps) / fps
    moving_painter = shapes(width, height, colour((120, 40, 140)))
    painter = sequence([(third, moving_painter), (third, static(moving_painter, third)), (third, moving_painter)], fps)
    still_frames = round(3 * third * fps)
    write_video(still, painter, still_frames, fps, encoder)
    made.append(SyntheticVideo(still, still_frames / fps, fps, still_frames, static_spans_s=[(third, 2 * third)]))

    corrupt = os.path.join(out_dir, "corrupt.mp4")
    write_corrupt(corrupt)
    made.append(SyntheticVideo(corrupt, 0.0, fps, 0, corrupt=True))
    return made
