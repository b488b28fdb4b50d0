"""Expand files, folders and globs, local or remote, into canonical file locations."""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping, Sequence
from typing import Any

from curator_core.storage._filesystems import backend_errors, canonical_path, filesystem, is_local, local_path

__all__ = ["list_files", "list_sized_files"]


def list_files(
    paths: str | Sequence[str],
    extensions: Sequence[str] | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> list[str]:
    """Files under ``paths`` (files, folders recursively with hidden names skipped, globs), sorted, de-duplicated.

    Entries come back canonical (local: absolute real paths; remote: full URLs), so the same data
    gives the same list however its location was spelled. A missing entry raises FileNotFoundError.
    """
    return sorted(list_sized_files(paths, extensions, storage_options))


def list_sized_files(
    paths: str | Sequence[str],
    extensions: Sequence[str] | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> dict[str, int | None]:
    """Like :func:`list_files`, with each file's size when the listing gave it (None: ask later)."""
    found: dict[str, int | None] = {}
    for entry in [paths] if isinstance(paths, str | os.PathLike) else paths:
        entry = os.fspath(entry)
        found.update(_local(entry) if is_local(entry) else _remote(entry, storage_options))
    if extensions:
        suffixes = tuple(e if e.startswith(".") else f".{e}" for e in extensions)
        found = {p: s for p, s in found.items() if p.endswith(suffixes)}
    return found


def _hidden(relative: str) -> bool:
    return any(part.startswith(".") for part in relative.replace(os.sep, "/").split("/") if part)


def _local(entry: str) -> dict[str, int | None]:
    path = local_path(entry)
    if os.path.isdir(path):
        root = canonical_path(path)
        found: dict[str, int | None] = {}
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in names:
                if not name.startswith("."):
                    found[canonical_path(os.path.join(folder, name))] = None
        return found
    if glob.has_magic(path):
        return {canonical_path(p): None for p in glob.glob(path, recursive=True) if os.path.isfile(p)}
    if os.path.isfile(path):
        return {canonical_path(path): None}
    raise FileNotFoundError(f"no such file or directory: {entry}")


def _remote(entry: str, storage_options: Mapping[str, Any] | None) -> dict[str, int | None]:
    entry = canonical_path(entry)  # one spelling: no doubled or trailing slashes, one protocol name
    fs, stripped = filesystem(entry, storage_options)
    protocol = entry.split("://", 1)[0]
    stripped = stripped.rstrip("/")

    def url(key: str) -> str:
        return canonical_path(f"{protocol}://{key}")

    with backend_errors(entry, "listing", fs, storage_options):
        if glob.has_magic(stripped):
            matches = fs.glob(stripped, detail=True)
            return {url(k): _size(i) for k, i in matches.items() if i.get("type") == "file"}
        info = fs.info(stripped)
        if info.get("type") == "directory":
            found = fs.find(stripped, detail=True)
            prefix = fs._strip_protocol(stripped).rstrip("/") + "/"
            return {
                url(k): _size(i)
                for k, i in found.items()
                if i.get("type") == "file" and not _hidden(k[len(prefix) :] if k.startswith(prefix) else k)
            }
        return {url(stripped): _size(info)}


def _size(info: Mapping[str, Any]) -> int | None:
    value = info.get("size", info.get("Size"))
    return int(value) if value is not None else None
