"""Reading, atomic writing, existence, folders and removal for local paths and URLs."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any

from curator_core.errors import StorageError
from curator_core.storage._filesystems import (
    _OBJECT_STORES,
    backend_errors,
    filesystem,
    is_local,
    local_path,
    translate,
)
from curator_core.storage._paths import protocol_of

__all__ = ["atomic_write", "exists", "makedirs", "open_input", "remove", "size"]


def _encoding(mode: str, encoding: str | None) -> str | None:
    return None if "b" in mode else (encoding or "utf-8")


def _text_kwargs(mode: str, encoding: str | None) -> dict[str, Any]:
    return {} if "b" in mode else {"encoding": encoding or "utf-8"}


@contextmanager
def open_input(
    path: str, mode: str = "rb", storage_options: Mapping[str, Any] | None = None, encoding: str | None = None
) -> Iterator[IO[Any]]:
    """A readable file object; a missing file raises FileNotFoundError naming ``path``."""
    if "r" not in mode or "+" in mode:
        raise ValueError(f"open_input: mode must be a read mode, got {mode!r}")
    if is_local(path):
        target = local_path(path)
        try:
            handle = open(target, mode, encoding=_encoding(mode, encoding))  # noqa: SIM115
        except FileNotFoundError:
            raise FileNotFoundError(f"no such file or directory: {path}") from None
        with handle:
            yield handle
        return
    fs, stripped = filesystem(path, storage_options)
    with backend_errors(path, "opening", fs, storage_options):
        handle = fs.open(stripped, mode, **_text_kwargs(mode, encoding))
    with handle:
        yield handle


def _temporary(target: str) -> str:
    folder, name = target.rsplit("/", 1) if "/" in target else ("", target)
    tmp = f".{name}.tmp-{uuid.uuid4().hex[:12]}"
    return f"{folder}/{tmp}" if folder else tmp


@contextmanager
def atomic_write(
    path: str, mode: str = "wb", storage_options: Mapping[str, Any] | None = None, encoding: str | None = None
) -> Iterator[IO[Any]]:
    """A writable file object whose content appears under ``path`` only when the block exits cleanly.

    It writes a hidden ``.name.tmp-<random>`` beside the target and moves it into place (local:
    ``os.replace``; object stores: the temporary object is complete before it is copied to the
    final key). On an exception the temporary is removed and nothing exists under ``path``.
    The folder is made when missing; on an object store the bucket must exist.
    """
    if mode not in ("w", "wb", "wt"):
        raise ValueError(f"atomic_write: mode must be 'w', 'wt' or 'wb', got {mode!r}")
    if is_local(path):
        with _atomic_local(local_path(path), mode, _encoding(mode, encoding)) as handle:
            yield handle
        return
    fs, stripped = filesystem(path, storage_options)
    tmp = _temporary(stripped)
    with backend_errors(path, "writing", fs, storage_options):
        _require_parent(fs, stripped, path)
        handle = fs.open(tmp, mode, **_text_kwargs(mode, encoding))
    try:
        yield handle
    except BaseException:
        _discard(fs, handle, tmp)
        raise
    with backend_errors(path, "writing", fs, storage_options):
        try:
            handle.close()
            fs.mv(tmp, stripped)
        except BaseException:
            _discard(fs, handle, tmp)
            raise


@contextmanager
def _atomic_local(target: str, mode: str, encoding: str | None) -> Iterator[IO[Any]]:
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{os.path.basename(target)}.tmp-{uuid.uuid4().hex[:12]}")
    try:
        with open(tmp, mode, encoding=encoding) as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


def _discard(fs: Any, handle: Any, tmp: str) -> None:
    discard = getattr(handle, "discard", None)
    try:
        if callable(discard):
            discard()  # abandons a multipart upload without completing it
            handle.closed = True  # a discarded buffer must not be flushed when it is collected
        else:
            handle.close()
    except Exception:
        pass
    try:
        if fs.exists(tmp):
            fs.rm(tmp)
    except Exception:
        pass


_BUCKETS_SEEN: set[tuple[int, str]] = set()  # (filesystem, bucket) known to exist: one check per process


def _require_parent(fs: Any, stripped: str, url: str) -> None:
    """What writing a file needs first: its bucket on an object store, else its folder, made."""
    if protocol_of(url) in (*_OBJECT_STORES, "s3a", "gcs"):
        _require_bucket(fs, stripped, url)
    elif "/" in stripped.rstrip("/"):
        fs.makedirs(stripped.rstrip("/").rsplit("/", 1)[0], exist_ok=True)


def _require_bucket(fs: Any, stripped: str, url: str, action: str = "writing") -> None:
    """Object stores have no folders, but writing into a missing bucket must fail clearly, not create it."""
    if protocol_of(url) not in (*_OBJECT_STORES, "s3a", "gcs"):
        return
    bucket = stripped.split("/", 1)[0]
    if (id(fs), bucket) in _BUCKETS_SEEN:
        return
    if not fs.exists(bucket):
        raise StorageError(f"{action} {url} failed: the bucket '{bucket}' does not exist")
    _BUCKETS_SEEN.add((id(fs), bucket))


def exists(path: str, storage_options: Mapping[str, Any] | None = None) -> bool:
    """True when a file or folder (or, on object stores, any object under the prefix) exists."""
    if is_local(path):
        return os.path.exists(local_path(path))
    fs, stripped = filesystem(path, storage_options)
    with backend_errors(path, "checking", fs, storage_options):
        return bool(fs.exists(stripped))


def size(path: str, storage_options: Mapping[str, Any] | None = None) -> int:
    """The size of a file in bytes."""
    if is_local(path):
        try:
            return os.path.getsize(local_path(path))
        except FileNotFoundError:
            raise FileNotFoundError(f"no such file or directory: {path}") from None
    fs, stripped = filesystem(path, storage_options)
    with backend_errors(path, "reading the size of", fs, storage_options):
        return int(fs.size(stripped))


def makedirs(path: str, storage_options: Mapping[str, Any] | None = None) -> None:
    """Create a folder and its parents (object stores: only check that the bucket exists)."""
    if is_local(path):
        os.makedirs(local_path(path), exist_ok=True)
        return
    fs, stripped = filesystem(path, storage_options)
    with backend_errors(path, "creating", fs, storage_options):
        if protocol_of(path) in (*_OBJECT_STORES, "s3a", "gcs"):
            _require_bucket(fs, stripped, path, "creating")
        else:
            fs.makedirs(stripped, exist_ok=True)


def remove(path: str, storage_options: Mapping[str, Any] | None = None) -> None:
    """Remove a file, or a folder with everything under it; a missing path raises FileNotFoundError."""
    if is_local(path):
        import shutil

        target = local_path(path)
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        elif os.path.lexists(target):
            os.unlink(target)
        else:
            raise FileNotFoundError(f"no such file or directory: {path}")
        return
    fs, stripped = filesystem(path, storage_options)
    try:
        if not fs.exists(stripped):
            raise FileNotFoundError(f"no such file or directory: {path}")
        fs.rm(stripped, recursive=True)
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise translate(exc, path, "removing", fs, storage_options) from exc
