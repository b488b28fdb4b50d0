"""Video task types: a ``VideoTask`` carries one ``Video`` and the ``Clip``s cut from it."""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from curator_core import Task

__all__ = ["Clip", "Video", "VideoMetadata", "VideoTask", "clip_id_for", "file_digest"]


@dataclass
class VideoMetadata:
    """What probing the container tells (None where the container does not say)."""

    duration_s: float | None = None
    fps: float | None = None
    width: int | None = None
    height: int | None = None
    codec: str | None = None
    pixel_format: str | None = None
    num_frames: int | None = None
    bit_rate: int | None = None
    audio_streams: int = 0
    size_bytes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Clip:
    """A span of a source video; ``buffer`` holds the encoded clip once transcoded.

    ``clip_id`` is derived from the source's content digest and the span, so the same clip of
    the same file gets the same id on every run and every executor.
    """

    clip_id: str
    source: str
    span: tuple[float, float]
    buffer: bytes | None = field(default=None, repr=False)
    encoder: str | None = None
    num_frames: int | None = None
    width: int | None = None
    height: int | None = None
    extracted_frames: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    scores: dict[str, float] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return self.span[1] - self.span[0]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready metadata (no encoded bytes, frames only by shape); deterministic."""
        return {
            "clip_id": self.clip_id,
            "source": self.source,
            "span": [round(self.span[0], 6), round(self.span[1], 6)],
            "duration_s": round(self.duration_s, 6),
            "encoder": self.encoder,
            "num_frames": self.num_frames,
            "width": self.width,
            "height": self.height,
            "size_bytes": None if self.buffer is None else len(self.buffer),
            "frames": {key: list(array.shape) for key, array in sorted(self.extracted_frames.items())},
            "scores": {key: round(value, 6) for key, value in sorted(self.scores.items())},
            "metadata": self.metadata,
            "errors": list(self.errors),
        }


@dataclass
class Video:
    """One source video: where it is, what it holds, its clips, and what went wrong.

    The bytes are read lazily: stages decode from ``path`` unless :meth:`load_bytes` was called
    (for sources that workers cannot reach by path), so tasks stay small between processes.
    An unreadable video keeps flowing with ``errors`` set, so the writer records it.
    """

    path: str
    source_digest: str = ""
    metadata: VideoMetadata = field(default_factory=VideoMetadata)
    clips: list[Clip] = field(default_factory=list)
    filtered_clips: list[Clip] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    scene_cuts_s: list[float] = field(default_factory=list)
    num_total_clips: int = 0
    clip_chunk_index: int = 0
    num_clip_chunks: int = 1
    source_bytes: bytes | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    @property
    def ok(self) -> bool:
        """False once any stage recorded an error for this video."""
        return not self.errors

    def read_bytes(self) -> bytes:
        """The encoded source: the loaded bytes, else the file's (not kept)."""
        if self.source_bytes is not None:
            return self.source_bytes
        with open(self.path, "rb") as handle:
            return handle.read()

    def load_bytes(self) -> bytes:
        """Read the file once and keep its bytes on the task."""
        if self.source_bytes is None:
            self.source_bytes = self.read_bytes()
        return self.source_bytes

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready per-video metadata, kept and filtered clips listed separately."""
        return {
            "source": self.path,
            "source_digest": self.source_digest,
            "metadata": self.metadata.to_dict(),
            "errors": list(self.errors),
            "scene_cuts_s": [round(t, 6) for t in self.scene_cuts_s],
            "num_total_clips": self.num_total_clips,
            "clip_chunk_index": self.clip_chunk_index,
            "num_clip_chunks": self.num_clip_chunks,
            "clips": [_clip_summary(c) for c in self.clips],
            "filtered_clips": [_clip_summary(c) for c in self.filtered_clips],
        }


@dataclass
class VideoTask(Task[Video]):
    """One video (or one chunk of a video's clips) flowing through the pipeline."""

    @property
    def num_items(self) -> int:
        return len(self.data.clips)

    def validate(self) -> bool:
        return isinstance(self.data, Video) and all(isinstance(c, Clip) for c in self.data.clips)

    def content_key(self) -> str | None:
        return f"{self.data.path}#{self.data.clip_chunk_index}"


def clip_id_for(source_digest: str, span: tuple[float, float]) -> str:
    """A stable clip id: 16 hex digits of BLAKE2b over the source digest and the span (ms)."""
    key = f"{source_digest}:{round(span[0] * 1000)}:{round(span[1] * 1000)}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def bytes_digest(data: bytes) -> str:
    """The :func:`file_digest` of a file holding ``data`` (for sources read whole, remote ones say)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path: str, chunk_size: int = 1 << 20) -> str:
    """BLAKE2b of a file's bytes, streamed: names clips by content, not by path."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def _clip_summary(clip: Clip) -> dict[str, Any]:
    return {
        "clip_id": clip.clip_id,
        "span": [round(clip.span[0], 6), round(clip.span[1], 6)],
        "scores": {key: round(value, 6) for key, value in sorted(clip.scores.items())},
        "errors": list(clip.errors),
    }
