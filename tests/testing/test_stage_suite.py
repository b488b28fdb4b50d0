"""The stage conformance suite passes a well-behaved stage and catches each kind of misbehaviour."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from curator_core import FileGroupTask, ProcessingStage
from curator_core.testing import StageConformanceSuite


class Keep(ProcessingStage[FileGroupTask, FileGroupTask]):
    """Keep paths ending in ``suffix``; drop the task when none is left; fan out when asked."""

    def __init__(self, suffix: str = ".txt", split: bool = False) -> None:
        self.suffix = suffix
        self.split = split
        self.ready = 0

    def setup(self, worker_metadata: Any = None) -> None:
        self.ready += 1

    def process(self, task: FileGroupTask) -> Any:
        kept = [p for p in task.data if p.endswith(self.suffix)]
        if not kept:
            return None
        if self.split:
            return [task.derive([p]) for p in kept]
        return task.derive(kept)


def _tasks() -> list[FileGroupTask]:
    return [
        FileGroupTask(task_id="a", dataset_name="d", data=["x.txt", "y.md"]),
        FileGroupTask(task_id="b", dataset_name="d", data=["z.md"]),
        FileGroupTask(task_id="c", dataset_name="d", data=["p.txt", "q.txt"]),
    ]


class TestWellBehavedStage(StageConformanceSuite):
    def make_stage(self) -> Keep:
        return Keep()

    def sample_tasks(self) -> list[FileGroupTask]:
        return _tasks()


class TestWellBehavedFanOutStage(StageConformanceSuite):
    def make_stage(self) -> Keep:
        return Keep(split=True)

    def sample_tasks(self) -> list[FileGroupTask]:
        return _tasks()


class _Suite(StageConformanceSuite):
    """A suite for one misbehaving stage, driven by hand (not collected: no Test prefix)."""

    def __init__(self, stage: ProcessingStage[Any, Any]) -> None:
        self.stage = stage

    def make_stage(self) -> ProcessingStage[Any, Any]:
        return self.stage

    def sample_tasks(self) -> list[FileGroupTask]:
        return _tasks()


class Misaligned(Keep):
    def process_batch(self, tasks: list[FileGroupTask]) -> list[Any]:
        return [r for r in (self.process(t) for t in tasks) if r is not None]  # drops Nones: not aligned


class Unpicklable(Keep):
    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()


class PromisesAColumn(Keep):
    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["score"]

    def process(self, task: FileGroupTask) -> Any:
        return task.derive({"text": ["a"]})


class Stateful(Keep):
    """Breaks once set up twice: its output depends on how often setup ran."""

    def process(self, task: FileGroupTask) -> Any:
        return task.derive(task.data * self.ready)


class WrongType(Keep):
    def process(self, task: FileGroupTask) -> Any:
        return task.data


@pytest.mark.parametrize(
    ("stage", "check", "message"),
    [
        (Keep().with_(name="not a name"), "test_name_is_valid", "is not valid"),
        (Misaligned(), "test_process_batch_agrees_with_process", "returned 2 entries for 3 inputs"),
        (Unpicklable(), "test_stage_pickles_and_the_copy_behaves_the_same", "lock"),
        (PromisesAColumn(), "test_declared_outputs_are_produced", r"declares column\(s\) \['score'\]"),
        (Stateful(), "test_setup_and_teardown_are_idempotent", "data differs"),
        (WrongType(), "test_outputs_have_the_declared_task_type", "not a Task"),
    ],
)
def test_suite_catches_a_misbehaving_stage(stage: ProcessingStage[Any, Any], check: str, message: str) -> None:
    with pytest.raises((AssertionError, TypeError), match=message):
        getattr(_Suite(stage), check)()


def test_columns_of_reads_dicts_and_tables() -> None:
    class Table:
        column_names = ("a", "b")

    suite = _Suite(Keep())
    assert suite.columns_of(FileGroupTask("t", "d", {"x": 1})) == {"x"}  # type: ignore[arg-type]
    assert suite.columns_of(FileGroupTask("t", "d", Table())) == {"a", "b"}  # type: ignore[arg-type]
    assert suite.columns_of(FileGroupTask("t", "d", ["p"])) is None


def test_suite_without_samples_fails_loudly() -> None:
    class Empty(_Suite):
        def sample_tasks(self) -> list[FileGroupTask]:
            return []

    with pytest.raises(AssertionError, match="at least one"):
        Empty(Keep()).test_process_batch_agrees_with_process()
