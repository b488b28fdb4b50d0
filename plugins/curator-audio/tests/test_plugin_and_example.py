"""Registration by name, a light manifest module, and the example pipeline on the local executor."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from curator_audio import plugin
from curator_core.plugins.host import get_host

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "audio"


def test_every_stage_is_registered_and_resolves_by_name() -> None:
    names = [spec.name for spec in plugin.curator_stages()]
    assert len(names) == len(set(names)) == 12
    for name in names:
        assert get_host().resolve_stage(name).__name__ == name


def test_manifest_module_imports_nothing_heavy() -> None:
    heavy = ("numpy", "soundfile", "soxr", "jiwer", "pocketsphinx", "webrtcvad")
    code = f"import sys, curator_audio.plugin as p; p.curator_stages(); print(sorted(set({heavy}) & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _runner() -> Any:
    if not (EXAMPLE / "run.py").exists():
        pytest.skip("examples/audio is not beside this plugin (installed outside the repository)")
    spec = importlib.util.spec_from_file_location("audio_example_run", EXAMPLE / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_pipeline_runs_on_the_local_executor(corpus: Path, tmp_path: Path) -> None:
    runner = _runner()
    # One sentence in four voices, the noise and the silent file: enough to keep some and drop some.
    lines = [line for line in corpus.read_text().splitlines() if '"speech-01-' not in line]
    manifest = corpus.parent / "small-manifest.jsonl"
    manifest.write_text("\n".join(lines) + "\n")
    pipeline, executor = runner.build(str(manifest), str(tmp_path / "out"), "local", {"progress": False})
    pipeline.run(executor)
    kept = runner.written_entries(str(tmp_path / "out"))
    assert pipeline.last_report is not None and pipeline.last_report.status == "succeeded"
    assert kept, "no entry survived the WER filter"
    assert all(e["kind"] == "speech" and e["wer"] < 20 and e["duration"] > 0 for e in kept)
    assert {e["voice"] for e in kept} == {"kal16", "slt", "rms", "awb"}
