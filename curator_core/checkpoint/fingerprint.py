"""What a checkpoint belongs to: the stages, their parameters and the inputs, as plain data."""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["describe_stages", "explain_changes"]

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_MAX_DEPTH = 6


def describe_stages(stages: Sequence[Any]) -> list[dict[str, Any]]:
    """Each stage's name, type and public parameters, recursively, as JSON-ready data.

    Nested objects (a filter inside ``ScoreFilter``) are described by their own parameters, never
    by ``repr`` with a memory address, so the same pipeline gives the same description every run.
    """
    return [{"name": stage.name, "type": _qualified(type(stage)), "params": _params(stage, 0)} for stage in stages]


def explain_changes(recorded: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Human-readable differences between two plan descriptions (``stages`` and ``inputs``)."""
    changes: list[str] = []
    old_stages, new_stages = recorded.get("stages", []), current.get("stages", [])
    old_names = [s["name"] for s in old_stages]
    new_names = [s["name"] for s in new_stages]
    if old_names != new_names:
        changes.append(f"stages were {old_names}, now {new_names}")
    else:
        for old, new in zip(old_stages, new_stages):
            if old["type"] != new["type"]:
                changes.append(f"stage {old['name']!r} was {old['type']}, now {new['type']}")
            changes.extend(f"stage {old['name']!r}: {diff}" for diff in _diff(old["params"], new["params"], ""))
    if recorded.get("inputs") != current.get("inputs"):
        changes.append("the initial tasks differ")
    return changes


def _diff(old: Any, new: Any, prefix: str) -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[str] = []
        for key in sorted(set(old) | set(new)):
            where = f"{prefix}.{key}" if prefix else str(key)
            if key not in old:
                out.append(f"{where} added ({new[key]!r})")
            elif key not in new:
                out.append(f"{where} removed (was {old[key]!r})")
            else:
                out.extend(_diff(old[key], new[key], where))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for i, (o, n) in enumerate(zip(old, new)) for d in _diff(o, n, f"{prefix}[{i}]")]
    return [] if old == new else [f"{prefix or 'value'} {old!r} -> {new!r}"]


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _params(obj: Any, depth: int) -> dict[str, Any]:
    return {k: _value(v, depth + 1) for k, v in sorted(vars(obj).items()) if not k.startswith("_")}


def _value(value: Any, depth: int) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if depth > _MAX_DEPTH:
        return _ADDRESS.sub("", repr(value))
    if isinstance(value, list | tuple):
        return [_value(v, depth + 1) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_value(v, depth + 1) for v in value), key=repr)
    if isinstance(value, dict):
        return {str(k): _value(v, depth + 1) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, re.Pattern):
        return value.pattern
    if isinstance(value, type):
        return _qualified(value)
    if inspect.isroutine(value):
        name = getattr(value, "__qualname__", None)
        return f"{getattr(value, '__module__', '')}.{name}" if name else _ADDRESS.sub("", repr(value))
    if hasattr(value, "__dict__"):
        return {"type": _qualified(type(value)), **_params(value, depth)}
    return _ADDRESS.sub("", repr(value))
