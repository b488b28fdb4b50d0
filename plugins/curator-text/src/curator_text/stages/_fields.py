"""Normalise the one-or-many arguments that Score, Filter, ScoreFilter and Modify accept."""

from __future__ import annotations

from typing import Any

from curator_core.stages.base import is_valid_name

__all__ = ["per_item", "stage_name"]


def per_item(value: Any, count: int, what: str, default: Any = None) -> list[Any]:
    """One entry per filter: a single value is repeated, a list must have ``count`` entries."""
    if value is None:
        return [default] * count
    if isinstance(value, list | tuple):
        if len(value) == 1:
            return list(value) * count
        if len(value) != count:
            raise ValueError(f"{what}: got {len(value)} entries for {count} filters/modifiers")
        return list(value)
    return [value] * count


def stage_name(objects: list[Any], prefix: str, fallback: str) -> str:
    """NeMo Curator's naming: the object's name, or ``<prefix>_chain_of_a_b``."""
    names = [str(getattr(o, "name", None) or getattr(o, "__name__", "")) for o in objects]
    name = names[0] if len(names) == 1 else f"{prefix}_chain_of_" + "_".join(names)
    return name if name and is_valid_name(name) else fallback
