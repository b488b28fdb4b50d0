"""Read a pipeline file (YAML, safe loading) into a checked :class:`PipelineDocument`.

The format is documented in ``docs/pipeline-files.md``. A file names only registered stage and
executor names with plain parameters, never an import path, so a file from someone else cannot
run arbitrary code. Every mistake is a :class:`~curator_core.PipelineFileError` saying where.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from curator_core.errors import PipelineFileError
from curator_core.pipeline_files.overrides import apply_overrides

__all__ = [
    "PIPELINE_KEYS",
    "STAGE_KEYS",
    "WITH_KEYS",
    "PipelineDocument",
    "StageEntry",
    "load_pipeline_file",
    "parse_pipeline",
]

PIPELINE_KEYS = ("name", "description", "requires_plugins", "storage_options", "stages", "executor")
STAGE_KEYS = ("stage", "params", "with")
WITH_KEYS = ("name", "resources", "batch_size", "ignore_failures")
EXECUTOR_KEYS = ("name", "config")


@dataclass(frozen=True)
class StageEntry:
    """One ``stages:`` entry: a registered name, its constructor parameters, attribute overrides."""

    stage: str
    params: dict[str, Any] = field(default_factory=dict)
    with_: dict[str, Any] = field(default_factory=dict)
    position: int = 0

    @property
    def where(self) -> str:
        return f"stages[{self.position}] ({self.stage})"


@dataclass(frozen=True)
class PipelineDocument:
    """A pipeline file, checked for shape (names are resolved later, by the plugin host)."""

    name: str
    stages: tuple[StageEntry, ...]
    description: str | None = None
    requires_plugins: tuple[str, ...] = ()
    executor: str | None = None
    executor_config: dict[str, Any] = field(default_factory=dict)
    source: str = "<pipeline>"
    storage_options: dict[str, Any] = field(default_factory=dict)


def load_pipeline_file(path: str | os.PathLike[str], overrides: Sequence[str] = ()) -> PipelineDocument:
    """Read, override (``--set``) and check a pipeline file."""
    import yaml

    source = os.fspath(path)
    try:
        with open(source, encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except FileNotFoundError:
        raise PipelineFileError(f"pipeline file {source} does not exist") from None
    except yaml.YAMLError as exc:
        raise PipelineFileError(f"pipeline file {source} is not valid YAML: {exc}") from exc
    return parse_pipeline(raw, overrides=overrides, source=source)


def parse_pipeline(raw: Any, overrides: Sequence[str] = (), source: str = "<pipeline>") -> PipelineDocument:
    """Check an already-loaded document (a dict) and build the :class:`PipelineDocument`."""
    if not isinstance(raw, Mapping):
        raise PipelineFileError(
            f"pipeline file {source}: expected a mapping with keys {', '.join(PIPELINE_KEYS)}, got {_kind(raw)}"
        )
    document = _normalise(copy.deepcopy(dict(raw)))
    if overrides:
        document = _normalise(apply_overrides(document, overrides))
    where = f"pipeline file {source}"
    _no_unknown(document, PIPELINE_KEYS, where)
    name = document.get("name")
    if not isinstance(name, str) or not name.strip():
        raise PipelineFileError(f"{where}: 'name' is required and must be a non-empty string")
    description = document.get("description")
    if description is not None and not isinstance(description, str):
        raise PipelineFileError(f"{where}: 'description' must be a string, got {_kind(description)}")
    requires = document.get("requires_plugins") or []
    if not isinstance(requires, list) or not all(isinstance(r, str) and r.strip() for r in requires):
        raise PipelineFileError(
            f"{where}: 'requires_plugins' must be a list of plugin ids or requirements like 'text>=0.1'"
        )
    stages = document.get("stages")
    if not isinstance(stages, list) or not stages:
        raise PipelineFileError(
            f"{where}: 'stages' must be a non-empty list of {{stage: Name, params: {{...}}}} entries"
        )
    executor, config = _executor(document.get("executor"), where)
    storage_options = document.get("storage_options") or {}
    if not isinstance(storage_options, Mapping) or not all(isinstance(k, str) for k in storage_options):
        raise PipelineFileError(
            f"{where}: 'storage_options' must be a mapping of fsspec options, got {_kind(storage_options)}"
        )
    return PipelineDocument(
        name=name.strip(),
        description=description,
        requires_plugins=tuple(r.strip() for r in requires),
        stages=tuple(_stage(entry, position, where) for position, entry in enumerate(stages)),
        executor=executor,
        executor_config=config,
        source=source,
        storage_options=dict(storage_options),
    )


def _normalise(document: dict[str, Any]) -> dict[str, Any]:
    """Expand shorthands: ``executor: local`` and a bare stage name as a stage entry."""
    if isinstance(document.get("executor"), str):
        document["executor"] = {"name": document["executor"]}
    stages = document.get("stages")
    if isinstance(stages, list):
        document["stages"] = [{"stage": entry} if isinstance(entry, str) else entry for entry in stages]
    return document


def _stage(entry: Any, position: int, where: str) -> StageEntry:
    here = f"{where}: stages[{position}]"
    if not isinstance(entry, Mapping):
        raise PipelineFileError(f"{here}: expected {{stage: Name, params: {{...}}}}, got {_kind(entry)}")
    name = entry.get("stage")
    if not isinstance(name, str) or not name.strip():
        raise PipelineFileError(f"{here}: 'stage' (a registered stage name) is required")
    here = f"{here} ({name})"
    _no_unknown(entry, STAGE_KEYS, here)
    params = entry.get("params") or {}
    overrides = entry.get("with") or {}
    for key, value in (("params", params), ("with", overrides)):
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise PipelineFileError(f"{here}: '{key}' must be a mapping of names to values, got {_kind(value)}")
    _no_unknown(overrides, WITH_KEYS, f"{here}: 'with'", noun="attribute")
    return StageEntry(stage=name.strip(), params=dict(params), with_=dict(overrides), position=position)


def _executor(value: Any, where: str) -> tuple[str | None, dict[str, Any]]:
    if value is None:
        return None, {}
    if not isinstance(value, Mapping):
        raise PipelineFileError(
            f"{where}: 'executor' must be a name or {{name: ..., config: {{...}}}}, got {_kind(value)}"
        )
    _no_unknown(value, EXECUTOR_KEYS, f"{where}: executor")
    name = value.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise PipelineFileError(f"{where}: executor 'name' must be a registered executor name")
    config = value.get("config") or {}
    if not isinstance(config, Mapping):
        raise PipelineFileError(f"{where}: executor 'config' must be a mapping, got {_kind(config)}")
    return (name.strip() if name else None), dict(config)


def _no_unknown(mapping: Mapping[str, Any], valid: Sequence[str], where: str, noun: str = "key") -> None:
    unknown = [str(key) for key in mapping if key not in valid]
    if unknown:
        raise PipelineFileError(f"{where}: {unknown_message(unknown, valid, noun)}")


def unknown_message(unknown: Sequence[str], valid: Sequence[str], noun: str) -> str:
    """``unknown parameter 'colum' (did you mean 'column'?); valid parameters: column, keep``."""
    import difflib

    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, list(valid), n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    plural = "s" if len(unknown) > 1 else ""
    return f"unknown {noun}{plural} {', '.join(parts)}; valid {noun}s: {', '.join(valid) or 'none'}"


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__
