"""Deduplication removes the same documents on every executor.

Local runs both workflows; each Ray-based executor runs the fuzzy one with removal (it uses every
kind of step: scatter, shuffle-reduce, join, single-task clustering, per-file removal). One Ray
session serves every Ray-based executor (they reuse a connected driver), so the module costs one
Ray start, not one per workflow step.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from integration_helpers import OTHER_EXECUTORS, ROOT, require_executor

pytest.importorskip("curator_text")

import pyarrow.parquet as pq

from curator_text.dedup import ExactDeduplicationWorkflow, FuzzyDeduplicationWorkflow

sys.path.insert(0, str(ROOT / "plugins" / "curator-text" / "tests" / "dedup"))
from dedup_corpus import make_corpus

WORKFLOWS = {"exact": ExactDeduplicationWorkflow, "fuzzy": FuzzyDeduplicationWorkflow}


def _run(kind: str, corpus: str, work: Path, executor: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The duplicate-ids rows (sorted) and the kept documents' ids after removal."""
    result = WORKFLOWS[kind](
        corpus, str(work / "cache"), str(work / "out"), id_field="doc_id", perform_removal=True
    ).run(executor)
    rows = sorted(pq.read_table(result.duplicate_ids_path).to_pylist(), key=lambda r: r["id"])
    kept = sorted(id_ for f in result.output_files for id_ in _doc_ids(f))
    return rows, kept


def _doc_ids(path: str) -> list[str]:
    import json

    return [json.loads(line)["doc_id"] for line in Path(path).read_text().splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = str(tmp_path_factory.mktemp("dedup-corpus"))
    make_corpus(folder, files=2, originals=30, exact_copies=4, near_copies=6, loose_copies=3, short_docs=6)
    return folder


@pytest.fixture(scope="module")
def local_results(corpus: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    results = {kind: _run(kind, corpus, tmp_path_factory.mktemp(f"local-{kind}"), "local") for kind in WORKFLOWS}
    assert len(results["exact"][0]) >= 4 and len(results["fuzzy"][0]) >= 10
    return results


@pytest.mark.parametrize("name", OTHER_EXECUTORS)
def test_every_executor_removes_the_same_documents(
    name: str, corpus: str, local_results: dict[str, Any], ray_cluster: str, tmp_path: Path
) -> None:
    require_executor(name)
    config = {"execution_mode": "batch", "logging_interval": 600} if name == "xenna" else None
    from curator_core.pipeline import resolve_executor

    executor = resolve_executor(name, config)
    assert _run("fuzzy", corpus, tmp_path, executor) == local_results["fuzzy"]
