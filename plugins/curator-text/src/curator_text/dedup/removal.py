"""TextDuplicatesRemovalWorkflow: write the input without the documents a duplicate-ids folder names.

One map-style step per input partition; each output file mirrors one input file (same format, a
stable name). Ids are matched the way the identification workflows wrote them: the ``id_field``
column, or without one the generated ``<path hash>-<row>`` ids, which do not depend on partitioning.
"""

from __future__ import annotations

import functools
import io
import json
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from curator_core.exchange import run_map_step
from curator_core.storage import atomic_write, exists, join, list_files
from curator_text.dedup.cache import read_checked
from curator_text.dedup.common import DedupResult, resolve
from curator_text.dedup.inputs import Corpus, document_ids, read_documents

__all__ = ["TextDuplicatesRemovalWorkflow"]


@dataclass(frozen=True)
class _Config:
    corpus: Corpus
    ids_files: tuple[str, ...]
    duplicate_id_field: str
    id_field: str | None
    output_path: str
    names: dict[str, str]
    storage_options: dict[str, Any] | None


class TextDuplicatesRemovalWorkflow:
    """Remove the documents whose ids are listed under ``ids_to_remove_path`` (Parquet files).

    ``duplicate_id_field`` names the id column of those files (``id`` as the dedup workflows write
    it); ``id_field`` the input's id column (None: the generated ids). Output: one file per input
    file under ``output_path``, in the input's format.
    """

    def __init__(
        self,
        input_path: str | list[str],
        ids_to_remove_path: str,
        output_path: str,
        input_filetype: str = "jsonl",
        id_field: str | None = None,
        duplicate_id_field: str = "id",
        files_per_partition: int = 1,
        storage_options: dict[str, Any] | None = None,
    ) -> None:
        self.input_path = input_path
        self.ids_to_remove_path = ids_to_remove_path
        self.output_path = output_path
        self.input_filetype = input_filetype
        self.id_field = id_field
        self.duplicate_id_field = duplicate_id_field
        self.files_per_partition = files_per_partition
        self.storage_options = storage_options

    def run(self, executor: Any = None) -> DedupResult:
        runner = resolve(executor)
        corpus = Corpus.discover(self.input_path, self.input_filetype, self.files_per_partition, self.storage_options)
        if not exists(self.ids_to_remove_path, storage_options=self.storage_options):
            raise FileNotFoundError(f"ids_to_remove_path {self.ids_to_remove_path!r} does not exist")
        ids_files = list_files(self.ids_to_remove_path, extensions=[".parquet"], storage_options=self.storage_options)
        config = _Config(
            corpus=corpus,
            ids_files=tuple(ids_files),
            duplicate_id_field=self.duplicate_id_field,
            id_field=self.id_field,
            output_path=self.output_path,
            names=corpus.output_names(),
            storage_options=self.storage_options,
        )
        written = run_map_step(
            "dedup_removal", functools.partial(_remove_partition, config), corpus.partitions(), runner
        )
        removed_ids = _removed_ids(config)
        return DedupResult(
            duplicate_ids_path=self.ids_to_remove_path,
            num_duplicates=len(removed_ids),
            deduplicated_path=self.output_path,
            output_files=[f for files in written for f in files],
        )


def remove_identified(workflow: Any, result: DedupResult, executor: Any) -> None:
    """``perform_removal=True``: write ``workflow``'s input minus the ids it found, under ``deduplicated/``."""
    removal = TextDuplicatesRemovalWorkflow(
        input_path=workflow.input_path,
        ids_to_remove_path=result.duplicate_ids_path,
        output_path=join(workflow.output_path, "deduplicated"),
        input_filetype=workflow.input_filetype,
        id_field=workflow.id_field,
        files_per_partition=workflow.files_per_partition,
        storage_options=workflow.storage_options,
    )
    removed = removal.run(executor)
    result.deduplicated_path, result.output_files = removed.deduplicated_path, removed.output_files


def _removed_ids(config: _Config) -> pa.Array:
    tables = [
        read_checked(path, columns=[config.duplicate_id_field], storage_options=config.storage_options)
        for path in config.ids_files
    ]
    tables = [t for t in tables if t.num_rows]
    if not tables:
        return pa.array([], pa.string())
    return pa.concat_tables(tables, promote_options="permissive").column(0).combine_chunks().unique()


def _remove_partition(config: _Config, partition: int, files: list[str]) -> list[str]:
    removed = _removed_ids(config)
    written = []
    for path in files:
        table = read_documents(path, config.corpus.filetype, None, config.storage_options)
        ids = table.column(config.id_field) if config.id_field else document_ids(path, table.num_rows)
        if len(removed):
            values = removed if removed.type == ids.type else removed.cast(ids.type)
            keep = pc.invert(pc.fill_null(pc.is_in(ids, value_set=values), False))
            table = table.filter(keep)
        target = join(config.output_path, config.names[path])
        _write(table, target, config.corpus.filetype, config.storage_options)
        written.append(target)
    return written


def _write(table: pa.Table, path: str, filetype: str, storage_options: dict[str, Any] | None) -> None:
    with atomic_write(path, "wb", storage_options=storage_options) as handle:
        if filetype == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, handle)
            return
        text = io.StringIO()
        for batch in table.to_batches(max_chunksize=4096):
            for row in batch.to_pylist():
                text.write(json.dumps(row, ensure_ascii=False, default=str))
                text.write("\n")
        handle.write(text.getvalue().encode("utf-8"))
