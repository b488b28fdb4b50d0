"""The stage conformance suite: what every stage must honour, checked on the author's own samples.

Subclass it in a test module (the class name must start with ``Test`` for pytest to collect it)::

    class TestDuplicateFileFilter(StageConformanceSuite):
        def make_stage(self):
            return DuplicateFileFilter()

        def sample_tasks(self):
            return [FileGroupTask(task_id="t0", dataset_name="d", data=[...])]

``sample_tasks`` must build new task objects on every call (stages may mutate their input).
Override :meth:`assert_same_outputs` when outputs need a looser comparison, and
:meth:`columns_of` when the task's data is not a dict or a table with ``column_names``/``columns``.
"""

from __future__ import annotations

import pickle
from typing import Any

from curator_core.stages.base import OPEN_COLUMNS, ProcessingStage, is_valid_name
from curator_core.tasks import Task
from curator_core.workers import NodeInfo, WorkerMetadata

__all__ = ["StageConformanceSuite", "outputs_of"]


def outputs_of(result: Any) -> list[Task[Any]]:
    """``process``'s return value (a task, a list, or None) as a list."""
    if result is None:
        return []
    if isinstance(result, list):
        return result
    return [result]


class StageConformanceSuite:
    """Checks name, batch/single agreement, declared outputs, lifecycle idempotence and pickling."""

    # -- what the author provides ------------------------------------------------------------
    def make_stage(self) -> ProcessingStage[Any, Any]:
        """A fresh, configured instance of the stage under test."""
        raise NotImplementedError(f"{type(self).__name__} must implement make_stage()")

    def sample_tasks(self) -> list[Task[Any]]:
        """New input tasks (fresh objects on every call) that exercise the stage."""
        raise NotImplementedError(f"{type(self).__name__} must implement sample_tasks()")

    # -- what the author may override -------------------------------------------------------
    def assert_same_outputs(self, expected: list[Task[Any]], actual: list[Task[Any]]) -> None:
        """Fail unless two output lists match: same types, dataset names, data and metadata."""
        assert len(expected) == len(actual), f"{len(expected)} output task(s) expected, got {len(actual)}"
        for position, (left, right) in enumerate(zip(expected, actual)):
            assert type(left) is type(right), f"output {position}: {type(left).__name__} vs {type(right).__name__}"
            assert left.dataset_name == right.dataset_name, f"output {position}: dataset names differ"
            assert _same_data(left.data, right.data), (
                f"output {position}: data differs: {left.data!r} vs {right.data!r}"
            )
            assert left._metadata == right._metadata, f"output {position}: metadata differs"

    def columns_of(self, task: Task[Any]) -> set[str] | None:
        """The data columns ``task`` holds, or None when they cannot be known from its data."""
        data = task.data
        for attribute in ("column_names", "columns"):
            names = getattr(data, attribute, None)
            if names is not None:
                return {str(name) for name in names}
        if isinstance(data, dict):
            return {str(key) for key in data}
        return None

    # -- helpers --------------------------------------------------------------------------
    def run_each(self, stage: ProcessingStage[Any, Any], tasks: list[Task[Any]]) -> list[list[Task[Any]]]:
        """``process`` on each task, each result as a list."""
        return [outputs_of(stage.process(task)) for task in tasks]

    def _ready(self, stage: ProcessingStage[Any, Any]) -> ProcessingStage[Any, Any]:
        stage.setup_on_node(NodeInfo(), WorkerMetadata())
        stage.setup(WorkerMetadata())
        return stage

    def _samples(self) -> list[Task[Any]]:
        tasks = self.sample_tasks()
        assert tasks, "sample_tasks() returned no tasks: the suite needs at least one"
        return tasks

    def _assert_all_same(self, expected: list[list[Task[Any]]], actual: list[list[Task[Any]]]) -> None:
        assert len(expected) == len(actual), f"{len(expected)} results expected, got {len(actual)}"
        for left, right in zip(expected, actual):
            self.assert_same_outputs(left, right)

    # -- the checks ----------------------------------------------------------------------------
    def test_name_is_valid(self) -> None:
        stage = self.make_stage()
        assert stage.name and is_valid_name(stage.name), (
            f"stage name {stage.name!r} is not valid: a letter, then letters, digits, '_', '.' or '-'"
        )

    def test_sample_tasks_fit_the_declared_input(self) -> None:
        stage = self.make_stage()
        wanted = stage.input_task_type()
        need_attrs, need_columns = stage.inputs()
        for task in self._samples():
            if wanted is not None:
                assert isinstance(task, wanted), f"sample {task!r} is not a {wanted.__name__}"
            for attr in need_attrs:
                assert hasattr(task, attr), f"sample task lacks attribute {attr!r} that {stage.name} needs"
            columns = self.columns_of(task)
            if columns is not None:
                missing = set(need_columns) - columns
                assert not missing, f"sample task lacks column(s) {sorted(missing)} that {stage.name} needs"

    def test_process_batch_agrees_with_process(self) -> None:
        stage = self._ready(self.make_stage())
        try:
            single = self.run_each(stage, self._samples())
            batch = stage.process_batch(self._samples())
        finally:
            stage.teardown()
        assert isinstance(batch, list), f"process_batch returned {type(batch).__name__}, not a list"
        assert len(batch) == len(single), (
            f"process_batch returned {len(batch)} entries for {len(single)} inputs: "
            "entry i must be what process(task i) returns"
        )
        self._assert_all_same(single, [outputs_of(entry) for entry in batch])

    def test_outputs_have_the_declared_task_type(self) -> None:
        stage = self._ready(self.make_stage())
        try:
            results = self.run_each(stage, self._samples())
        finally:
            stage.teardown()
        produced = stage.output_task_type()
        for output in (task for result in results for task in result):
            assert isinstance(output, Task), f"{stage.name} returned {output!r}, not a Task"
            if produced is not None:
                assert isinstance(output, produced), (
                    f"{stage.name} returned a {type(output).__name__}, not a {produced.__name__}"
                )

    def test_declared_outputs_are_produced(self) -> None:
        stage = self._ready(self.make_stage())
        try:
            results = self.run_each(stage, self._samples())
        finally:
            stage.teardown()
        attrs, columns = stage.outputs()
        declared = {c for c in columns if c != OPEN_COLUMNS}
        for output in (task for result in results for task in result):
            for attr in attrs:
                assert hasattr(output, attr), (
                    f"{stage.name} declares output attribute {attr!r}, but its output lacks it"
                )
            if not declared:
                continue
            present = self.columns_of(output)
            assert present is not None, (
                f"{stage.name} declares columns {sorted(declared)}; override columns_of() so the suite can check them"
            )
            missing = declared - present
            assert not missing, (
                f"{stage.name} declares column(s) {sorted(missing)} it did not produce (has {sorted(present)})"
            )

    def test_setup_and_teardown_are_idempotent(self) -> None:
        stage = self.make_stage()
        stage.setup_on_node(NodeInfo(), WorkerMetadata())
        stage.setup_on_node(NodeInfo(), WorkerMetadata())
        stage.setup(WorkerMetadata())
        stage.setup(WorkerMetadata())
        first = self.run_each(stage, self._samples())
        stage.teardown()
        stage.teardown()
        stage.setup(WorkerMetadata())
        try:
            second = self.run_each(stage, self._samples())
        finally:
            stage.teardown()
        self._assert_all_same(first, second)

    def test_stage_pickles_and_the_copy_behaves_the_same(self) -> None:
        stage = self.make_stage()
        clone = pickle.loads(pickle.dumps(stage))
        assert clone.name == stage.name, f"the unpickled stage is named {clone.name!r}, not {stage.name!r}"
        assert clone.resources == stage.resources, "the unpickled stage asks for other resources"
        original = self._ready(stage)
        copy = self._ready(clone)
        try:
            self._assert_all_same(self.run_each(original, self._samples()), self.run_each(copy, self._samples()))
        finally:
            original.teardown()
            copy.teardown()


def _same_data(left: Any, right: Any) -> bool:
    equals = getattr(left, "equals", None)
    if callable(equals):
        return bool(equals(right))
    return bool(left == right)
