"""Check plain-data parameters against a constructor's own signature before calling it.

A pipeline file or ``--set`` gives values as YAML; a misspelt name or a value of the wrong kind
(``files_per_partition=abc``) should be one message naming the parameter and the value, not a
``TypeError`` from deep inside a run. Only annotations made of plain types (int, float, str, bool,
list, dict, tuple, None, Literal) are checked; anything else is left to the constructor.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Mapping
from typing import Any

from curator_core.errors import PipelineFileError
from curator_core.pipeline_files.document import unknown_message

__all__ = ["check_parameters", "parameter_problem"]

_PLAIN: tuple[type, ...] = (int, float, str, bool, list, dict, tuple, set, type(None))


def _signature(factory: Any) -> inspect.Signature | None:
    try:
        return inspect.signature(factory)
    except (TypeError, ValueError):
        return None


def _hints(factory: Any) -> dict[str, Any]:
    target = factory.__init__ if isinstance(factory, type) else factory  # type: ignore[misc]
    try:
        return typing.get_type_hints(target)
    except Exception:
        return {}


def _accepts(annotation: Any, value: Any) -> bool | None:
    """True/False when ``annotation`` is plain enough to judge ``value`` by; None when it is not."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        verdicts = [_accepts(member, value) for member in typing.get_args(annotation)]
        if any(v is True for v in verdicts):
            return True
        return None if any(v is None for v in verdicts) else False
    if origin is typing.Literal:
        return value in typing.get_args(annotation)
    kind = origin if origin is not None else annotation
    if kind is Any or not isinstance(kind, type) or kind not in _PLAIN:
        return None
    if kind in (int, float):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return number and (kind is float or isinstance(value, int))
    if kind is tuple:
        return isinstance(value, tuple | list)
    return isinstance(value, kind)


def parameter_problem(factory: Any, params: Mapping[str, Any]) -> str | None:
    """What is wrong with calling ``factory(**params)`` (unknown, missing, wrongly typed), or None."""
    signature = _signature(factory)
    if signature is None:
        return None
    valid = [p.name for p in signature.parameters.values() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    open_ended = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    unknown = [key for key in params if key not in valid]
    if unknown and not open_ended:
        return unknown_message(unknown, valid, "parameter")
    required = [p.name for p in signature.parameters.values() if p.name in valid and p.default is p.empty]
    missing = [key for key in required if key not in params]
    if missing:
        return f"missing required parameter(s) {', '.join(map(repr, missing))}; valid parameters: {', '.join(valid)}"
    hints = _hints(factory)
    for name, value in params.items():
        if name in hints and _accepts(hints[name], value) is False:
            shown = signature.parameters[name].annotation
            expected = shown if isinstance(shown, str) else getattr(shown, "__name__", str(shown))
            return f"parameter {name!r} = {value!r}: expected {expected}, got {type(value).__name__}"
    return None


def check_parameters(factory: Any, params: Mapping[str, Any], where: str = "") -> None:
    """Raise :class:`~curator_core.PipelineFileError` (prefixed by ``where``) when ``params`` do not fit."""
    problem = parameter_problem(factory, params)
    if problem is not None:
        raise PipelineFileError(f"{where}: {problem}" if where else problem)
