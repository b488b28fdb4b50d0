"""JsonlWriter and ParquetWriter: one file per task, named from its id, written atomically."""

from __future__ import annotations

import json
import os
import uuid
from abc import abstractmethod

import pyarrow as pa

from curator_core.stages.base import ProcessingStage
from curator_core.tasks import FileGroupTask
from curator_core.workers import WorkerMetadata
from curator_text.io.naming import safe_file_stem
from curator_text.tasks import DocumentBatch

__all__ = ["MODES", "JsonlWriter", "ParquetWriter"]

MODES = ("overwrite", "error", "ignore")


class _Writer(ProcessingStage[DocumentBatch, FileGroupTask]):
    """Write each task to ``<path>/<task id>.<ext>`` via a temporary name and a rename.

    ``mode``: 'overwrite' replaces an existing file (reruns never duplicate output), 'error'
    fails if it exists, 'ignore' leaves it as it is. Returns a FileGroupTask listing the file.
    """

    suffix = ""

    def __init__(self, path: str, mode: str = "overwrite", fields: list[str] | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"{type(self).__name__}: mode must be one of {MODES}, got {mode!r}")
        self.path = os.fspath(path)
        self.mode = mode
        self.fields = list(fields) if fields else None

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], list(self.fields) if self.fields else []

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        os.makedirs(self.path, exist_ok=True)

    def process(self, task: DocumentBatch) -> FileGroupTask:
        target = os.path.join(self.path, safe_file_stem(task.task_id) + self.suffix)
        table = task.data.select(self.fields) if self.fields else task.data
        if os.path.exists(target):
            if self.mode == "error":
                raise FileExistsError(f"{type(self).__name__}: {target} exists (mode='error')")
            if self.mode == "ignore":
                self.record_metric("files_skipped", 1)
                return task.derive([target], task_type=FileGroupTask)
        os.makedirs(self.path, exist_ok=True)
        tmp = os.path.join(self.path, f".{os.path.basename(target)}.{uuid.uuid4().hex}.tmp")
        try:
            self._write(table, tmp)
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        self.record_metric("rows_written", table.num_rows)
        return task.derive([target], task_type=FileGroupTask)

    @abstractmethod
    def _write(self, table: pa.Table, path: str) -> None:
        """Write ``table`` to ``path`` in this writer's format."""


class JsonlWriter(_Writer):
    """Write DocumentBatches as JSONL (one JSON object per line, UTF-8)."""

    name = "jsonl_writer"
    suffix = ".jsonl"

    def _write(self, table: pa.Table, path: str) -> None:
        with open(path, "w", encoding="utf-8") as handle:
            for batch in table.to_batches(max_chunksize=4096):
                lines = [json.dumps(row, ensure_ascii=False, default=str) for row in batch.to_pylist()]
                if lines:
                    handle.write("\n".join(lines) + "\n")


class ParquetWriter(_Writer):
    """Write DocumentBatches as Parquet files."""

    name = "parquet_writer"
    suffix = ".parquet"

    def __init__(
        self, path: str, mode: str = "overwrite", fields: list[str] | None = None, compression: str = "snappy"
    ) -> None:
        super().__init__(path, mode, fields)
        self.compression = compression

    def _write(self, table: pa.Table, path: str) -> None:
        import pyarrow.parquet as pq

        pq.write_table(table, path, compression=self.compression)
