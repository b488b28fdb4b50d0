"""Decoding: open a video's source and iterate its frames, resampled in time and size."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import av
import numpy as np

from curator_video.tasks import Video

__all__ = ["decode_frames", "iter_frames", "new_scaler", "open_source"]


def open_source(source: Video | bytes | str) -> Any:
    """An input container for a Video (its loaded bytes, else its path), raw bytes, or a path."""
    if isinstance(source, Video):
        source = source.source_bytes if source.source_bytes is not None else source.path
    if isinstance(source, bytes):
        return av.open(io.BytesIO(source), "r")
    return av.open(source, "r")


def iter_frames(
    source: Video | bytes | str,
    *,
    target_fps: float | None = None,
    width: int | None = None,
    height: int | None = None,
    pix_fmt: str = "rgb24",
    threads: int = 1,
) -> Iterator[tuple[float, np.ndarray]]:
    """Yield ``(time_s, array)`` per kept frame; ``target_fps`` keeps the frame at or after each tick.

    Scaling happens in FFmpeg's swscale, so analysing a downscaled copy costs little more than
    decoding. Give ``width`` or ``height`` alone to keep the aspect ratio (rounded to even).
    """
    scaler = new_scaler()
    with open_source(source) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        stream.codec_context.thread_count = max(1, threads)
        out_w, out_h = _size(stream.codec_context.width, stream.codec_context.height, width, height)
        step = 1.0 / target_fps if target_fps else 0.0
        next_tick = 0.0
        start: float | None = None
        for frame in container.decode(stream):
            t = float(frame.time if frame.time is not None else 0.0)
            if start is None:
                start = t
            t -= start
            if step:
                if t + 1e-6 < next_tick:
                    continue
                while next_tick <= t + 1e-6:
                    next_tick += step
            scaled = scaler.reformat(frame, width=out_w, height=out_h, format=pix_fmt, threads=threads)
            yield t, scaled.to_ndarray()


def new_scaler() -> Any:
    """A scaler owned by the caller.

    ``VideoFrame.reformat`` reuses one thread-local scaler whose slice threads (PyAV >= 17 asks
    for automatic threading) do not survive ``fork``: a forked worker that touches it hangs in
    ``avpriv_slicethread_free``. A scaler per call, with an explicit thread count, cannot be
    inherited half-alive.
    """
    from av.video.reformatter import VideoReformatter

    return VideoReformatter()


def decode_frames(source: Video | bytes | str, **options: Any) -> tuple[np.ndarray, np.ndarray]:
    """Times ``(n,)`` in seconds and all kept frames as one array ``(n, h, w[, c])``."""
    times: list[float] = []
    arrays: list[np.ndarray] = []
    for t, array in iter_frames(source, **options):
        times.append(t)
        arrays.append(array)
    if not arrays:
        return np.zeros((0,), dtype=np.float64), np.zeros((0, 0, 0), dtype=np.uint8)
    return np.asarray(times), np.stack(arrays)


def _size(src_w: int, src_h: int, width: int | None, height: int | None) -> tuple[int, int]:
    if width and height:
        return int(width), int(height)
    if width:
        return int(width), max(2, round(src_h * width / src_w / 2) * 2)
    if height:
        return max(2, round(src_w * height / src_h / 2) * 2), int(height)
    return src_w, src_h
