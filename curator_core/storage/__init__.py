"""One file layer for local paths and URLs (``s3://``, ``gs://``, ``memory://``, ``file://``), on fsspec.

Every reader, writer, report, checkpoint and cache goes through these functions, so a path may be a
local path or a URL wherever Curator takes one. Protocol packages are extras: ``curator-core[s3]``,
``curator-core[gcs]``. fsspec itself is imported only when a function here is called.
"""

from __future__ import annotations

from curator_core.errors import StorageError
from curator_core.storage._filesystems import canonical_path, filesystem, is_local
from curator_core.storage._io import atomic_write, exists, makedirs, open_input, remove, size
from curator_core.storage._listing import list_files, list_sized_files
from curator_core.storage._paths import join, safe_file_name

__all__ = [
    "StorageError",
    "atomic_write",
    "canonical_path",
    "exists",
    "filesystem",
    "is_local",
    "join",
    "list_files",
    "list_sized_files",
    "makedirs",
    "open_input",
    "remove",
    "safe_file_name",
    "size",
]
