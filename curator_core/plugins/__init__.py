"""The plugin system: hook specs, the records hooks return, and the host that resolves names."""

from curator_core.plugins.hookspecs import CuratorHookSpecs, hookimpl, hookspec
from curator_core.plugins.records import ExecutorCapabilities, ExecutorSpec, StageSpec

__all__ = ["CuratorHookSpecs", "ExecutorCapabilities", "ExecutorSpec", "StageSpec", "hookimpl", "hookspec"]
