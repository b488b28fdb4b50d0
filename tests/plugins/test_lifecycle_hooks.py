"""Driver-side lifecycle hooks observe a run; executors resolve by name through the same host."""

from __future__ import annotations

import sys
from pathlib import Path

from curator_core import FilePartitioningStage, Pipeline
from curator_core.testing import FakeDistributions

OBSERVER = """
from curator_core.plugins import hookimpl

EVENTS = []

@hookimpl
def curator_pipeline_built(plan):
    EVENTS.append(("built", plan.name))

@hookimpl
def curator_run_started(plan, executor):
    EVENTS.append(("started", executor))

@hookimpl
def curator_stage_finished(plan, stage, counts):
    EVENTS.append(("stage", stage, counts.tasks_out))

@hookimpl
def curator_run_finished(plan, report, outputs):
    EVENTS.append(("finished", report.status, len(outputs)))
"""

INLINE_EXECUTOR = """
from curator_core.executors.local import LocalExecutor

class InlineExecutor(LocalExecutor):
    name = "inline"
    default_config = {**LocalExecutor.default_config, "mode": "in_process"}
"""


def test_lifecycle_hooks_observe_a_run_on_an_executor_named_by_a_plugin(
    fake_plugins: FakeDistributions, tmp_path: Path
) -> None:
    observer = fake_plugins.add("observer", manifest=OBSERVER)
    fake_plugins.add(
        "inline",
        executors=[{"name": "inline", "target": "curator_fake_inline.executor:InlineExecutor"}],
        modules={"executor.py": INLINE_EXECUTOR},
    )
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("x\n")
    pipeline = Pipeline("observed", stages=[FilePartitioningStage(str(tmp_path))])
    outputs = pipeline.run("inline")
    assert len(outputs) == 2
    events = sys.modules[observer.manifest_module].EVENTS
    assert events == [
        ("built", "observed"),
        ("started", "inline"),
        ("stage", "file_partitioning", 2),
        ("finished", "succeeded", 2),
    ]


FAULTY = """
from curator_core.plugins import hookimpl

@hookimpl
def curator_run_started(plan, executor):
    raise RuntimeError("observer bug")
"""


def test_a_failing_observer_is_reported_and_neither_the_run_nor_other_observers_stop(
    fake_plugins: FakeDistributions, tmp_path: Path
) -> None:
    import pytest

    from curator_core.plugins import PluginWarning

    observer = fake_plugins.add("observer", manifest=OBSERVER)
    fake_plugins.add("faulty", manifest=FAULTY)
    (tmp_path / "a.txt").write_text("x\n")
    pipeline = Pipeline("observed", stages=[FilePartitioningStage(str(tmp_path))])
    with pytest.warns(PluginWarning, match=r"'faulty' \(curator-fake-faulty 1.0.0\): hook curator_run_started raised"):
        outputs = pipeline.run("local", initial_tasks=None)
    assert len(outputs) == 1
    assert ("started", "local") in sys.modules[observer.manifest_module].EVENTS


def test_in_strict_mode_a_failing_observer_fails_the_run(
    fake_plugins: FakeDistributions, tmp_path: Path, monkeypatch
) -> None:
    import pytest

    fake_plugins.add("faulty", manifest=FAULTY)
    monkeypatch.setenv("CURATOR_STRICT_PLUGINS", "1")
    (tmp_path / "a.txt").write_text("x\n")
    with pytest.raises(RuntimeError, match="observer bug"):
        Pipeline("observed", stages=[FilePartitioningStage(str(tmp_path))]).run("local")
