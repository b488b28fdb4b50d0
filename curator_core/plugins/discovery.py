"""Find installed plugins from package metadata alone: nothing a plugin ships is imported here.

Each distribution declaring entry points in the ``curator.plugins`` group is read once; a
distribution found twice on ``sys.path`` (a stale copy, a path listed twice) is kept once, the
first copy winning as it would for ``import``. A plugin whose ``Requires-Dist: curator-core ...``
excludes the running core is marked incompatible here, before anyone imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CORE_DISTRIBUTION",
    "ENTRY_POINT_GROUP",
    "Candidate",
    "core_requirement_problem",
    "discover",
    "read_headers",
]

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

    first: dict[str, tuple[Any, dict[str, list[str]], list[str]]] = {}
    for dist in importlib_metadata.distributions():
        text = dist.read_text("entry_points.txt")
        if not text or ENTRY_POINT_GROUP not in text:
            continue
        headers = _headers(dist)
        key = _canonical(_first(headers, "name"))
        if key in first:
            first[key][2].append(_location(dist))
        else:
            first[key] = (dist, headers, [])
    found: list[Candidate] = []
    for dist, headers, duplicates in first.values():
        requires_core, problem = core_requirement_problem(headers.get("requires-dist", []), core_version)
        for ep in dist.entry_points.select(group=ENTRY_POINT_GROUP):
            found.append(
                Candidate(
                    plugin_id=ep.name,
                    module=ep.value,
                    distribution=_first(headers, "name") or "?",
                    version=_first(headers, "version") or "?",
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


def read_headers(text: str) -> dict[str, list[str]]:
    """The header fields of a core-metadata file (``METADATA``/``PKG-INFO``), keys lower-cased.

    Only the header block is read (it ends at the first empty line; the long description follows).
    Reading it directly, rather than through ``email.parser``, keeps ``curator plugins`` fast:
    the email package and what it imports cost more than the rest of discovery together.
    Folded (continued) lines are joined as RFC 822 says.
    """
    headers: dict[str, list[str]] = {}
    last: list[str] | None = None
    for line in text.splitlines():
        if not line.strip():
            break
        if line[0] in " \t" and last:
            last[-1] = f"{last[-1]} {line.strip()}"
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue
        last = headers.setdefault(key.strip().lower(), [])
        last.append(value.strip())
    return headers


def _headers(dist: Any) -> dict[str, list[str]]:
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    if text:
        return read_headers(text)
    meta = dist.metadata  # an unusual finder: let importlib-metadata parse it
    return {
        "name": [meta["Name"] or ""],
        "version": [meta["Version"] or ""],
        "requires-dist": list(dist.requires or []),
    }


def _first(headers: dict[str, list[str]], key: str) -> str:
    values = headers.get(key)
    return values[0] if values else ""


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
