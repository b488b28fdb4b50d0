"""Both executors pass the core's executor conformance suite, unchanged, on a two-node cluster."""

from __future__ import annotations

from typing import Any

import pytest

from curator_core.executors.base import BaseExecutor
from curator_core.testing import ExecutorConformanceSuite
from curator_executor_raydata import RayActorPoolExecutor, RayDataExecutor


@pytest.mark.usefixtures("connected")
class TestRayDataConformance(ExecutorConformanceSuite):
    def make_executor(self, **config: Any) -> BaseExecutor:
        return RayDataExecutor(config)


@pytest.mark.usefixtures("connected")
class TestRayActorPoolConformance(ExecutorConformanceSuite):
    def make_executor(self, **config: Any) -> BaseExecutor:
        return RayActorPoolExecutor(config)
