"""Reading and writing audio files, with one error type for "missing or unreadable"."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
import soundfile as sf
import soxr

from curator_core.storage import is_local, open_input
from curator_core.tasks import content_id

__all__ = [
    "AudioInfo",
    "UnreadableAudio",
    "as_int16",
    "audio_info",
    "derived_name",
    "read_audio",
    "resample",
    "to_mono",
    "write_audio",
]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")


class UnreadableAudio(Exception):
    """Internal: an audio file could not be opened; stages turn it into their error policy."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class AudioInfo:
    """What the header says: frames, sample rate, channels."""

    frames: int
    sample_rate: int
    channels: int

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0


@contextmanager
def _source(path: str, storage_options: Mapping[str, Any] | None) -> Iterator[str | IO[bytes]]:
    """A local path as it is; a URL (``s3://...``) as an open file (credentials: ``storage_options``)."""
    if is_local(path):
        if not os.path.isfile(path):
            raise UnreadableAudio(path, "no such file")
        yield path
        return
    try:
        with open_input(path, "rb", storage_options) as handle:
            yield handle
    except FileNotFoundError:
        raise UnreadableAudio(path, "no such file") from None


def audio_info(path: str, storage_options: Mapping[str, Any] | None = None) -> AudioInfo:
    """Header facts of ``path`` (a file or a URL; soundfile), or :class:`UnreadableAudio`."""
    try:
        with _source(path, storage_options) as source:
            info = sf.info(source)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise UnreadableAudio(path, str(exc) or type(exc).__name__) from exc
    except OSError as exc:
        if not is_local(path):
            raise  # a storage failure (denied, unreachable) is not a bad file
        raise UnreadableAudio(path, str(exc) or type(exc).__name__) from exc
    if info.frames < 0 or info.samplerate <= 0:
        raise UnreadableAudio(path, "no frames or no sample rate in header")
    return AudioInfo(frames=int(info.frames), sample_rate=int(info.samplerate), channels=int(info.channels))


def read_audio(
    path: str, dtype: str = "float32", storage_options: Mapping[str, Any] | None = None
) -> tuple[np.ndarray, int]:
    """Samples as a (frames, channels) array and the sample rate, or :class:`UnreadableAudio`."""
    try:
        with _source(path, storage_options) as source:
            data, rate = sf.read(source, dtype=dtype, always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise UnreadableAudio(path, str(exc) or type(exc).__name__) from exc
    except OSError as exc:
        if not is_local(path):
            raise  # a storage failure (denied, unreachable) is not a bad file
        raise UnreadableAudio(path, str(exc) or type(exc).__name__) from exc
    return data, int(rate)


def to_mono(samples: np.ndarray) -> np.ndarray:
    """Average channels: (frames, channels) -> (frames,)."""
    if samples.ndim == 1:
        return samples
    if samples.shape[1] == 1:
        return samples[:, 0]
    mixed: np.ndarray = samples.mean(axis=1, dtype=np.float64).astype(samples.dtype)
    return mixed


def resample(samples: np.ndarray, rate_in: int, rate_out: int, quality: str = "HQ") -> np.ndarray:
    """Resample with soxr (a real band-limited resampler); no-op when the rates match."""
    if rate_in == rate_out:
        return samples
    return np.asarray(soxr.resample(samples, rate_in, rate_out, quality=quality), dtype=samples.dtype)


def derived_name(source_path: str, extension: str, tag: str = "") -> str:
    """A file name for an output made from ``source_path``: readable, unique, never a path.

    The stem is sanitised (so a name cannot escape the output folder) and suffixed with a hash
    of the absolute source path (so two ``a.wav`` from different folders do not collide).
    """
    stem = os.path.splitext(os.path.basename(source_path))[0]
    stem = _UNSAFE.sub("_", stem).strip("._")[:80] or "audio"
    key = os.path.abspath(source_path) + (f"#{tag}" if tag else "")
    suffix = f"-{tag}" if tag else ""
    return f"{stem}{suffix}-{content_id(key)}.{extension.lstrip('.')}"


def write_audio(
    path: str, samples: np.ndarray, sample_rate: int, fmt: str | None = None, subtype: str | None = None
) -> None:
    """Write to a temporary name beside ``path``, then rename: no partial file is ever visible."""
    fmt = (fmt or os.path.splitext(path)[1].lstrip(".") or "wav").upper()
    tmp = _tmp_name(path)
    try:
        sf.write(tmp, samples, sample_rate, format=fmt, subtype=subtype)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _tmp_name(path: str) -> str:
    folder, name = os.path.split(path)
    # Same folder (rename stays atomic), hidden, and unique per process.
    return os.path.join(folder, f".{name}.tmp-{os.getpid()}-{id(path):x}")


def as_int16(samples: np.ndarray) -> Any:
    """Float samples in [-1, 1] to 16-bit PCM (what recognisers and webrtcvad want)."""
    if samples.dtype == np.int16:
        return samples
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)
