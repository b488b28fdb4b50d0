"""A checkpoint belongs to one plan: descriptions are stable and differences are explained."""

from __future__ import annotations

from curator_core.checkpoint import describe_stages, explain_changes
from curator_core.stages.function import processing_stage
from curator_core.tasks import FileGroupTask


class Threshold:
    def __init__(self, limit: int) -> None:
        self.limit = limit


@processing_stage(name="keep")
def keep(task: FileGroupTask) -> FileGroupTask:
    return task


def _stage(limit: int) -> object:
    from curator_core import ProcessingStage

    class Scored(ProcessingStage[FileGroupTask, FileGroupTask]):
        name = "scored"

        def __init__(self, rule: Threshold) -> None:
            self.rule = rule
            self._cache = object()

        def process(self, task: FileGroupTask) -> FileGroupTask:
            return task

    return Scored(Threshold(limit))


def test_nested_objects_are_described_by_their_parameters_not_their_address() -> None:
    first, second = describe_stages([_stage(5)]), describe_stages([_stage(5)])
    assert first == second
    assert first[0]["params"] == {"rule": {"type": f"{__name__}.Threshold", "limit": 5}}


def test_changed_parameter_is_named() -> None:
    old = {"stages": describe_stages([_stage(5)]), "inputs": []}
    new = {"stages": describe_stages([_stage(7)]), "inputs": []}
    assert explain_changes(old, new) == ["stage 'scored': rule.limit 5 -> 7"]


def test_added_stage_and_other_inputs_are_named() -> None:
    old = {"stages": describe_stages([_stage(5)]), "inputs": ["a"]}
    new = {"stages": describe_stages([_stage(5), keep]), "inputs": ["b"]}
    changes = explain_changes(old, new)
    assert changes == ["stages were ['scored'], now ['scored', 'keep']", "the initial tasks differ"]
