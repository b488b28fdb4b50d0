"""`curator run` writes one run report by default and a terminal shows one summary, with items."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from curator_core import EmptyTask, Pipeline, ProcessingStage
from curator_core.executors.local import LocalExecutor
from curator_core.executors.local.progress import group_label
from curator_core.testing import FakeDistribution

from cli_helpers import COUNTER_PIPELINE, IN_PROCESS, run_cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))

from sample_stages import ReadSentences, Words

AddPlugin = Callable[..., FakeDistribution]


@pytest.fixture
def pipeline(add_stage_plugin: AddPlugin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_stage_plugin("counter")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, lines in {"a.txt": 1, "b.txt": 3, "c.txt": 5}.items():
        (corpus / name).write_text("line\n" * lines)
    path = tmp_path / "pipeline.yaml"
    path.write_text(COUNTER_PIPELINE.format(corpus=corpus, executor=IN_PROCESS))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return path


def test_run_writes_run_report_json_in_the_working_folder_by_default(pipeline: Path) -> None:
    previous = os.umask(0o022)  # the usual umask; a report is then readable by others, as files are
    try:
        code, out, err = run_cli("run", str(pipeline), "--set", "stages.LineCounter.params.min_lines=3")
    finally:
        os.umask(previous)
    assert (code, err) == (0, "")
    report_path = Path("run-report.json")
    assert out.splitlines()[-1] == "run report: run-report.json"
    assert stat.S_IMODE(report_path.stat().st_mode) == 0o644
    report = json.loads(report_path.read_text())
    corpus = str(pipeline.parent / "corpus")
    assert report["inputs"] == [corpus]
    assert sorted(report["output_paths"]) == [f"{corpus}/b.txt", f"{corpus}/c.txt"]
    assert report["pipeline_file"] == str(pipeline)
    assert report["overrides"] == ["stages.LineCounter.params.min_lines=3"]
    counts = {stage["stage"]: stage for stage in report["stages"]}
    assert (counts["LineCounter"]["items_in"], counts["LineCounter"]["items_out"]) == (3, 2)


def test_report_flag_overrides_the_path_and_no_report_writes_none(pipeline: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "r.json"
    code, out, _ = run_cli("run", str(pipeline), "--report", str(target))
    assert code == 0 and target.is_file() and not Path("run-report.json").exists()
    assert f"run report: {target}" in out
    code, out, _ = run_cli("run", str(pipeline), "--no-report")
    assert code == 0 and not Path("run-report.json").exists()
    assert "run report" not in out


def test_the_summary_is_printed_once_with_item_counts(pipeline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli("run", str(pipeline), "--set", "executor.config.progress=true")
    err += capsys.readouterr().err  # the live display writes to the process's stderr
    assert code == 0
    assert out.count("tasks in") == 1 and "tasks in" not in err
    assert out.splitlines()[0].split() == [
        "stage", "tasks", "in", "tasks", "out", "items", "in", "items", "out", "filtered", "failed", "time", "s",
    ]  # fmt: skip
    assert "finished after" in err


class Interrupt(ProcessingStage[Words, Words]):
    def process(self, task: Words) -> Words:
        raise KeyboardInterrupt


def test_ctrl_c_shows_interrupted_not_finished(capsys: pytest.CaptureFixture[str]) -> None:
    pipeline = Pipeline("stop", stages=[ReadSentences(["a b", "c d"]), Interrupt()])
    with pytest.raises(KeyboardInterrupt):
        pipeline.run(LocalExecutor({"mode": "in_process", "progress": True}), initial_tasks=[EmptyTask()])
    err = capsys.readouterr().err
    assert "interrupted after" in err and "finished" not in err
    assert pipeline.last_report is not None and pipeline.last_report.status == "interrupted"
    assert pipeline.last_report.summary().splitlines()[-1].startswith("interrupted: ")


def test_fused_group_names_are_never_cut_mid_word() -> None:
    name = "jsonl_reader+AddId+word_count+alpha_numeric+repetition+LanguageId"
    assert group_label(name) == "jsonl_reader+…+LanguageId (6 stages)"
    assert group_label("jsonl_reader+AddId") == "jsonl_reader+AddId"


def test_verbose_turns_on_debug_logging_of_core_and_the_executor(
    pipeline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging

    logger = logging.getLogger("curator_core")
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setenv("CURATOR_VERBOSE", "")  # recorded, so the variable is removed again afterwards
    monkeypatch.delenv("CURATOR_VERBOSE")
    assert run_cli("run", str(pipeline), "--no-report")[0] == 0
    assert logger.level == logging.NOTSET and "CURATOR_VERBOSE" not in os.environ
    assert run_cli("run", str(pipeline), "--no-report", "--verbose")[0] == 0
    assert logger.level == logging.DEBUG and len(logger.handlers) == 1
    assert os.environ["CURATOR_VERBOSE"] == "1"
