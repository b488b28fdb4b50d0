"""``curator run`` / ``curator validate`` on pipeline files, end to end, with readable errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from curator_core.testing import FakeDistribution, FakeDistributions

from cli_helpers import run_cli

AddPlugin = Callable[..., FakeDistribution]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, lines in {"a.txt": 1, "b.txt": 3, "c.txt": 5, "d.txt": 0}.items():
        (folder / name).write_text("line\n" * lines)
    return folder


def _pipeline_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pipeline.yaml"
    path.write_text(textwrap.dedent(body))
    return path


PIPELINE = """
name: count-lines
description: keep files with at least two lines
requires_plugins: [counter>=1.0]
stages:
  - stage: FilePartitioningStage
    params: {{file_paths: {corpus}, files_per_partition: 2}}
  - stage: LineCounter
    params: {{min_lines: 2}}
executor:
  name: local
  config: {{mode: in_process}}
"""


def test_pipeline_file_runs_end_to_end_through_the_cli(
    add_stage_plugin: AddPlugin, corpus: Path, tmp_path: Path
) -> None:
    add_stage_plugin("counter")
    path = _pipeline_file(tmp_path, PIPELINE.format(corpus=corpus))
    report_path = tmp_path / "out" / "report.json"
    code, out, err = run_cli("run", str(path), "--report", str(report_path))
    assert (code, err) == (0, "")
    lines = {line.split()[0]: line.split()[1:7] for line in out.splitlines() if line.split()}
    # tasks in, tasks out, items in, items out (files here), filtered tasks, failed tasks
    assert lines["file_partitioning"] == ["1", "2", "0", "4", "0", "0"]
    assert lines["LineCounter"] == ["2", "2", "4", "2", "0", "0"]
    assert "succeeded: 2 output tasks" in out
    report = json.loads(report_path.read_text())
    assert report["pipeline"] == "count-lines" and report["status"] == "succeeded"


def test_set_overrides_a_stage_parameter_by_stage_name(
    add_stage_plugin: AddPlugin, corpus: Path, tmp_path: Path
) -> None:
    add_stage_plugin("counter")
    path = _pipeline_file(tmp_path, PIPELINE.format(corpus=corpus))
    code, out, _ = run_cli(
        "run",
        str(path),
        "--set",
        "stages.LineCounter.params.min_lines=4",
        "--set",
        "stages.0.params.files_per_partition=4",
    )
    assert code == 0
    lines = {line.split()[0]: line.split()[1:7] for line in out.splitlines() if line.split()}
    assert lines["LineCounter"] == ["1", "1", "4", "1", "0", "0"]


def test_run_in_a_real_process_exits_0_and_prints_the_summary(
    fake_plugins: FakeDistributions, add_stage_plugin: AddPlugin, corpus: Path, tmp_path: Path
) -> None:
    add_stage_plugin("counter")
    path = _pipeline_file(tmp_path, PIPELINE.format(corpus=corpus))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(s) for s in fake_plugins.sites] + sys.path)}
    done = subprocess.run(
        [sys.executable, "-m", "curator_core.cli", "run", str(path), "--set", "executor.config.mode=process"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "succeeded: 2 output tasks" in done.stdout


BOOM = (
    "from curator_core import FileGroupTask, ProcessingStage\n"
    "class Boom(ProcessingStage[FileGroupTask, FileGroupTask]):\n"
    "    def process(self, task):\n        raise OSError('disk on fire')\n"
)


def test_validate_prints_the_plan_and_runs_nothing(
    fake_plugins: FakeDistributions, corpus: Path, tmp_path: Path
) -> None:
    fake_plugins.add(
        "boom", stages=[{"name": "Boom", "target": "curator_fake_boom.stages:Boom"}], modules={"stages.py": BOOM}
    )
    body = PIPELINE.format(corpus=corpus).replace("LineCounter", "Boom").replace("{min_lines: 2}", "{}")
    code, out, err = run_cli("validate", str(_pipeline_file(tmp_path, body.replace("[counter>=1.0]", "[boom]"))))
    assert (code, err) == (0, "")  # Boom raises on any task: nothing was processed
    assert "Pipeline 'count-lines': 2 stages" in out
    assert "Boom: FileGroupTask -> FileGroupTask" in out


def test_wrong_parameter_name_names_the_stage_and_lists_valid_ones(
    add_stage_plugin: AddPlugin, corpus: Path, tmp_path: Path
) -> None:
    add_stage_plugin("counter")
    path = _pipeline_file(tmp_path, PIPELINE.format(corpus=corpus).replace("min_lines: 2", "min_line: 2"))
    code, out, err = run_cli("validate", str(path))
    assert code == 1 and out == ""
    assert err.splitlines()[0] == (
        f"curator: error: pipeline file {path}: stages[1] (LineCounter): unknown parameter 'min_line' "
        "(did you mean 'min_lines'?); valid parameters: min_lines"
    )
    assert "Traceback" not in err


def test_missing_required_plugins_fail_fast_listing_all(corpus: Path, tmp_path: Path, curator_env: None) -> None:
    body = PIPELINE.format(corpus=corpus).replace("[counter>=1.0]", "[counter>=1.0, curator-text>=0.1]")
    code, _, err = run_cli("run", str(_pipeline_file(tmp_path, body)))
    assert code == 1
    assert "requires plugins that are missing or mismatched" in err
    assert "counter>=1.0: no such plugin is installed" in err
    assert "curator-text>=0.1: no such plugin is installed (pip install curator-text)" in err


def test_executor_flag_overrides_the_file_and_unknown_executor_says_what_to_install(
    add_stage_plugin: AddPlugin, corpus: Path, tmp_path: Path
) -> None:
    add_stage_plugin("counter")
    code, _, err = run_cli("run", str(_pipeline_file(tmp_path, PIPELINE.format(corpus=corpus))), "--executor", "xenna")
    assert code == 1
    assert "executor 'xenna': no installed plugin provides executor 'xenna'" in err
    assert "pip install curator-executor-xenna" in err


def test_failing_stage_exits_1_after_printing_the_summary(
    fake_plugins: FakeDistributions, corpus: Path, tmp_path: Path
) -> None:
    fake_plugins.add(
        "boom", stages=[{"name": "Boom", "target": "curator_fake_boom.stages:Boom"}], modules={"stages.py": BOOM}
    )
    body = PIPELINE.format(corpus=corpus).replace("LineCounter", "Boom").replace("{min_lines: 2}", "{}")
    body = body.replace("[counter>=1.0]", "[boom]")
    code, out, err = run_cli("run", str(_pipeline_file(tmp_path, body)))
    assert code == 1
    assert "failed:" in out
    assert "curator: error:" in err and "disk on fire" in err and "Traceback" not in err


def test_traceback_flag_shows_the_trace(curator_env: None, tmp_path: Path) -> None:
    code, _, err = run_cli("validate", str(tmp_path / "missing.yaml"), "--traceback")
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert "does not exist" in err


def test_unsafe_yaml_tags_are_refused(curator_env: None, tmp_path: Path) -> None:
    path = _pipeline_file(tmp_path, "name: x\nstages: [!!python/object/apply:os.system ['true']]\n")
    code, _, err = run_cli("validate", str(path))
    assert code == 1
    assert "is not valid YAML" in err
