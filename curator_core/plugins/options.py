"""The host's switches, from environment variables, a user config file, or CLI flags.

=========================  ==========================================================
``CURATOR_NO_PLUGINS``     ``1``: load no installed plugin (core's built-in one only)
``CURATOR_DISABLE_PLUGINS`` comma-separated plugin ids to skip
``CURATOR_ONLY_PLUGINS``   comma-separated plugin ids: load only these (and core)
``CURATOR_STRICT_PLUGINS`` ``1``: a broken, incompatible or conflicting plugin is an error
``CURATOR_TRACE_HOOKS``    ``1``: print every hook call to stderr
``CURATOR_EXECUTOR``       the default executor name (else the config file, else ``local``)
``CURATOR_CONFIG``         path of a TOML config file (default ``~/.config/curator/config.toml``)
=========================  ==========================================================

The config file holds the same settings as top-level keys: ``executor``, ``disable_plugins``,
``only_plugins`` (lists), ``no_plugins``, ``strict_plugins``, ``trace_hooks`` (booleans).
Environment variables win over the file, CLI flags over both.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["ENV_VARS", "HostOptions", "read_config_file"]

ENV_VARS: dict[str, str] = {
    "no_plugins": "CURATOR_NO_PLUGINS",
    "disable_plugins": "CURATOR_DISABLE_PLUGINS",
    "only_plugins": "CURATOR_ONLY_PLUGINS",
    "strict_plugins": "CURATOR_STRICT_PLUGINS",
    "trace_hooks": "CURATOR_TRACE_HOOKS",
    "executor": "CURATOR_EXECUTOR",
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


@dataclass(frozen=True)
class HostOptions:
    """Which plugins the host loads and how it reports them."""

    no_plugins: bool = False
    disable_plugins: frozenset[str] = field(default_factory=frozenset)
    only_plugins: frozenset[str] | None = None
    strict_plugins: bool = False
    trace_hooks: bool = False
    executor: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> HostOptions:
        """Options from the config file overlaid with ``CURATOR_*`` environment variables."""
        env = os.environ if environ is None else environ
        settings: dict[str, Any] = dict(read_config_file(env))
        for key, var in ENV_VARS.items():
            if var in env:
                settings[key] = env[var]
        return cls.from_mapping(settings, source="environment")

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any], source: str = "settings") -> HostOptions:
        unknown = sorted(set(settings) - set(ENV_VARS))
        if unknown:
            from curator_core.errors import PluginError

            raise PluginError(
                f"{source}: unknown setting(s) {', '.join(unknown)}; valid: {', '.join(sorted(ENV_VARS))}"
            )
        only = settings.get("only_plugins")
        executor = settings.get("executor")
        return cls(
            no_plugins=_flag(settings.get("no_plugins", False), "no_plugins"),
            disable_plugins=frozenset(_names(settings.get("disable_plugins", ()))),
            only_plugins=None if only is None or only == "" else frozenset(_names(only)),
            strict_plugins=_flag(settings.get("strict_plugins", False), "strict_plugins"),
            trace_hooks=_flag(settings.get("trace_hooks", False), "trace_hooks"),
            executor=str(executor) if executor else None,
        )

    def merged(self, **overrides: Any) -> HostOptions:
        """A copy with the given (non-None) settings replaced, as CLI flags do."""
        given = {k: v for k, v in overrides.items() if v is not None}
        for key in ("disable_plugins", "only_plugins"):
            if key in given:
                given[key] = frozenset(_names(given[key]))
        if "disable_plugins" in given:
            given["disable_plugins"] = self.disable_plugins | given["disable_plugins"]
        return replace(self, **given)

    def skip_reason(self, plugin_id: str) -> str:
        """Why these switches leave ``plugin_id`` out ('' when they do not)."""
        if self.no_plugins:
            return "all plugins disabled (CURATOR_NO_PLUGINS / --no-plugins)"
        if plugin_id in self.disable_plugins:
            return "disabled (CURATOR_DISABLE_PLUGINS / --disable-plugin)"
        if self.only_plugins is not None and plugin_id not in self.only_plugins:
            return "not in the allow-list (CURATOR_ONLY_PLUGINS / --only-plugin)"
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "no_plugins": self.no_plugins,
            "disable_plugins": sorted(self.disable_plugins),
            "only_plugins": None if self.only_plugins is None else sorted(self.only_plugins),
            "strict_plugins": self.strict_plugins,
            "trace_hooks": self.trace_hooks,
        }


def read_config_file(environ: Mapping[str, str]) -> dict[str, Any]:
    """The user config file's settings ({} when there is none)."""
    path = environ.get("CURATOR_CONFIG")
    if not path:
        base = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        path = os.path.join(base, "curator", "config.toml")
        if not os.path.isfile(path):
            return {}
    import tomllib

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        from curator_core.errors import PluginError

        raise PluginError(f"cannot read the Curator config file {path}: {exc}") from exc
    return data


def _flag(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    from curator_core.errors import PluginError

    raise PluginError(f"{ENV_VARS[key]}: expected 1/0, true/false, yes/no or on/off, got {value!r}")


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    return [str(part) for part in value]
