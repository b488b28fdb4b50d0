"""Every curator-text stage passes core's stage conformance suite."""

from __future__ import annotations

import json
import os
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from curator_core import FileGroupTask, ProcessingStage, Task
from curator_core.testing.stage_suite import StageConformanceSuite
from curator_text import (
    AddId,
    DocumentBatch,
    Filter,
    JsonlReadStage,
    JsonlWriter,
    LanguageId,
    Modify,
    ParquetReadStage,
    ParquetWriter,
    Score,
    ScoreFilter,
)

TEXTS = [
    "The cat sat on the mat and it was a good day for the cat.",
    "Le chat est sur le tapis et il fait beau aujourd'hui.",
    "## $$ %% ^^ && **",
    "",
    "caf\u00e9\u00a0au lait with the friends",
]


def docs(task_id: str = "t0", **extra: list[Any]) -> DocumentBatch:
    return DocumentBatch(task_id=task_id, dataset_name="d", data=pa.table({"text": TEXTS, **extra}))


class _DocumentSuite(StageConformanceSuite):
    def sample_tasks(self) -> list[Task[Any]]:
        return [docs("a"), docs("b.1")]


class TestScoreFilter(_DocumentSuite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return ScoreFilter({"name": "WordCountFilter", "min_words": 3}, score_field="words")


class TestScoreFilterChain(_DocumentSuite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        filters = [{"name": "NonAlphaNumericFilter"}, {"name": "RepeatingTopNGramsFilter"}]
        return ScoreFilter(filters, invert=[True, False])


class TestScore(_DocumentSuite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return Score({"name": "MeanWordLengthFilter"}, score_field="mean_word_length")


class TestFilter(_DocumentSuite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return Filter({"name": "WordCountFilter", "min_words": 3}, filter_field="n")

    def sample_tasks(self) -> list[Task[Any]]:
        return [docs("a", n=[12, 10, 6, 0, 5])]


class TestModify(_DocumentSuite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return Modify(["UnicodeNormalizer", "UrlRemover", "NewlineNormalizer"], output_fields="clean")


class TestAddId(_DocumentSuite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return AddId(id_field="doc_id")


class TestLanguageId(_DocumentSuite):
    def make_stage(self) -> ProcessingStage[Any, Any]:
        return LanguageId(keep_languages=["en", "fr"])


@pytest.fixture
def _in_tmp(tmp_path: Any, request: Any) -> None:
    request.instance.tmp = str(tmp_path)


@pytest.mark.usefixtures("_in_tmp")
class TestJsonlReadStage(StageConformanceSuite):
    tmp: str

    def make_stage(self) -> ProcessingStage[Any, Any]:
        return JsonlReadStage(fields=["text"], on_error="skip")

    def sample_tasks(self) -> list[Task[Any]]:
        path = os.path.join(self.tmp, "in.jsonl")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(json.dumps({"text": t, "n": i}) for i, t in enumerate(TEXTS)) + "\nnot json\n")
        return [FileGroupTask(task_id="g", dataset_name="d", data=[path])]


@pytest.mark.usefixtures("_in_tmp")
class TestParquetReadStage(StageConformanceSuite):
    tmp: str

    def make_stage(self) -> ProcessingStage[Any, Any]:
        return ParquetReadStage()

    def sample_tasks(self) -> list[Task[Any]]:
        path = os.path.join(self.tmp, "in.parquet")
        pq.write_table(pa.table({"text": TEXTS}), path)
        return [FileGroupTask(task_id="g", dataset_name="d", data=[path, path])]


@pytest.mark.usefixtures("_in_tmp")
class TestParquetWriter(_DocumentSuite):
    tmp: str

    def make_stage(self) -> ProcessingStage[Any, Any]:
        return ParquetWriter(os.path.join(self.tmp, "out"))


@pytest.mark.usefixtures("_in_tmp")
class TestJsonlWriter(_DocumentSuite):
    tmp: str

    def make_stage(self) -> ProcessingStage[Any, Any]:
        return JsonlWriter(os.path.join(self.tmp, "out"))
