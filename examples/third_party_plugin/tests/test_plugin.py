"""The example as an installed plugin: found through its entry point, run from a pipeline file."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from curator_core.cli import main
from curator_core.plugins.host import get_host


@pytest.fixture
def host(curator_env: None):
    return get_host()


def test_plugin_registers_its_stage_under_its_plugin_id(host) -> None:
    (info,) = [p for p in host.plugins() if p.plugin_id == "example_dedupe"]
    assert info.status == "ok"
    assert info.distribution == "curator-example-dedupe"
    assert info.stages == ("DuplicateFileFilter",)
    assert host.resolve_stage("example_dedupe:DuplicateFileFilter").__name__ == "DuplicateFileFilter"


def test_listing_plugins_does_not_import_the_stage_module() -> None:
    code = (
        "import sys, io; from curator_core.cli import main; "
        "rc = main(['plugins', '--json'], stdout=io.StringIO()); "
        "print(rc, 'curator_example_dedupe.stages' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "False"]


def test_pipeline_file_runs_end_to_end_through_the_cli(curator_env: None, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name, text in {"a.txt": "same", "b.txt": "other", "c.txt": "same"}.items():
        (data / name).write_text(text)
    pipeline = Path(__file__).parents[1] / "pipeline.yaml"
    report = tmp_path / "report.json"
    out = io.StringIO()
    code = main(
        ["run", str(pipeline), "--set", f"stages.0.params.file_paths={data}", "--report", str(report)],
        stdout=out,
        stderr=io.StringIO(),
    )
    assert code == 0, out.getvalue()
    counts = {s["stage"]: s for s in json.loads(report.read_text())["stages"]}
    assert counts["DuplicateFileFilter"]["tasks_in"] == 1
    assert counts["DuplicateFileFilter"]["tasks_out"] == 1
    assert "DuplicateFileFilter" in out.getvalue()
