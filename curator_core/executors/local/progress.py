"""Live progress on a terminal: per stage, tasks waiting, in flight, done, and throughput.

The per-stage table is the run report's (``RunReport.summary()``, printed by ``curator run``);
here the live lines are redrawn one last time and one line says how the run ended, so a terminal
shows one summary, and "interrupted" after Ctrl-C rather than "finished".
"""

from __future__ import annotations

import sys
import time
from collections import deque
from typing import Any

from curator_core.report import RunStats

__all__ = ["Progress", "group_label"]

LABEL_WIDTH = 48


def group_label(name: str, width: int = LABEL_WIDTH) -> str:
    """A fused group's name that fits ``width`` without cutting a stage name in the middle.

    ``jsonl_reader+AddId+word_count+alpha_numeric`` becomes ``jsonl_reader+…+alpha_numeric (4 stages)``
    when it is too long: the first and last members whole, the count of all of them.
    """
    if len(name) <= width:
        return name
    parts = name.split("+")
    if len(parts) < 3:
        return name
    return f"{parts[0]}+…+{parts[-1]} ({len(parts)} stages)"


def ending(error: BaseException | None) -> str:
    """How a run ended, in the words the terminal shows."""
    if error is None:
        return "finished"
    return "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"


class Progress:
    """Redraws one status line per stage at most every half second; silent off a terminal."""

    def __init__(self, stages: list[Any], enabled: bool | None) -> None:
        self.names = [stage.name for stage in stages]
        self.labels = [group_label(name) for name in self.names]
        self.width = max([24, *(len(label) for label in self.labels)])
        self.enabled = sys.stderr.isatty() if enabled is None else bool(enabled)
        self.start = time.monotonic()
        self.last = 0.0
        self.drawn = 0
        self.lines: list[str] = []
        self.state: tuple[list[deque[Any]], list[list[Any]], RunStats] | None = None

    def update(self, pending: list[deque[Any]], workers: list[list[Any]], stats: RunStats, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.5 and not force):
            return
        self.last = now
        self.state = (pending, workers, stats)
        elapsed = max(now - self.start, 1e-9)
        lines = []
        for index, name in enumerate(self.names):
            leaf = stats.counts(name.split("+")[-1])
            done = leaf.tasks_in
            busy = sum(1 for w in workers[index] if w.busy)
            lines.append(
                f"{self.labels[index]:<{self.width}} waiting {len(pending[index]):>5}  running {busy:>3}  "
                f"done {done:>7} tasks {leaf.items_out:>9} items  {done / elapsed:8.1f} tasks/s"
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
        self.lines = lines

    def close(self, stats: RunStats, error: BaseException | None = None) -> None:
        """Say how the run ended (``error``: what stopped it; by default the exception in flight)."""
        if not self.enabled:
            return
        if error is None:
            error = sys.exc_info()[1]
        if self.state is not None:
            self.update(*self.state, force=True)
        elapsed = time.monotonic() - self.start
        sys.stderr.write(f"{ending(error)} after {elapsed:.2f} s\n")
        sys.stderr.flush()
