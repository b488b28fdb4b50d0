"""Fake installed distributions for plugin tests: real metadata on disk, no pip involved.

Each fake is a ``<name>-<version>.dist-info`` folder (``METADATA`` with ``Requires-Dist``,
``entry_points.txt``) plus its package's modules, written into a "site" folder that is put on
``sys.path``. ``importlib-metadata`` then finds it exactly as it finds a pip-installed one, so
broken, duplicate, conflicting and incompatible plugins can be staged in a test::

    fakes = FakeDistributions(tmp_path)
    fakes.add("good", stages=[{"name": "Upper", "target": "curator_fake_good.stages:Upper"}],
              modules={"stages.py": STAGE_SOURCE})
    fakes.add("old", requires_core=">=9")
    with fakes:
        host = get_host()   # sees both; 'old' is incompatible and was never imported
"""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["FakeDistribution", "FakeDistributions", "manifest_source"]


@dataclass
class FakeDistribution:
    """What :meth:`FakeDistributions.add` wrote: names to assert on in tests."""

    plugin_id: str
    distribution: str
    version: str
    package: str
    manifest_module: str
    site: Path
    modules: list[str] = field(default_factory=list)


def manifest_source(
    stages: Iterable[Mapping[str, Any]] = (),
    executors: Iterable[Mapping[str, Any]] = (),
    extra: str = "",
) -> str:
    """Source of a manifest module whose hooks return ``StageSpec(**s)`` / ``ExecutorSpec(**e)``.

    ``extra`` is appended verbatim (more hook implementations, a deliberate error ...).
    """
    lines = [
        "from curator_core.plugins import ExecutorCapabilities, ExecutorSpec, StageSpec, hookimpl",
        "from curator_core.resources import Resources",
        "",
    ]
    stage_list = [dict(s) for s in stages]
    executor_list = [dict(e) for e in executors]
    if stage_list:
        lines += [
            "@hookimpl",
            "def curator_stages():",
            f"    return [StageSpec(**kw) for kw in {_literal(stage_list)}]",
            "",
        ]
    if executor_list:
        for record in executor_list:
            if isinstance(record.get("capabilities"), Mapping):
                record["capabilities"] = _Code(f"ExecutorCapabilities(**{record['capabilities']!r})")
        lines += [
            "@hookimpl",
            "def curator_executors():",
            f"    return [ExecutorSpec(**kw) for kw in {_literal(executor_list)}]",
            "",
        ]
    return "\n".join(lines) + "\n" + textwrap.dedent(extra)


class _Code(str):
    def __repr__(self) -> str:
        return str(self)


def _literal(records: list[dict[str, Any]]) -> str:
    parts = []
    for record in records:
        items = []
        for key, value in record.items():
            if key == "resources" and isinstance(value, Mapping):
                value = _Code(f"Resources(**{dict(value)!r})")
            items.append(f"{key!r}: {value!r}")
        parts.append("{" + ", ".join(items) + "}")
    return "[" + ", ".join(parts) + "]"


class FakeDistributions:
    """A set of fake installed distributions under ``root``; a context manager puts them on sys.path.

    Entering (or :meth:`activate`) also resets the process-wide plugin host, so the next
    ``get_host()`` discovers the fakes; leaving removes them, forgets their modules, and resets
    the host again. Distributions added while active are visible at once.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.sites: list[Path] = []
        self.installed: list[FakeDistribution] = []
        self.active = False

    def add(
        self,
        plugin_id: str,
        *,
        distribution: str | None = None,
        version: str = "1.0.0",
        package: str | None = None,
        stages: Iterable[Mapping[str, Any]] = (),
        executors: Iterable[Mapping[str, Any]] = (),
        manifest: str | None = None,
        modules: Mapping[str, str] | None = None,
        requires_core: str | None = ">=0.1,<1",
        requires: Iterable[str] = (),
        entry_point: str | None = None,
        site: str = "site",
    ) -> FakeDistribution:
        """Write one distribution whose ``curator.plugins`` entry point ``plugin_id`` is its manifest.

        ``manifest`` (source) defaults to :func:`manifest_source` of ``stages``/``executors``;
        ``modules`` are more files of the package (``{"stages.py": source}``);
        ``requires_core=None`` leaves curator-core out of ``Requires-Dist``;
        ``entry_point`` overrides the entry point's value (to point at a missing module, say);
        ``site`` names the folder on sys.path (two sites holding one distribution make a duplicate).
        """
        distribution = distribution or f"curator-fake-{plugin_id}"
        package = package or distribution.replace("-", "_").replace(".", "_").lower()
        site_dir = self.root / site
        site_dir.mkdir(parents=True, exist_ok=True)
        if site_dir not in self.sites:
            self.sites.append(site_dir)
            if self.active:
                sys.path.insert(0, str(site_dir))
        package_dir = site_dir / package
        package_dir.mkdir(exist_ok=True)
        (package_dir / "__init__.py").write_text(f'"""Fake plugin package {package}."""\n__version__ = {version!r}\n')
        source = manifest if manifest is not None else manifest_source(stages, executors)
        (package_dir / "plugin.py").write_text(textwrap.dedent(source))
        written = [f"{package}.plugin"]
        for relative, text in (modules or {}).items():
            path = package_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
            written.append(f"{package}.{relative.removesuffix('.py').replace('/', '.')}")
        info_dir = site_dir / f"{distribution.replace('-', '_')}-{version}.dist-info"
        info_dir.mkdir(exist_ok=True)
        requirement_lines = [f"Requires-Dist: curator-core{requires_core}"] if requires_core is not None else []
        requirement_lines += [f"Requires-Dist: {r}" for r in requires]
        (info_dir / "METADATA").write_text(
            "\n".join(["Metadata-Version: 2.1", f"Name: {distribution}", f"Version: {version}", *requirement_lines])
            + "\n"
        )
        value = entry_point or f"{package}.plugin"
        (info_dir / "entry_points.txt").write_text(f"[curator.plugins]\n{plugin_id} = {value}\n")
        (info_dir / "top_level.txt").write_text(package + "\n")
        fake = FakeDistribution(plugin_id, distribution, version, package, value, site_dir, written)
        self.installed.append(fake)
        self._refresh()
        return fake

    def activate(self) -> FakeDistributions:
        """Put every site on sys.path and reset the plugin host."""
        if not self.active:
            for site in self.sites:
                sys.path.insert(0, str(site))
            self.active = True
        self._refresh()
        return self

    def deactivate(self) -> None:
        """Take the sites off sys.path, forget every module imported from them, reset the host."""
        if not self.active:
            return
        for site in self.sites:
            while str(site) in sys.path:
                sys.path.remove(str(site))
        root = str(self.root.resolve())
        for name, module in list(sys.modules.items()):
            origin = getattr(module, "__file__", None) or ""
            if origin and os.path.realpath(origin).startswith(root):
                del sys.modules[name]
        self.active = False
        self._refresh()

    def imported(self) -> list[str]:
        """Modules of the fakes that are in ``sys.modules`` now (to assert nothing was imported)."""
        packages = {fake.package for fake in self.installed}
        return sorted(name for name in sys.modules if name.split(".")[0] in packages)

    def _refresh(self) -> None:
        importlib.invalidate_caches()
        from curator_core.plugins.host import reset_host

        reset_host()

    def __enter__(self) -> FakeDistributions:
        return self.activate()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.deactivate()
