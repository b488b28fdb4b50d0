"""Text readers and writers on s3:// URLs, against a real S3 API server (moto) on 127.0.0.1."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from curator_core import Pipeline
from curator_core.executors.local import LocalExecutor
from curator_core.storage import atomic_write, list_files, open_input
from curator_core.testing.s3 import LocalS3
from curator_text import (
    JsonlReader,
    JsonlWriter,
    ParquetReader,
    ParquetWriter,
    ScoreFilter,
    WordCountFilter,
)

ROWS = [{"id": i, "text": " ".join(["word"] * (i % 7 + 1))} for i in range(40)]


def _put_inputs(root: str, options: dict[str, Any] | None) -> None:
    """Two JSONL files and two Parquet files of ROWS under ``root`` (a folder or a bucket prefix)."""
    for part in range(2):
        rows = ROWS[part * 20 : (part + 1) * 20]
        with atomic_write(f"{root}/jsonl/p{part}.jsonl", "w", options) as handle:
            handle.write("".join(json.dumps(row) + "\n" for row in rows))
        with atomic_write(f"{root}/parquet/p{part}.parquet", "wb", options) as handle:
            pq.write_table(pa.Table.from_pylist(rows), handle)


def _rows(files: list[str], options: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in files:
        with open_input(path, "rb", options) as handle:
            data = handle.read()
        if path.endswith(".parquet"):
            rows.extend(pq.read_table(io.BytesIO(data)).to_pylist())
        else:
            rows.extend(json.loads(line) for line in data.decode().splitlines())
    return sorted(rows, key=lambda row: row["id"])


def _run(source: str, target: str, options: dict[str, Any] | None) -> None:
    kept = ScoreFilter(WordCountFilter(min_words=3))
    Pipeline(
        "jsonl-to-parquet",
        stages=[
            JsonlReader(f"{source}/jsonl", storage_options=options),
            kept,
            ParquetWriter(target, storage_options=options),
        ],
    ).run(LocalExecutor({"mode": "in_process"}))
    Pipeline(
        "parquet-to-jsonl",
        stages=[
            ParquetReader(f"{source}/parquet", files_per_partition=2, storage_options=options),
            JsonlWriter(f"{target}/jsonl", storage_options=options),
        ],
    ).run(LocalExecutor({"mode": "in_process"}))


def test_read_jsonl_and_parquet_from_a_bucket_and_write_to_another(local_s3: LocalS3) -> None:
    options = local_s3.storage_options
    source = local_s3.create_bucket(f"text-in-{uuid.uuid4().hex[:8]}")
    target = local_s3.create_bucket(f"text-out-{uuid.uuid4().hex[:8]}")
    _put_inputs(source, options)
    _run(source, target, options)
    parquet = list_files(target, [".parquet"], options)
    jsonl = list_files(f"{target}/jsonl", [".jsonl"], options)
    assert len(parquet) == 2 and len(jsonl) == 1
    assert _rows(parquet, options) == [row for row in ROWS if row["text"].count(" ") >= 2]
    assert _rows(jsonl, options) == ROWS
    keys = local_s3.filesystem().find(target.removeprefix("s3://"))
    assert not [key for key in keys if "/." in key]  # no temporary objects left behind


def test_same_pipeline_gives_identical_output_from_disk_and_from_s3(local_s3: LocalS3, tmp_path: Path) -> None:
    options = local_s3.storage_options
    bucket = local_s3.create_bucket(f"text-same-{uuid.uuid4().hex[:8]}")
    _put_inputs(str(tmp_path / "in"), None)
    _put_inputs(f"{bucket}/in", options)
    _run(str(tmp_path / "in"), str(tmp_path / "out"), None)
    _run(f"{bucket}/in", f"{bucket}/out", options)
    for kind in (".parquet", ".jsonl"):
        local = list_files(str(tmp_path / "out"), [kind])
        remote = list_files(f"{bucket}/out", [kind], options)
        assert len(local) == len(remote) > 0
        assert _rows(local, None) == _rows(remote, options)
