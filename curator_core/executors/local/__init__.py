"""The embedded local executor (``local``): the default, and the reference for every other."""

from curator_core.executors.local.executor import LocalExecutor

__all__ = ["LocalExecutor"]
