"""The plugin author's kit: conformance suites and fake installed distributions for tests.

Also a pytest plugin (``curator_core.testing.pytest_plugin``, loaded automatically) with the
``fake_plugins`` and ``curator_env`` fixtures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from curator_core.testing.fake_dists import FakeDistribution, FakeDistributions, manifest_source
from curator_core.testing.stage_suite import StageConformanceSuite, outputs_of

if TYPE_CHECKING:
    from curator_core.testing.executor_suite import ExecutorConformanceSuite

__all__ = [
    "ExecutorConformanceSuite",
    "FakeDistribution",
    "FakeDistributions",
    "StageConformanceSuite",
    "manifest_source",
    "outputs_of",
]


def __getattr__(name: str) -> Any:
    # The executor suite is imported on demand: it pulls in the local executor.
    if name == "ExecutorConformanceSuite":
        from curator_core.testing.executor_suite import ExecutorConformanceSuite

        return ExecutorConformanceSuite
    raise AttributeError(f"module 'curator_core.testing' has no attribute {name!r}")
