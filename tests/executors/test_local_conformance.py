"""The local executor passes the suite every executor must pass, in both of its modes."""

from __future__ import annotations

from typing import Any, ClassVar

from curator_core.executors.local import LocalExecutor
from curator_core.testing.executor_suite import ExecutorConformanceSuite


class TestLocalExecutorInWorkerProcesses(ExecutorConformanceSuite):
    def make_executor(self, **config: Any) -> LocalExecutor:
        return LocalExecutor(config)


class TestLocalExecutorInProcess(ExecutorConformanceSuite):
    kills_workers: ClassVar[bool] = False

    def make_executor(self, **config: Any) -> LocalExecutor:
        return LocalExecutor({"mode": "in_process", **config})
