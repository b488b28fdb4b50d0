"""Typed records that plugins return from registration hooks.

Targets are ``"package.module:attribute"`` strings, imported only when the name is resolved, so
listing plugins never imports a stage or executor module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from curator_core.resources import Resources

__all__ = ["ExecutorCapabilities", "ExecutorSpec", "StageSpec"]


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
