"""Pipeline.build(): composites expand, chains are checked, neighbours fuse, GPUs are checked."""

from __future__ import annotations

import pytest

from curator_core import (
    CapabilityError,
    FileGroupTask,
    FusedStage,
    InvalidResourcesError,
    Pipeline,
    PipelineValidationError,
    ProcessingStage,
    Resources,
    StageChainError,
)
from curator_core.executors.local import LocalExecutor

from sample_stages import CountLetters, DropShort, ReadSentences, Sentences, SplitWords, Upper, Words


class NeedsLanguage(ProcessingStage[Words, Words]):
    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["language"]

    def process(self, task: Words) -> Words:
        return task


class TakesFiles(ProcessingStage[FileGroupTask, FileGroupTask]):
    def process(self, task: FileGroupTask) -> FileGroupTask:
        return task


def test_composites_are_decomposed_and_neighbours_fused() -> None:
    plan = Pipeline("p", stages=[ReadSentences(["a b"]), DropShort(), Upper()]).build(LocalExecutor())
    assert [s.name for s in plan.logical_stages] == ["Sentences", "SplitWords", "DropShort", "Upper"]
    assert [s.name for s in plan.stages] == ["Sentences", "SplitWords", "DropShort+Upper"]
    assert isinstance(plan.stages[2], FusedStage)


def test_fused_stages_keep_per_stage_history() -> None:
    outputs = Pipeline("p", stages=[ReadSentences(["abc de"]), DropShort(), Upper()]).run(LocalExecutor())
    assert [s.stage_name for s in outputs[0]._stage_perf][-2:] == ["DropShort", "Upper"]


def test_a_stage_can_opt_out_of_fusion_and_batch_sizes_split_groups() -> None:
    class Solo(Upper):
        allow_fusion = False

    plan = Pipeline("p", stages=[ReadSentences(["a"]), DropShort(), Solo(), CountLetters()]).build(LocalExecutor())
    assert [s.name for s in plan.stages] == ["Sentences", "SplitWords", "DropShort", "Solo", "CountLetters"]
    assert (
        Pipeline("p", stages=[ReadSentences(["a"]), DropShort(), Upper()])
        .build(LocalExecutor(), fuse_stages=False)
        .stages[-1]
        .name
        == "Upper"
    )


def test_missing_column_names_both_stages() -> None:
    pipeline = Pipeline("p", stages=[ReadSentences(["a"]), DropShort(), NeedsLanguage()])
    with pytest.raises(StageChainError) as caught:
        pipeline.build(LocalExecutor())
    message = str(caught.value)
    assert "'NeedsLanguage' needs column 'language'" in message and "'DropShort'" in message


def test_task_type_mismatch_names_both_stages() -> None:
    with pytest.raises(StageChainError, match="'TakesFiles' takes FileGroupTask.*'SplitWords', produces Words"):
        Pipeline("p", stages=[ReadSentences(["a"]), TakesFiles()]).build(LocalExecutor())


@pytest.mark.parametrize(
    "kwargs",
    [
        {"gpu_memory_gb": 8, "gpus": 1},
        {"cpus": -1},
        {"gpus": 1.5},
        {"entire_gpu": True},
        {"cpus": "two"},
    ],
)
def test_invalid_resources_are_rejected_at_construction(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidResourcesError):
        Resources(**kwargs)  # type: ignore[arg-type]


def test_gpu_request_without_a_gpu_fails_before_anything_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    gpu_stage = Upper().with_(name="embed", resources=Resources(cpus=1, gpu_memory_gb=4))
    with pytest.raises(CapabilityError, match="embed.*found none"):
        Pipeline("p", stages=[Sentences(["a"]), gpu_stage]).run(LocalExecutor())


def test_gpu_request_passes_the_check_when_a_gpu_is_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    gpu_stage = Upper().with_(name="embed", resources=Resources(cpus=1, gpus=1))
    assert Pipeline("p", stages=[Sentences(["a"]), gpu_stage]).build(LocalExecutor()).stages[-1].name == "embed"


def test_empty_pipeline_and_non_stage_entries_are_errors() -> None:
    with pytest.raises(PipelineValidationError, match="no stages"):
        Pipeline("p").build(LocalExecutor())
    with pytest.raises(PipelineValidationError, match="ProcessingStage"):
        Pipeline("p", stages=[object()]).build(LocalExecutor())  # type: ignore[list-item]


def test_with_makes_an_overridden_copy() -> None:
    stage = DropShort(min_len=3)
    copy = stage.with_(name="drop_tiny", min_len=2, batch_size=8)
    assert (copy.name, copy.min_len, copy.batch_size) == ("drop_tiny", 2, 8)
    assert (stage.name, stage.min_len, stage.batch_size) == ("DropShort", 3, 1)
    with pytest.raises(AttributeError):
        stage.with_(no_such_thing=1)


def test_describe_shows_groups_types_and_resources() -> None:
    text = Pipeline("demo", stages=[ReadSentences(["a"]), DropShort(), Upper()]).describe(LocalExecutor())
    assert "Pipeline 'demo': 4 stages in 3 worker groups" in text
    assert "SplitWords: Words -> Words" in text and "(fused)" in text


def test_stages_resolve_by_registered_name() -> None:
    plan = Pipeline("p").add_stage("FilePartitioningStage", file_paths=".", limit=1).build("local")
    assert plan.stages[0].name == "file_partitioning" and plan.executor == "local"


def test_executor_config_rejects_unknown_keys() -> None:
    from curator_core import ExecutorConfigError

    with pytest.raises(ExecutorConfigError, match="unknown config key.*'workers'.*valid keys:.*num_workers"):
        LocalExecutor({"workers": 2})


def test_split_words_is_a_fan_out() -> None:
    assert SplitWords.allow_fusion is False
