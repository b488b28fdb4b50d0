"""Modifiers by name, so that pipeline files can give a modifier as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from curator_text.modifiers import text
from curator_text.modifiers.base import DocumentModifier

__all__ = ["MODIFIERS", "resolve_modifier"]

MODIFIERS: dict[str, type[DocumentModifier]] = {name: getattr(text, name) for name in text.__all__}


def resolve_modifier(spec: DocumentModifier | Mapping[str, Any] | str) -> DocumentModifier:
    """A modifier from an instance, a registered name, or ``{"name": ..., **params}``."""
    if isinstance(spec, DocumentModifier):
        return spec
    if isinstance(spec, str):
        spec = {"name": spec}
    if not isinstance(spec, Mapping) or "name" not in spec:
        raise TypeError(f"a modifier is a DocumentModifier or a mapping with a 'name' key, got {spec!r}")
    name = spec["name"]
    if name not in MODIFIERS:
        raise ValueError(f"unknown modifier {name!r}; known modifiers: {', '.join(sorted(MODIFIERS))}")
    params = {k: v for k, v in spec.items() if k != "name"}
    try:
        return MODIFIERS[name](**params)
    except TypeError as exc:
        raise TypeError(f"modifier {name!r}: {exc}") from exc
