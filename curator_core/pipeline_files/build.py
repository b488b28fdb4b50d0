"""Turn a checked :class:`PipelineDocument` into a :class:`~curator_core.Pipeline` and an executor.

Order matters for good errors: ``requires_plugins`` first (one error listing everything
missing), then every stage name and its parameters against the class's signature, then the
executor and its config. Nothing here starts an engine.
"""

from __future__ import annotations

import inspect
import os
from typing import TYPE_CHECKING, Any

from curator_core.errors import CuratorError, PipelineFileError
from curator_core.pipeline_files.document import PipelineDocument, StageEntry
from curator_core.pipeline_files.params import check_parameters

if TYPE_CHECKING:
    from curator_core.executors.base import BaseExecutor
    from curator_core.pipeline import Pipeline
    from curator_core.plugins.host import PluginHost

__all__ = ["build_executor", "build_pipeline", "build_stage", "construct_stage", "stage_parameters"]


def build_pipeline(document: PipelineDocument, host: PluginHost | None = None) -> Pipeline:
    """The pipeline a document describes: plugins checked, stages resolved and constructed."""
    from curator_core.pipeline import Pipeline
    from curator_core.plugins.host import get_host

    host = host or get_host()
    host.check_requirements(document.requires_plugins, source=f"pipeline file {document.source}")
    stages = [build_stage(entry, host, document.source, document.storage_options) for entry in document.stages]
    return Pipeline(document.name, description=document.description, stages=stages)


def build_stage(
    entry: StageEntry, host: PluginHost, source: str = "<pipeline>", storage_options: dict[str, Any] | None = None
) -> Any:
    """Resolve ``entry.stage``, check its parameters by name, construct it, apply ``with``.

    The file's top-level ``storage_options`` go to every stage that takes them, unless it sets its own.
    """
    where = f"pipeline file {source}: {entry.where}"
    params = entry.params
    if storage_options and "storage_options" not in params:
        try:
            accepts = "storage_options" in stage_parameters(host.resolve_stage(entry.stage))[0]
        except CuratorError:
            accepts = False  # construct_stage reports the unknown name
        if accepts:
            params = {**params, "storage_options": dict(storage_options)}
    stage = construct_stage(entry.stage, params, host=host, where=where)
    if entry.with_:
        stage = _with(stage, entry.with_, where)
    return stage


def construct_stage(name: str, params: dict[str, Any], host: PluginHost | None = None, where: str = "") -> Any:
    """The stage registered as ``name`` built with ``params``, checked by name against its signature.

    Errors (:class:`~curator_core.PipelineFileError`, or the host's resolution errors) start with
    ``where`` (default: ``stage 'name'``).
    """
    from curator_core.plugins.host import get_host

    host = host or get_host()
    where = where or f"stage {name!r}"
    try:
        factory = host.resolve_stage(name)
    except CuratorError as exc:
        raise type(exc)(f"{where}: {exc}") from exc
    check_parameters(factory, params, where)
    try:
        return factory(**params)
    except (TypeError, ValueError) as exc:
        raise PipelineFileError(f"{where}: invalid parameters: {exc}") from exc


def stage_parameters(factory: Any) -> tuple[list[str], list[str], bool]:
    """``(valid names, required names, accepts **kwargs)`` of a stage class or factory."""
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        return [], [], True
    valid: list[str] = []
    required: list[str] = []
    open_ended = False
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            open_ended = True
        elif parameter.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY):
            valid.append(parameter.name)
            if parameter.default is inspect.Parameter.empty:
                required.append(parameter.name)
    return valid, required, open_ended


def _with(stage: Any, overrides: dict[str, Any], where: str) -> Any:
    from curator_core.resources import Resources

    values = dict(overrides)
    resources = values.get("resources")
    if resources is not None:
        if not isinstance(resources, dict):
            raise PipelineFileError(f"{where}: 'with.resources' must be a mapping like {{cpus: 2}}")
        try:
            values["resources"] = Resources(**resources)
        except TypeError as exc:
            raise PipelineFileError(f"{where}: 'with.resources': {exc}") from exc
    try:
        return stage.with_(**values)
    except (AttributeError, TypeError, ValueError) as exc:
        raise PipelineFileError(f"{where}: 'with': {exc}") from exc


def build_executor(
    document: PipelineDocument,
    name: str | None = None,
    host: PluginHost | None = None,
    config: dict[str, Any] | None = None,
) -> BaseExecutor:
    """The executor to run ``document`` on: ``name`` (a CLI flag), else the file's, else the default.

    The file's ``executor.config`` applies only to the executor the file names; pass ``config``
    to give one for another executor.
    """
    from curator_core.plugins.host import get_host

    host = host or get_host()
    chosen = name or document.executor or host.default_executor_name()
    settings = config if config is not None else (document.executor_config if chosen == document.executor else {})
    where = f"pipeline file {document.source}: executor {chosen!r}"
    if not name and not document.executor and os.environ.get("CURATOR_EXECUTOR") == chosen:
        where += " (from the CURATOR_EXECUTOR environment variable)"
    try:
        executor_class = host.resolve_executor(chosen)
        executor: BaseExecutor = executor_class(settings)
    except CuratorError as exc:
        raise type(exc)(f"{where}: {exc}") from exc
    return executor
