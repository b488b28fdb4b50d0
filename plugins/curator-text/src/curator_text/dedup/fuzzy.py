"""FuzzyDeduplicationWorkflow: MinHash-LSH candidates, verified by true Jaccard, clustered.

Steps, each map-style over files in ``cache_path`` (so each runs on any executor, any node):

1. ``signatures`` (per input partition): shingle, MinHash, band hashes -> bucket-partition files;
2. ``candidates`` (per bucket partition): documents sharing a band bucket -> candidate pairs (each
   member with its next few members in key order: a cluster of any size is a chain of verifiable
   links, never a star on one document), shuffled into pair-partition files by their smaller key,
   plus which documents each pair partition needs;
3. ``ship`` (per input partition): the needed documents' texts -> pair-partition files;
4. ``verify`` (per pair partition): true Jaccard of each candidate pair's shingle sets, vectorised in
   rounds of bounded size; pairs at or above ``jaccard_threshold`` become edges (without verification
   every pair does);
5. ``components`` (one task over the edges only): connected components; the smallest key of a
   component survives, every other member is written to ``FuzzyDuplicateIds``.

Unless ``shuffle_partitions`` is given, pair partitions scale with the input's bytes (one per
``PAIR_PARTITION_BYTES``), so a verify task's texts do not grow with the corpus.

Documents with fewer than ``char_ngrams`` bytes have no shingles and are left alone (exact
deduplication removes identical short ones), so empty and very short documents never collapse into
one cluster.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from curator_core.exchange import exchange_file, exchange_inputs, run_map_step
from curator_core.storage import join
from curator_text.dedup.cache import read_all, read_checked, write_checked
from curator_text.dedup.common import DedupResult, id_table, resolve, shuffle_partitions
from curator_text.dedup.components import connected_components
from curator_text.dedup.inputs import Corpus, document_keys, read_documents
from curator_text.dedup.minhash import _fmix, document_bands, pair_jaccard

__all__ = ["FuzzyDeduplicationWorkflow"]

IDS_FOLDER = "FuzzyDuplicateIds"
NEIGHBOURS = 4
"""Within a bucket (in key order) each member is paired with the next ``NEIGHBOURS - 1`` members."""
PAIR_PARTITION_BYTES = 32 << 20
"""Input bytes per pair partition when ``shuffle_partitions`` is not given."""


@dataclass(frozen=True)
class _Config:
    corpus: Corpus
    text_field: str
    id_field: str | None
    cache: str
    num_buckets: int
    num_pairs: int
    char_ngrams: int
    num_bands: int
    minhashes_per_band: int
    seed: int
    threshold: float | None
    storage_options: dict[str, Any] | None

    def path(self, *parts: str) -> str:
        return join(self.cache, *parts)


class FuzzyDeduplicationWorkflow:
    """Find (and optionally remove) near-duplicate documents with MinHash-LSH, on any executor.

    NeMo Curator's parameters; ``false_positive_check`` (on by default) keeps only candidate pairs
    whose true Jaccard similarity of ``char_ngrams``-shingles is at least ``jaccard_threshold``.
    Writes ``<output_path>/FuzzyDuplicateIds/part-00000.parquet`` (``id``, ``kept_id``,
    ``cluster_id``); with ``perform_removal`` also the kept documents under ``<output_path>/deduplicated/``.
    """

    def __init__(
        self,
        input_path: str | list[str],
        cache_path: str,
        output_path: str,
        text_field: str = "text",
        id_field: str | None = None,
        input_filetype: str = "jsonl",
        perform_removal: bool = False,
        char_ngrams: int = 24,
        num_bands: int = 20,
        minhashes_per_band: int = 13,
        seed: int = 42,
        false_positive_check: bool = True,
        jaccard_threshold: float = 0.8,
        files_per_partition: int = 1,
        shuffle_partitions: int | None = None,
        storage_options: dict[str, Any] | None = None,
    ) -> None:
        if char_ngrams < 1 or num_bands < 1 or minhashes_per_band < 1:
            raise ValueError("char_ngrams, num_bands and minhashes_per_band must be >= 1")
        if not 0.0 < jaccard_threshold <= 1.0:
            raise ValueError(f"jaccard_threshold must be in (0, 1], got {jaccard_threshold}")
        self.input_path = input_path
        self.cache_path = cache_path
        self.output_path = output_path
        self.text_field = text_field
        self.id_field = id_field
        self.input_filetype = input_filetype
        self.perform_removal = perform_removal
        self.char_ngrams = char_ngrams
        self.num_bands = num_bands
        self.minhashes_per_band = minhashes_per_band
        self.seed = seed
        self.false_positive_check = false_positive_check
        self.jaccard_threshold = jaccard_threshold
        self.files_per_partition = files_per_partition
        self.shuffle_partitions = shuffle_partitions
        self.storage_options = storage_options

    def run(self, executor: Any = None) -> DedupResult:
        """Run every step on ``executor`` (a registered name, an instance, or None for the default)."""
        runner = resolve(executor)
        corpus = Corpus.discover(self.input_path, self.input_filetype, self.files_per_partition, self.storage_options)
        shuffle = shuffle_partitions(self.shuffle_partitions, corpus.num_partitions)
        num_pairs = shuffle
        if self.shuffle_partitions is None:
            num_pairs = max(shuffle, -(-corpus.total_bytes // PAIR_PARTITION_BYTES))
        config = _Config(
            corpus=corpus,
            text_field=self.text_field,
            id_field=self.id_field,
            cache=join(self.cache_path, "fuzzy"),
            num_buckets=shuffle,
            num_pairs=num_pairs,
            char_ngrams=self.char_ngrams,
            num_bands=self.num_bands,
            minhashes_per_band=self.minhashes_per_band,
            seed=self.seed,
            threshold=self.jaccard_threshold if self.false_positive_check else None,
            storage_options=self.storage_options,
        )
        num_inputs = corpus.num_partitions
        step = functools.partial
        run_map_step("fuzzy_dedup_signatures", step(_signatures, config), corpus.partitions(), runner)
        buckets = [exchange_inputs(config.path("buckets"), b, num_inputs) for b in range(config.num_buckets)]
        run_map_step("fuzzy_dedup_candidates", step(_candidates, config), buckets, runner)
        if config.threshold is not None:
            needs = [exchange_inputs(config.path("needs"), p, config.num_buckets) for p in range(num_inputs)]
            run_map_step("fuzzy_dedup_ship", step(_ship, config), needs, runner)
            verify = [
                exchange_inputs(config.path("pairs"), q, config.num_buckets)
                + exchange_inputs(config.path("texts"), q, num_inputs)
                for q in range(config.num_pairs)
            ]
            edges = run_map_step("fuzzy_dedup_verify", step(_verify, config), verify, runner)
        else:
            edges = [exchange_inputs(config.path("pairs"), q, config.num_buckets) for q in range(config.num_pairs)]
        all_edges = [f for files in edges for f in files]
        ids_root = join(self.output_path, IDS_FOLDER)
        written = run_map_step("fuzzy_dedup_components", step(_components, config, ids_root), [all_edges], runner)
        count = read_checked(written[0][0], columns=["cluster_id"], storage_options=self.storage_options).num_rows
        result = DedupResult(duplicate_ids_path=ids_root, num_duplicates=count)
        if self.perform_removal:
            from curator_text.dedup.removal import remove_identified

            remove_identified(self, result, runner)
        return result


def _signatures(config: _Config, partition: int, files: list[str]) -> list[str]:
    """Band hashes of one input partition's documents, scattered to the bucket-partition files."""
    columns = [config.text_field] + ([config.id_field] if config.id_field else [])
    tables = [read_documents(path, config.corpus.filetype, columns, config.storage_options) for path in files]
    keys = np.concatenate(
        [document_keys(config.corpus.file_index(path), t.num_rows) for path, t in zip(files, tables, strict=True)]
    )
    texts = pa.chunked_array(
        [t.column(config.text_field).cast(pa.large_string()) for t in tables], type=pa.large_string()
    )
    written = []
    if config.id_field:
        ids = pa.concat_tables([t.select([config.id_field]) for t in tables], promote_options="permissive")
        id_map = pa.table({"key": keys, "id": ids.column(0)})
        written.append(
            write_checked(id_map, config.path("ids", f"part-{partition:05d}.parquet"), config.storage_options)
        )
    bands, has = document_bands(texts, config.char_ngrams, config.seed, config.num_bands, config.minhashes_per_band)
    bands = bands.ravel()
    docs = np.repeat(keys[has], config.num_bands)
    destination = (bands % np.uint64(config.num_buckets)).astype(np.int64)
    order = np.argsort(destination, kind="stable")
    bands, docs, destination = bands[order], docs[order], destination[order]
    bounds = np.searchsorted(destination, np.arange(config.num_buckets + 1))
    for b in range(config.num_buckets):
        lo, hi = int(bounds[b]), int(bounds[b + 1])
        part = pa.table({"bucket": bands[lo:hi], "key": docs[lo:hi]})
        written.append(write_checked(part, exchange_file(config.path("buckets"), b, partition), config.storage_options))
    return written


def _candidates(config: _Config, partition: int, files: list[str]) -> list[str]:
    """Candidate pairs (a < b) of one bucket partition, scattered to pair partitions with their needs."""
    table = read_all(files, config.storage_options)
    if table is None:
        a = b = np.zeros(0, np.int64)
    else:
        a, b = _bucket_pairs(table.column("bucket").to_numpy(), table.column("key").to_numpy())
    destination = (_fmix(a.astype(np.uint64)) % np.uint64(config.num_pairs)).astype(np.int64)
    written = []
    for q in range(config.num_pairs):
        mask = destination == q
        pairs = pa.table({"a": a[mask], "b": b[mask]})
        written.append(write_checked(pairs, exchange_file(config.path("pairs"), q, partition), config.storage_options))
    if config.threshold is None:
        return written
    # Which documents each pair partition needs, addressed to the input partition holding them.
    docs = np.concatenate([a, b])
    wanted_by = np.concatenate([destination, destination])
    needs = np.unique(np.stack([docs, wanted_by], axis=1), axis=0) if len(docs) else np.zeros((0, 2), np.int64)
    source = config.corpus.partition_of_keys(needs[:, 0])
    for p in range(config.corpus.num_partitions):
        mask = source == p
        part = pa.table({"key": needs[mask, 0], "pair_partition": needs[mask, 1]})
        written.append(write_checked(part, exchange_file(config.path("needs"), p, partition), config.storage_options))
    return written


def _bucket_pairs(buckets: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct pairs (a < b) of documents sharing a bucket: each member and its next few in key order.

    Links, not all pairs: a bucket of ``m`` members gives at most ``m * (NEIGHBOURS - 1)`` pairs, and
    the skip links keep a cluster connected across a member that fails verification.
    """
    order = np.lexsort((keys, buckets))
    buckets, keys = buckets[order], keys[order]
    n = len(keys)
    parts_a: list[np.ndarray] = [np.zeros(0, np.int64)]
    parts_b: list[np.ndarray] = [np.zeros(0, np.int64)]
    for offset in range(1, min(NEIGHBOURS, n)):
        same = buckets[offset:] == buckets[:-offset]
        parts_a.append(keys[:-offset][same])
        parts_b.append(keys[offset:][same])
    a, b = np.concatenate(parts_a), np.concatenate(parts_b)
    keep = a != b  # one document may repeat a bucket across bands; never across the same band
    a, b = a[keep], b[keep]
    if not len(a):
        return a, b
    pairs = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1), axis=0)
    return pairs[:, 0], pairs[:, 1]


def _ship(config: _Config, partition: int, files: list[str]) -> list[str]:
    """Send the texts the pair partitions need from one input partition."""
    needs = read_all(files, config.storage_options)
    key_parts, q_parts, text_parts = [], [], []
    if needs is not None:
        # Several bucket partitions may ask for the same document for the same pair partition.
        unique = np.unique(
            np.stack([needs.column("key").to_numpy(), needs.column("pair_partition").to_numpy()], axis=1), axis=0
        )
        keys, wanted_by = unique[:, 0], unique[:, 1]
        for path in config.corpus.partition(partition):
            index = config.corpus.file_index(path)
            mask = (keys >> 32) == index
            if not mask.any():
                continue
            table = read_documents(path, config.corpus.filetype, [config.text_field], config.storage_options)
            rows = keys[mask] & 0xFFFFFFFF
            key_parts.append(keys[mask])
            q_parts.append(wanted_by[mask])
            text_parts.append(table.column(config.text_field).cast(pa.large_string()).take(pa.array(rows)))
    keys = np.concatenate(key_parts) if key_parts else np.zeros(0, np.int64)
    wanted_by = np.concatenate(q_parts) if q_parts else np.zeros(0, np.int64)
    texts = (
        pa.chunked_array(text_parts, type=pa.large_string()) if text_parts else pa.chunked_array([], pa.large_string())
    )
    written = []
    for q in range(config.num_pairs):
        mask = wanted_by == q
        part = pa.table({"key": keys[mask], "text": texts.filter(pa.array(mask))})
        written.append(write_checked(part, exchange_file(config.path("texts"), q, partition), config.storage_options))
    return written


def _verify(config: _Config, partition: int, files: list[str]) -> list[str]:
    """Keep the candidate pairs of one pair partition whose true Jaccard reaches the threshold."""
    pair_files = files[: config.num_buckets]
    text_files = files[config.num_buckets :]
    pairs = read_all(pair_files, config.storage_options)
    out_path = config.path("edges", f"part-{partition:05d}.parquet")
    a = b = np.zeros(0, np.int64)
    similarity = np.zeros(0, np.float64)
    texts = read_all(text_files, config.storage_options)
    if pairs is not None and pairs.num_rows:
        if texts is None:
            raise RuntimeError(f"{out_path}: candidate pairs but no texts shipped; delete the cache and rerun")
        unique = np.unique(np.stack([pairs.column("a").to_numpy(), pairs.column("b").to_numpy()], axis=1), axis=0)
        a, b = unique[:, 0], unique[:, 1]
        doc_keys = texts.column("key").to_numpy()
        order = np.argsort(doc_keys, kind="stable")
        doc_keys = doc_keys[order]
        ia, ib = np.searchsorted(doc_keys, a), np.searchsorted(doc_keys, b)
        if (
            (ia >= len(doc_keys)).any()
            or (ib >= len(doc_keys)).any()
            or not (np.array_equal(doc_keys[ia], a) and np.array_equal(doc_keys[ib], b))
        ):
            raise RuntimeError(f"{out_path}: texts missing for some candidate pairs; delete the cache and rerun")
        text = texts.column("text").combine_chunks()
        del texts
        similarity = pair_jaccard(text, order[ia], order[ib], config.char_ngrams, config.seed)
        keep = similarity >= (config.threshold or 0.0)
        a, b, similarity = a[keep], b[keep], similarity[keep]
    edges = pa.table({"a": a, "b": b, "jaccard": similarity})
    return [write_checked(edges, out_path, config.storage_options)]


def _components(config: _Config, ids_root: str, partition: int, files: list[str]) -> list[str]:
    """Cluster the edges; every member but the smallest key of its component is a duplicate."""
    edges = read_all(files, config.storage_options)
    if edges is None:
        a = b = np.zeros(0, np.int64)
    else:
        a, b = edges.column("a").to_numpy(), edges.column("b").to_numpy()
    nodes, roots = connected_components(a, b)
    duplicate = nodes != roots
    table = id_table(
        config.corpus, nodes[duplicate], roots[duplicate], config.id_field, config.path("ids"), config.storage_options
    )
    out = join(ids_root, f"part-{partition:05d}.parquet")
    return [write_checked(table, out, config.storage_options)]
