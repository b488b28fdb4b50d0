"""Curator executors on Ray: ``ray_data`` (Ray Data, streaming) and ``ray_actor_pool`` (stage by stage).

Names load on first access: the plugin manifest (``plugin.py``) sits in this package, and
listing plugins must not import Ray.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from curator_executor_raydata.__about__ import __version__

if TYPE_CHECKING:
    from curator_executor_raydata.actor_pool import RayActorPoolExecutor
    from curator_executor_raydata.cluster import LocalRayCluster
    from curator_executor_raydata.ray_data import RayDataExecutor
    from curator_executor_raydata.session import RaySession, ray_session

__all__ = ["LocalRayCluster", "RayActorPoolExecutor", "RayDataExecutor", "RaySession", "__version__", "ray_session"]

_LAZY = {
    "RayActorPoolExecutor": "curator_executor_raydata.actor_pool",
    "RayDataExecutor": "curator_executor_raydata.ray_data",
    "LocalRayCluster": "curator_executor_raydata.cluster",
    "RaySession": "curator_executor_raydata.session",
    "ray_session": "curator_executor_raydata.session",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'curator_executor_raydata' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
