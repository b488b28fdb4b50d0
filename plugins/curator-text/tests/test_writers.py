from __future__ import annotations

import json
import os
from typing import Any

import pyarrow.parquet as pq
import pytest

from curator_core import FileGroupTask
from curator_core.storage import safe_file_name
from curator_text import JsonlWriter, ParquetWriter


def test_parquet_writer_writes_one_file_named_from_the_task_id(tmp_path: object, make_batch: object) -> None:
    out_dir = os.path.join(str(tmp_path), "out")
    writer = ParquetWriter(out_dir)
    result = writer.process(make_batch(["a", "b"], task_id="abc123.1"))  # type: ignore[operator]
    assert isinstance(result, FileGroupTask)
    assert result.data == [os.path.join(out_dir, "abc123.1.parquet")]
    assert pq.read_table(result.data[0]).column("text").to_pylist() == ["a", "b"]
    assert os.listdir(out_dir) == ["abc123.1.parquet"]  # no temporary file left behind
    assert writer.pop_metrics() == {"rows_written": 2.0}


def test_jsonl_writer_writes_utf8_json_lines(tmp_path: object, make_batch: object) -> None:
    result = JsonlWriter(str(tmp_path)).process(make_batch(["caf\u00e9", "x"], n=[1, 2]))  # type: ignore[operator]
    with open(result.data[0], encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    assert rows == [{"text": "caf\u00e9", "n": 1}, {"text": "x", "n": 2}]


def test_task_ids_cannot_escape_the_output_folder(tmp_path: object, make_batch: object) -> None:
    assert safe_file_name("../../etc/passwd") == "____etc_passwd"
    assert safe_file_name("") == "part"
    result = ParquetWriter(str(tmp_path)).process(make_batch(["a"], task_id="../x"))  # type: ignore[operator]
    assert os.path.dirname(result.data[0]) == str(tmp_path)


def test_mode_error_refuses_an_existing_file(tmp_path: object, make_batch: object) -> None:
    ParquetWriter(str(tmp_path)).process(make_batch(["a"]))  # type: ignore[operator]
    with pytest.raises(FileExistsError, match="t0.parquet"):
        ParquetWriter(str(tmp_path), mode="error").process(make_batch(["b"]))  # type: ignore[operator]


def test_mode_ignore_keeps_the_existing_file_and_overwrite_replaces_it(tmp_path: object, make_batch: object) -> None:
    first = ParquetWriter(str(tmp_path)).process(make_batch(["a"])).data[0]  # type: ignore[operator]
    ParquetWriter(str(tmp_path), mode="ignore").process(make_batch(["b"]))  # type: ignore[operator]
    assert pq.read_table(first).column("text").to_pylist() == ["a"]
    ParquetWriter(str(tmp_path), mode="overwrite").process(make_batch(["c"]))  # type: ignore[operator]
    assert pq.read_table(first).column("text").to_pylist() == ["c"]


def test_a_failed_write_leaves_no_partial_file(tmp_path: object, make_batch: object) -> None:
    class Broken(ParquetWriter):
        def _write(self, table: object, handle: Any) -> None:
            handle.write(b"partial")
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        Broken(str(tmp_path)).process(make_batch(["a"]))  # type: ignore[operator]
    assert os.listdir(str(tmp_path)) == []


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        ParquetWriter("x", mode="append")


@pytest.mark.parametrize("writer_class", [JsonlWriter, ParquetWriter])
def test_writers_need_no_worker_lifecycle(writer_class: Any, tmp_path: object, make_batch: object) -> None:
    """The write makes the folder, so executors may run writers as short-lived tasks, fused."""
    from curator_core.executors.rules import has_hooks

    out_dir = os.path.join(str(tmp_path), "a", "b")
    writer = writer_class(out_dir)
    assert not has_hooks(writer)
    result = writer.process(make_batch(["a"], task_id="t1"))  # type: ignore[operator]
    assert os.listdir(out_dir) == [os.path.basename(result.data[0])]


def test_a_writer_makes_its_folder_on_any_filesystem(make_batch: object) -> None:
    import fsspec

    result = JsonlWriter("memory://writers-test/x/y").process(make_batch(["a"], task_id="t1"))  # type: ignore[operator]
    assert result.data == ["memory://writers-test/x/y/t1.jsonl"]
    assert fsspec.filesystem("memory").cat("/writers-test/x/y/t1.jsonl") == b'{"text": "a"}\n'
