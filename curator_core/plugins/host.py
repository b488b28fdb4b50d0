"""The plugin host: discover plugins from metadata, load manifests on first need, resolve names."""

from __future__ import annotations

import importlib
import os
from typing import Any

import pluggy

from curator_core.errors import ExecutorNotFoundError, PluginConflictError, StageNotFoundError
from curator_core.plugins import builtin
from curator_core.plugins.hookspecs import PROJECT_NAME, CuratorHookSpecs
from curator_core.plugins.records import ExecutorSpec, StageSpec

__all__ = ["ENTRY_POINT_GROUP", "PluginHost", "get_host", "import_target"]

ENTRY_POINT_GROUP = "curator.plugins"


def import_target(target: str) -> Any:
    """Import ``"package.module:attribute"``."""
    module_name, _, attribute = target.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        obj = getattr(obj, part)
    return obj


class PluginHost:
    """Registers core's built-in plugin, then installed plugins, and resolves names."""

    def __init__(self) -> None:
        self.manager = pluggy.PluginManager(PROJECT_NAME)
        self.manager.add_hookspecs(CuratorHookSpecs)
        self.manager.register(builtin, name=builtin.PLUGIN_ID)
        self._loaded = False

    @property
    def hook(self) -> Any:
        self._load()
        return self.manager.hook

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        from importlib.metadata import entry_points

        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if self.manager.has_plugin(ep.name):
                continue
            self.manager.register(ep.load(), name=ep.name)

    def _specs(self, hook_name: str) -> dict[str, list[tuple[str, Any]]]:
        self._load()
        found: dict[str, list[tuple[str, Any]]] = {}
        for plugin in self.manager.get_plugins():
            impl = getattr(plugin, hook_name, None)
            if impl is None:
                continue
            plugin_id = self.manager.get_name(plugin) or ""
            for spec in impl() or []:
                found.setdefault(spec.name, []).append((plugin_id, spec))
        return found

    def _resolve(self, hook_name: str, name: str, not_found: type[Exception]) -> Any:
        plugin_id, _, bare = name.rpartition(":")
        providers = self._specs(hook_name).get(bare, [])
        if plugin_id:
            providers = [p for p in providers if p[0] == plugin_id]
        if not providers:
            raise not_found(f"no installed plugin provides {bare!r}")
        if len(providers) > 1:
            core = [p for p in providers if p[0] == builtin.PLUGIN_ID]
            if not core:
                names = ", ".join(p[0] for p in providers)
                raise PluginConflictError(f"{bare!r} is provided by several plugins: {names}")
            providers = core
        return providers[0][1]

    def stage_spec(self, name: str) -> StageSpec:
        spec: StageSpec = self._resolve("curator_stages", name, StageNotFoundError)
        return spec

    def executor_spec(self, name: str) -> ExecutorSpec:
        spec: ExecutorSpec = self._resolve("curator_executors", name, ExecutorNotFoundError)
        return spec

    def resolve_stage(self, name: str) -> Any:
        """The stage class (or factory) registered under ``name`` (or ``plugin:name``)."""
        return import_target(self.stage_spec(name).target)

    def resolve_executor(self, name: str) -> Any:
        """The executor class registered under ``name`` (or ``plugin:name``)."""
        return import_target(self.executor_spec(name).target)

    def default_executor_name(self) -> str:
        return os.environ.get("CURATOR_EXECUTOR") or "local"


_HOST: PluginHost | None = None


def get_host() -> PluginHost:
    """The process-wide plugin host (created on first use)."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost()
    return _HOST
