"""The build step: from the stages a user wrote to a checked, fused physical plan."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from curator_core.errors import PipelineValidationError, StageChainError
from curator_core.stages.base import OPEN_COLUMNS, CompositeStage, ProcessingStage, is_valid_name
from curator_core.tasks import EmptyTask, Task

__all__ = ["FusedStage", "Plan", "check_chain", "decompose", "fuse", "unique_names"]


class FusedStage(ProcessingStage[Task[Any], Task[Any]]):
    """Adjacent stages that share a worker, so data is not serialised between them.

    Executors treat it as one stage; :class:`~curator_core.BaseStageAdapter` runs the chain and
    keeps ids, perf stats and counts per original stage.
    """

    allow_fusion = False

    def __init__(self, stages: Sequence[ProcessingStage[Any, Any]]) -> None:
        self.stages = list(stages)
        self.name = "+".join(stage.name for stage in self.stages)
        self.resources = self.stages[0].resources
        self.batch_size = self.stages[0].batch_size

    def inputs(self) -> tuple[list[str], list[str]]:
        return self.stages[0].inputs()

    def outputs(self) -> tuple[list[str], list[str]]:
        attrs: list[str] = []
        columns: list[str] = []
        for stage in self.stages:
            stage_attrs, stage_columns = stage.outputs()
            attrs += [a for a in stage_attrs if a not in attrs]
            columns += [c for c in stage_columns if c not in columns]
        return attrs, columns

    def num_workers(self) -> int | None:
        return self.stages[0].num_workers()

    def process(self, task: Task[Any]) -> Any:
        raise TypeError(f"fused stage {self.name!r} runs through BaseStageAdapter, which keeps per-stage rules")


@dataclass(frozen=True)
class Plan:
    """A checked physical plan: ``stages`` is what executors run (fused where possible)."""

    name: str
    logical_stages: tuple[ProcessingStage[Any, Any], ...]
    stages: tuple[ProcessingStage[Any, Any], ...]
    executor: str = ""

    def describe(self) -> str:
        """A human-readable view of the plan, as ``curator validate`` prints it."""
        lines = [f"Pipeline {self.name!r}: {len(self.logical_stages)} stages in {len(self.stages)} worker groups"]
        if self.executor:
            lines.append(f"executor: {self.executor}")
        for number, group in enumerate(self.stages, 1):
            members = group.stages if isinstance(group, FusedStage) else [group]
            res = group.resources
            gpu = (
                f", gpus={res.gpus}"
                if res.gpus
                else (f", gpu_memory_gb={res.gpu_memory_gb}" if res.gpu_memory_gb else "")
            )
            workers = group.num_workers()
            lines.append(
                f"  [{number}] cpus={res.cpus:g}{gpu}, batch_size={group.batch_size}"
                + (f", workers={workers}" if workers else "")
                + (" (fused)" if len(members) > 1 else "")
            )
            for stage in members:
                in_name = getattr(stage.input_task_type(), "__name__", "Task")
                out_name = getattr(stage.output_task_type(), "__name__", "Task")
                lines.append(f"      {stage.name}: {in_name} -> {out_name}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view for run reports."""
        return {
            "name": self.name,
            "executor": self.executor,
            "stages": [
                {
                    "name": group.name,
                    "members": [s.name for s in (group.stages if isinstance(group, FusedStage) else [group])],
                    "resources": vars(group.resources),
                    "batch_size": group.batch_size,
                }
                for group in self.stages
            ],
        }


def decompose(stages: Sequence[Any]) -> list[ProcessingStage[Any, Any]]:
    """Expand composites (recursively) and reject anything that is not a stage."""
    flat: list[ProcessingStage[Any, Any]] = []
    for stage in stages:
        if isinstance(stage, CompositeStage):
            flat.extend(decompose(stage.decompose()))
        elif isinstance(stage, ProcessingStage):
            flat.append(stage)
        else:
            raise PipelineValidationError(f"pipeline stages must be ProcessingStage instances, got {stage!r}")
    return flat


def unique_names(stages: Sequence[ProcessingStage[Any, Any]]) -> list[ProcessingStage[Any, Any]]:
    """Rename repeats ``name_2``, ``name_3``... (as copies): counts, report rows and worker settings go by name."""
    taken = {stage.name for stage in stages}
    seen: set[str] = set()
    renamed: list[ProcessingStage[Any, Any]] = []
    for stage in stages:
        if stage.name not in seen:
            seen.add(stage.name)
            renamed.append(stage)
            continue
        number = 2
        while f"{stage.name}_{number}" in taken:
            number += 1
        name = f"{stage.name}_{number}"
        taken.add(name)
        seen.add(name)
        renamed.append(stage.with_(name=name))
    return renamed


def check_chain(stages: Sequence[ProcessingStage[Any, Any]]) -> None:
    """Fail with one error naming both stages when a stage's needs are not met upstream."""
    for stage in stages:
        if not stage.name or not is_valid_name(stage.name):
            raise PipelineValidationError(f"stage name {stage.name!r} ({type(stage).__name__}) is not a valid name")
        if not isinstance(stage.batch_size, int) or stage.batch_size < 1:
            raise PipelineValidationError(
                f"stage {stage.name!r}: batch_size must be an int >= 1, got {stage.batch_size!r}"
            )
    for previous, stage in itertools.pairwise(stages):
        produced = previous.output_task_type()
        wanted = stage.input_task_type()
        if produced is not None and wanted is not None and not issubclass(produced, wanted):
            raise StageChainError(
                f"stage {stage.name!r} takes {wanted.__name__} tasks, but the stage before it, "
                f"{previous.name!r}, produces {produced.__name__}"
            )
    attrs: dict[str, str] = {}
    columns: dict[str, str] = {}
    open_columns_from: str | None = None
    for position, stage in enumerate(stages):
        need_attrs, need_columns = stage.inputs()
        if position > 0:
            task_type = stages[position - 1].output_task_type()
            for attr in need_attrs:
                if attr in attrs or (task_type is not None and _has_attribute(task_type, attr)):
                    continue
                raise StageChainError(
                    f"stage {stage.name!r} needs task attribute {attr!r}, which no earlier stage produces "
                    f"(the stage before it is {stages[position - 1].name!r})"
                )
            if open_columns_from is None:
                for column in need_columns:
                    if column not in columns:
                        known = ", ".join(sorted(columns)) or "none"
                        raise StageChainError(
                            f"stage {stage.name!r} needs column {column!r}, which no earlier stage produces "
                            f"(the stage before it is {stages[position - 1].name!r}; known columns: {known})"
                        )
        out_attrs, out_columns = stage.outputs()
        attrs.update(dict.fromkeys(out_attrs, stage.name))
        for column in out_columns:
            if column == OPEN_COLUMNS:
                open_columns_from = open_columns_from or stage.name
            else:
                columns[column] = stage.name


def _has_attribute(task_type: type, attr: str) -> bool:
    fields = getattr(task_type, "__dataclass_fields__", {})
    return attr in fields or hasattr(task_type, attr)


def fuse(stages: Sequence[ProcessingStage[Any, Any]]) -> list[ProcessingStage[Any, Any]]:
    """Group adjacent stages that can share a worker: same resources, batch size and workers.

    A source stage (it takes the seed EmptyTask) is never fused forward, so its outputs spread
    over the next stage's workers; ``allow_fusion = False`` opts a stage out.
    """
    groups: list[list[ProcessingStage[Any, Any]]] = []
    for stage in stages:
        if groups and _can_fuse(groups[-1][-1], stage):
            groups[-1].append(stage)
        else:
            groups.append([stage])
    return [group[0] if len(group) == 1 else FusedStage(group) for group in groups]


def _can_fuse(left: ProcessingStage[Any, Any], right: ProcessingStage[Any, Any]) -> bool:
    return (
        left.allow_fusion
        and right.allow_fusion
        and left.input_task_type() is not EmptyTask
        and left.resources == right.resources
        and left.batch_size == right.batch_size
        and left.num_workers() == right.num_workers()
    )
