"""Find installed plugins from package metadata alone: nothing a plugin ships is imported here.

Each distribution declaring entry points in the ``curator.plugins`` group is read once; a
distribution found twice on ``sys.path`` (a stale copy, a path listed twice) is kept once, the
first copy winning as it would for ``import``. A plugin whose ``Requires-Dist: curator-core ...``
excludes the running core is marked incompatible here, before anyone imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CORE_DISTRIBUTION", "ENTRY_POINT_GROUP", "Candidate", "core_requirement_problem", "discover"]

ENTRY_POINT_GROUP = "curator.plugins"
CORE_DISTRIBUTION = "curator-core"

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*\(?([^;)]*)\)?\s*(?:;(.*))?$")


@dataclass(frozen=True)
class Candidate:
    """One ``curator.plugins`` entry point of one installed distribution, as metadata states it."""

    plugin_id: str
    module: str
    distribution: str
    version: str
    location: str
    requires_core: str = ""
    incompatible: str = ""
    duplicates: tuple[str, ...] = ()


def discover(core_version: str) -> list[Candidate]:
    """Every ``curator.plugins`` entry point installed, one per distribution, sorted by plugin id."""
    import importlib_metadata

    first: dict[str, tuple[importlib_metadata.Distribution, list[str]]] = {}
    for dist in importlib_metadata.distributions():
        text = dist.read_text("entry_points.txt")
        if not text or ENTRY_POINT_GROUP not in text:
            continue
        key = _canonical(dist.metadata["Name"] or "")
        if key in first:
            first[key][1].append(_location(dist))
        else:
            first[key] = (dist, [])
    found: list[Candidate] = []
    for dist, duplicates in first.values():
        name = dist.metadata["Name"] or "?"
        requires_core, problem = core_requirement_problem(dist.requires or [], core_version)
        for ep in dist.entry_points.select(group=ENTRY_POINT_GROUP):
            found.append(
                Candidate(
                    plugin_id=ep.name,
                    module=ep.value,
                    distribution=name,
                    version=dist.version,
                    location=_location(dist),
                    requires_core=requires_core,
                    incompatible=problem,
                    duplicates=tuple(duplicates),
                )
            )
    return sorted(found, key=lambda c: (c.plugin_id, _canonical(c.distribution)))


def core_requirement_problem(requirements: list[str], core_version: str) -> tuple[str, str]:
    """``(specifier, problem)`` for a distribution's ``curator-core`` requirement.

    ``problem`` is '' when the requirement admits ``core_version`` (or there is none).
    Only the specifier parser of ``packaging`` is needed, which keeps discovery fast.
    """
    for line in requirements:
        match = _REQUIREMENT.match(line)
        if match is None or _canonical(match.group(1)) != CORE_DISTRIBUTION:
            continue
        if match.group(4) and not _marker_applies(match.group(4)):
            continue
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        text = match.group(3).strip()
        try:
            specifier = SpecifierSet(text)
        except InvalidSpecifier:
            return text, f"declares an unreadable curator-core requirement {line!r}"
        if not specifier.contains(core_version, prereleases=True):
            return text, f"requires {CORE_DISTRIBUTION}{text}, but {CORE_DISTRIBUTION} {core_version} is installed"
        return text, ""
    return "", ""


def _marker_applies(marker: str) -> bool:
    from packaging.markers import InvalidMarker, Marker

    try:
        return Marker(marker).evaluate({"extra": ""})
    except InvalidMarker:
        return True


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _location(dist: object) -> str:
    path = getattr(dist, "_path", None)
    return str(path) if path is not None else ""
