"""Score, Filter and ScoreFilter: NeMo Curator's filtering stages over whole Arrow columns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from curator_core.stages.base import ProcessingStage
from curator_text.filters.base import DocumentFilter
from curator_text.filters.kernels import as_arrow, as_numpy, from_numpy
from curator_text.filters.registry import resolve_filter
from curator_text.stages._fields import per_item, stage_name
from curator_text.tasks import DocumentBatch

__all__ = ["Filter", "Score", "ScoreFilter"]

FilterLike = DocumentFilter | Mapping[str, Any] | str


def _resolve_all(objs: Any, allow_callables: bool) -> list[Any]:
    items = list(objs) if isinstance(objs, list | tuple) else [objs]
    if not items:
        raise ValueError("at least one filter is needed")
    return [
        o if allow_callables and callable(o) and not isinstance(o, DocumentFilter) else resolve_filter(o) for o in items
    ]


def _scores(score: Any, column: pa.ChunkedArray) -> Any:
    if isinstance(score, DocumentFilter):
        return score.score_column(column)
    return as_arrow([score(text) for text in column.to_pylist()])


def _keep(keep: Any, values: Any) -> np.ndarray:
    if isinstance(keep, DocumentFilter):
        return np.asarray(keep.keep_column(values), dtype=bool)
    items = as_numpy(values).tolist()
    return np.fromiter((bool(keep(v)) for v in items), dtype=bool, count=len(items))


def _set_column(table: pa.Table, name: str, values: Any) -> pa.Table:
    array = as_arrow(values)
    index = table.schema.get_field_index(name)
    if index >= 0:
        return table.set_column(index, name, array)
    return table.append_column(name, array)


class _DocumentStage(ProcessingStage[DocumentBatch, DocumentBatch]):
    """Shared plumbing: count documents in and out of each call."""

    def _count(self, before: int, after: int) -> None:
        self.record_metric("documents_in", before)
        self.record_metric("documents_dropped", before - after)


class Score(_DocumentStage):
    """Add score columns without filtering (``score_fn``: a filter, its plain-data form, or a callable)."""

    def __init__(
        self,
        score_fn: FilterLike | Callable[[str], Any] | list[Any],
        score_field: str | list[str],
        text_field: str | list[str] = "text",
        name: str | None = None,
    ) -> None:
        self.score_fn = _resolve_all(score_fn, allow_callables=True)
        self.score_field = per_item(score_field, len(self.score_fn), "score_field")
        self.text_field = per_item(text_field, len(self.score_fn), "text_field")
        self.name = name or stage_name(self.score_fn, "score", "score_fn")

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], sorted(set(self.text_field))

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], list(self.score_field)

    def process(self, task: DocumentBatch) -> DocumentBatch:
        table = task.data
        for score_fn, text_field, score_field in zip(self.score_fn, self.text_field, self.score_field):
            table = _set_column(table, score_field, _scores(score_fn, table[text_field]))
        return task.derive(table)


class Filter(_DocumentStage):
    """Keep rows whose ``filter_field`` value passes ``filter_fn`` (a filter's keep rule, or a callable)."""

    def __init__(
        self,
        filter_fn: FilterLike | Callable[[Any], bool] | list[Any],
        filter_field: str | list[str],
        invert: bool | list[bool] = False,
        name: str | None = None,
    ) -> None:
        self.filter_fn = _resolve_all(filter_fn, allow_callables=True)
        self.filter_field = per_item(filter_field, len(self.filter_fn), "filter_field")
        self.invert = per_item(invert, len(self.filter_fn), "invert")
        self.name = name or stage_name(self.filter_fn, "filter", "filter_fn")

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], sorted(set(self.filter_field))

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def process(self, task: DocumentBatch) -> DocumentBatch:
        table = task.data
        before = table.num_rows
        for filter_fn, field, invert in zip(self.filter_fn, self.filter_field, self.invert):
            keep = _keep(filter_fn, table[field])
            table = table.filter(from_numpy(~keep if invert else keep))
        self._count(before, table.num_rows)
        return task.derive(table)


class ScoreFilter(_DocumentStage):
    """Score documents and keep those the filter keeps (all rejected ones with ``invert``).

    ``filter_obj`` is a DocumentFilter, a registered filter name, or ``{"name": ..., **params}``
    (or a list of them, applied in order). ``score_field`` keeps the scores as a column.
    """

    def __init__(
        self,
        filter_obj: FilterLike | list[FilterLike],
        text_field: str | list[str] = "text",
        score_field: str | list[str | None] | None = None,
        invert: bool | list[bool] = False,
        name: str | None = None,
    ) -> None:
        self.filter_obj = _resolve_all(filter_obj, allow_callables=False)
        count = len(self.filter_obj)
        self.text_field = per_item(text_field, count, "text_field")
        self.score_field = per_item(score_field, count, "score_field")
        self.invert = per_item(invert, count, "invert")
        self.name = name or stage_name(self.filter_obj, "score_filter", "score_filter")

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], sorted(set(self.text_field))

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [f for f in self.score_field if f]

    def process(self, task: DocumentBatch) -> DocumentBatch:
        table = task.data
        before = table.num_rows
        for filter_obj, text_field, score_field, invert in zip(
            self.filter_obj, self.text_field, self.score_field, self.invert
        ):
            scores = filter_obj.score_column(table[text_field])
            keep = np.asarray(filter_obj.keep_column(scores), dtype=bool)
            if score_field:
                table = _set_column(table, score_field, scores)
            table = table.filter(from_numpy(~keep if invert else keep))
        self._count(before, table.num_rows)
        return task.derive(table)
