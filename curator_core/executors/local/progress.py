"""Live progress on a terminal: per stage, tasks waiting, in flight, done, and throughput."""

from __future__ import annotations

import sys
import time
from collections import deque
from typing import Any

from curator_core.report import RunStats

__all__ = ["Progress"]


class Progress:
    """Redraws one status line per stage at most every half second; silent off a terminal."""

    def __init__(self, stages: list[Any], enabled: bool | None) -> None:
        self.names = [stage.name for stage in stages]
        self.enabled = sys.stderr.isatty() if enabled is None else bool(enabled)
        self.start = time.monotonic()
        self.last = 0.0
        self.drawn = 0

    def update(self, pending: list[deque[Any]], workers: list[list[Any]], stats: RunStats) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.5:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        lines = []
        for index, name in enumerate(self.names):
            leaf = name.split("+")[-1]
            done = stats.counts(leaf).tasks_in
            busy = sum(1 for w in workers[index] if w.busy)
            lines.append(
                f"{name[:40]:<40} waiting {len(pending[index]):>5}  running {busy:>3}  "
                f"done {done:>7}  {done / elapsed:8.1f}/s"
            )
        self._draw(lines)

    def _draw(self, lines: list[str]) -> None:
        out = sys.stderr
        if self.drawn:
            out.write(f"\x1b[{self.drawn}F")
        for line in lines:
            out.write("\x1b[2K" + line + "\n")
        out.flush()
        self.drawn = len(lines)

    def close(self, stats: RunStats) -> None:
        """Print the per-stage summary once the run ends."""
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        lines = [f"{'stage':<40} {'in':>8} {'out':>8} {'filtered':>9} {'failed':>7}"]
        for c in stats.stages.values():
            lines.append(f"{c.stage[:40]:<40} {c.tasks_in:>8} {c.tasks_out:>8} {c.filtered:>9} {c.failed:>7}")
        lines.append(f"finished in {elapsed:.2f} s")
        sys.stderr.write("\n".join(lines) + "\n")
        sys.stderr.flush()
