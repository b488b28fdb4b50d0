"""The executor conformance kit fails a broken executor, and passes a correct minimal one."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from curator_core.executors.base import BaseExecutor
from curator_core.testing.broken_executors import BROKEN_EXECUTORS, SerialExecutor
from curator_core.testing.executor_suite import ExecutorConformanceSuite


class TestSerialExecutorPassesTheKit(ExecutorConformanceSuite):
    """The control: what the broken executors break is the only thing wrong with them."""

    kills_workers: ClassVar[bool] = False

    def make_executor(self, **config: Any) -> BaseExecutor:
        return SerialExecutor(config)


def _suite_for(executor_class: type[SerialExecutor]) -> ExecutorConformanceSuite:
    class Suite(ExecutorConformanceSuite):
        kills_workers = False

        def make_executor(self, **config: Any) -> BaseExecutor:
            return executor_class(config)

    return Suite()


@pytest.mark.parametrize(
    ("executor_class", "check"),
    [(cls, check) for cls, checks in BROKEN_EXECUTORS.items() for check in checks],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_the_kit_fails_a_broken_executor(tmp_path: Path, executor_class: type[SerialExecutor], check: str) -> None:
    suite = _suite_for(executor_class)
    with pytest.raises((AssertionError, pytest.fail.Exception)):
        getattr(suite, check)(tmp_path)


def test_every_broken_executor_is_covered() -> None:
    assert {cls.__name__ for cls in BROKEN_EXECUTORS} == {
        "DropsATask",
        "SkipsTeardown",
        "IgnoresBatchSize",
        "SwallowsFailures",
        "ReassignsIds",
    }
