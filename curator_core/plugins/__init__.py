"""The plugin system: hook specs, the records hooks return, and the host that resolves names.

``hookimpl``/``hookspec`` and the host are loaded on first access, so importing a record type
(as executors do) does not import pluggy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from curator_core.plugins.problems import CuratorWarning, PluginWarning
from curator_core.plugins.records import PLUGIN_STATUSES, ExecutorCapabilities, ExecutorSpec, PluginInfo, StageSpec

if TYPE_CHECKING:
    from curator_core.plugins.hookspecs import CuratorHookSpecs, hookimpl, hookspec
    from curator_core.plugins.host import PluginHost, configure_host, get_host, reset_host
    from curator_core.plugins.options import HostOptions

__all__ = [
    "PLUGIN_STATUSES",
    "CuratorHookSpecs",
    "CuratorWarning",
    "ExecutorCapabilities",
    "ExecutorSpec",
    "HostOptions",
    "PluginHost",
    "PluginInfo",
    "PluginWarning",
    "StageSpec",
    "configure_host",
    "get_host",
    "hookimpl",
    "hookspec",
    "reset_host",
]

_LAZY = {
    "CuratorHookSpecs": "curator_core.plugins.hookspecs",
    "hookimpl": "curator_core.plugins.hookspecs",
    "hookspec": "curator_core.plugins.hookspecs",
    "PluginHost": "curator_core.plugins.host",
    "configure_host": "curator_core.plugins.host",
    "get_host": "curator_core.plugins.host",
    "reset_host": "curator_core.plugins.host",
    "HostOptions": "curator_core.plugins.options",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'curator_core.plugins' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
