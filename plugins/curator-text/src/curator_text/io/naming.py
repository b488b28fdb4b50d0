"""Output file names from task ids that cannot escape the output folder."""

from __future__ import annotations

import re

__all__ = ["safe_file_stem"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def safe_file_stem(task_id: str, max_length: int = 200) -> str:
    """``task_id`` with anything but letters, digits, ``._-`` replaced and no leading dot."""
    stem = _UNSAFE.sub("_", task_id).lstrip(".")[:max_length]
    return stem or "part"
