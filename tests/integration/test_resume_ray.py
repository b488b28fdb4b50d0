"""Resume on the Ray-based executors: a driver killed part-way, rerun, equals one uninterrupted run.

The reference output comes from the local executor (every executor writes the same files). The
killed driver joins the session's Ray cluster, so killing it leaves no cluster behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from integration_helpers import OTHER_EXECUTORS, ROOT, require_executor

sys.path.insert(0, str(ROOT / "tests" / "checkpoint"))

import resume_pipeline

from curator_core.checkpoint import CheckpointLedger, done_partitions
from curator_core.pipeline import resolve_executor

ray_cloudpickle = pytest.importorskip("ray.cloudpickle")
# The test's stages live outside any installed package: Ray's workers get them by value.
ray_cloudpickle.register_pickle_by_value(resume_pipeline)

PARTITIONS = 8
LAST_POSITION = 4
CONFIGS = {"xenna": {"execution_mode": "batch", "logging_interval": 600}}


def _contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("resume-in")
    for number in range(PARTITIONS):
        lines = [f"file {number} line {k}" for k in range(4)]
        if number % 3 == 0:
            lines[2:] = [f"drop {number} {k}" for k in range(2)]
        (folder / f"part-{number:02d}.txt").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture(scope="module")
def reference(data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("resume-reference")
    resume_pipeline.build(str(data), str(out)).run("local")
    return _contents(out)


@pytest.mark.parametrize("name", OTHER_EXECUTORS)
def test_killed_driver_resumes_on_every_ray_executor(
    name: str, data: Path, reference: dict[str, str], ray_cluster: str, tmp_path: Path
) -> None:
    require_executor(name)
    out, checkpoint = tmp_path / "out", tmp_path / "ckpt"
    config = json.dumps(CONFIGS.get(name, {}))
    pythonpath = os.pathsep.join([str(ROOT / "tests" / "checkpoint"), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": pythonpath, "RESUME_TEST_DELAY": "1.0", "RAY_ADDRESS": ray_cluster}
    code = "import sys, resume_pipeline; by_value(resume_pipeline); sys.exit(resume_pipeline.main(sys.argv[1:]))"
    code = "from ray.cloudpickle import register_pickle_by_value as by_value; " + code
    command = [sys.executable, "-c", code, str(data), str(out), "--checkpoint", str(checkpoint)]
    driver = subprocess.Popen(
        [*command, "--executor", name, "--config", config],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(out.glob("*.txt"))) < 2:
        assert driver.poll() is None, driver.communicate()[1][-3000:]
        time.sleep(0.1)
    driver.send_signal(signal.SIGKILL)
    driver.wait(timeout=60)
    done = done_partitions(CheckpointLedger(str(checkpoint)).load(), LAST_POSITION)
    assert 0 < len(done) < PARTITIONS, "the kill should land part-way through the run"

    pipeline = resume_pipeline.build(str(data), str(out))
    pipeline.run(resolve_executor(name, CONFIGS.get(name)), checkpoint_path=str(checkpoint))

    assert _contents(out) == reference
    assert pipeline.last_report is not None
    assert pipeline.last_report.partitions_skipped == len(done)
    assert {c.stage: c.tasks_in for c in pipeline.last_report.stages}["ReadLines"] == PARTITIONS - len(done)
