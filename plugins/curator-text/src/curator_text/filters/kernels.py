"""Vectorised text kernels over Arrow string buffers: numpy byte classes, counted per row.

Every kernel is exact: a rule that only holds for ASCII text is applied to ASCII rows, and the
caller scores the other rows one by one in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "ASCII_SPACE",
    "as_arrow",
    "as_numpy",
    "ascii_word_spans",
    "byte_table",
    "char_lengths",
    "count_bytes",
    "count_words_ascii",
    "from_numpy",
    "member_mask",
    "per_row",
    "string_chunks",
    "strings_to_arrow",
    "to_numpy",
]

# What str.isspace() says for ASCII: \t \n \v \f \r, the separators \x1c-\x1f, and the space.
ASCII_SPACE = bytes([9, 10, 11, 12, 13, 28, 29, 30, 31, 32])


def byte_table(members: Iterable[int] | bytes) -> np.ndarray:
    """A 256-entry boolean lookup table with True for each member byte."""
    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(bytes(members), dtype=np.uint8)] = True
    return table


_SPACE_TABLE = byte_table(ASCII_SPACE)


WINDOW_BYTES = 1 << 20
"""Kernels see at most about this many text bytes at once (whole rows): their temporaries stay
small enough to be reused from cache instead of being mapped afresh, and to be handed back."""


def string_chunks(column: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    """A string column as (large_)string arrays of whole rows, about ``WINDOW_BYTES`` of text each
    (zero-copy slices, in order); nulls become empty strings."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out = []
    for chunk in chunks:
        if pa.types.is_null(chunk.type):
            chunk = strings_to_arrow([""] * len(chunk))
        elif not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            raise TypeError(f"expected a string column, got {chunk.type}")
        elif chunk.null_count:
            # coalesce with an all-empty column: a Python "" scalar would make pyarrow import pandas
            chunk = pc.coalesce(chunk, strings_to_arrow([""] * len(chunk)).cast(chunk.type))
        out.extend(_windows(chunk))
    return out


def _windows(chunk: pa.Array) -> list[pa.Array]:
    """``chunk`` cut between rows into slices of about ``WINDOW_BYTES`` (a longer row stays whole)."""
    offsets, _ = _offsets_and_data(chunk)
    total = int(offsets[-1]) if len(offsets) else 0
    if total <= WINDOW_BYTES:
        return [chunk]
    cuts = np.searchsorted(offsets, np.arange(WINDOW_BYTES, total, WINDOW_BYTES))
    bounds = np.unique(np.concatenate([[0], cuts, [len(chunk)]])).tolist()
    return [chunk.slice(start, end - start) for start, end in pairwise(bounds) if end > start]


def _offsets_and_data(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Zero-copy views of a string chunk's offsets (rebased to 0) and value bytes."""
    offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    buffers = chunk.buffers()
    if len(chunk) == 0 or buffers[1] is None:
        return np.zeros(len(chunk) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    offsets = np.frombuffer(buffers[1], dtype=offset_type)[chunk.offset : chunk.offset + len(chunk) + 1]
    if buffers[2] is None or len(offsets) == 0:
        return np.zeros(len(chunk) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    start, end = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(buffers[2], dtype=np.uint8)[start:end]
    return offsets.astype(np.int64) - start, data


def _row_sums(flags: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Per-row counts of True in a flag array laid out like the value bytes (empty rows give 0)."""
    if flags.size and np.count_nonzero(flags) * 2 > flags.size:
        # Dense flags: count the complement, which has fewer positions to find.
        complement: np.ndarray = np.diff(offsets) - _row_sums(~flags, offsets)
        return complement
    positions = np.flatnonzero(flags)
    counts: np.ndarray = np.diff(np.searchsorted(positions, offsets))
    return counts


def member_mask(data: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``table[data]`` computed as a few range comparisons (several times faster than a gather)."""
    members = np.flatnonzero(table)
    if len(members) == 0:
        return np.zeros(len(data), dtype=bool)
    breaks = np.flatnonzero(np.diff(members) != 1)
    starts = np.concatenate([[members[0]], members[breaks + 1]])
    ends = np.concatenate([members[breaks], [members[-1]]])
    if len(starts) > 16:
        gathered: np.ndarray = table[data]
        return gathered
    mask = np.zeros(len(data), dtype=bool)
    hit = np.empty(len(data), dtype=bool)
    shifted = np.empty(len(data), dtype=np.uint8)
    for low, high in zip(starts.tolist(), ends.tolist()):
        if low == high:
            np.equal(data, low, out=hit)
        else:
            # uint8 wrap-around turns low <= x <= high into one comparison.
            np.subtract(data, np.uint8(low), out=shifted)
            np.less_equal(shifted, high - low, out=hit)
        mask |= hit
    return mask


def count_bytes(chunk: pa.Array, table: np.ndarray) -> np.ndarray:
    """Per row, how many bytes fall in ``table`` (exact per character for ASCII members)."""
    offsets, data = _offsets_and_data(chunk)
    return _row_sums(member_mask(data, table), offsets)


def count_words_ascii(chunk: pa.Array) -> np.ndarray:
    """Per row, ``len(text.split())`` computed on bytes: exact for rows that are pure ASCII."""
    offsets, data = _offsets_and_data(chunk)
    if len(data) == 0:
        return np.zeros(len(chunk), dtype=np.int64)
    space = member_mask(data, _SPACE_TABLE)
    starts = ~space
    # A word starts at a non-space byte preceded by a space or by the start of its row.
    starts[1:] &= space[:-1]
    row_starts = offsets[:-1][offsets[:-1] < offsets[1:]]
    starts[row_starts] = ~space[row_starts]
    return _row_sums(starts, offsets)


def to_numpy(array: pa.Array) -> np.ndarray:
    """A null-free numeric or boolean Arrow array as numpy, read from its buffers.

    ``Array.to_numpy`` imports pandas when it is installed: seconds in every fresh worker.
    """
    if array.null_count:
        raise ValueError("to_numpy: the array has nulls")
    data = array.buffers()[1]
    if pa.types.is_boolean(array.type):
        bits = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")
        return bits[array.offset : array.offset + len(array)].astype(bool)
    values = np.frombuffer(data, dtype=array.type.to_pandas_dtype())
    return values[array.offset : array.offset + len(array)]


def from_numpy(values: np.ndarray) -> pa.Array:
    """A numpy bool or numeric array as an Arrow array, without ``pa.array`` (it imports pandas)."""
    values = np.ascontiguousarray(values)
    if values.dtype == bool:
        packed = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(packed)])
    arrow_type = pa.from_numpy_dtype(values.dtype)
    return pa.Array.from_buffers(arrow_type, len(values), [None, pa.py_buffer(values)])


def strings_to_arrow(values: list[str]) -> pa.Array:
    """A list of str as an Arrow string array, built from its buffers (no pandas import)."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    offset_type = pa.large_string() if offsets[-1] >= 2**31 else pa.string()
    offset_dtype = np.int64 if offset_type == pa.large_string() else np.int32
    buffers = [None, pa.py_buffer(offsets.astype(offset_dtype)), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(offset_type, len(encoded), buffers).cast(pa.string())


def as_arrow(values: object) -> pa.Array | pa.ChunkedArray:
    """Arrow, numpy or a list of str / numbers as an Arrow array (avoiding ``pa.array``'s pandas import)."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        return values
    if isinstance(values, np.ndarray) and values.dtype != object:
        return from_numpy(values)
    items = list(values)  # type: ignore[call-overload]
    if all(isinstance(v, str) for v in items):
        return strings_to_arrow(items)
    if all(isinstance(v, bool | int | float | np.number) for v in items):
        return from_numpy(np.asarray(items))
    return pa.array(items)


def as_numpy(values: object) -> np.ndarray:
    """Scores as numpy: numeric null-free Arrow data from its buffers, anything else through Python."""
    if isinstance(values, np.ndarray):
        return values
    if isinstance(values, pa.ChunkedArray | pa.Array):
        chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
        kind = values.type
        numeric = pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
        if numeric and not values.null_count:
            parts = [to_numpy(c) for c in chunks]
            return np.concatenate(parts) if parts else np.zeros(0, dtype=values.type.to_pandas_dtype())
        return np.array(values.to_pylist(), dtype=object)
    return np.asarray(values)


def ascii_word_spans(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every ``str.split()`` word of the chunk's ASCII text: (row, start, end) byte positions.

    Exact for pure-ASCII rows; callers redo the other rows in Python.
    """
    offsets, data = _offsets_and_data(chunk)
    if len(data) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    space = member_mask(data, _SPACE_TABLE)
    word = ~space
    starts = word.copy()
    starts[1:] &= space[:-1]
    ends = word.copy()
    ends[:-1] &= space[1:]
    heads = offsets[:-1][offsets[:-1] < offsets[1:]]
    starts[heads] = word[heads]
    tails = offsets[1:][offsets[:-1] < offsets[1:]] - 1
    ends[tails] = word[tails]
    start_at = np.flatnonzero(starts)
    end_at = np.flatnonzero(ends) + 1
    rows = np.searchsorted(offsets, start_at, side="right") - 1
    return rows, start_at, end_at


def char_lengths(chunk: pa.Array) -> np.ndarray:
    """Per row, ``len(text)`` in code points."""
    return to_numpy(pc.utf8_length(chunk)).astype(np.int64)


def is_ascii(chunk: pa.Array) -> np.ndarray:
    """Per row, whether the text is pure ASCII."""
    return to_numpy(pc.string_is_ascii(chunk))


def per_row(chunk: pa.Array, rows: np.ndarray, func: Callable[[str], float]) -> list[float]:
    """``func`` applied to the listed rows' Python strings (the exact slow path)."""
    if len(rows) == 0:
        return []
    values = chunk.take(from_numpy(np.asarray(rows, dtype=np.int64))).to_pylist()
    return [func(value) for value in values]
