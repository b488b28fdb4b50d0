"""Modify: rewrite text columns with document modifiers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from curator_text.filters.kernels import string_chunks, strings_to_arrow
from curator_text.modifiers.base import DocumentModifier
from curator_text.modifiers.registry import resolve_modifier
from curator_text.stages._fields import per_item, stage_name
from curator_text.stages.score_filter import _DocumentStage, _set_column
from curator_text.tasks import DocumentBatch

__all__ = ["Modify"]

ModifierLike = DocumentModifier | Mapping[str, Any] | str | Callable[[str], str]


def _resolve(spec: ModifierLike) -> Any:
    if callable(spec) and not isinstance(spec, DocumentModifier):
        return spec
    return resolve_modifier(spec)


class Modify(_DocumentStage):
    """Apply modifiers in order; each writes to its output field (in place by default).

    ``modifier_fn`` is a DocumentModifier, a registered modifier name, ``{"name": ..., **params}``,
    a callable ``str -> str``, or a list of them.
    """

    def __init__(
        self,
        modifier_fn: ModifierLike | list[ModifierLike],
        input_fields: str | list[str] = "text",
        output_fields: str | list[str | None] | None = None,
        name: str | None = None,
    ) -> None:
        items = list(modifier_fn) if isinstance(modifier_fn, list | tuple) else [modifier_fn]
        if not items:
            raise ValueError("Modify: modifier_fn list cannot be empty")
        self.modifier_fn = [_resolve(m) for m in items]
        self.input_fields = per_item(input_fields, len(items), "input_fields")
        outputs = per_item(output_fields, len(items), "output_fields")
        self.output_fields = [out or src for out, src in zip(outputs, self.input_fields)]
        self.name = name or stage_name(self.modifier_fn, "modifier", "modifier_fn")

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], sorted(set(self.input_fields))

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], sorted(set(self.output_fields))

    def process(self, task: DocumentBatch) -> DocumentBatch:
        table = task.data
        for modifier, source, target in zip(self.modifier_fn, self.input_fields, self.output_fields):
            if isinstance(modifier, DocumentModifier):
                values = modifier.modify_column(table[source])
            else:
                texts = [t for chunk in string_chunks(table[source]) for t in chunk.to_pylist()]
                values = strings_to_arrow([modifier(t) for t in texts])
            table = _set_column(table, target, values)
        return task.derive(table)
