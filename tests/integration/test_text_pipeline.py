"""The text example pipeline (examples/text/pipeline.yaml) keeps the same documents on every executor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from integration_helpers import OTHER_EXECUTORS, ROOT, load_example, require_executor

pytest.importorskip("curator_text")

import pyarrow.parquet as pq

from curator_core.pipeline_files import build_executor, build_pipeline, load_pipeline_file

EXAMPLE = ROOT / "examples" / "text"


def _run(corpus: str, output: Path, executor: str) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """Run the example pipeline file; the kept documents by id, and the files written."""
    overrides = [f"stages.JsonlReader.params.file_paths={corpus}", f"stages.ParquetWriter.params.path={output}"]
    document = load_pipeline_file(EXAMPLE / "pipeline.yaml", overrides=overrides)
    config = {"progress": False} if executor == "local" else {}
    outputs = build_pipeline(document).run(executor=build_executor(document, name=executor, config=config))
    kept: dict[str, tuple[str, str]] = {}
    for task in outputs:
        for path in task.data:
            table = pq.read_table(path, columns=["doc_id", "text", "language"])
            for row in table.to_pylist():
                kept[row["doc_id"]] = (row["text"], row["language"])
    return kept, {p.name for p in output.glob("*.parquet")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("text-corpus")
    load_example("examples/text/generate_corpus.py").generate(str(folder), files=3, docs=60)
    return str(folder)


@pytest.fixture(scope="module")
def local_result(corpus: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, tuple[str, str]], set[str]]:
    kept, files = _run(corpus, tmp_path_factory.mktemp("local"), "local")
    # The junk (symbol soup, repeated lines) and the non-English documents never survive.
    assert kept and all(language == "en" for _, language in kept.values())
    assert not any(text.count("#") > 5 or "click here to subscribe\nclick" in text for text, _ in kept.values())
    assert len(files) == 3
    return kept, files


def test_local_executor_keeps_english_prose_only(local_result: tuple[dict[str, Any], set[str]]) -> None:
    kept, _ = local_result
    assert 60 < len(kept) < 180


@pytest.mark.parametrize("name", OTHER_EXECUTORS)
def test_every_executor_keeps_the_same_documents_as_local(
    name: str, corpus: str, local_result: tuple[dict[str, Any], set[str]], ray_cluster: str, tmp_path: Path
) -> None:
    require_executor(name)
    assert _run(corpus, tmp_path, name) == local_result
