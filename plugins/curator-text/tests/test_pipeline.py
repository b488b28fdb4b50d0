"""The text stages run end to end on the local executor, by instance and from a pipeline file."""

from __future__ import annotations

import json
import os

import pyarrow.parquet as pq
import pytest

from curator_core import Pipeline
from curator_core.executors.local import LocalExecutor
from curator_text import JsonlReader, NonAlphaNumericFilter, ParquetWriter, ScoreFilter, WordCountFilter

WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "and", "then", "it", "rests"]


def corpus(directory: str, files: int = 3, docs: int = 12) -> list[str]:
    os.makedirs(directory, exist_ok=True)
    expected = []
    for f in range(files):
        with open(os.path.join(directory, f"p{f}.jsonl"), "w", encoding="utf-8") as handle:
            for d in range(docs):
                n = (f * docs + d) % 9 + 1
                text = " ".join(WORDS[i % len(WORDS)] for i in range(n)) if d % 4 else "%% ## " * n
                handle.write(json.dumps({"text": text}) + "\n")
                if 3 <= n <= 8 and d % 4:
                    expected.append(text)
    return expected


def stages(in_dir: str, out_dir: str) -> list[object]:
    return [
        JsonlReader(in_dir, files_per_partition=2),
        ScoreFilter(WordCountFilter(min_words=3, max_words=8)),
        ScoreFilter(NonAlphaNumericFilter()),
        ParquetWriter(out_dir),
    ]


def kept(outputs: list[object]) -> list[str]:
    return sorted(t for task in outputs for path in task.data for t in pq.read_table(path).column("text").to_pylist())  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["in_process", "process"])
def test_pipeline_keeps_the_same_documents_as_the_rules(tmp_path: object, mode: str) -> None:
    expected = corpus(os.path.join(str(tmp_path), "in"))
    pipeline = Pipeline("text", stages=stages(os.path.join(str(tmp_path), "in"), os.path.join(str(tmp_path), "out")))
    outputs = pipeline.run(executor=LocalExecutor({"mode": mode}))
    assert kept(outputs) == sorted(expected)
    assert len(outputs) == 2
    report = pipeline.last_report
    assert report is not None and [c.stage for c in report.stages] == [
        "file_partitioning",
        "jsonl_reader",
        "word_count",
        "alpha_numeric",
        "parquet_writer",
    ]


def test_rerun_overwrites_rather_than_duplicates(tmp_path: object) -> None:
    in_dir, out_dir = os.path.join(str(tmp_path), "in"), os.path.join(str(tmp_path), "out")
    corpus(in_dir)
    first = Pipeline("text", stages=stages(in_dir, out_dir)).run(executor=LocalExecutor({"mode": "in_process"}))
    second = Pipeline("text", stages=stages(in_dir, out_dir)).run(executor=LocalExecutor({"mode": "in_process"}))
    assert sorted(p for t in first for p in t.data) == sorted(p for t in second for p in t.data)
    assert sorted(os.listdir(out_dir)) == sorted(os.path.basename(p) for t in second for p in t.data)


def test_the_same_pipeline_from_a_pipeline_file(tmp_path: object) -> None:
    from curator_core.pipeline_files import build_pipeline, parse_pipeline

    in_dir, out_dir = os.path.join(str(tmp_path), "in"), os.path.join(str(tmp_path), "out")
    expected = corpus(in_dir)
    document = parse_pipeline(
        {
            "name": "text-file",
            "stages": [
                {"stage": "JsonlReader", "params": {"file_paths": in_dir}},
                {
                    "stage": "ScoreFilter",
                    "params": {"filter_obj": {"name": "WordCountFilter", "min_words": 3, "max_words": 8}},
                },
                {"stage": "ScoreFilter", "params": {"filter_obj": {"name": "NonAlphaNumericFilter"}}},
                {"stage": "ParquetWriter", "params": {"path": out_dir}},
            ],
        }
    )
    outputs = build_pipeline(document).run(executor=LocalExecutor({"mode": "in_process"}))
    assert kept(outputs) == sorted(expected)
