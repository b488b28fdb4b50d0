"""Ctrl-C stops every worker and leaves no process behind.

The child restores Python's default SIGINT handler itself: a suite started with SIGINT ignored
(``nohup nox &``, a job started with ``&`` from a script) hands that ignore down to its children, and
Python then installs no KeyboardInterrupt handler.
"""

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
    import signal
    import sys
    signal.signal(signal.SIGINT, signal.default_int_handler)
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
    # Every worker ever seen, not those alive at one instant: the source's worker may finish and
    # exit before the Sleepy workers start on a loaded machine. Sleepy's two workers then run for
    # about 25 s (100 words x 0.5 s / 2), long enough to be seen however slow the start.
    seen: dict[int, psutil.Process] = {}
    deadline = time.monotonic() + 120
    while len(seen) < 3 and time.monotonic() < deadline and proc.poll() is None:
        for child in driver.children(recursive=True):
            seen.setdefault(child.pid, child)
        if len(seen) == 2:
            deadline = min(deadline, time.monotonic() + 5)
        time.sleep(0.05)
    workers = list(seen.values())
    assert len(workers) >= 2, "the run should have started its workers"
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert "KeyboardInterrupt" in stderr
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []
