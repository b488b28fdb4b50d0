"""Cut clips out of a source video and encode each one to MP4 bytes, in one decoding pass."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import av

from curator_video.media.codecs import encoder_options
from curator_video.media.decode import new_scaler, open_source
from curator_video.tasks import Clip, Video

__all__ = ["encode_clips"]

_EPS = 1e-6


@dataclass
class _Output:
    """One clip being encoded: its in-memory container and how many frames it holds."""

    clip: Clip
    buffer: io.BytesIO = field(default_factory=io.BytesIO)
    container: Any = None
    stream: Any = None
    frames: int = 0


def encode_clips(video: Video, clips: list[Clip], *, encoder: str, threads: int = 1, quality: int = 23) -> None:
    """Set ``buffer``, ``num_frames`` and ``encoder`` on every clip of ``video``.

    The source is decoded once; each decoded frame goes to every clip whose span holds it
    (overlapping strides share the decode). A clip takes the frames with
    ``start <= t < end``, times counted from the first frame, and keeps the source's rate.
    """
    pending = sorted(clips, key=lambda c: (c.span[0], c.span[1]))
    active: list[_Output] = []
    try:
        _run(video, pending, active, encoder, threads, quality)
    except BaseException:
        for output in active:  # release the half-written encoders; their clips keep buffer None
            with contextlib.suppress(Exception):
                output.container.close()
        raise
    for output in active:
        _close(output)
    for clip in pending:
        clip.errors.append(f"span {clip.span} starts after the last decoded frame")


def _run(video: Video, pending: list[Clip], active: list[_Output], encoder: str, threads: int, quality: int) -> None:
    scaler = new_scaler()
    with open_source(video) as source:
        stream = source.streams.video[0]
        stream.thread_type = "AUTO"
        stream.codec_context.thread_count = max(1, threads)
        rate = Fraction(stream.average_rate or stream.guessed_rate or 25).limit_denominator(100_000)
        width, height = _even(stream.codec_context.width), _even(stream.codec_context.height)
        first: float | None = None
        for frame in source.decode(stream):
            t = float(frame.time or 0.0)
            first = t if first is None else first
            t -= first
            while pending and pending[0].span[0] <= t + _EPS:
                active.append(_open(pending.pop(0), encoder, rate, width, height, threads, quality))
            for output in [o for o in active if t >= o.clip.span[1] - _EPS]:
                _close(output)
                active.remove(output)
            if not active and not pending:
                break
            if active:
                picture = scaler.reformat(frame, width=width, height=height, format="yuv420p", threads=threads)
                for output in active:
                    _encode(output, picture, rate)


def _open(clip: Clip, encoder: str, rate: Fraction, width: int, height: int, threads: int, quality: int) -> _Output:
    output = _Output(clip)
    output.container = av.open(output.buffer, "w", format="mp4")
    output.stream = output.container.add_stream(encoder, rate=rate)
    output.stream.width, output.stream.height, output.stream.pix_fmt = width, height, "yuv420p"
    output.stream.codec_context.thread_count = max(1, threads)
    output.stream.options = encoder_options(encoder, quality)
    clip.encoder, clip.width, clip.height = encoder, width, height
    return output


def _encode(output: _Output, picture: Any, rate: Fraction) -> None:
    # Reusing the decoded picture: give it this clip's timeline, and let the encoder pick frame types.
    picture.pts = output.frames
    picture.time_base = 1 / rate
    picture.pict_type = av.video.frame.PictureType.NONE
    for packet in output.stream.encode(picture):
        output.container.mux(packet)
    output.frames += 1


def _close(output: _Output) -> None:
    for packet in output.stream.encode():
        output.container.mux(packet)
    output.container.close()
    output.clip.buffer = output.buffer.getvalue()
    output.clip.num_frames = output.frames


def _even(value: int) -> int:
    return max(2, value - value % 2)
