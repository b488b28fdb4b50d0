"""``PreserveByValueStage``: keep entries where ``entry[key] <op> target_value``."""

from __future__ import annotations

import operator as op
from typing import Any

from curator_audio.tasks import AudioTask
from curator_core.stages import ProcessingStage

__all__ = ["OPERATORS", "PreserveByValueStage"]

OPERATORS = {"lt": op.lt, "le": op.le, "eq": op.eq, "ne": op.ne, "ge": op.ge, "gt": op.gt}


class PreserveByValueStage(ProcessingStage[AudioTask, AudioTask]):
    """NeMo Curator's filter: keep entries for which ``entry[input_value_key] <operator> target_value``.

    Dropped entries are counted in the ``dropped_entries`` metric; a task left with no entries
    is filtered out. An entry without the key is an error naming the key (a misspelt key
    would otherwise silently empty the dataset).
    """

    name = "PreserveByValueStage"

    def __init__(self, input_value_key: str, target_value: Any, operator: str = "eq") -> None:
        if operator not in OPERATORS:
            raise ValueError(f"PreserveByValueStage: operator must be one of {sorted(OPERATORS)}, got {operator!r}")
        self.input_value_key = input_value_key
        self.target_value = target_value
        self.operator = operator

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.input_value_key]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def process(self, task: AudioTask) -> AudioTask | None:
        compare = OPERATORS[self.operator]
        kept = []
        for entry in task.data:
            if self.input_value_key not in entry:
                raise KeyError(
                    f"{self.name}: entry {entry.get(task.filepath_key, entry)!r} of task {task.task_id!r} "
                    f"has no key {self.input_value_key!r}"
                )
            if compare(entry[self.input_value_key], self.target_value):
                kept.append(entry)
        if len(kept) < len(task.data):
            self.record_metric("dropped_entries", len(task.data) - len(kept))
        return task.derive(kept) if kept else None
