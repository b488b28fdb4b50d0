"""Resume: after a kill (SIGKILL or Ctrl-C) a rerun does only the missing partitions, and the
output equals one uninterrupted run's."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from curator_core.checkpoint import CheckpointLedger, done_partitions
from curator_core.errors import CheckpointMismatchError, PipelineValidationError

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))

import resume_pipeline  # noqa: E402

PARTITIONS = 12
LAST_POSITION = 4  # ReadLines, SplitHalves, DropMarked, Slow, WriteLines after the source


def _make_input(folder: pathlib.Path) -> pathlib.Path:
    folder.mkdir()
    for number in range(PARTITIONS):
        lines = [f"file {number} line {k}" for k in range(6)]
        if number % 4 == 0:
            lines[3:] = [f"drop {number} {k}" for k in range(3)]  # the second half is filtered out
        (folder / f"part-{number:02d}.txt").write_text("\n".join(lines) + "\n")
    return folder


def _contents(folder: pathlib.Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


@pytest.fixture
def data(tmp_path: pathlib.Path) -> pathlib.Path:
    return _make_input(tmp_path / "in")


@pytest.fixture
def reference(tmp_path: pathlib.Path, data: pathlib.Path) -> dict[str, str]:
    out = tmp_path / "reference"
    resume_pipeline.build(str(data), str(out)).run("local")
    return _contents(out)


def _start(data: pathlib.Path, out: pathlib.Path, checkpoint: pathlib.Path, delay: float) -> subprocess.Popen[bytes]:
    pythonpath = os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": pythonpath, "RESUME_TEST_DELAY": str(delay)}
    code = "import sys, resume_pipeline; sys.exit(resume_pipeline.main(sys.argv[1:]))"
    command = [sys.executable, "-c", code, str(data), str(out), "--checkpoint", str(checkpoint)]
    # The default SIGINT handler, whatever the test runner was started with (nohup, &).
    return subprocess.Popen(
        command,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _kill_part_way(process: subprocess.Popen[bytes], out: pathlib.Path, how: signal.Signals) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*.txt"))) < 4:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    process.send_signal(how)  # the driver only: its workers must notice and stop by themselves
    process.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    pytest.fail("worker processes outlived their driver by 30 s")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["sigkill", "ctrl-c"])
def test_rerun_after_a_kill_does_only_missing_partitions_and_matches_one_run(
    tmp_path: pathlib.Path, data: pathlib.Path, reference: dict[str, str], how: signal.Signals
) -> None:
    out, checkpoint = tmp_path / "out", tmp_path / "ckpt"
    _kill_part_way(_start(data, out, checkpoint, delay=0.25), out, how)
    written = len(list(out.glob("*.txt")))
    done = done_partitions(CheckpointLedger(str(checkpoint)).load(), LAST_POSITION)
    assert 0 < len(done) < PARTITIONS, "the kill should land part-way through the run"
    assert written < len(reference)

    pipeline = resume_pipeline.build(str(data), str(out))
    pipeline.run("local", checkpoint_path=str(checkpoint))

    assert _contents(out) == reference  # same files, same rows: nothing missing, nothing twice
    report = pipeline.last_report
    assert report is not None
    counts = {c.stage: c for c in report.stages}
    assert counts["ReadLines"].tasks_in == PARTITIONS - len(done)
    assert report.partitions_skipped == len(done)
    assert f"{len(done)} partitions skipped" in report.summary()


def test_completed_run_is_not_repeated(tmp_path: pathlib.Path, data: pathlib.Path, reference: dict[str, str]) -> None:
    out, checkpoint = tmp_path / "out", tmp_path / "ckpt"
    resume_pipeline.build(str(data), str(out)).run("local", checkpoint_path=str(checkpoint))
    again = resume_pipeline.build(str(data), str(out))
    again.run("local", checkpoint_path=str(checkpoint))
    assert _contents(out) == reference
    assert again.last_report is not None
    assert again.last_report.partitions_skipped == PARTITIONS
    assert {c.stage: c.tasks_in for c in again.last_report.stages}["ReadLines"] == 0


def test_partition_that_failed_under_ignore_failures_is_retried(tmp_path: pathlib.Path, data: pathlib.Path) -> None:
    out, checkpoint = tmp_path / "out", tmp_path / "ckpt"
    failing = resume_pipeline.build(str(data), str(out), fail_on="file 5 ")
    failing.run("local", checkpoint_path=str(checkpoint))
    assert failing.last_report is not None and failing.last_report.failures
    # The same plan (the failure was in the data's handling, not the parameters) retries only that partition.
    retry = resume_pipeline.build(str(data), str(out), fail_on="file 5 ")
    (data / "part-05.txt").write_text("file 5b line 0\nfile 5b line 1\n")  # the bad input is fixed
    retry.run("local", checkpoint_path=str(checkpoint))
    assert retry.last_report is not None
    assert {c.stage: c.tasks_in for c in retry.last_report.stages}["ReadLines"] == 1
    assert retry.last_report.partitions_skipped == PARTITIONS - 1


def test_changed_pipeline_is_refused_with_what_changed(tmp_path: pathlib.Path, data: pathlib.Path) -> None:
    out, checkpoint = tmp_path / "out", tmp_path / "ckpt"
    resume_pipeline.build(str(data), str(out)).run("local", checkpoint_path=str(checkpoint))
    changed = resume_pipeline.build(str(data), str(out), marker="skip")
    with pytest.raises(CheckpointMismatchError, match=r"stage 'DropMarked': marker 'drop' -> 'skip'") as info:
        changed.run("local", checkpoint_path=str(checkpoint))
    assert "discard_checkpoint=True" in str(info.value)
    changed.run("local", checkpoint_path=str(checkpoint), discard_checkpoint=True)
    assert changed.last_report is not None and changed.last_report.partitions_skipped == 0


def test_stage_that_needs_every_partition_refuses_a_checkpoint(tmp_path: pathlib.Path, data: pathlib.Path) -> None:
    class Global(resume_pipeline.Slow):
        resumable = False

    pipeline = resume_pipeline.build(str(data), str(tmp_path / "out"))
    pipeline.stages.insert(4, Global())
    with pytest.raises(PipelineValidationError, match=r"stage 'Global' cannot be resumed"):
        pipeline.run("local", checkpoint_path=str(tmp_path / "ckpt"))
    assert not (tmp_path / "out").exists()


def test_given_initial_tasks_are_the_partitions(tmp_path: pathlib.Path, data: pathlib.Path) -> None:
    from curator_core import FileGroupTask

    out, checkpoint = tmp_path / "out", tmp_path / "ckpt"
    tasks = [FileGroupTask(task_id="", dataset_name="lines", data=[str(p)]) for p in sorted(data.iterdir())]
    failing = resume_pipeline.build(str(data), str(out), fail_on="file 3 ")
    failing.stages.pop(0)  # no source stage: the given tasks are the partitions
    failing.run("local", initial_tasks=tasks, checkpoint_path=str(checkpoint))
    assert failing.last_report is not None and len(failing.last_report.failures) == 2  # both halves of file 3

    (data / "part-03.txt").write_text("file 3b line 0\nfile 3b line 1\n")
    again = resume_pipeline.build(str(data), str(out), fail_on="file 3 ")
    again.stages.pop(0)
    again.run("local", initial_tasks=tasks, checkpoint_path=str(checkpoint))
    assert again.last_report is not None and again.last_report.partitions_skipped == PARTITIONS - 1
    fresh = resume_pipeline.build(str(data), str(tmp_path / "fresh"))
    fresh.stages.pop(0)
    fresh.run("local", initial_tasks=tasks)
    assert _contents(out) == _contents(tmp_path / "fresh")
