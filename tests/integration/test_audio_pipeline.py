"""The audio example pipeline on every installed executor writes the same manifest as the local one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from integration_helpers import OTHER_EXECUTORS, load_example, require_executor

pytest.importorskip("curator_audio")

from curator_audio.testing import flite_path, generate_corpus


def _written(output: Path) -> dict[str, list[dict[str, Any]]]:
    """Every manifest the writer wrote, by file name (names come from task ids)."""
    return {
        path.name: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for path in sorted(output.glob("*.jsonl"))
    }


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> str:
    if flite_path() is None:
        pytest.skip("flite is not installed (Debian: apt-get install flite); no test speech can be generated")
    folder = tmp_path_factory.mktemp("speech")
    return generate_corpus(str(folder), sentences=["the weather is nice and warm today", "she sells sea shells"])


@pytest.fixture(scope="module")
def local_output(manifest: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    output = tmp_path_factory.mktemp("local")
    pipeline, executor = load_example("examples/audio/run.py").build(
        manifest, str(output), "local", {"progress": False}
    )
    pipeline.run(executor)
    written = _written(output)
    entries = [e for file in written.values() for e in file]
    # The well-recognised sentence survives in every voice; noise and silence never do.
    kept_voices = sorted(e["voice"] for e in entries if e["text"] == "the weather is nice and warm today")
    assert kept_voices == ["awb", "kal16", "rms", "slt"]
    assert all(e["kind"] == "speech" and e["wer"] < 20 and e["duration"] > 0 for e in entries)
    return written


def test_local_executor_keeps_only_low_wer_entries(local_output: dict[str, Any]) -> None:
    assert local_output


@pytest.mark.parametrize("name", OTHER_EXECUTORS)
def test_every_executor_writes_the_same_manifest_as_local(
    name: str, manifest: str, local_output: dict[str, Any], ray_cluster: str, tmp_path: Path
) -> None:
    require_executor(name)
    pipeline, executor = load_example("examples/audio/run.py").build(manifest, str(tmp_path), name, {})
    pipeline.run(executor)
    assert _written(tmp_path) == local_output
    assert pipeline.last_report is not None and pipeline.last_report.status == "succeeded"
