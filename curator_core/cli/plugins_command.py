"""``curator plugins``: what is installed, from metadata and manifests alone (no stage is imported).

``--json`` prints :func:`plugins_report`, whose schema (``schema_version`` 1) is documented in
``docs/writing-a-plugin.md`` and only grows: keys are never renamed or removed within a version.
"""

from __future__ import annotations

import argparse
import json
import warnings
from typing import Any, TextIO

from curator_core.plugins.host import Conflict, PluginHost, Provider, get_host

__all__ = ["SCHEMA_VERSION", "check_problems", "plugins_command", "plugins_report"]

SCHEMA_VERSION = 1


def plugins_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    host = get_host()
    with warnings.catch_warnings():
        # Every problem is shown in the listing itself; warnings would repeat them.
        warnings.simplefilter("ignore")
        host.plugins()
    problems = check_problems(host)
    if getattr(args, "stage", None):
        from curator_core.cli.stage_help import describe_stage

        out.write(describe_stage(host, args.stage))
    elif args.json:
        out.write(json.dumps(plugins_report(host), indent=2) + "\n")
    elif args.stages:
        out.write(
            _table(
                ["STAGE", "PLUGIN", "IN -> OUT", "RESOURCES", "SUMMARY"],
                [_stage_row(p) for p in host.providers("stage")],
            )
        )
    elif args.executors:
        out.write(
            _table(
                ["EXECUTOR", "PLUGIN", "CAPABILITIES", "SUMMARY"],
                [_executor_row(p) for p in host.providers("executor")],
            )
        )
    else:
        rows = [[i.plugin_id, i.distribution, i.version, i.status, _provides(i)] for i in host.plugins()]
        out.write(_table(["PLUGIN", "DISTRIBUTION", "VERSION", "STATUS", "PROVIDES"], rows))
        for conflict in host.conflicts():
            out.write(f"conflict: {conflict.describe()}\n")
    if args.check:
        if problems:
            err.write(f"curator plugins --check: {len(problems)} problem(s)\n")
            for problem in problems:
                err.write(f"  - {problem}\n")
            return 1
        if not args.json:
            out.write("curator plugins --check: all plugins ok\n")
    return 0


def check_problems(host: PluginHost) -> list[str]:
    """What ``--check`` fails on: broken, incompatible or conflicting plugins and name conflicts."""
    problems = [
        f"plugin {info.label} is {info.status}: {'; '.join(info.problems)}"
        for info in host.plugins()
        if info.status not in ("ok", "disabled")
    ]
    return problems + [conflict.describe() for conflict in host.conflicts()]


def plugins_report(host: PluginHost) -> dict[str, Any]:
    """The ``--json`` document (schema version 1)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "core_version": host.core_version,
        "switches": host.options.to_dict(),
        "ok": not check_problems(host),
        "plugins": [
            {
                "id": info.plugin_id,
                "distribution": info.distribution,
                "version": info.version,
                "module": info.module,
                "status": info.status,
                "problems": list(info.problems),
                "stages": list(info.stages),
                "executors": list(info.executors),
                "location": info.location,
            }
            for info in host.plugins()
        ],
        "stages": [
            {
                **_provider(p),
                "input_type": p.spec.input_type,
                "output_type": p.spec.output_type,
                "resources": dict(vars(p.spec.resources)),
            }
            for p in host.providers("stage")
        ],
        "executors": [
            {**_provider(p), "capabilities": dict(vars(p.spec.capabilities))} for p in host.providers("executor")
        ],
        "conflicts": [_conflict(c) for c in host.conflicts()],
    }


def _provider(provider: Provider) -> dict[str, Any]:
    return {
        "name": provider.spec.name,
        "qualified_name": provider.qualified_name,
        "plugin": provider.plugin.plugin_id,
        "distribution": provider.plugin.distribution,
        "version": provider.plugin.version,
        "target": provider.spec.target,
        "summary": provider.spec.summary,
    }


def _conflict(conflict: Conflict) -> dict[str, Any]:
    return {
        "kind": conflict.kind,
        "name": conflict.name,
        "shadows_core": conflict.shadows_core,
        "providers": [
            {"plugin": p.plugin.plugin_id, "distribution": p.plugin.distribution, "version": p.plugin.version}
            for p in conflict.providers
        ],
    }


def _provides(info: Any) -> str:
    if info.status != "ok":
        return "; ".join(info.problems)
    parts = []
    if info.stages:
        parts.append(f"{len(info.stages)} stage(s): {', '.join(info.stages)}")
    if info.executors:
        parts.append(f"executor(s): {', '.join(info.executors)}")
    notes = "; ".join(info.problems)
    return "; ".join(parts + ([notes] if notes else [])) or "-"


def _stage_row(provider: Provider) -> list[str]:
    spec = provider.spec
    res = spec.resources
    resources = f"cpus={res.cpus:g}"
    if res.gpus:
        resources += f", gpus={res.gpus:g}"
    elif res.gpu_memory_gb:
        resources += f", gpu_memory_gb={res.gpu_memory_gb:g}"
    flow = f"{spec.input_type or '?'} -> {spec.output_type or '?'}"
    return [spec.name, provider.plugin.plugin_id, flow, resources, spec.summary]


def _executor_row(provider: Provider) -> list[str]:
    capabilities = ", ".join(name for name, value in vars(provider.spec.capabilities).items() if value) or "-"
    return [provider.spec.name, provider.plugin.plugin_id, capabilities, provider.spec.summary]


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths)]
        lines.append("  ".join([*cells, str(row[-1])]).rstrip())
    return "\n".join(lines) + "\n"
