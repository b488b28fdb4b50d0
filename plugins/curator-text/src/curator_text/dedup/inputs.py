"""The input corpus: its files in canonical order, their partitions, documents and stable ids.

A document's key is ``file_index << 32 | row``, with files in sorted canonical order, so keys (and
the ids derived from them) do not depend on how files are grouped into partitions. Without an
``id_field`` a document's id is ``<12 hex digits of the canonical file path's hash>-<row>``.
"""

from __future__ import annotations

import io
import posixpath
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from curator_core.storage import list_sized_files, open_input, safe_file_name, size
from curator_core.tasks import content_id

__all__ = ["FILETYPES", "Corpus", "document_ids", "document_keys", "ids_for_keys", "read_documents"]

FILETYPES = {"jsonl": (".jsonl", ".json", ".jsonl.gz"), "parquet": (".parquet",)}
ROW_BITS = 32


@dataclass(frozen=True)
class Corpus:
    """The input files (canonical, sorted) grouped into partitions of consecutive files."""

    files: tuple[str, ...]
    filetype: str
    files_per_partition: int
    sizes: tuple[int, ...] = ()
    """Each file's size in bytes (as stored: compressed files count compressed), when discovered."""

    @classmethod
    def discover(
        cls,
        input_path: str | list[str],
        filetype: str,
        files_per_partition: int = 1,
        storage_options: dict[str, Any] | None = None,
    ) -> Corpus:
        if filetype not in FILETYPES:
            raise ValueError(f"input_filetype must be one of {sorted(FILETYPES)}, got {filetype!r}")
        if files_per_partition < 1:
            raise ValueError(f"files_per_partition must be >= 1, got {files_per_partition}")
        found = list_sized_files(input_path, extensions=list(FILETYPES[filetype]), storage_options=storage_options)
        if not found:
            raise FileNotFoundError(f"no {filetype} files under {input_path!r}")
        files = sorted(found)
        sizes = tuple(known if (known := found[f]) is not None else size(f, storage_options) for f in files)
        return cls(tuple(files), filetype, files_per_partition, sizes)

    @property
    def total_bytes(self) -> int:
        return sum(self.sizes)

    @property
    def num_partitions(self) -> int:
        return -(-len(self.files) // self.files_per_partition)

    def partition(self, index: int) -> list[str]:
        start = index * self.files_per_partition
        return list(self.files[start : start + self.files_per_partition])

    def partitions(self) -> list[list[str]]:
        return [self.partition(i) for i in range(self.num_partitions)]

    def partition_of_keys(self, keys: np.ndarray) -> np.ndarray:
        """The input partition holding each document key."""
        return (keys >> ROW_BITS) // self.files_per_partition

    def file_index(self, path: str) -> int:
        return self.files.index(path)

    def output_names(self) -> dict[str, str]:
        """A stable, unique output file name per input file (its path below the common folder)."""
        common = posixpath.commonpath([f.split("://", 1)[-1] for f in self.files]) if len(self.files) > 1 else ""
        names: dict[str, str] = {}
        for path in self.files:
            bare = path.split("://", 1)[-1]
            relative = bare[len(common) :].lstrip("/") if common else posixpath.basename(bare)
            names[path] = safe_file_name(relative.replace("/", "__") or posixpath.basename(bare))
        return names


def read_documents(
    path: str, filetype: str, columns: list[str] | None = None, storage_options: dict[str, Any] | None = None
) -> pa.Table:
    """One input file as a table (all columns when ``columns`` is None)."""
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    with open_input(path, "rb", storage_options=storage_options) as handle:
        data = handle.read()
    if filetype == "parquet":
        return pq.read_table(io.BytesIO(data), columns=columns)
    if path.endswith(".gz"):
        import gzip

        data = gzip.decompress(data)
    if not data.strip():
        return pa.table({c: pa.array([], pa.string()) for c in columns or []})
    block = min(max(len(data) + 1, 1 << 20), 1 << 30)
    try:
        table = pj.read_json(io.BytesIO(data), read_options=pj.ReadOptions(block_size=block))
    except pa.ArrowInvalid as exc:
        raise ValueError(f"{path}: not valid JSONL ({exc})") from exc
    if columns is not None:
        missing = [c for c in columns if c not in table.column_names]
        if missing:
            raise KeyError(f"{path}: no column(s) {missing} (columns: {table.column_names})")
        table = table.select(columns)
    return table


def document_keys(file_index: int, num_rows: int) -> np.ndarray:
    return (np.int64(file_index) << ROW_BITS) | np.arange(num_rows, dtype=np.int64)


def document_ids(path: str, num_rows: int) -> pa.Array:
    """Generated ids ``<hash of canonical path>-<row>`` for the rows of one file."""
    rows = pc.cast(pa.array(np.arange(num_rows, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(pa.scalar(content_id(path) + "-"), rows, "")


def ids_for_keys(files: tuple[str, ...], keys: np.ndarray) -> list[str]:
    """Generated ids for document keys (for the few documents a result names)."""
    prefixes: dict[int, str] = {}
    out = []
    for key in keys.tolist():
        index = key >> ROW_BITS
        if index not in prefixes:
            prefixes[index] = content_id(files[index])
        out.append(f"{prefixes[index]}-{key & 0xFFFFFFFF}")
    return out
