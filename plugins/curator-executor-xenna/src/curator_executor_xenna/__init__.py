"""Curator executor on Cosmos-Xenna: ``XennaExecutor``, registered as ``xenna``.

``XennaExecutor`` loads on first access: the plugin manifest (``plugin.py``) sits in this package,
and listing plugins must import nothing but the manifest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from curator_executor_xenna.__about__ import __version__

if TYPE_CHECKING:
    from curator_executor_xenna.executor import XennaExecutor

__all__ = ["XennaExecutor", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "XennaExecutor":
        from curator_executor_xenna.executor import XennaExecutor

        return XennaExecutor
    raise AttributeError(f"module 'curator_executor_xenna' has no attribute {name!r}")
