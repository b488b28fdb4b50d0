"""Curator executor on Cosmos-Xenna: ``XennaExecutor``, registered as ``xenna``."""

from curator_executor_xenna.__about__ import __version__
from curator_executor_xenna.executor import XennaExecutor

__all__ = ["XennaExecutor", "__version__"]
