"""Intermediate files are checked when read: a damaged file is an error naming it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dedup_corpus import make_corpus

from curator_text.dedup import CacheFileError, FuzzyDeduplicationWorkflow
from curator_text.dedup import cache as cache_module


def test_truncated_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = str(tmp_path / "part.parquet")
    cache_module.write_checked(pa.table({"a": list(range(1000))}), path)
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[: len(data) // 2])
    with pytest.raises(CacheFileError, match="part.parquet"):
        cache_module.read_checked(path)


def test_row_count_mismatch_and_missing_file_are_errors(tmp_path: Path) -> None:
    path = str(tmp_path / "lying.parquet")
    table = pa.table({"a": [1, 2, 3]}).replace_schema_metadata({b"curator.rows": b"5"})
    pq.write_table(table, path)
    with pytest.raises(CacheFileError, match="lying.parquet"):
        cache_module.read_checked(path)
    with pytest.raises(CacheFileError, match="missing"):
        cache_module.read_checked(str(tmp_path / "absent.parquet"))


def test_workflow_fails_naming_a_truncated_intermediate_file(
    tmp_path: Path, inline: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(str(tmp_path / "in"), files=2, originals=20, exact_copies=2, near_copies=2, loose_copies=0)
    from curator_text.dedup import fuzzy

    original = fuzzy.write_checked

    def torn(table: pa.Table, path: str, storage_options: Any = None) -> str:
        written = original(table, path, storage_options)
        if "/buckets/part-00000/from-00001" in path:  # a write torn after the rename
            data = Path(path).read_bytes()
            Path(path).write_bytes(data[:-20])
        return written

    monkeypatch.setattr(fuzzy, "write_checked", torn)
    workflow = FuzzyDeduplicationWorkflow(
        str(tmp_path / "in"), str(tmp_path / "cache"), str(tmp_path / "out"), shuffle_partitions=2
    )
    with pytest.raises(Exception, match=r"buckets/part-00000/from-00001\.parquet") as info:
        workflow.run(inline)
    chain = [info.value, info.value.__cause__, info.value.__context__]
    assert any(isinstance(e, CacheFileError) for e in chain) or "CacheFileError" in str(info.value)
