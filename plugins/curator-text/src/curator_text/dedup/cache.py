"""Intermediate files: Parquet written atomically with its row count, checked when read back."""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from curator_core.errors import CuratorError
from curator_core.storage import atomic_write, open_input

__all__ = ["CacheFileError", "read_all", "read_checked", "write_checked"]

_ROWS_KEY = b"curator.rows"


class CacheFileError(CuratorError, OSError):
    """An intermediate file is missing, truncated or inconsistent; names the file."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"{path}: {reason}; the cache is incomplete or damaged: delete this file's folder (or the whole "
            "cache_path) and run the workflow again"
        )
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


def write_checked(table: pa.Table, path: str, storage_options: dict[str, Any] | None = None) -> str:
    """Write ``table`` to ``path`` atomically, recording its row count in the footer."""
    metadata = dict(table.schema.metadata or {})
    metadata[_ROWS_KEY] = str(table.num_rows).encode()
    table = table.replace_schema_metadata(metadata)
    with atomic_write(path, "wb", storage_options=storage_options) as handle:
        pq.write_table(table, handle, compression="zstd")
    return path


def read_checked(
    path: str, columns: list[str] | None = None, storage_options: dict[str, Any] | None = None
) -> pa.Table:
    """Read a file ``write_checked`` wrote; a missing, truncated or miscounted file is a CacheFileError."""
    try:
        with open_input(path, "rb", storage_options=storage_options) as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise CacheFileError(path, "missing (an earlier step did not finish?)") from exc
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        table = parquet.read(columns=columns)
    except (pa.ArrowInvalid, pa.ArrowException, OSError) as exc:
        raise CacheFileError(path, f"unreadable or truncated ({exc})") from exc
    expected = (parquet.schema_arrow.metadata or {}).get(_ROWS_KEY)
    if expected is None or int(expected) != table.num_rows:
        raise CacheFileError(path, f"holds {table.num_rows} rows, its footer says {expected!r}")
    return table.replace_schema_metadata(None)


def read_all(paths: list[str], storage_options: dict[str, Any] | None = None) -> pa.Table | None:
    """Every file read and checked, concatenated (None when all are empty)."""
    tables = [t for t in (read_checked(p, storage_options=storage_options) for p in paths) if t.num_rows]
    if not tables:
        return None
    return pa.concat_tables(tables)
