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
    inputs: list[str] = field(default_factory=list)
    output_paths: list[str] = field(default_factory=list)
    pipeline_file: str = ""
    overrides: list[str] = field(default_factory=list)
    checkpoint: str = ""
    partitions_skipped: int = 0  # source partitions a checkpoint recorded as done before this run

    def to_dict(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline,
            "executor": self.executor,
            "status": self.status,
            "error": self.error,
            "started_at": self.started_at,
            "wall_time_s": round(self.wall_time_s, 6),
            "outputs": self.outputs,
            "inputs": list(self.inputs),
            "output_paths": list(self.output_paths),
            "pipeline_file": self.pipeline_file,
            "overrides": list(self.overrides),
            "checkpoint": self.checkpoint,
            "partitions_skipped": self.partitions_skipped,
            "versions": dict(self.versions),
            "plan": self.plan,
            "stages": [vars(counts) for counts in self.stages],
            "failures": [failure.to_dict() for failure in self.failures],
        }

    def summary(self) -> str:
        """A per-stage table for the terminal: tasks and items (documents, clips, entries) in and out.

        Names are never cut; the column is as wide as the longest. ``filtered`` counts tasks a
        stage dropped whole; items dropped inside kept tasks show as ``items in`` minus ``items out``.
        """
        width = max([24, *(len(c.stage) for c in self.stages)])
        header = (
            f"{'stage':<{width}} {'tasks in':>9} {'tasks out':>9} {'items in':>10} {'items out':>10} "
            f"{'filtered':>8} {'failed':>6} {'time s':>8}"
        )
        rows = [header, "-" * len(header)]
        for c in self.stages:
            rows.append(
                f"{c.stage:<{width}} {c.tasks_in:>9} {c.tasks_out:>9} {c.items_in:>10} {c.items_out:>10} "
                f"{c.filtered:>8} {c.failed:>6} {c.process_time:>8.3f}"
            )
        items = f" ({self.stages[-1].items_out} items)" if self.stages else ""
        rows.append(
            f"{self.status}: {self.outputs} output tasks{items} in {self.wall_time_s:.2f} s on {self.executor!r}"
        )
        if self.checkpoint:
            rows.append(f"checkpoint {self.checkpoint}: {self.partitions_skipped} partitions skipped as already done")
        return "\n".join(rows)

    def write(self, path: str | os.PathLike[str], storage_options: dict[str, Any] | None = None) -> str:
        """Write the report as JSON atomically (a local path or a URL such as ``s3://bucket/report.json``)."""
        from curator_core.storage import atomic_write

        target = os.fspath(path)
        with atomic_write(target, "w", storage_options) as handle:
            json.dump(self.to_dict(), handle, indent=2, default=str)
        return target
