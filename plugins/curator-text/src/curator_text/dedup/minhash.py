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

import itertools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

__all__ = [
    "EMPTY",
    "Shingles",
    "band_hashes",
    "document_bands",
    "jaccard",
    "minhash_signatures",
    "pair_jaccard",
    "shingle_hashes",
    "shingle_sets",
]

_BASE = 0x100000001B3  # odd, so multiplying by it is a bijection mod 2**64
_C1 = np.uint64(0xFF51AFD7ED558CCD)
_C2 = np.uint64(0xC4CEB9FE1A85EC53)
_PRIME = np.uint64(0x9E3779B97F4A7C15)
_LOW32 = np.uint64(0xFFFFFFFF)
EMPTY = np.uint64(1 << 32)
"""A signature entry no shingle filled (values are 32-bit)."""

_CHUNK_BYTES = 1 << 20
"""Text bytes shingled at once: bounds the temporaries (8 bytes per text byte each), small enough to
come from the heap rather than fresh mappings faulted in page by page (measured: system time halved)."""
_PAIR_CHUNK_BYTES = 1 << 21
"""Text bytes (both sides, summed over pairs) one round of :func:`pair_jaccard` shingles at once."""
_PAIR_DOC_BITS = 20
"""Bits of a composite key naming a document of one round; the hash keeps the other 44 bits, whatever the round."""


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
                    result = result[:m] * np.uint64(pow(_BASE, span, 1 << 64))
                    result += cur[result_span : result_span + m]
                    result_span += span
            if span * 2 > n:
                break
            doubled = cur[:-span] * np.uint64(pow(_BASE, span, 1 << 64))
            doubled += cur[span:]
            cur = doubled
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


def _document_runs(offsets: np.ndarray) -> list[tuple[int, int]]:
    """Runs ``[start, end)`` of whole documents of about ``_CHUNK_BYTES`` each (at least one document)."""
    runs = []
    num_docs = len(offsets) - 1
    start = 0
    while start < num_docs:
        end = int(np.searchsorted(offsets, offsets[start] + _CHUNK_BYTES, side="right")) - 1
        end = min(max(end, start + 1), num_docs)
        runs.append((start, end))
        start = end
    return runs


def shingle_hashes(texts: pa.Array | pa.ChunkedArray, n: int, seed: int) -> Shingles:
    """Hashes of every ``n``-byte window of every document (documents shorter than ``n`` have none)."""
    data, offsets = _utf8_buffers(texts)
    seed_mix = _mix_scalar(seed * 0x9E3779B97F4A7C15 + 1)
    parts_h: list[np.ndarray] = []
    parts_d: list[np.ndarray] = []
    for start_doc, end_doc in _document_runs(offsets):
        lo, hi = int(offsets[start_doc]), int(offsets[end_doc])
        if hi - lo >= n:
            window = _window_hash(data[lo:hi], n)
            lengths = np.diff(offsets[start_doc : end_doc + 1])
            # A window is valid where it starts at least n bytes before its document's end: per
            # document, a run of valid starts then a run of n - 1 (or fewer) invalid ones.
            starts = np.maximum(lengths - (n - 1), 0)
            runs = np.stack([starts, lengths - starts], axis=1).ravel()
            valid = np.repeat(np.tile(np.array([True, False]), len(lengths)), runs)[: len(window)]
            hashes = window[valid]
            del window, valid
            hashes ^= seed_mix
            parts_h.append(_fmix(hashes))
            parts_d.append(np.repeat(np.arange(start_doc, end_doc, dtype=np.int64), starts))
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
    width = sig.shape[1]
    # The nearest non-empty bin at or to the right of each bin, cyclically: a reversed running
    # minimum over the row written twice.
    position = np.where(np.tile(~empty[rows], 2), np.arange(2 * width), 2 * width)
    nearest = np.minimum.accumulate(position[:, ::-1], axis=1)[:, ::-1][:, :width]
    distance = (nearest - np.arange(width)).astype(np.uint64)
    filled = np.take_along_axis(original, nearest % width, axis=1)
    filled += distance * EMPTY
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


def document_bands(
    texts: pa.Array | pa.ChunkedArray, n: int, seed: int, num_bands: int, rows_per_band: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(bands, has_shingles)``: band hashes of the documents with shingles, and which those are.

    :func:`shingle_hashes`, :func:`minhash_signatures` and :func:`band_hashes` run by runs of whole
    documents, so memory is bounded by ``_CHUNK_BYTES``, not by the number of documents.
    """
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks != 1 else texts.chunk(0)
    if not pa.types.is_large_string(texts.type):
        texts = texts.cast(pa.large_string())
    _, offsets = _utf8_buffers(texts)
    num_hashes = num_bands * rows_per_band
    bands = [np.zeros((0, num_bands), np.uint64)]
    has = [np.zeros(0, bool)]
    for start, end in _document_runs(offsets):
        chunk = texts.slice(start, end - start)
        sig, chunk_has = minhash_signatures(shingle_hashes(chunk, n, seed), end - start, num_hashes)
        bands.append(band_hashes(sig[chunk_has], num_bands, rows_per_band, seed))
        has.append(chunk_has)
    return np.concatenate(bands), np.concatenate(has)


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


def pair_jaccard(texts: pa.Array | pa.ChunkedArray, ia: np.ndarray, ib: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Jaccard similarity of the ``n``-byte shingle sets of ``texts[ia[i]]`` and ``texts[ib[i]]``, for every ``i``.

    Vectorised and bounded: pairs are taken in rounds of about ``_PAIR_CHUNK_BYTES`` of text, each
    round shingles its distinct documents once, and every shingle hash keeps the same 44 bits in
    every round, so a pair's similarity does not depend on which pairs share its round.
    """
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks != 1 else texts.chunk(0)
    if not pa.types.is_large_string(texts.type):
        texts = texts.cast(pa.large_string())
    _, offsets = _utf8_buffers(texts)
    lengths = np.diff(offsets)
    ia, ib = np.asarray(ia, np.int64), np.asarray(ib, np.int64)
    cost = np.cumsum(lengths[ia] + lengths[ib])
    similarity = np.zeros(len(ia), np.float64)
    max_pairs = 1 << (_PAIR_DOC_BITS - 1)  # at most 2**_PAIR_DOC_BITS distinct documents per round
    start = 0
    while start < len(ia):
        spent = int(cost[start - 1]) if start else 0
        end = int(np.searchsorted(cost, spent + _PAIR_CHUNK_BYTES, side="right"))
        end = min(max(end, start + 1), start + max_pairs, len(ia))
        similarity[start:end] = _round_jaccard(texts, ia[start:end], ib[start:end], n, seed)
        start = end
    return similarity


def _round_jaccard(texts: pa.Array, ia: np.ndarray, ib: np.ndarray, n: int, seed: int) -> np.ndarray:
    """One round of :func:`pair_jaccard`: ``document << 44 | hash >> 20`` keys, distinct and sorted, then one search."""
    docs, local = np.unique(np.concatenate([ia, ib]), return_inverse=True)
    la, lb = local[: len(ia)], local[len(ia) :]
    shingles = shingle_hashes(texts.take(pa.array(docs)), n, seed)
    shift = np.uint64(64 - _PAIR_DOC_BITS)
    keys = shingles.docs.astype(np.uint64) << shift
    keys |= shingles.hashes >> np.uint64(_PAIR_DOC_BITS)
    # Shingles come in document order, so sorting each document's run sorts the keys: a few
    # cache-sized sorts are several times faster than one sort of the whole round.
    runs = np.searchsorted(shingles.docs, np.arange(len(docs) + 1)).tolist()
    del shingles
    for lo, hi in itertools.pairwise(runs):
        keys[lo:hi].sort()
    if len(keys):
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    bounds = np.searchsorted(keys, np.arange(len(docs) + 1, dtype=np.uint64) << shift)
    size = np.diff(bounds)
    # Look each element of the smaller set up among the larger set's keys.
    small_first = size[la] <= size[lb]
    query_doc = np.where(small_first, la, lb)
    other_doc = np.where(small_first, lb, la)
    counts = size[query_doc]
    total = int(counts.sum())
    common = np.zeros(len(ia), np.float64)
    if total:
        pair_of = np.repeat(np.arange(len(ia), dtype=np.int64), counts)
        first = np.cumsum(counts) - counts
        element = np.arange(total, dtype=np.int64)
        element -= first[pair_of]
        element += bounds[query_doc][pair_of]
        query = keys[element]
        del element
        query &= np.uint64((1 << (64 - _PAIR_DOC_BITS)) - 1)
        query |= other_doc[pair_of].astype(np.uint64) << shift
        where = np.searchsorted(keys, query).clip(max=len(keys) - 1)
        hit = keys[where] == query
        common = np.bincount(pair_of[hit], minlength=len(ia)).astype(np.float64)
    union = size[la] + size[lb] - common
    return np.divide(common, union, out=np.zeros(len(ia), np.float64), where=union > 0)
