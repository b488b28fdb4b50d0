"""Warnings the plugin host emits: every one derives from :class:`CuratorWarning`.

A plugin that cannot be used is reported with a :class:`PluginWarning` and skipped, so one bad
plugin never hides the others; ``CURATOR_STRICT_PLUGINS=1`` turns these reports into errors.
"""

from __future__ import annotations

__all__ = ["CuratorWarning", "PluginWarning"]


class CuratorWarning(UserWarning):
    """Root of every warning Curator emits (filter on it to silence or escalate them all)."""


class PluginWarning(CuratorWarning):
    """An installed plugin is broken, incompatible or conflicting, and was skipped."""
