"""An example third-party Curator plugin: exact-duplicate file filtering over FileGroupTasks.

Kept light on purpose: ``curator plugins`` imports this package (for its manifest), so the stage
module is imported only when a pipeline names the stage.
"""

from curator_example_dedupe.__about__ import __version__

__all__ = ["__version__"]
