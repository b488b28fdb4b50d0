"""Validation of what plugins hand the host: ids, registered names, targets, hook names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from curator_core.plugins.records import ExecutorSpec, StageSpec

__all__ = ["check_plugin_id", "check_records", "unknown_hooks", "unmarked_hooks"]

_TARGET = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
)


def _is_valid_name(name: str) -> bool:
    from curator_core.stages.base import is_valid_name

    return is_valid_name(name)


def check_plugin_id(plugin_id: str) -> str:
    """Why ``plugin_id`` is not a usable plugin id ('' when it is)."""
    if not _is_valid_name(plugin_id):
        return f"plugin id {plugin_id!r} is not a valid name (a letter, then letters, digits, '_', '.' or '-')"
    return ""


def check_records(kind: str, records: Any, record_type: type[StageSpec] | type[ExecutorSpec]) -> list[str]:
    """Problems with the records one registration hook returned ([] when they are well formed)."""
    if records is None:
        return []
    if not isinstance(records, Sequence) or isinstance(records, str | bytes):
        return [f"curator_{kind}s() must return a list of {record_type.__name__}, got {type(records).__name__}"]
    problems: list[str] = []
    seen: set[str] = set()
    for record in records:
        if not isinstance(record, record_type):
            problems.append(f"curator_{kind}s() returned {record!r}, not a {record_type.__name__}")
            continue
        if not isinstance(record.name, str) or not _is_valid_name(record.name):
            problems.append(
                f"{kind} name {record.name!r} is not a valid name (a letter, then letters, digits, '_', '.' or '-')"
            )
        elif record.name in seen:
            problems.append(f"{kind} name {record.name!r} is registered twice")
        seen.add(str(record.name))
        if not isinstance(record.target, str) or not _TARGET.match(record.target):
            problems.append(
                f"{kind} {record.name!r}: target {record.target!r} is not a 'package.module:attribute' string"
            )
    return problems


def unknown_hooks(plugin: object, known: set[str], manager: Any) -> list[str]:
    """Hooks ``plugin`` implements that this core does not specify (optional ones excepted)."""
    unknown: list[str] = []
    for attr in dir(plugin):
        opts = manager.parse_hookimpl_opts(plugin, attr)
        if opts is None or attr in known or opts.get("optionalhook"):
            continue
        unknown.append(attr)
    return sorted(unknown)


def unmarked_hooks(plugin: object, known: set[str], manager: Any) -> list[str]:
    """Functions named like a known hook but missing ``@hookimpl`` (pluggy would silently skip them)."""
    return sorted(
        attr
        for attr in known
        if callable(getattr(plugin, attr, None)) and manager.parse_hookimpl_opts(plugin, attr) is None
    )
