"""Probe a video's container metadata with PyAV (no full decode)."""

from __future__ import annotations

from typing import Any

from curator_video.media.decode import open_source
from curator_video.tasks import Video, VideoMetadata

__all__ = ["probe"]


def probe(video: Video, verify_decode: bool = True) -> VideoMetadata:
    """Metadata of ``video``; raises (av.error.FFmpegError, ValueError, OSError) when unreadable.

    Frame count comes from the stream header or, when the container does not say, from counting
    packets; ``verify_decode`` decodes the first frame so that a file with a valid header but broken
    data is caught here rather than in a later stage.
    """
    with open_source(video) as container:
        if not container.streams.video:
            raise ValueError(f"{video.path}: no video stream")
        stream = container.streams.video[0]
        fps = float(stream.average_rate or stream.guessed_rate or 0) or None
        duration = _duration(container, stream)
        frames = int(stream.frames or 0)
        if verify_decode:
            next(iter(container.decode(stream)))
            container.seek(0)
        if frames <= 0:
            frames = sum(1 for packet in container.demux(stream) if packet.size)
        if duration is None and fps:
            duration = frames / fps
        return VideoMetadata(
            duration_s=duration,
            fps=fps,
            width=stream.codec_context.width or None,
            height=stream.codec_context.height or None,
            codec=stream.codec_context.name,
            pixel_format=stream.codec_context.pix_fmt,
            num_frames=frames or None,
            bit_rate=container.bit_rate or None,
            audio_streams=len(container.streams.audio),
        )


def _duration(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    return None
