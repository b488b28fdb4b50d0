"""JsonlWriter and ParquetWriter: one file per task, named from its id, written atomically (local or URLs)."""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Mapping
from typing import IO, Any

import pyarrow as pa

from curator_core.stages.base import ProcessingStage
from curator_core.storage import atomic_write, exists, join, safe_file_name
from curator_core.tasks import FileGroupTask
from curator_text.tasks import DocumentBatch

__all__ = ["MODES", "JsonlWriter", "ParquetWriter"]

MODES = ("overwrite", "error", "ignore")


class _Writer(ProcessingStage[DocumentBatch, FileGroupTask]):
    """Write each task to ``<path>/<task id>.<ext>`` via a temporary name moved into place.

    ``path`` is a folder or a URL prefix (``s3://bucket/out``; ``storage_options`` for its
    filesystem). ``mode``: 'overwrite' replaces an existing file (reruns never duplicate output),
    'error' fails if it exists, 'ignore' leaves it as it is. Returns a FileGroupTask listing the file.
    No lifecycle hooks: the folder is made by the write itself, so a writer needs no long-lived
    worker and fuses into cheap tasks on every executor.
    """

    suffix = ""
    file_mode = "wb"

    def __init__(
        self,
        path: str,
        mode: str = "overwrite",
        fields: list[str] | None = None,
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"{type(self).__name__}: mode must be one of {MODES}, got {mode!r}")
        self.path = str(path)
        self.mode = mode
        self.fields = list(fields) if fields else None
        self.storage_options = dict(storage_options) if storage_options else None

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], list(self.fields) if self.fields else []

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def process(self, task: DocumentBatch) -> FileGroupTask:
        target = join(self.path, safe_file_name(task.task_id) + self.suffix)
        table = task.data.select(self.fields) if self.fields else task.data
        if self.mode != "overwrite" and exists(target, self.storage_options):
            if self.mode == "error":
                raise FileExistsError(f"{type(self).__name__}: {target} exists (mode='error')")
            self.record_metric("files_skipped", 1)
            return task.derive([target], task_type=FileGroupTask)
        with atomic_write(target, self.file_mode, self.storage_options) as handle:
            self._write(table, handle)
        self.record_metric("rows_written", table.num_rows)
        return task.derive([target], task_type=FileGroupTask)

    @abstractmethod
    def _write(self, table: pa.Table, handle: IO[Any]) -> None:
        """Write ``table`` to the open file ``handle`` in this writer's format."""


class JsonlWriter(_Writer):
    """Write DocumentBatches as JSONL (one JSON object per line, UTF-8)."""

    name = "jsonl_writer"
    suffix = ".jsonl"
    file_mode = "w"

    def _write(self, table: pa.Table, handle: IO[Any]) -> None:
        for batch in table.to_batches(max_chunksize=4096):
            lines = [json.dumps(row, ensure_ascii=False, default=str) for row in batch.to_pylist()]
            if lines:
                handle.write("\n".join(lines) + "\n")


class ParquetWriter(_Writer):
    """Write DocumentBatches as Parquet files."""

    name = "parquet_writer"
    suffix = ".parquet"

    def __init__(
        self,
        path: str,
        mode: str = "overwrite",
        fields: list[str] | None = None,
        compression: str = "snappy",
        storage_options: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(path, mode, fields, storage_options)
        self.compression = compression

    def _write(self, table: pa.Table, handle: IO[Any]) -> None:
        import pyarrow.parquet as pq

        pq.write_table(table, handle, compression=self.compression)
