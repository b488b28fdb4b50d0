from __future__ import annotations

import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from curator_core import EmptyTask, FileGroupTask, FilePartitioningStage
from curator_text import DocumentBatch, JsonlReader, JsonlReadStage, MalformedLineError, ParquetReader


def group(*paths: str) -> FileGroupTask:
    return FileGroupTask(task_id="g", dataset_name="d", data=list(paths))


def test_jsonl_reader_decomposes_into_partitioning_and_reading(tmp_path: object) -> None:
    stages = JsonlReader(str(tmp_path), files_per_partition=2, fields=["text"]).decompose()
    assert isinstance(stages[0], FilePartitioningStage)
    assert stages[0].files_per_partition == 2
    assert stages[0].file_extensions == [".jsonl", ".json"]
    assert isinstance(stages[1], JsonlReadStage) and stages[1].fields == ["text"]


def test_a_directory_a_glob_and_a_list_give_the_same_groups(write_jsonl: object, tmp_path: object) -> None:
    paths = [write_jsonl(f"in/p{i}.jsonl", [{"text": str(i)}]) for i in range(3)]  # type: ignore[operator]
    for spec in (os.path.join(str(tmp_path), "in"), os.path.join(str(tmp_path), "in", "*.jsonl"), paths[::-1]):
        partition = JsonlReader(spec, files_per_partition=2).decompose()[0]
        assert [t.data for t in partition.process(EmptyTask())] == [paths[:2], paths[2:]]


def test_read_stage_concatenates_files_and_selects_fields(write_jsonl: object) -> None:
    a = write_jsonl("a.jsonl", [{"text": "x", "n": 1, "junk": True}])  # type: ignore[operator]
    b = write_jsonl("b.jsonl", [{"text": "y", "n": 2}, {"text": "z", "n": 3}])  # type: ignore[operator]
    out = JsonlReadStage(fields=["text", "n"]).process(group(a, b))
    assert isinstance(out, DocumentBatch)
    assert out.data.to_pydict() == {"text": ["x", "y", "z"], "n": [1, 2, 3]}
    assert out._metadata == {}


def test_a_missing_field_is_an_error_naming_the_file(write_jsonl: object) -> None:
    a = write_jsonl("a.jsonl", [{"text": "x"}])  # type: ignore[operator]
    with pytest.raises(KeyError, match="a.jsonl.*'id'"):
        JsonlReadStage(fields=["text", "id"]).process(group(a))


def test_malformed_line_raises_naming_file_and_line(write_jsonl: object) -> None:
    path = write_jsonl("bad.jsonl", [{"text": "a"}, {"text": "b"}], raw_lines={1: '{"text": "broken'})  # type: ignore[operator]
    with pytest.raises(MalformedLineError, match=r"bad.jsonl:2: malformed JSONL line") as info:
        JsonlReadStage().process(group(path))
    assert info.value.line == 2


def test_malformed_line_is_skipped_and_counted(write_jsonl: object) -> None:
    path = write_jsonl("bad.jsonl", [{"text": "a"}, {"text": "b"}], raw_lines={1: "not json", 3: "[1, 2]"})  # type: ignore[operator]
    stage = JsonlReadStage(on_error="skip")
    out = stage.process(group(path))
    assert out.data.column("text").to_pylist() == ["a", "b"]
    assert stage.pop_metrics() == {"malformed_lines": 2.0}
    recorded = out._metadata["malformed_lines"]
    assert [(r["file"], r["line"]) for r in recorded] == [(path, 2), (path, 4)]
    assert "expected a JSON object" in recorded[1]["error"]
    assert out._metadata["malformed_lines_total"] == 2


def test_blank_lines_and_empty_files_are_not_errors(write_jsonl: object, tmp_path: object) -> None:
    path = write_jsonl("blank.jsonl", [{"text": "a"}], raw_lines={0: "", 1: "   "})  # type: ignore[operator]
    empty = os.path.join(str(tmp_path), "empty.jsonl")
    open(empty, "w").close()
    out = JsonlReadStage().process(group(path, empty))
    assert out.data.column("text").to_pylist() == ["a"]


def test_a_field_that_changes_type_is_an_error_naming_the_file(write_jsonl: object) -> None:
    path = write_jsonl("mixed.jsonl", [{"text": "a", "v": 1}, {"text": "b", "v": "two"}])  # type: ignore[operator]
    with pytest.raises(ValueError, match="mixed.jsonl: the JSON values cannot form one table"):
        JsonlReadStage().process(group(path))


def test_on_error_must_be_a_known_policy() -> None:
    with pytest.raises(ValueError, match="on_error"):
        JsonlReader("x", on_error="ignore")


def test_parquet_reader_reads_selected_columns(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "p.parquet")
    pq.write_table(pa.table({"text": ["a", "b"], "other": [1, 2]}), path)
    stages = ParquetReader(str(tmp_path), fields=["text"]).decompose()
    groups = stages[0].process(EmptyTask())
    out = stages[1].process(groups[0])
    assert out.data.to_pydict() == {"text": ["a", "b"]}


def test_blocksize_groups_files_up_to_a_size(write_jsonl: object) -> None:
    paths = [write_jsonl(f"b/p{i}.jsonl", [{"text": "x" * 100}]) for i in range(4)]  # type: ignore[operator]
    partition = JsonlReader(os.path.dirname(paths[0]), blocksize=250).decompose()[0]
    assert [t.data for t in partition.process(EmptyTask())] == [paths[:2], paths[2:]]
