"""Small builders shared by the text tests."""

from __future__ import annotations

import json
import os
from collections.abc import Callable

import pyarrow as pa
import pytest

from curator_text import DocumentBatch


def batch(texts: list[str], task_id: str = "t0", **columns: list[object]) -> DocumentBatch:
    return DocumentBatch(task_id=task_id, dataset_name="d", data=pa.table({"text": texts, **columns}))


@pytest.fixture
def make_batch() -> Callable[..., DocumentBatch]:
    return batch


@pytest.fixture
def write_jsonl(tmp_path: object) -> Callable[..., str]:
    def write(name: str, rows: list[object], raw_lines: dict[int, str] | None = None) -> str:
        path = os.path.join(str(tmp_path), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        lines = [json.dumps(r) for r in rows]
        for index, text in (raw_lines or {}).items():
            lines.insert(index, text)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        return path

    return write
