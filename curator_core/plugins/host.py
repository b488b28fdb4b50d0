"""The plugin host: discover plugins from metadata, load manifests on first need, resolve names.

Nothing happens at import or construction. The first call that needs a name (or ``hook``) reads
installed metadata, skips disabled and incompatible plugins without importing them, imports
each remaining manifest once, validates what it registers, and reports (or, strict, raises on)
every plugin it cannot use. A stage or executor module is imported only when its name resolves.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from curator_core.__about__ import __version__ as CORE_VERSION
from curator_core.errors import (
    ExecutorNotFoundError,
    MissingPluginError,
    PluginConflictError,
    PluginIncompatibleError,
    PluginLoadError,
    StageNotFoundError,
)
from curator_core.plugins.checks import check_plugin_id, check_records, unknown_hooks, unmarked_hooks
from curator_core.plugins.discovery import CORE_DISTRIBUTION, ENTRY_POINT_GROUP, Candidate, discover
from curator_core.plugins.known import distribution_for
from curator_core.plugins.options import HostOptions
from curator_core.plugins.problems import PluginWarning
from curator_core.plugins.records import ExecutorSpec, PluginInfo, StageSpec

if TYPE_CHECKING:
    import pluggy

__all__ = [
    "CORE_PLUGIN_ID",
    "ENTRY_POINT_GROUP",
    "Conflict",
    "PluginHost",
    "Provider",
    "configure_host",
    "get_host",
    "import_target",
    "reset_host",
]

CORE_PLUGIN_ID = "core"
_LIFECYCLE_HOOKS = (
    "curator_pipeline_built",
    "curator_run_started",
    "curator_stage_finished",
    "curator_task_failed",
    "curator_run_finished",
)
_KINDS = {"stage": ("curator_stages", StageSpec), "executor": ("curator_executors", ExecutorSpec)}


def import_target(target: str) -> Any:
    """Import ``"package.module:attribute"`` (or a bare module path)."""
    module_name, _, attribute = target.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in filter(None, attribute.split(".")):
        obj = getattr(obj, part)
    return obj


@dataclass(frozen=True)
class Provider:
    """One plugin's registration of a stage or executor name."""

    plugin: PluginInfo
    spec: Any

    @property
    def qualified_name(self) -> str:
        return f"{self.plugin.plugin_id}:{self.spec.name}"


@dataclass(frozen=True)
class Conflict:
    """A name registered by more than one plugin (sorted by plugin id, whatever the install order)."""

    kind: str
    name: str
    providers: tuple[Provider, ...]

    @property
    def shadows_core(self) -> bool:
        return any(p.plugin.plugin_id == CORE_PLUGIN_ID for p in self.providers)

    def describe(self) -> str:
        listing = "; ".join(
            f"{p.qualified_name} from {p.plugin.distribution} {p.plugin.version}" for p in self.providers
        )
        if self.shadows_core:
            return f"{self.kind} {self.name!r} is core's and cannot be shadowed; also registered by: {listing}"
        return f"{self.kind} {self.name!r} is provided by several plugins: {listing}"


class PluginHost:
    """Core's built-in plugin plus every usable installed plugin, and name resolution over them."""

    def __init__(self, options: HostOptions | None = None, *, core_version: str = CORE_VERSION) -> None:
        self.options = options if options is not None else HostOptions.from_env()
        self.core_version = core_version
        self._manager: pluggy.PluginManager | None = None
        self._infos: dict[str, PluginInfo] = {}
        self._registry: dict[str, dict[str, list[Provider]]] = {"stage": {}, "executor": {}}
        self._resolved: dict[tuple[str, str], Any] = {}
        self._fatal: Exception | None = None

    # -- loading -----------------------------------------------------------------------------
    @property
    def manager(self) -> pluggy.PluginManager:
        """The pluggy manager holding core's plugin and every loaded plugin."""
        self._ensure_loaded()
        assert self._manager is not None
        return self._manager

    @property
    def hook(self) -> Any:
        """The lifecycle hooks (``curator_run_started`` ...), called on every loaded plugin."""
        return self.manager.hook

    @property
    def loaded(self) -> bool:
        """Whether manifests have been loaded yet (they are, on first need)."""
        return self._manager is not None

    def _ensure_loaded(self) -> None:
        if self._fatal is not None:
            raise self._fatal
        if self._manager is not None:
            return
        import pluggy

        from curator_core.plugins import builtin
        from curator_core.plugins.hookspecs import PROJECT_NAME, CuratorHookSpecs

        manager = pluggy.PluginManager(PROJECT_NAME)
        manager.add_hookspecs(CuratorHookSpecs)
        known = {name for name in dir(CuratorHookSpecs) if name.startswith("curator_")}
        core = PluginInfo(CORE_PLUGIN_ID, CORE_DISTRIBUTION, self.core_version, builtin.__name__)
        core = self._register(manager, builtin, core, known)
        if core.status != "ok":
            raise PluginLoadError(f"curator-core's built-in plugin is broken: {'; '.join(core.problems)}")
        by_id: dict[str, list[Candidate]] = {}
        for candidate in discover(self.core_version):
            by_id.setdefault(candidate.plugin_id, []).append(candidate)
        for plugin_id in sorted(by_id):
            for info in self._load_plugin(manager, by_id[plugin_id], known):
                self._infos[
                    info.plugin_id if info.status != "conflict" else f"{info.plugin_id}@{info.distribution}"
                ] = info
        self._infos[CORE_PLUGIN_ID] = core
        self._manager = manager
        if self.options.trace_hooks:
            manager.trace.root.setwriter(sys.stderr.write)
            manager.enable_tracing()
        try:
            self._report()
        except (PluginConflictError, PluginIncompatibleError, PluginLoadError) as exc:
            self._fatal = exc
            raise

    def _load_plugin(self, manager: pluggy.PluginManager, claims: list[Candidate], known: set[str]) -> list[PluginInfo]:
        infos = [
            PluginInfo(c.plugin_id, c.distribution, c.version, c.module, location=c.location, problems=_shadowed(c))
            for c in claims
        ]
        plugin_id = claims[0].plugin_id
        if plugin_id == CORE_PLUGIN_ID or len(claims) > 1:
            owners = ", ".join(f"{c.distribution} {c.version}" for c in claims)
            why = (
                f"plugin id {plugin_id!r} is reserved for curator-core (claimed by {owners})"
                if plugin_id == CORE_PLUGIN_ID
                else f"plugin id {plugin_id!r} is claimed by several distributions: {owners}"
            )
            return [replace(info, status="conflict", problems=(*info.problems, why)) for info in infos]
        info, candidate = infos[0], claims[0]
        skip = self.options.skip_reason(plugin_id)
        if skip:
            return [replace(info, status="disabled", problems=(*info.problems, skip))]
        problem = check_plugin_id(plugin_id)
        if problem:
            return [replace(info, status="broken", problems=(*info.problems, problem))]
        if candidate.incompatible:
            return [replace(info, status="incompatible", problems=(*info.problems, candidate.incompatible))]
        try:
            module = import_target(candidate.module)
        except (Exception, SystemExit) as exc:  # a manifest calling sys.exit() must not end the host
            cause = f"importing {candidate.module!r} failed: {type(exc).__name__}: {exc}"
            return [replace(info, status="broken", problems=(*info.problems, cause))]
        return [self._register(manager, module, info, known)]

    def _register(self, manager: pluggy.PluginManager, module: object, info: PluginInfo, known: set[str]) -> PluginInfo:
        """Register one manifest and collect its records; on any problem, unregister it again."""
        import pluggy

        try:
            manager.register(module, name=info.plugin_id)
        except pluggy.PluginValidationError as exc:
            return replace(
                info, status="incompatible", problems=(*info.problems, f"invalid hook implementation: {exc}")
            )
        except ValueError as exc:
            return replace(info, status="broken", problems=(*info.problems, str(exc)))
        unmarked = unmarked_hooks(module, known, manager)
        if unmarked:
            note = f"{', '.join(unmarked)} not marked @hookimpl: ignored"
            info = replace(info, problems=(*info.problems, note))
        unknown = unknown_hooks(module, known, manager)
        if unknown:
            manager.unregister(name=info.plugin_id)
            why = (
                f"implements hook(s) {', '.join(unknown)} that curator-core {self.core_version} does not know "
                "(a newer core may; mark them @hookimpl(optionalhook=True) to make them optional)"
            )
            return replace(info, status="incompatible", problems=(*info.problems, why))
        names: dict[str, list[Any]] = {}
        for kind, (hook_name, record_type) in _KINDS.items():
            records: Any = []
            for impl in getattr(manager.hook, hook_name).get_hookimpls():
                if impl.plugin_name != info.plugin_id:
                    continue
                try:
                    records = impl.function()
                except Exception as exc:
                    manager.unregister(name=info.plugin_id)
                    why = f"{hook_name}() raised {type(exc).__name__}: {exc}"
                    return replace(info, status="broken", problems=(*info.problems, why))
                if self.options.trace_hooks:
                    sys.stderr.write(f"curator: {info.plugin_id}.{hook_name}() -> {records!r}\n")
            problems = check_records(kind, records, record_type)
            if problems:
                manager.unregister(name=info.plugin_id)
                return replace(info, status="broken", problems=(*info.problems, *problems))
            names[kind] = list(records or [])
        if info.plugin_id != CORE_PLUGIN_ID and not self.options.strict_plugins:
            _guard_lifecycle_hooks(manager, info)
        info = replace(
            info,
            stages=tuple(sorted(spec.name for spec in names["stage"])),
            executors=tuple(sorted(spec.name for spec in names["executor"])),
        )
        for kind, specs in names.items():
            for spec in specs:
                self._registry[kind].setdefault(spec.name, []).append(Provider(info, spec))
        return info

    def _report(self) -> None:
        """Warn about (or, strict, raise on) every plugin that could not be used, and conflicts."""
        for info in self.plugins():
            if info.status in ("ok", "disabled"):
                continue
            message = (
                f"Curator plugin {info.plugin_id!r} is {info.status} and was skipped "
                f"(entry point '{info.plugin_id} = {info.module}' of {info.distribution} {info.version}): "
                + "; ".join(info.problems)
            )
            if self.options.strict_plugins:
                error = {"incompatible": PluginIncompatibleError, "conflict": PluginConflictError}.get(
                    info.status, PluginLoadError
                )
                raise error(message + " [strict mode: CURATOR_STRICT_PLUGINS / --strict-plugins]")
            warnings.warn(PluginWarning(message), stacklevel=4)
        for conflict in self.conflicts():
            if self.options.strict_plugins:
                raise PluginConflictError(conflict.describe() + " [strict mode]")
            if conflict.shadows_core:
                warnings.warn(PluginWarning("Curator: " + conflict.describe()), stacklevel=4)

    # -- what is installed ---------------------------------------------------------------------
    def plugins(self) -> list[PluginInfo]:
        """Every plugin found (core's included), sorted by plugin id then distribution."""
        self._ensure_loaded()
        return sorted(self._infos.values(), key=lambda i: (i.plugin_id, i.distribution.lower()))

    def providers(self, kind: str) -> list[Provider]:
        """Every registration of ``kind`` ('stage' or 'executor'), sorted by name then plugin."""
        self._ensure_loaded()
        found = [p for providers in self._registry[kind].values() for p in providers]
        return sorted(found, key=lambda p: (p.spec.name, p.plugin.plugin_id))

    def conflicts(self) -> list[Conflict]:
        """Every name registered by more than one plugin."""
        self._ensure_loaded()
        found: list[Conflict] = []
        for kind in _KINDS:
            for name, providers in sorted(self._registry[kind].items()):
                if len(providers) > 1:
                    found.append(Conflict(kind, name, tuple(sorted(providers, key=lambda p: p.plugin.plugin_id))))
        return found

    def _plugin(self, plugin_id: str) -> PluginInfo | None:
        matches = [i for i in self._infos.values() if i.plugin_id == plugin_id]
        return matches[0] if matches else None

    # -- resolution ------------------------------------------------------------------------------
    def stage_spec(self, name: str) -> StageSpec:
        spec: StageSpec = self.provider("stage", name).spec
        return spec

    def executor_spec(self, name: str) -> ExecutorSpec:
        spec: ExecutorSpec = self.provider("executor", name).spec
        return spec

    def resolve_stage(self, name: str) -> Any:
        """The stage class (or factory) registered under ``name`` (or ``plugin:name``)."""
        return self._import("stage", name)

    def resolve_executor(self, name: str) -> Any:
        """The executor class registered under ``name`` (or ``plugin:name``)."""
        return self._import("executor", name)

    def default_executor_name(self) -> str:
        """``--executor`` / ``CURATOR_EXECUTOR`` / the config file's ``executor``, else ``local``."""
        import os

        return self.options.executor or os.environ.get("CURATOR_EXECUTOR") or "local"

    def provider(self, kind: str, name: str) -> Provider:
        """Who provides ``name`` (``plugin:name`` picks one); errors say what to install or pick."""
        self._ensure_loaded()
        not_found = StageNotFoundError if kind == "stage" else ExecutorNotFoundError
        plugin_id, qualified, bare = name.rpartition(":")
        providers = self._registry[kind].get(bare, [])
        if qualified:
            info = self._plugin(plugin_id)
            if info is None:
                raise not_found(f"{kind} {name!r}: no plugin {plugin_id!r} is installed. {self._installed_line()}")
            if info.status != "ok":
                raise not_found(f"{kind} {name!r}: plugin {info.label} is {info.status}: {'; '.join(info.problems)}")
            chosen = [p for p in providers if p.plugin.plugin_id == plugin_id]
            if not chosen:
                offered = ", ".join(getattr(info, f"{kind}s")) or "none"
                raise not_found(f"plugin {info.label} provides no {kind} {bare!r}; its {kind}s: {offered}")
            return chosen[0]
        if not providers:
            raise not_found(self._not_found_message(kind, bare))
        core = [p for p in providers if p.plugin.plugin_id == CORE_PLUGIN_ID]
        if core:
            return core[0]
        if len(providers) > 1:
            conflict = Conflict(kind, bare, tuple(sorted(providers, key=lambda p: p.plugin.plugin_id)))
            picks = " or ".join(repr(p.qualified_name) for p in conflict.providers)
            raise PluginConflictError(f"{conflict.describe()}. Name one as {picks}, or disable a plugin.")
        return providers[0]

    def _import(self, kind: str, name: str) -> Any:
        provider = self.provider(kind, name)
        key = (kind, provider.qualified_name)
        if key not in self._resolved:
            try:
                self._resolved[key] = import_target(provider.spec.target)
            except Exception as exc:
                raise PluginLoadError(
                    f"{kind} {provider.spec.name!r} of plugin {provider.plugin.label} cannot be imported from "
                    f"{provider.spec.target!r}: {type(exc).__name__}: {exc}"
                ) from exc
        return self._resolved[key]

    def _installed_line(self) -> str:
        usable = [i for i in self.plugins() if i.status == "ok"]
        listing = ", ".join(f"{i.plugin_id} ({i.distribution} {i.version})" for i in usable)
        unusable = [i for i in self.plugins() if i.status != "ok"]
        line = f"Installed plugins: {listing}."
        if unusable:
            line += (
                " Not loaded: "
                + ", ".join(f"{i.plugin_id} ({i.distribution} {i.version}, {i.status})" for i in unusable)
                + "."
            )
        return line

    def _not_found_message(self, kind: str, name: str) -> str:
        import difflib

        message = f"no installed plugin provides {kind} {name!r}."
        known = sorted(self._registry[kind])
        # A prefix counts as close too: `ray` means `ray_data` (or `ray_actor_pool`) more than anything.
        close = [k for k in known if len(name) >= 3 and k.lower().startswith(name.lower())]
        close += [k for k in difflib.get_close_matches(name, known, n=3) if k not in close]
        if close:
            message += f" Did you mean {' or '.join(map(repr, close[:3]))}?"
        if kind == "executor" and known:
            message += f" Installed executors: {', '.join(known)}."
        distribution = distribution_for(kind, name)
        if distribution:
            present = [i for i in self._infos.values() if _same(i.distribution, distribution)]
            if present:
                info = present[0]
                message += (
                    f" It comes with {distribution}, which is installed but {info.status}: {'; '.join(info.problems)}."
                )
            else:
                message += f" It comes with {distribution}: pip install {distribution}."
        return f"{message} {self._installed_line()}"

    def find_plugin(self, name: str) -> PluginInfo | None:
        """The plugin with id ``name``, or from the distribution named ``name``."""
        self._ensure_loaded()
        by_id = self._plugin(name)
        if by_id is not None:
            return by_id
        matches = [i for i in self._infos.values() if _same(i.distribution, name)]
        return sorted(matches, key=lambda i: i.status != "ok")[0] if matches else None

    def check_requirements(self, requirements: Sequence[str], source: str = "pipeline") -> None:
        """Fail with one error listing every requirement (``id`` or ``dist>=1.2``) not met."""
        from packaging.requirements import InvalidRequirement, Requirement

        problems: list[str] = []
        for text in requirements:
            try:
                requirement = Requirement(str(text))
            except InvalidRequirement as exc:
                problems.append(f"{text!r} is not a plugin id or requirement ({exc})")
                continue
            info = self.find_plugin(requirement.name)
            if info is None:
                hint = f" (pip install {requirement.name})" if "-" in requirement.name else ""
                problems.append(f"{text}: no such plugin is installed{hint}")
            elif info.status != "ok":
                problems.append(f"{text}: plugin {info.label} is {info.status}: {'; '.join(info.problems)}")
            elif requirement.specifier and not requirement.specifier.contains(info.version, prereleases=True):
                problems.append(f"{text}: {info.distribution} {info.version} is installed")
        if problems:
            listing = "\n".join(f"  - {p}" for p in problems)
            raise MissingPluginError(
                f"{source} requires plugins that are missing or mismatched:\n{listing}\n{self._installed_line()}"
            )


def _guard_lifecycle_hooks(manager: pluggy.PluginManager, info: PluginInfo) -> None:
    """Make a plugin's lifecycle hooks report their exceptions as warnings instead of failing the run.

    An observer that breaks must not take a pipeline run (or the other observers) down with it;
    strict mode leaves the hooks unguarded, so the error propagates.
    """
    import functools

    for hook_name in _LIFECYCLE_HOOKS:
        for impl in getattr(manager.hook, hook_name).get_hookimpls():
            if impl.plugin_name != info.plugin_id or impl.hookwrapper or impl.wrapper:
                continue
            function = impl.function

            @functools.wraps(function)
            def guarded(*args: Any, _function: Any = function, _hook: str = hook_name, **kwargs: Any) -> Any:
                try:
                    return _function(*args, **kwargs)
                except Exception as exc:
                    warnings.warn(
                        PluginWarning(
                            f"Curator plugin {info.label}: hook {_hook} raised {type(exc).__name__}: {exc} "
                            "(ignored; CURATOR_STRICT_PLUGINS=1 makes it an error)"
                        ),
                        stacklevel=2,
                    )
                    return None

            impl.function = guarded


def _shadowed(candidate: Candidate) -> tuple[str, ...]:
    if not candidate.duplicates:
        return ()
    return (f"also found at {', '.join(candidate.duplicates)} (ignored: the first copy on sys.path wins)",)


def _same(left: str, right: str) -> bool:
    return left.replace("_", "-").lower() == right.replace("_", "-").lower()


_HOST: PluginHost | None = None


def get_host() -> PluginHost:
    """The process-wide plugin host (created on first use; it loads nothing until a name is needed)."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost()
    return _HOST


def configure_host(options: HostOptions | None = None, **overrides: Any) -> PluginHost:
    """Replace the process-wide host: ``options`` (default: from the environment) with overrides."""
    global _HOST
    base = options if options is not None else HostOptions.from_env()
    _HOST = PluginHost(base.merged(**overrides) if overrides else base)
    return _HOST


def reset_host() -> None:
    """Forget the process-wide host, so the next ``get_host()`` rediscovers plugins (for tests)."""
    global _HOST
    _HOST = None
