"""``--set key=value``: change a loaded pipeline document before it is validated.

Keys are dotted paths into the document. In the ``stages`` list a segment is an index or a
stage's registered name (``stages.0.params.limit=5`` or ``stages.JsonlReader.params.limit=5``);
missing mappings are created (``executor.config.mode=in_process``). Values are read as YAML, so
``5`` is an int, ``true`` a bool and ``[a, b]`` a list; anything else stays a string.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from curator_core.errors import PipelineFileError

__all__ = ["apply_overrides", "parse_value"]


def parse_value(text: str) -> Any:
    """A ``--set`` value as YAML (``5`` -> 5), falling back to the raw string."""
    import yaml

    try:
        return yaml.safe_load(text) if text.strip() else ""
    except yaml.YAMLError:
        return text


def apply_overrides(document: dict[str, Any], assignments: Sequence[str]) -> dict[str, Any]:
    """Apply ``key=value`` assignments to ``document`` in place (and return it)."""
    for assignment in assignments:
        key, sep, raw = assignment.partition("=")
        path = [part for part in key.strip().split(".")]
        if not sep or not key.strip() or any(not part for part in path):
            raise PipelineFileError(
                f"--set {assignment!r}: expected key=value with a dotted key, e.g. executor.config.mode=in_process"
            )
        node: Any = document
        for depth, segment in enumerate(path[:-1]):
            node = _child(node, segment, path[: depth + 1], assignment)
        _assign(node, path[-1], parse_value(raw), path, assignment)
    return document


def _child(node: Any, segment: str, walked: list[str], assignment: str) -> Any:
    if isinstance(node, list):
        index = _index(node, segment, walked, assignment)
        if isinstance(node[index], str) and walked[:1] == ["stages"]:
            node[index] = {"stage": node[index]}
        return node[index]
    if not isinstance(node, dict):
        raise PipelineFileError(f"--set {assignment!r}: {'.'.join(walked[:-1])} is not a mapping or list")
    child = node.get(segment)
    if child is None:
        child = node[segment] = {}
    elif isinstance(child, str) and segment == "executor":
        child = node[segment] = {"name": child}
    return child


def _assign(node: Any, segment: str, value: Any, path: list[str], assignment: str) -> None:
    if isinstance(node, list):
        node[_index(node, segment, path, assignment)] = value
    elif isinstance(node, dict):
        node[segment] = value
    else:
        raise PipelineFileError(f"--set {assignment!r}: {'.'.join(path[:-1])} is not a mapping or list")


def _index(items: list[Any], segment: str, walked: list[str], assignment: str) -> int:
    if segment.lstrip("-").isdigit():
        index = int(segment)
        if -len(items) <= index < len(items):
            return index % len(items)
        raise PipelineFileError(
            f"--set {assignment!r}: {'.'.join(walked)} is out of range (the list has {len(items)} entries)"
        )
    matches = [
        i
        for i, item in enumerate(items)
        if _stage_name(item) in (segment,) or _stage_name(item).rpartition(":")[2] == segment
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        import difflib

        names = ", ".join(repr(_stage_name(item)) for item in items) or "none"
        close = difflib.get_close_matches(segment, [_stage_name(item) for item in items], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise PipelineFileError(
            f"--set {assignment!r}: no stage {segment!r} in the list{hint} (stages: {names}); use an index"
        )
    indices = ", ".join(str(i) for i in matches)
    raise PipelineFileError(
        f"--set {assignment!r}: {len(matches)} stages are named {segment!r} (indices {indices}); "
        f"use an index, e.g. {'.'.join([*walked[:-1], str(matches[0])])}"
    )


def _stage_name(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        return str(item.get("stage", ""))
    return ""
