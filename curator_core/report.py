"""The run report: what ran, how many tasks each stage saw, what failed, how long it took."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from curator_core.executors.adapter import StageCounts, StageOutcome, TaskFailure

__all__ = ["RunReport", "RunStats"]


class RunStats:
    """Totals per stage, summed from adapter outcomes by an executor as a run goes."""

    def __init__(self) -> None:
        self.stages: dict[str, StageCounts] = {}
        self.failures: list[TaskFailure] = []

    def record(self, outcome: StageOutcome) -> None:
        """Add one adapter call's counts and failures."""
        for counts in outcome.counts:
            self.stages.setdefault(counts.stage, StageCounts(counts.stage)).add(counts)
        self.failures.extend(outcome.failures)

    def counts(self, stage: str) -> StageCounts:
        """Totals for one stage (zeros when it never ran)."""
        return self.stages.get(stage, StageCounts(stage))


@dataclass
class RunReport:
    """Machine-readable summary of a run, written beside its output when asked."""

    pipeline: str
    executor: str
    plan: dict[str, Any]
    versions: dict[str, str]
    stages: list[StageCounts]
    failures: list[TaskFailure] = field(default_factory=list)
    outputs: int = 0
    wall_time_s: float = 0.0
    started_at: str = ""
    status: str = "succeeded"
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline,
            "executor": self.executor,
            "status": self.status,
            "error": self.error,
            "started_at": self.started_at,
            "wall_time_s": round(self.wall_time_s, 6),
            "outputs": self.outputs,
            "versions": dict(self.versions),
            "plan": self.plan,
            "stages": [vars(counts) for counts in self.stages],
            "failures": [failure.to_dict() for failure in self.failures],
        }

    def summary(self) -> str:
        """A per-stage table for the terminal."""
        header = f"{'stage':<32} {'in':>8} {'out':>8} {'filtered':>9} {'failed':>7} {'time s':>9}"
        rows = [header, "-" * len(header)]
        for c in self.stages:
            counts = f"{c.tasks_in:>8} {c.tasks_out:>8} {c.filtered:>9} {c.failed:>7}"
            rows.append(f"{c.stage[:32]:<32} {counts} {c.process_time:>9.3f}")
        rows.append(f"{self.status}: {self.outputs} output tasks in {self.wall_time_s:.2f} s on {self.executor!r}")
        return "\n".join(rows)

    def write(self, path: str | os.PathLike[str]) -> str:
        """Write the report as JSON atomically (temporary file, then rename)."""
        import tempfile

        target = os.fspath(path)
        directory = os.path.dirname(os.path.abspath(target))
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.to_dict(), handle, indent=2, default=str)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
        return target
