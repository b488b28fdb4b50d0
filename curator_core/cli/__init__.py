"""The ``curator`` command line (console script of curator-core): plugins, run, validate."""

from curator_core.cli.main import main

__all__ = ["main"]
