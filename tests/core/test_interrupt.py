"""Ctrl-C stops every worker and leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil

SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from curator_core import Pipeline
    from curator_core.executors.local import LocalExecutor
    from sample_stages import ReadSentences, Sleepy
    sentences = [f"w{{i}} x{{i}}" for i in range(50)]
    print("started", flush=True)
    Pipeline("slow", stages=[ReadSentences(sentences), Sleepy(0.5)]).run(LocalExecutor({{"num_workers": 2}}))
    """
)


def test_ctrl_c_leaves_no_worker_behind(tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(SCRIPT.format(tests=str(Path(__file__).parent)))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "started"
    driver = psutil.Process(proc.pid)
    deadline = time.monotonic() + 20
    while len(driver.children(recursive=True)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = driver.children(recursive=True)
    assert len(workers) >= 3, "the run should have started its workers"
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert "KeyboardInterrupt" in stderr
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []
