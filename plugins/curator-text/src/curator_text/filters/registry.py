"""Filters by name, so that pipeline files can give a filter as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from curator_core.pipeline_files import parameter_problem
from curator_core.pipeline_files.document import unknown_message
from curator_text.filters import code, heuristic, language, models
from curator_text.filters.base import DocumentFilter

__all__ = ["FILTERS", "resolve_filter"]

FILTERS: dict[str, type[DocumentFilter]] = {
    name: getattr(module, name) for module in (heuristic, code, models) for name in module.__all__
} | {"LanguageFilter": language.LanguageFilter}


def resolve_filter(spec: DocumentFilter | Mapping[str, Any] | str) -> DocumentFilter:
    """A filter from an instance, a registered name, or ``{"name": ..., **params}``."""
    if isinstance(spec, DocumentFilter):
        return spec
    if isinstance(spec, str):
        spec = {"name": spec}
    if not isinstance(spec, Mapping) or "name" not in spec:
        raise TypeError(f"a filter is a DocumentFilter or a mapping with a 'name' key, got {spec!r}")
    params = {k: v for k, v in spec.items() if k != "name"}
    name = spec["name"]
    if name not in FILTERS:
        raise ValueError(unknown_message([str(name)], sorted(FILTERS), "filter"))
    problem = parameter_problem(FILTERS[name], params)
    if problem is not None:
        raise TypeError(f"filter {name!r}: {problem}")
    try:
        return FILTERS[name](**params)
    except TypeError as exc:
        raise TypeError(f"filter {name!r}: {exc}") from exc
