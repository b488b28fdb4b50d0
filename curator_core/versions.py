"""Installed versions of curator-core and every Curator plugin distribution, from metadata."""

from __future__ import annotations

from importlib import metadata

from curator_core.__about__ import __version__

__all__ = ["installed_versions"]


def installed_versions() -> dict[str, str]:
    """``{"curator-core": "0.1.0", "curator-text": ...}`` for the run report."""
    versions = {"curator-core": __version__}
    for ep in metadata.entry_points(group="curator.plugins"):
        dist = ep.dist
        if dist is not None:
            versions[dist.metadata["Name"]] = dist.version
    return versions
