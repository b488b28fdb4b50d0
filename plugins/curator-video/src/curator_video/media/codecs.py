"""Which video encoder to use: H.264 where the installed PyAV build has one, else MPEG-4 part 2."""

from __future__ import annotations

import functools

import av

__all__ = ["ENCODER_PREFERENCE", "encoder_options", "pick_encoder"]

ENCODER_PREFERENCE: tuple[str, ...] = ("libx264", "h264", "libopenh264", "mpeg4")
"""Tried in order by ``encoder="auto"``: PyPI wheels of PyAV ship libx264; ``h264`` is whatever
H.264 encoder FFmpeg was built with; ``libopenh264`` is Cisco's; ``mpeg4`` (MPEG-4 part 2) is
FFmpeg's native encoder and is always present."""


@functools.cache
def available(name: str) -> bool:
    """True when FFmpeg in this PyAV build can encode with ``name``."""
    try:
        av.codec.Codec(name, "w")
    except (av.codec.codec.UnknownCodecError, ValueError):
        return False
    return True


def pick_encoder(requested: str = "auto") -> str:
    """The encoder to use: ``requested`` if available, or the first of ENCODER_PREFERENCE for 'auto'."""
    if requested != "auto":
        if not available(requested):
            raise ValueError(
                f"video encoder {requested!r} is not in this PyAV build; try 'auto' or one of "
                f"{[n for n in ENCODER_PREFERENCE if available(n)]}"
            )
        return requested
    for name in ENCODER_PREFERENCE:
        if available(name):
            return name
    raise RuntimeError(f"no video encoder found among {ENCODER_PREFERENCE}")


def encoder_options(name: str, quality: int) -> dict[str, str]:
    """Codec options for a quality level (x264's CRF scale, 0 best .. 51 worst)."""
    if name in ("libx264", "h264"):
        return {"crf": str(quality), "preset": "veryfast"}
    if name == "mpeg4":
        # qscale 2..31; map CRF 18..40 roughly onto it.
        return {"qscale": str(max(2, min(31, (quality - 14) // 2)))}
    return {}
