"""Typed records that plugins return from registration hooks.

Targets are ``"package.module:attribute"`` strings, imported only when the name is resolved, so
listing plugins never imports a stage or executor module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from curator_core.resources import Resources

__all__ = ["PLUGIN_STATUSES", "ExecutorCapabilities", "ExecutorSpec", "PluginInfo", "StageSpec"]

PLUGIN_STATUSES = ("ok", "broken", "incompatible", "conflict", "disabled")
"""Every status a plugin can have, as ``curator plugins`` shows it."""


@dataclass(frozen=True)
class ExecutorCapabilities:
    """What an executor can schedule; checked against the plan before anything starts."""

    gpus: bool = False
    multi_node: bool = False
    streaming: bool = False
    autoscaling: bool = False


@dataclass(frozen=True)
class StageSpec:
    """A stage a plugin provides: its registered name and where its class (or factory) lives."""

    name: str
    target: str
    summary: str = ""
    input_type: str = ""
    output_type: str = ""
    resources: Resources = field(default_factory=Resources)


@dataclass(frozen=True)
class ExecutorSpec:
    """An executor a plugin provides, with the capabilities it declares."""

    name: str
    target: str
    summary: str = ""
    capabilities: ExecutorCapabilities = field(default_factory=ExecutorCapabilities)


@dataclass(frozen=True)
class PluginInfo:
    """One installed plugin as the host sees it: where it comes from, its status, what it provides.

    ``status`` is one of :data:`PLUGIN_STATUSES`; ``problems`` says why a plugin is not ``ok``
    (and lists the names a healthy plugin failed to claim, e.g. one core already provides).
    """

    plugin_id: str
    distribution: str
    version: str
    module: str
    status: str = "ok"
    problems: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    executors: tuple[str, ...] = ()
    location: str = ""

    @property
    def label(self) -> str:
        """``'text' (curator-text 0.1.0)``: how errors and warnings name a plugin."""
        return f"{self.plugin_id!r} ({self.distribution} {self.version})"
