"""ASR adapters by plain name, so pipeline files can choose one without an import path."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from curator_audio.asr.base import AsrAdapter

__all__ = ["AdapterSpec", "available_asr_adapters", "make_asr_adapter", "register_asr_adapter"]

AdapterSpec = str | Mapping[str, Any] | AsrAdapter
"""A name (``"pocketsphinx"``), ``{"name": ..., "params": {...}}``, or an adapter instance."""

_ADAPTERS: dict[str, str] = {
    "pocketsphinx": "curator_audio.asr.pocketsphinx_adapter:PocketSphinxAdapter",
}


def register_asr_adapter(name: str, target: str | type[AsrAdapter]) -> None:
    """Make ``name`` resolve to an adapter class (a class, or a ``"module:Class"`` string in code)."""
    if name in _ADAPTERS:
        raise ValueError(f"ASR adapter {name!r} is already registered")
    if isinstance(target, type):
        target = f"{target.__module__}:{target.__qualname__}"
    _ADAPTERS[name] = target


def available_asr_adapters() -> list[str]:
    return sorted(_ADAPTERS)


def make_asr_adapter(spec: AdapterSpec) -> AsrAdapter:
    """An adapter instance from a name, a ``{name, params}`` mapping, or an instance (returned as is)."""
    if isinstance(spec, AsrAdapter):
        return spec
    if isinstance(spec, str):
        name, params = spec, {}
    elif isinstance(spec, Mapping):
        unknown = set(spec) - {"name", "params"}
        if "name" not in spec or unknown:
            raise ValueError(f"an ASR adapter spec is {{'name': ..., 'params': {{...}}}}; got keys {sorted(spec)}")
        name, params = spec["name"], dict(spec.get("params") or {})
    else:
        raise TypeError(f"an ASR adapter is a name, a {{name, params}} mapping or an AsrAdapter; got {spec!r}")
    if name not in _ADAPTERS:
        raise LookupError(f"unknown ASR adapter {name!r}; registered: {', '.join(available_asr_adapters())}")
    module_name, _, attribute = _ADAPTERS[name].partition(":")
    adapter_class = getattr(importlib.import_module(module_name), attribute)
    adapter: AsrAdapter = adapter_class(**params)
    return adapter
