"""Path arithmetic that works for local paths and URLs alike, and safe output names."""

from __future__ import annotations

import os
import re

__all__ = ["has_protocol", "join", "protocol_of", "safe_file_name"]

_PROTOCOL = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_MAX_NAME = 200


def protocol_of(path: str) -> str | None:
    """The URL protocol (``"s3"``), or None for a plain local path."""
    match = _PROTOCOL.match(path)
    return match.group(1).lower() if match else None


def has_protocol(path: str) -> bool:
    return protocol_of(path) is not None


def join(base: str, *parts: str) -> str:
    """``base/part/...``: ``os.path.join`` for local paths, ``/``-joined (no doubled ``/``) for URLs."""
    base = os.fspath(base)
    if not has_protocol(base):
        return os.path.join(base, *parts)
    pieces = [p.strip("/") for p in parts if p.strip("/")]
    head = base if base.endswith("://") else base.rstrip("/")
    if not pieces:
        return head
    return head + ("" if head.endswith("://") else "/") + "/".join(pieces)


def safe_file_name(name: str) -> str:
    """A file name from a task id or source name that cannot leave its folder; stable for a given name.

    Anything but letters, digits and ``._-`` becomes ``_``, runs of dots and leading dots go, and a
    name too long for file systems is cut and suffixed with a hash of the whole name.
    """
    safe = _UNSAFE.sub("_", name)
    safe = re.sub(r"\.{2,}", "_", safe).lstrip(".")
    if len(safe) > _MAX_NAME:
        from curator_core.tasks import content_id

        safe = f"{safe[: _MAX_NAME - 13]}-{content_id(name)}"
    return safe or "part"
