"""A pipeline written the way users write one: outputs, ids and perf stats on the local executor."""

from __future__ import annotations

import pytest

from curator_core import Pipeline, processing_stage
from curator_core.executors.local import LocalExecutor

from sample_stages import CountLetters, DropShort, ReadSentences, Upper

SENTENCES = ["the quick brown fox", "jumps over a lazy dog", "to be or not to be"]


def build(log_dir: str | None = None) -> Pipeline:
    return Pipeline(
        "contracts", stages=[ReadSentences(SENTENCES), DropShort(min_len=3), Upper(log_dir), CountLetters()]
    )


def test_outputs_are_what_each_stage_makes(executor: LocalExecutor) -> None:
    outputs = build().run(executor)
    words = sorted(tuple(t.data) for t in outputs)
    expected = sorted((w.upper(), str(len(w))) for s in SENTENCES for w in s.split() if len(w) >= 3)
    assert words == expected


def test_task_ids_are_unique_deterministic_and_traceable(executor: LocalExecutor) -> None:
    first = build().run(executor)
    second = build().run(executor)
    ids = [t.task_id for t in first]
    assert len(set(ids)) == len(ids)
    assert sorted(ids) == sorted(t.task_id for t in second)
    # Every id starts with the content id of the sentence (source partition) it came from.
    sources = {t.task_id.split(".")[0] for t in first}
    assert len(sources) == len(SENTENCES)


def test_same_ids_in_worker_processes_and_in_process() -> None:
    a = build().run(LocalExecutor({"mode": "process"}))
    b = build().run(LocalExecutor({"mode": "in_process"}))
    assert sorted((t.task_id, tuple(t.data)) for t in a) == sorted((t.task_id, tuple(t.data)) for t in b)


def test_perf_stats_one_per_stage_in_order(executor: LocalExecutor) -> None:
    outputs = build().run(executor)
    for task in outputs:
        names = [s.stage_name for s in task._stage_perf]
        assert names == ["Sentences", "SplitWords", "DropShort", "Upper", "CountLetters"]
        assert all(s.process_time > 0 for s in task._stage_perf)


def test_custom_metrics_land_in_perf_stats(executor: LocalExecutor) -> None:
    outputs = build().run(executor)
    for task in outputs:
        upper = next(s for s in task._stage_perf if s.stage_name == "Upper")
        assert upper.custom_metrics == {"characters": float(len(task.data[0]))}


def test_metadata_is_carried_to_derived_tasks(executor: LocalExecutor) -> None:
    from sample_stages import Sentences, SplitWords

    class Tag(Sentences):
        def process(self, task):  # type: ignore[no-untyped-def]
            out = super().process(task)
            for t in out:
                t._metadata["source"] = " ".join(t.data)
            return out

    outputs = Pipeline("meta", stages=[Tag(SENTENCES[:1]), SplitWords()]).run(LocalExecutor({"mode": "in_process"}))
    assert {t._metadata["source"] for t in outputs} == {SENTENCES[0]}


def test_function_stage_decorator_runs_in_worker_processes() -> None:
    outputs = Pipeline("fn", stages=[ReadSentences(SENTENCES[:1]), shout]).run(LocalExecutor())
    assert sorted(t.data[0] for t in outputs) == ["BROWN!", "FOX!", "QUICK!", "THE!"]
    assert all(t._stage_perf[-1].stage_name == "shout" for t in outputs)


@processing_stage(name="shout")
def shout(task):  # type: ignore[no-untyped-def]
    return task.derive([task.data[0].upper() + "!"])


def test_report_counts_per_stage(executor: LocalExecutor, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pipeline = build()
    outputs = pipeline.run(executor, report_path=str(tmp_path / "report.json"))
    import json

    report = json.loads((tmp_path / "report.json").read_text())
    stages = {s["stage"]: s for s in report["stages"]}
    assert stages["Sentences"]["tasks_out"] == 3
    assert stages["SplitWords"]["tasks_out"] == 15
    assert stages["DropShort"]["filtered"] == 15 - len(outputs)
    assert stages["CountLetters"]["tasks_out"] == len(outputs)
    # Custom metrics are summed once per call, not once per output carrying them.
    assert stages["Upper"]["metrics"] == {"characters": float(sum(len(t.data[0]) for t in outputs))}
    assert report["status"] == "succeeded" and report["versions"]["curator-core"]


@pytest.mark.parametrize("mode", ["process", "in_process"])
def test_empty_input_is_an_empty_result(mode: str) -> None:
    assert build().run(LocalExecutor({"mode": mode}), initial_tasks=[]) == []
    assert Pipeline("e", stages=[ReadSentences([]), Upper()]).run(LocalExecutor({"mode": mode})) == []


def test_progress_and_how_the_run_ended_are_shown_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    build().run(LocalExecutor({"progress": True}))
    err = capsys.readouterr().err
    assert "DropShort" in err and "items" in err and "finished after" in err
    assert "filtered" not in err, "the per-stage table is the run report's, printed once by its caller"


def test_no_progress_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    build().run(LocalExecutor())
    assert capsys.readouterr().err == ""
