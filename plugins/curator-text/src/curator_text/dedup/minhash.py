"""Vectorised shingling, MinHash signatures and LSH band hashes over Arrow string buffers.

Shingles are the ``n``-byte windows of each document's UTF-8 text (characters, for ASCII text),
hashed with a polynomial rolling hash built by doubling (a handful of numpy passes over the bytes,
whatever ``n``) and a murmur3 finaliser. Signatures use one-permutation hashing with rotation
densification (Li, Owen and Zhang 2012; Shrivastava and Li 2014): each shingle hash is computed once
and falls into one of ``num_hashes`` bins, whose minima form the signature, so the cost is one pass
per shingle instead of one per shingle and hash function; two documents agree on a bin with
probability equal to their Jaccard similarity, as with classic MinHash.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

__all__ = ["EMPTY", "Shingles", "band_hashes", "jaccard", "minhash_signatures", "shingle_hashes", "shingle_sets"]

_BASE = 0x100000001B3  # odd, so multiplying by it is a bijection mod 2**64
_C1 = np.uint64(0xFF51AFD7ED558CCD)
_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_PRIME = np.uint64(0x9E3779B97F4A7C15)
_LOW32 = np.uint64(0xFFFFFFFF)
EMPTY = np.uint64(1 << 32)
"""A signature entry no shingle filled (values are 32-bit)."""

_CHUNK_BYTES = 1 << 22


def _fmix(x: np.ndarray) -> np.ndarray:
    """murmur3's 64-bit finaliser, in place."""
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(33)
        x *= _C1
        x ^= x >> np.uint64(33)
        x *= _C2
        x ^= x >> np.uint64(33)
    return x


def _mix_scalar(value: int) -> np.uint64:
    return np.uint64(_fmix(np.array([value & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64))[0])


def _window_hash(data: np.ndarray, n: int) -> np.ndarray:
    """Polynomial hash of every ``n``-byte window of ``data`` (length ``len(data) - n + 1``)."""
    cur = data.astype(np.uint64)
    result: np.ndarray | None = None
    result_span = span = 0
    span = 1
    with np.errstate(over="ignore"):
        while True:
            if n & span:
                if result is None:
                    result, result_span = cur, span
                else:
                    m = len(cur) - result_span
                    result = result[:m] * np.uint64(pow(_BASE, span, 1 << 64)) + cur[result_span : result_span + m]
                    result_span += span
            if span * 2 > n:
                break
            cur = cur[:-span] * np.uint64(pow(_BASE, span, 1 << 64)) + cur[span:]
            span *= 2
    assert result is not None
    return result


@dataclass
class Shingles:
    """Shingle hashes of a batch of documents: ``hashes[i]`` belongs to document ``docs[i]``."""

    hashes: np.ndarray  # uint64
    docs: np.ndarray  # int64, ascending


def _utf8_buffers(texts: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """The bytes and (n+1) offsets of a string column, without copying strings into Python."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks != 1 else texts.chunk(0)
    if not pa.types.is_large_string(texts.type):
        texts = texts.cast(pa.large_string())
    texts = texts.fill_null("")
    _, offsets_buf, data_buf = texts.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[texts.offset : texts.offset + len(texts) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    return data, offsets


def shingle_hashes(texts: pa.Array | pa.ChunkedArray, n: int, seed: int) -> Shingles:
    """Hashes of every ``n``-byte window of every document (documents shorter than ``n`` have none)."""
    data, offsets = _utf8_buffers(texts)
    seed_mix = _mix_scalar(seed * 0x9E3779B97F4A7C15 + 1)
    parts_h: list[np.ndarray] = []
    parts_d: list[np.ndarray] = []
    num_docs = len(offsets) - 1
    start_doc = 0
    while start_doc < num_docs:
        # A run of whole documents of about _CHUNK_BYTES bounds the temporary arrays.
        limit = offsets[start_doc] + _CHUNK_BYTES
        end_doc = int(np.searchsorted(offsets, limit, side="right")) - 1
        end_doc = min(max(end_doc, start_doc + 1), num_docs)
        lo, hi = int(offsets[start_doc]), int(offsets[end_doc])
        if hi - lo >= n:
            chunk = data[lo:hi]
            window = _window_hash(chunk, n)
            lengths = np.diff(offsets[start_doc : end_doc + 1])
            doc_of_byte = np.repeat(np.arange(start_doc, end_doc, dtype=np.int64), lengths)[: len(window)]
            ends = offsets[doc_of_byte + 1] - lo
            valid = np.arange(len(window), dtype=np.int64) + n <= ends
            hashes = window[valid]
            hashes ^= seed_mix
            parts_h.append(_fmix(hashes))
            parts_d.append(doc_of_byte[valid])
        start_doc = end_doc
    if not parts_h:
        return Shingles(np.zeros(0, np.uint64), np.zeros(0, np.int64))
    return Shingles(np.concatenate(parts_h), np.concatenate(parts_d))


def minhash_signatures(shingles: Shingles, num_docs: int, num_hashes: int) -> tuple[np.ndarray, np.ndarray]:
    """``(signatures, has_shingles)``: a ``(num_docs, num_hashes)`` uint64 matrix and a row mask.

    Rows of documents without shingles are all EMPTY and masked out; they never enter LSH.
    """
    flat = np.full(num_docs * num_hashes, EMPTY, dtype=np.uint64)
    x = shingles.hashes
    with np.errstate(over="ignore"):
        bins = (((x >> np.uint64(32)) * np.uint64(num_hashes)) >> np.uint64(32)).astype(np.int64)
    np.minimum.at(flat, shingles.docs * num_hashes + bins, x & _LOW32)
    sig = flat.reshape(num_docs, num_hashes)
    has = np.zeros(num_docs, dtype=bool)
    has[shingles.docs] = True
    _densify(sig, has)
    return sig, has


def _densify(sig: np.ndarray, has: np.ndarray) -> None:
    """Fill empty bins from the next non-empty bin to the right, offset by the distance (rotation)."""
    empty = sig == EMPTY
    rows = np.flatnonzero(has & empty.any(axis=1))
    if not len(rows):
        return
    original = sig[rows]
    todo = empty[rows]
    filled = original.copy()
    for distance in range(1, sig.shape[1]):
        shifted = np.roll(original, -distance, axis=1)
        take = todo & (shifted != EMPTY)
        if take.any():
            filled[take] = shifted[take] + np.uint64(distance) * EMPTY
            todo &= ~take
        if not todo.any():
            break
    sig[rows] = filled


def band_hashes(sig: np.ndarray, num_bands: int, rows_per_band: int, seed: int) -> np.ndarray:
    """One 64-bit hash per (document, band); the band number is mixed in so bands never collide."""
    num_docs = sig.shape[0]
    bands = sig[:, : num_bands * rows_per_band].reshape(num_docs, num_bands, rows_per_band)
    start = np.arange(num_bands, dtype=np.uint64) + np.uint64(seed & 0xFFFFFFFF) * np.uint64(1 << 16)
    h = np.broadcast_to(_fmix(start + np.uint64(1)), (num_docs, num_bands)).copy()
    with np.errstate(over="ignore"):
        for row in range(rows_per_band):
            h = _fmix(h * _PRIME ^ bands[:, :, row])
    return h


def shingle_sets(texts: pa.Array | pa.ChunkedArray, n: int, seed: int) -> list[np.ndarray]:
    """Each document's distinct shingle hashes, sorted (for exact Jaccard).

    One sort of ``document << h | hash >> (64 - h)`` keys instead of a two-key sort: the hashes keep
    ``64 - log2(documents)`` bits, ample for sets of a few thousand shingles.
    """
    shingles = shingle_hashes(texts, n, seed)
    doc_bits = max(1, len(texts).bit_length())
    keys = shingles.docs.astype(np.uint64) << np.uint64(64 - doc_bits)
    keys |= shingles.hashes >> np.uint64(doc_bits)
    keys.sort()
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys
    docs = (keys >> np.uint64(64 - doc_bits)).astype(np.int64)
    bounds = np.searchsorted(docs, np.arange(len(texts) + 1))
    values = keys & np.uint64((1 << (64 - doc_bits)) - 1)  # within a document the prefix is constant
    return [values[bounds[i] : bounds[i + 1]] for i in range(len(texts))]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted sets of distinct hashes (0.0 when both are empty)."""
    if not len(a) and not len(b):
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0.0
    # Both sorted and distinct: look each element of the smaller set up in the larger one.
    where = np.searchsorted(b, a).clip(max=len(b) - 1)
    common = int(np.count_nonzero(b[where] == a))
    return common / (len(a) + len(b) - common)
