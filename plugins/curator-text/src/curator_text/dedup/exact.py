"""ExactDeduplicationWorkflow: documents with byte-identical text, the first copy kept.

Two map-style steps over files in ``cache_path``: hash each input partition's documents (BLAKE2b,
128 bits) into hash-partition files, then group each hash partition. The survivor of a group is the
document with the smallest key (first file in sorted canonical order, then first row), the same on
every executor, rerun and partitioning. Empty documents are never duplicates (drop them with a filter).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from curator_core.exchange import exchange_file, exchange_inputs, run_map_step
from curator_core.storage import join
from curator_text.dedup.cache import read_all, write_checked
from curator_text.dedup.common import DedupResult, resolve, shuffle_partitions
from curator_text.dedup.inputs import Corpus, document_ids, document_keys, read_documents
from curator_text.dedup.minhash import _utf8_buffers

__all__ = ["ExactDeduplicationWorkflow"]

IDS_FOLDER = "ExactDuplicateIds"


@dataclass(frozen=True)
class _Config:
    corpus: Corpus
    text_field: str
    id_field: str | None
    hashes_root: str
    ids_root: str
    num_shuffle: int
    storage_options: dict[str, Any] | None


class ExactDeduplicationWorkflow:
    """Find (and optionally remove) documents whose ``text_field`` is identical, on any executor.

    Writes ``<output_path>/ExactDuplicateIds/part-*.parquet`` (``id``, ``kept_id``, ``cluster_id``);
    with ``perform_removal`` also the kept documents under ``<output_path>/deduplicated/``.
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
        files_per_partition: int = 1,
        shuffle_partitions: int | None = None,
        storage_options: dict[str, Any] | None = None,
    ) -> None:
        self.input_path = input_path
        self.cache_path = cache_path
        self.output_path = output_path
        self.text_field = text_field
        self.id_field = id_field
        self.input_filetype = input_filetype
        self.perform_removal = perform_removal
        self.files_per_partition = files_per_partition
        self.shuffle_partitions = shuffle_partitions
        self.storage_options = storage_options

    def run(self, executor: Any = None) -> DedupResult:
        """Run every step on ``executor`` (a registered name, an instance, or None for the default)."""
        runner = resolve(executor)
        corpus = Corpus.discover(self.input_path, self.input_filetype, self.files_per_partition, self.storage_options)
        config = _Config(
            corpus=corpus,
            text_field=self.text_field,
            id_field=self.id_field,
            hashes_root=join(self.cache_path, "exact", "hashes"),
            ids_root=join(self.output_path, IDS_FOLDER),
            num_shuffle=shuffle_partitions(self.shuffle_partitions, corpus.num_partitions),
            storage_options=self.storage_options,
        )
        run_map_step("exact_dedup_hash", functools.partial(_hash_partition, config), corpus.partitions(), runner)
        groups = [exchange_inputs(config.hashes_root, b, corpus.num_partitions) for b in range(config.num_shuffle)]
        written = run_map_step("exact_dedup_group", functools.partial(_group_partition, config), groups, runner)
        files = [f for files in written for f in files]
        from curator_text.dedup.cache import read_checked

        count = sum(
            read_checked(f, columns=["cluster_id"], storage_options=self.storage_options).num_rows for f in files
        )
        result = DedupResult(duplicate_ids_path=config.ids_root, num_duplicates=count)
        if self.perform_removal:
            from curator_text.dedup.removal import remove_identified

            remove_identified(self, result, runner)
        return result


def _hash_partition(config: _Config, partition: int, files: list[str]) -> list[str]:
    """Hash every non-empty document of one input partition into the hash-partition files."""
    columns = [config.text_field] + ([config.id_field] if config.id_field else [])
    tables = []
    for path in files:
        table = read_documents(path, config.corpus.filetype, columns, config.storage_options)
        data, offsets = _utf8_buffers(table.column(config.text_field))
        digests = b"".join(
            hashlib.blake2b(data.data[lo:hi], digest_size=16).digest()
            for lo, hi in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)
        )
        hashes = np.frombuffer(digests, dtype=np.uint64).reshape(-1, 2)
        keys = document_keys(config.corpus.file_index(path), table.num_rows)
        ids = table.column(config.id_field) if config.id_field else document_ids(path, table.num_rows)
        non_empty = np.diff(offsets) > 0
        tables.append(
            pa.table({"h1": hashes[:, 0], "h2": hashes[:, 1], "key": keys, "id": ids}).filter(pa.array(non_empty))
        )
    table = pa.concat_tables(tables, promote_options="permissive") if tables else None
    return _scatter(config, partition, table)


def _scatter(config: _Config, partition: int, table: pa.Table | None) -> list[str]:
    written = []
    if table is not None and table.num_rows:
        destination = (table.column("h1").to_numpy() % np.uint64(config.num_shuffle)).astype(np.int64)
        order = np.argsort(destination, kind="stable")
        table = table.take(pa.array(order))
        bounds = np.searchsorted(destination[order], np.arange(config.num_shuffle + 1))
    for b in range(config.num_shuffle):
        path = exchange_file(config.hashes_root, b, partition)
        if table is None or not table.num_rows:
            part = pa.table(
                {"h1": pa.array([], pa.uint64()), "h2": pa.array([], pa.uint64()), "key": pa.array([], pa.int64())}
            )
        else:
            part = table.slice(int(bounds[b]), int(bounds[b + 1] - bounds[b]))
        written.append(write_checked(part, path, config.storage_options))
    return written


def _group_partition(config: _Config, partition: int, files: list[str]) -> list[str]:
    """Group one hash partition: every document but the smallest key of its group is a duplicate."""
    table = read_all(files, config.storage_options)
    out_path = join(config.ids_root, f"part-{partition:05d}.parquet")
    if table is None:
        empty_id = pa.string() if config.id_field is None else pa.null()
        empty = pa.table(
            {"id": pa.array([], empty_id), "kept_id": pa.array([], empty_id), "cluster_id": pa.array([], pa.int64())}
        )
        return [write_checked(empty, out_path, config.storage_options)]
    h1, h2, keys = (table.column(c).to_numpy() for c in ("h1", "h2", "key"))
    order = np.lexsort((keys, h2, h1))
    h1, h2, keys = h1[order], h2[order], keys[order]
    same = np.zeros(len(keys), dtype=bool)
    same[1:] = (h1[1:] == h1[:-1]) & (h2[1:] == h2[:-1])
    group_start = np.maximum.accumulate(np.where(~same, np.arange(len(keys)), 0))
    duplicates = np.flatnonzero(same)
    ids = table.column("id").take(pa.array(order))
    result = pa.table(
        {
            "id": ids.take(pa.array(duplicates)),
            "kept_id": ids.take(pa.array(group_start[duplicates])),
            "cluster_id": pa.array(keys[group_start[duplicates]], pa.int64()),
        }
    )
    return [write_checked(result, out_path, config.storage_options)]
