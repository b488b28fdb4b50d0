"""The core's executor conformance suite, unchanged, in both Xenna execution modes."""

from __future__ import annotations

from typing import Any

import pytest

from curator_core.testing.executor_suite import ExecutorConformanceSuite
from curator_executor_xenna import XennaExecutor

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("ray_cluster")]


class TestXennaStreamingConformance(ExecutorConformanceSuite):
    def make_executor(self, **config: Any) -> XennaExecutor:
        return XennaExecutor({"execution_mode": "streaming", **config})


class TestXennaBatchConformance(ExecutorConformanceSuite):
    def make_executor(self, **config: Any) -> XennaExecutor:
        return XennaExecutor({"execution_mode": "batch", **config})
