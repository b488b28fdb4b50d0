"""JsonlReader and ParquetReader: core's file partitioning followed by a read stage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from curator_core.stages.base import OPEN_COLUMNS, CompositeStage, ProcessingStage
from curator_core.stages.file_partitioning import FilePartitioningStage
from curator_core.storage import canonical_path, is_local, open_input
from curator_core.tasks import EmptyTask, FileGroupTask
from curator_text.io.jsonl import ON_ERROR, read_jsonl
from curator_text.tasks import DocumentBatch

__all__ = ["JsonlReadStage", "JsonlReader", "ParquetReadStage", "ParquetReader"]

_MAX_RECORDED = 100


def _select(table: pa.Table, fields: list[str] | None, path: str) -> pa.Table:
    if fields is None:
        return table
    missing = [f for f in fields if f not in table.column_names]
    if missing and table.num_rows:
        raise KeyError(f"{path}: no column(s) {missing} (columns: {table.column_names})")
    if missing:
        return pa.table({f: pa.array([], type=pa.string()) for f in fields})
    return table.select(fields)


def _concat(tables: list[pa.Table]) -> pa.Table:
    non_empty = [t for t in tables if t.num_columns]
    if not non_empty:
        return pa.table({})
    if len(non_empty) == 1:
        return non_empty[0]
    return pa.concat_tables(non_empty, promote_options="permissive")


class _ReadStage(ProcessingStage[FileGroupTask, DocumentBatch]):
    def __init__(self, fields: list[str] | None = None, storage_options: Mapping[str, Any] | None = None) -> None:
        self.fields = list(fields) if fields else None
        self.storage_options = dict(storage_options) if storage_options else None

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], list(self.fields) if self.fields else [OPEN_COLUMNS]


class JsonlReadStage(_ReadStage):
    """Read a group of JSONL files into one DocumentBatch.

    ``on_error='raise'`` fails on a malformed line, naming file and line; ``'skip'`` drops it,
    counts it (metric ``malformed_lines``) and lists it in the task's ``_metadata['malformed_lines']``.
    """

    name = "jsonl_reader"

    def __init__(
        self, fields: list[str] | None = None, on_error: str = "raise", storage_options: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(fields, storage_options)
        if on_error not in ON_ERROR:
            raise ValueError(f"JsonlReader: on_error must be one of {ON_ERROR}, got {on_error!r}")
        self.on_error = on_error

    def process(self, task: FileGroupTask) -> DocumentBatch:
        tables = []
        skipped: list[dict[str, object]] = []
        for path in task.data:
            result = read_jsonl(path, self.on_error, self.storage_options)
            tables.append(_select(result.table, self.fields, path))
            skipped.extend(result.skipped)
        batch: DocumentBatch = task.derive(_concat(tables), task_type=DocumentBatch)
        if skipped:
            self.record_metric("malformed_lines", len(skipped))
            batch._metadata["malformed_lines"] = skipped[:_MAX_RECORDED]
            batch._metadata["malformed_lines_total"] = len(skipped)
        return batch


class ParquetReadStage(_ReadStage):
    """Read a group of Parquet files (only ``fields``, when given) into one DocumentBatch."""

    name = "parquet_reader"

    def process(self, task: FileGroupTask) -> DocumentBatch:
        import pyarrow.parquet as pq

        tables = [_select(self._read(pq, path), self.fields, path) for path in task.data]
        return task.derive(_concat(tables), task_type=DocumentBatch)

    def _read(self, pq: Any, path: str) -> pa.Table:
        if is_local(path):
            return pq.read_table(canonical_path(path), columns=self.fields)
        with open_input(path, "rb", self.storage_options) as handle:
            return pq.read_table(handle, columns=self.fields)


class _Reader(CompositeStage[EmptyTask, DocumentBatch]):
    extensions: tuple[str, ...] = ()

    def __init__(
        self,
        file_paths: str | list[str],
        files_per_partition: int | None = None,
        blocksize: int | str | None = None,
        fields: list[str] | None = None,
        file_extensions: list[str] | None = None,
        limit: int | None = None,
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        self.file_paths = file_paths
        self.files_per_partition = files_per_partition
        self.blocksize = blocksize
        self.fields = list(fields) if fields else None
        self.file_extensions = list(file_extensions) if file_extensions is not None else list(self.extensions)
        self.limit = limit
        self.storage_options = dict(storage_options) if storage_options else None

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], list(self.fields) if self.fields else [OPEN_COLUMNS]

    def _partitioning(self) -> FilePartitioningStage:
        return FilePartitioningStage(
            self.file_paths,
            files_per_partition=self.files_per_partition,
            blocksize=self.blocksize,
            file_extensions=self.file_extensions,
            limit=self.limit,
            storage_options=self.storage_options,
        )


class JsonlReader(_Reader):
    """Read JSONL files (paths, a directory or a glob; local or URLs) as DocumentBatches, one per file group."""

    extensions = (".jsonl", ".json")

    def __init__(
        self,
        file_paths: str | list[str],
        files_per_partition: int | None = None,
        blocksize: int | str | None = None,
        fields: list[str] | None = None,
        file_extensions: list[str] | None = None,
        limit: int | None = None,
        on_error: str = "raise",
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(file_paths, files_per_partition, blocksize, fields, file_extensions, limit, storage_options)
        if on_error not in ON_ERROR:
            raise ValueError(f"JsonlReader: on_error must be one of {ON_ERROR}, got {on_error!r}")
        self.on_error = on_error

    def decompose(self) -> list[ProcessingStage[Any, Any]]:
        read = JsonlReadStage(fields=self.fields, on_error=self.on_error, storage_options=self.storage_options)
        return [self._partitioning(), read]


class ParquetReader(_Reader):
    """Read Parquet files (paths, a directory or a glob; local or URLs) as DocumentBatches, one per file group."""

    extensions = (".parquet",)

    def decompose(self) -> list[ProcessingStage[Any, Any]]:
        return [self._partitioning(), ParquetReadStage(fields=self.fields, storage_options=self.storage_options)]
