"""Does a plan fit the cluster? Decide before any actor starts, and say why not.

Xenna reserves ``floor(cpus * cpu_allocation_percentage)`` CPUs per node and refuses a streaming
plan whose stages need more than that at once, with a bare "requires 2.00 CPUs" error. On a
2-core machine the default 0.95 leaves one CPU, so every multi-stage pipeline would fail.

Rule (documented in the README): a CPU-only stage asking for at most one CPU per worker is a
single-threaded Python worker; Xenna's CPU counts are scheduling shares, not limits, so such a
stage may share a core. When the plan does not fit, those stages get equal fractions of the CPUs
left over. A stage asking for several CPUs (it runs threads) or for GPUs is taken at its word;
if the plan still does not fit, :class:`~curator_core.errors.CapabilityError` explains which
stage asks for what, what is available, and what would make it fit.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from curator_core.errors import CapabilityError

__all__ = ["FittedPlan", "FittedStage", "NodeCapacity", "StageDemand", "fit_plan", "local_cpu_count", "usable_cpus"]

SHAREABLE_CPUS = 1.0
"""A CPU-only stage asking for at most this many CPUs per worker may get a fraction of a core."""

MIN_SHARE = 0.01
"""The smallest CPU share a worker gets; below it the plan is reported as not fitting."""


@dataclass(frozen=True)
class NodeCapacity:
    """One node as Ray reports it: logical CPUs and GPUs."""

    cpus: float
    gpus: int = 0
    name: str = ""


@dataclass(frozen=True)
class StageDemand:
    """What one (fused) stage asks for: per-worker resources and a pinned worker count or None."""

    name: str
    cpus: float
    gpus: float = 0.0
    workers: int | None = None

    @property
    def min_workers(self) -> int:
        return self.workers or 1

    @property
    def shareable(self) -> bool:
        return self.gpus == 0 and self.cpus <= SHAREABLE_CPUS


@dataclass(frozen=True)
class FittedStage:
    """A stage as it will be given to Xenna: CPUs per worker (maybe a share) and pinned workers."""

    name: str
    cpus: float
    gpus: float
    workers: int | None
    asked_cpus: float

    @property
    def shared(self) -> bool:
        return self.cpus < self.asked_cpus


@dataclass
class FittedPlan:
    """The stages to run and a note on what was adjusted (empty when nothing was)."""

    stages: list[FittedStage]
    usable_cpus: int
    notes: list[str] = field(default_factory=list)


def local_cpu_count() -> int:
    """CPUs this process may use: what a cluster started here advertises."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def usable_cpus(nodes: Sequence[NodeCapacity], cpu_allocation_percentage: float) -> list[int]:
    """CPUs Xenna lets a pipeline use per node (it rounds each node down)."""
    return [max(0, math.floor(int(node.cpus) * cpu_allocation_percentage)) for node in nodes]


def fit_plan(
    demands: Sequence[StageDemand],
    nodes: Sequence[NodeCapacity],
    *,
    mode: str,
    cpu_allocation_percentage: float,
) -> FittedPlan:
    """Fit ``demands`` onto ``nodes`` (sharing cores where allowed) or raise CapabilityError."""
    per_node = usable_cpus(nodes, cpu_allocation_percentage)
    total = sum(per_node)
    problems = _gpu_problems(demands, nodes, mode)
    fitted = [FittedStage(d.name, d.cpus, d.gpus, d.workers, d.cpus) for d in demands]
    if not problems:
        fitted, problems = _fit_cpus(demands, fitted, per_node, mode)
    if problems:
        raise CapabilityError(_explain(demands, nodes, per_node, mode, cpu_allocation_percentage, problems))
    shared = [f"{s.name} {s.asked_cpus:g} -> {s.cpus:g}" for s in fitted if s.shared]
    notes = []
    if shared:
        notes.append(
            f"{_need(demands, mode, 'cpus'):g} CPUs asked in {mode} mode, {total} usable: "
            f"CPU per worker shared as {', '.join(shared)}"
        )
    return FittedPlan(fitted, total, notes)


def _need(demands: Sequence[StageDemand], mode: str, attr: str) -> float:
    amounts = [d.min_workers * getattr(d, attr) for d in demands]
    if not amounts:
        return 0.0
    return max(amounts) if mode == "batch" else sum(amounts)


def _gpu_problems(demands: Sequence[StageDemand], nodes: Sequence[NodeCapacity], mode: str) -> list[str]:
    problems = []
    biggest = max((node.gpus for node in nodes), default=0)
    for d in demands:
        if d.gpus and math.ceil(d.gpus) > biggest:
            problems.append(f"stage {d.name!r} needs {d.gpus:g} GPU(s) per worker; the largest node has {biggest}")
    total = sum(node.gpus for node in nodes)
    needed = _need(demands, mode, "gpus")
    if not problems and needed > total:
        problems.append(f"the stages need {needed:g} GPUs at once; the cluster has {total}")
    return problems


def _fit_cpus(
    demands: Sequence[StageDemand], fitted: list[FittedStage], per_node: list[int], mode: str
) -> tuple[list[FittedStage], list[str]]:
    total = sum(per_node)
    biggest = max(per_node, default=0)
    problems = [
        f"stage {d.name!r} needs {d.cpus:g} CPUs per worker; the largest node has {biggest} usable"
        for d in demands
        if not d.shareable and d.cpus > biggest
    ]
    if problems or _need(demands, mode, "cpus") <= total:
        return fitted, problems
    if mode == "batch":
        # Stages run one after another: each must fit alone.
        out = []
        for d, f in zip(demands, fitted):
            if d.min_workers * d.cpus <= total:
                out.append(f)
            elif d.shareable and _share(total / (d.min_workers * d.cpus), d.cpus) >= MIN_SHARE:
                out.append(replace(f, cpus=_share(total / (d.min_workers * d.cpus), d.cpus)))
            else:
                problems.append(f"stage {d.name!r} needs {d.min_workers * d.cpus:g} CPUs; {total} are usable")
        return out, problems
    fixed = sum(d.min_workers * d.cpus for d in demands if not d.shareable)
    shareable = sum(d.min_workers * d.cpus for d in demands if d.shareable)
    left = total - fixed
    factor = left / shareable if shareable else 0.0
    shares = [_share(factor, d.cpus) if d.shareable else d.cpus for d in demands]
    if left <= 0 or not shareable or any(s < MIN_SHARE for s in shares):
        problems.append(f"the stages need {_need(demands, mode, 'cpus'):g} CPUs at once; {total} are usable")
        return fitted, problems
    return [replace(f, cpus=s) for f, s in zip(fitted, shares)], problems


def _share(factor: float, cpus: float) -> float:
    # Round down to 1/1000 CPU so that the shares never add up to more than what is usable.
    return math.floor(min(1.0, factor) * cpus * 1000) / 1000


def _explain(
    demands: Sequence[StageDemand],
    nodes: Sequence[NodeCapacity],
    per_node: list[int],
    mode: str,
    pct: float,
    problems: list[str],
) -> str:
    how = "runs every stage at once" if mode == "streaming" else "runs the stages one after another"
    lines = [f"the plan does not fit the Ray cluster (Xenna {mode} mode {how}):"]
    lines += [f"  - {p}" for p in problems]
    lines.append("  stages ask for (per worker x minimum workers):")
    for d in demands:
        gpu = f" + {d.gpus:g} GPU" if d.gpus else ""
        share = " (may share a core)" if d.shareable else ""
        pinned = "" if d.workers is None else " (pinned)"
        lines.append(f"    {d.name}: {d.cpus:g} CPU{gpu} x {d.min_workers}{pinned}{share}")
    raw = sum(int(n.cpus) for n in nodes)
    gpus = sum(n.gpus for n in nodes)
    lines.append(
        f"  available: {sum(per_node)} usable CPUs = {raw} CPUs on {len(nodes)} node(s) x "
        f"cpu_allocation_percentage {pct:g}, rounded down per node; {gpus} GPU(s)"
    )
    lines.append("  to fit, any of: " + "; ".join(_remedies(demands, nodes, mode, pct)))
    return "\n".join(lines)


def _remedies(demands: Sequence[StageDemand], nodes: Sequence[NodeCapacity], mode: str, pct: float) -> list[str]:
    remedies = []
    big = [d.name for d in demands if not d.shareable and not d.gpus]
    if big:
        remedies.append(
            f"ask for fewer CPUs per worker in {', '.join(map(repr, big))} (stage.with_(resources=Resources(cpus=1)))"
        )
    if any(d.workers for d in demands):
        remedies.append("lower pinned worker counts (num_workers() or max_workers_per_stage)")
    if pct < 1.0 and _fits(demands, nodes, mode, 1.0):
        remedies.append("set cpu_allocation_percentage=1.0")
    if mode == "streaming" and _fits(demands, nodes, "batch", pct):
        remedies.append("set execution_mode='batch'")
    if _gpu_problems(demands, nodes, mode):
        remedies.append("run on a cluster with (more) GPUs")
    remedies.append("add CPUs or nodes to the Ray cluster")
    return remedies


def _fits(demands: Sequence[StageDemand], nodes: Sequence[NodeCapacity], mode: str, pct: float) -> bool:
    try:
        fit_plan(demands, nodes, mode=mode, cpu_allocation_percentage=pct)
    except CapabilityError:
        return False
    return True
