"""Failures: fail fast by default, drop-count-record when asked, retry a task whose worker died."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from curator_core import Pipeline, StageFailedError, WorkerLostError
from curator_core.executors.local import LocalExecutor

from sample_stages import Boom, KillOnce, ReadSentences, SplitWords, Upper

SENTENCES = ["alpha beta gamma", "delta epsilon", "zeta eta theta iota"]
ALL_WORDS = sorted(w for s in SENTENCES for w in s.split())


def test_a_raising_stage_stops_the_run_naming_stage_task_and_cause(executor: LocalExecutor) -> None:
    pipeline = Pipeline("boom", stages=[ReadSentences(SENTENCES), Boom("epsilon")])
    with pytest.raises(StageFailedError) as caught:
        pipeline.run(executor)
    error = caught.value
    assert error.stage == "Boom"
    assert "RuntimeError: cannot handle 'epsilon'" in str(error)
    assert error.task_id.endswith(".1")  # epsilon is word 1 of its sentence
    assert isinstance(error.__cause__, RuntimeError)
    assert pipeline.last_report is not None and pipeline.last_report.status == "failed"


def test_ignore_failures_drops_counts_and_records_the_task(executor: LocalExecutor) -> None:
    runner = LocalExecutor({**executor.config, "ignore_failures": True})
    pipeline = Pipeline("boom", stages=[ReadSentences(SENTENCES), Boom("epsilon")])
    outputs = pipeline.run(runner)
    assert sorted(t.data[0] for t in outputs) == [w for w in ALL_WORDS if w != "epsilon"]
    report = pipeline.last_report
    assert report is not None
    assert [(f.stage, f.error) for f in report.failures] == [("Boom", "RuntimeError: cannot handle 'epsilon'")]
    assert {c.stage: c.failed for c in report.stages}["Boom"] == 1


def test_per_stage_policy_overrides_the_executor() -> None:
    tolerant = Boom("epsilon")
    tolerant.ignore_failures = True
    outputs = Pipeline("boom", stages=[ReadSentences(SENTENCES), tolerant]).run(LocalExecutor())
    assert len(outputs) == len(ALL_WORDS) - 1


def test_a_killed_worker_is_replaced_and_its_task_retried(tmp_path: Path) -> None:
    marker = str(tmp_path / "killed")
    pipeline = Pipeline("kill", stages=[ReadSentences(SENTENCES), KillOnce("gamma", marker), Upper()])
    outputs = pipeline.run(LocalExecutor({"num_workers": 2}))
    assert Path(marker).read_text() == "killed\n"
    assert sorted(t.data[0] for t in outputs) == sorted(w.upper() for w in ALL_WORDS)
    assert len({t.task_id for t in outputs}) == len(outputs)


def test_a_task_that_always_kills_its_worker_fails_after_the_attempt_limit(tmp_path: Path) -> None:
    marker = str(tmp_path / "killed")
    pipeline = Pipeline("kill", stages=[ReadSentences(SENTENCES), KillOnce("gamma", marker, always=True)])
    with pytest.raises(WorkerLostError) as caught:
        pipeline.run(LocalExecutor({"max_attempts": 2}))
    assert caught.value.stage == "KillOnce"
    assert "2 times" in str(caught.value)
    assert Path(marker).read_text().count("killed") == 2


def test_setup_failure_names_the_stage(executor: LocalExecutor) -> None:
    class BadSetup(Upper):
        def setup(self, worker_metadata=None):  # type: ignore[no-untyped-def]
            raise OSError("model file missing")

    with pytest.raises(StageFailedError, match="BadSetup.*setup.*model file missing"):
        Pipeline("setup", stages=[ReadSentences(SENTENCES), BadSetup()]).run(executor)


def test_no_worker_process_outlives_a_failed_run() -> None:
    import multiprocessing

    with pytest.raises(StageFailedError):
        Pipeline("boom", stages=[ReadSentences(SENTENCES), SplitWords(), Boom("delta")]).run(LocalExecutor())
    assert multiprocessing.active_children() == []
    assert not [p for p in os.listdir("/proc") if p.isdigit() and _is_child(int(p))]


def _is_child(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1]) == os.getpid()
    except OSError:
        return False
