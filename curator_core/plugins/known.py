"""Which distribution provides a well-known stage or executor name, for "not installed" errors.

Only a hint: the real registry is what installed plugins declare. Exact names first, then
prefixes (``Video*`` comes with curator-video).
"""

from __future__ import annotations

__all__ = ["KNOWN_EXECUTORS", "KNOWN_STAGE_PREFIXES", "KNOWN_STAGES", "distribution_for"]

KNOWN_EXECUTORS: dict[str, str] = {
    "xenna": "curator-executor-xenna",
    "ray_data": "curator-executor-raydata",
    "ray_actor_pool": "curator-executor-raydata",
}

KNOWN_STAGES: dict[str, str] = {
    "JsonlReader": "curator-text",
    "JsonlWriter": "curator-text",
    "ParquetReader": "curator-text",
    "ParquetWriter": "curator-text",
    "ScoreFilter": "curator-text",
    "Filter": "curator-text",
    "Modify": "curator-text",
    "AddId": "curator-text",
    "LanguageIdentifier": "curator-text",
    "ExactDuplicateFilter": "curator-text",
    "ManifestReader": "curator-audio",
    "ManifestWriter": "curator-audio",
}

KNOWN_STAGE_PREFIXES: dict[str, str] = {
    "Video": "curator-video",
    "Clip": "curator-video",
    "Audio": "curator-audio",
    "Manifest": "curator-audio",
}


def distribution_for(kind: str, name: str) -> str | None:
    """The distribution that usually provides ``name`` (a ``stage`` or an ``executor``), if known."""
    if kind == "executor":
        return KNOWN_EXECUTORS.get(name)
    if name in KNOWN_STAGES:
        return KNOWN_STAGES[name]
    for prefix, distribution in KNOWN_STAGE_PREFIXES.items():
        if name.startswith(prefix):
            return distribution
    return None
