"""Nothing lost, nothing duplicated: framework ids for given tasks, the run's own error never masked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from curator_core import Pipeline, StageFailedError
from curator_core.executors.local import LocalExecutor
from curator_core.plugins import hookimpl
from curator_core.plugins.host import get_host
from curator_core.testing.canonical import FailOn, NumberBatch
from curator_core.testing.suite_stages import Identity


def _given(*values: list[int]) -> list[NumberBatch]:
    return [NumberBatch(task_id="", dataset_name="numbers", data=list(v)) for v in values]


def _ids(tasks: list[Any]) -> list[str]:
    return [t.task_id for t in tasks]


def test_given_tasks_get_unique_framework_ids() -> None:
    outputs = Pipeline("given", stages=[Identity()]).run(LocalExecutor(), initial_tasks=_given([1], [2], [1]))
    assert len(set(_ids(outputs))) == 3
    assert all(task_id for task_id in _ids(outputs))


def test_given_task_ids_are_stable_across_reruns_and_ignore_what_the_user_set() -> None:
    first = Pipeline("given", stages=[Identity()]).run(LocalExecutor(), initial_tasks=_given([1], [2]))
    again = _given([1], [2])
    again[0].task_id = again[1].task_id = "same"
    second = Pipeline("given", stages=[Identity()]).run(LocalExecutor(), initial_tasks=again)
    assert sorted(_ids(first)) == sorted(_ids(second))


def test_given_tasks_are_not_modified() -> None:
    given = _given([1])
    Pipeline("given", stages=[Identity()]).run(LocalExecutor(), initial_tasks=given)
    assert given[0].task_id == ""


def test_two_stages_with_one_name_get_a_report_row_each() -> None:
    pipeline = Pipeline("twice", stages=[Identity(), FailOn(9), Identity()])
    pipeline.run(LocalExecutor(), initial_tasks=_given([1], [2]))
    assert pipeline.last_report is not None
    rows = [(c.stage, c.tasks_in) for c in pipeline.last_report.stages]
    assert rows == [("identity", 2), ("fail_on", 2), ("identity_2", 2)]


def test_an_unwritable_report_path_does_not_mask_the_stage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    pipeline = Pipeline("fails", stages=[Identity(), FailOn(1)])
    with pytest.raises(StageFailedError, match="refusing to process 1"):
        pipeline.run(LocalExecutor(), initial_tasks=_given([1]), report_path=str(blocker / "report.json"))


class _BrokenObserver:
    @hookimpl
    def curator_run_finished(self, plan: Any, report: Any, outputs: Any) -> None:
        raise RuntimeError("observer is broken")


@pytest.fixture
def broken_observer() -> Iterator[None]:
    observer = _BrokenObserver()
    get_host().manager.register(observer)
    try:
        yield
    finally:
        get_host().manager.unregister(observer)


@pytest.mark.usefixtures("broken_observer")
def test_a_failing_hook_does_not_mask_the_stage_error() -> None:
    pipeline = Pipeline("fails", stages=[Identity(), FailOn(1)])
    with pytest.raises(StageFailedError, match="refusing to process 1"):
        pipeline.run(LocalExecutor(), initial_tasks=_given([1]))
