"""``curator plugins --stage NAME``: one stage described from its own signature and docstring.

Only the module the stage's manifest points at is imported (with its package), never every stage of
every plugin; parameters, types and defaults come from ``inspect.signature``, so they cannot drift
from the code.
"""

from __future__ import annotations

import inspect
from typing import Any

from curator_core.plugins.host import PluginHost

__all__ = ["describe_stage"]


def _annotation(parameter: inspect.Parameter) -> str:
    annotation = parameter.annotation
    if annotation is inspect.Parameter.empty:
        return "any"
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))


def _parameters(factory: Any) -> list[list[str]]:
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        return []
    rows = []
    for parameter in signature.parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            rows.append([("*" if parameter.kind is parameter.VAR_POSITIONAL else "**") + parameter.name, "any", ""])
            continue
        default = "required" if parameter.default is parameter.empty else f"default {parameter.default!r}"
        rows.append([parameter.name, _annotation(parameter), default])
    return rows


def _pair(declared: Any) -> str:
    attributes, columns = declared
    return f"attributes {', '.join(attributes) or 'none'}; columns {', '.join(columns) or 'none'}"


def _declared(factory: Any, buildable: bool) -> tuple[str, str]:
    """``inputs()``/``outputs()`` of an instance built from defaults, when it can be built so."""
    unknown = "(depend on the parameters)"
    if not buildable:
        return unknown, unknown
    try:
        stage = factory()
        from curator_core.stages.base import CompositeStage

        if isinstance(stage, CompositeStage):
            parts = stage.decompose()
            return _pair(parts[0].inputs()), _pair(parts[-1].outputs())
        return _pair(stage.inputs()), _pair(stage.outputs())
    except Exception:
        return unknown, unknown


def describe_stage(host: PluginHost, name: str) -> str:
    """The text ``--stage`` prints: signature, docstring, task types, inputs/outputs, resources."""
    provider = host.provider("stage", name)
    spec = provider.spec
    factory = host.resolve_stage(name)
    lines = [
        f"{spec.name}  (plugin {provider.plugin.plugin_id}: {provider.plugin.distribution} {provider.plugin.version})"
    ]
    lines.append(f"  {spec.target}")
    doc = inspect.getdoc(factory)
    if doc:
        lines += ["", *(f"  {line}" if line else "" for line in doc.splitlines())]
    rows = _parameters(factory)
    lines += ["", "parameters:"]
    if rows:
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        lines += [f"  {r[0].ljust(widths[0])}  {r[1].ljust(widths[1])}  {r[2]}".rstrip() for r in rows]
    else:
        lines.append("  none")
    inputs, outputs = _declared(factory, all(row[2] != "required" for row in rows))
    res = spec.resources
    resources = ", ".join(
        f"{k}={v:g}" if isinstance(v, float | int) and not isinstance(v, bool) else f"{k}={v}"
        for k, v in vars(res).items()
        if v
    )
    lines += [
        "",
        f"task types: {spec.input_type or '?'} -> {spec.output_type or '?'}",
        f"inputs():   {inputs}",
        f"outputs():  {outputs}",
        f"resources:  {resources or 'none'}",
    ]
    batch_size = getattr(factory, "batch_size", None)
    if isinstance(batch_size, int):
        lines.append(f"batch_size: {batch_size}")
    return "\n".join(lines) + "\n"
