"""Vectorised text kernels over Arrow string buffers (numpy byte lookup tables).

Every kernel is exact: a rule that only holds for ASCII text is applied to ASCII rows, and the
caller scores the other rows one by one in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "ASCII_SPACE",
    "byte_table",
    "char_lengths",
    "count_bytes",
    "count_words_ascii",
    "per_row",
    "string_chunks",
]

# What str.isspace() says for ASCII: \t \n \v \f \r, the separators \x1c-\x1f, and the space.
ASCII_SPACE = bytes([9, 10, 11, 12, 13, 28, 29, 30, 31, 32])


def byte_table(members: Iterable[int] | bytes) -> np.ndarray:
    """A 256-entry boolean lookup table with True for each member byte."""
    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(bytes(members), dtype=np.uint8)] = True
    return table


def string_chunks(column: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    """The chunks of a string column as (large_)string arrays; nulls become empty strings."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out = []
    for chunk in chunks:
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            raise TypeError(f"expected a string column, got {chunk.type}")
        if chunk.null_count:
            chunk = pc.fill_null(chunk, "")
        out.append(chunk)
    return out


def _offsets_and_data(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Zero-copy views of a string chunk's offsets (rebased to 0) and value bytes."""
    offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    buffers = chunk.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offset_type)[chunk.offset : chunk.offset + len(chunk) + 1]
    if buffers[2] is None or len(offsets) == 0:
        return np.zeros(len(chunk) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    start, end = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(buffers[2], dtype=np.uint8)[start:end]
    return offsets.astype(np.int64) - start, data


def _row_sums(flags: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per-row sums of a flag array laid out like the value bytes (empty rows give 0)."""
    totals = np.zeros(len(flags) + 1, dtype=np.int64)
    np.cumsum(flags, out=totals[1:])
    return totals[offsets[1:]] - totals[offsets[:-1]]


def count_bytes(chunk: pa.Array, table: np.ndarray) -> np.ndarray:
    """Per row, how many bytes fall in ``table`` (exact per character for ASCII members)."""
    offsets, data = _offsets_and_data(chunk)
    return _row_sums(table[data], offsets)


def count_words_ascii(chunk: pa.Array) -> np.ndarray:
    """Per row, ``len(text.split())`` computed on bytes: exact for rows that are pure ASCII."""
    offsets, data = _offsets_and_data(chunk)
    if len(data) == 0:
        return np.zeros(len(chunk), dtype=np.int64)
    space = byte_table(ASCII_SPACE)[data]
    starts = ~space
    # A word starts at a non-space byte preceded by a space or by the start of its row.
    starts[1:] &= space[:-1]
    row_starts = offsets[:-1][offsets[:-1] < offsets[1:]]
    starts[row_starts] = ~space[row_starts]
    return _row_sums(starts, offsets)


def char_lengths(chunk: pa.Array) -> np.ndarray:
    """Per row, ``len(text)`` in code points."""
    return np.asarray(pc.utf8_length(chunk).to_numpy(zero_copy_only=False), dtype=np.int64)


def is_ascii(chunk: pa.Array) -> np.ndarray:
    """Per row, whether the text is pure ASCII."""
    return np.asarray(pc.string_is_ascii(chunk).to_numpy(zero_copy_only=False), dtype=bool)


def per_row(chunk: pa.Array, rows: np.ndarray, func: Callable[[str], float]) -> list[float]:
    """``func`` applied to the listed rows' Python strings (the exact slow path)."""
    if len(rows) == 0:
        return []
    values = chunk.take(pa.array(rows, type=pa.int64())).to_pylist()
    return [func(value) for value in values]
