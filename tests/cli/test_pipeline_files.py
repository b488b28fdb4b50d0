"""Pipeline file format: shape checks, shorthands, ``--set`` overrides, ``with`` overrides."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from curator_core import PipelineFileError, Resources
from curator_core.pipeline_files import apply_overrides, build_executor, build_pipeline, parse_pipeline
from curator_core.testing import FakeDistribution

AddPlugin = Callable[..., FakeDistribution]

BASE = {
    "name": "p",
    "stages": [{"stage": "FilePartitioningStage", "params": {"file_paths": "."}}],
    "executor": {"name": "local", "config": {"mode": "in_process"}},
}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({**BASE, "stagez": []}, "unknown key 'stagez' (did you mean 'stages'?); valid keys: name, description"),
        ({"stages": BASE["stages"]}, "'name' is required"),
        ({**BASE, "stages": []}, "'stages' must be a non-empty list"),
        (
            {**BASE, "stages": [{"stage": "X", "param": {}}]},
            "stages[0] (X): unknown key 'param' (did you mean 'params'?)",
        ),
        ({**BASE, "stages": [{"params": {}}]}, "stages[0]: 'stage' (a registered stage name) is required"),
        ({**BASE, "stages": [{"stage": "X", "with": {"cpu": 2}}]}, "stages[0] (X): 'with': unknown attribute 'cpu'"),
        ({**BASE, "executor": {"name": "local", "options": {}}}, "executor: unknown key 'options'"),
        ({**BASE, "requires_plugins": "text"}, "'requires_plugins' must be a list"),
        (["not", "a", "mapping"], "expected a mapping"),
    ],
)
def test_malformed_documents_are_errors_saying_where(document: object, message: str) -> None:
    with pytest.raises(PipelineFileError) as caught:
        parse_pipeline(document, source="f.yaml")
    assert message in str(caught.value)


def test_shorthands_for_executor_and_stage_without_params() -> None:
    document = parse_pipeline({"name": "p", "stages": ["A", {"stage": "B"}], "executor": "xenna"})
    assert [s.stage for s in document.stages] == ["A", "B"]
    assert (document.executor, document.executor_config) == ("xenna", {})


def test_set_values_are_read_as_yaml_and_create_missing_mappings() -> None:
    document = {"name": "p", "stages": ["FilePartitioningStage"], "executor": "local"}
    apply_overrides(
        document,
        [
            "executor.config.num_workers=3",
            "stages.0.params.file_extensions=[.txt, .md]",
            "name=renamed",
            "description=",
        ],
    )
    assert document == {
        "name": "renamed",
        "description": "",
        "stages": [{"stage": "FilePartitioningStage", "params": {"file_extensions": [".txt", ".md"]}}],
        "executor": {"name": "local", "config": {"num_workers": 3}},
    }


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("stages.5.params.x=1", "out of range"),
        ("stages.Nope.params.x=1", "no stage 'Nope' in the list"),
        ("no_equals_sign", "expected key=value"),
        ("name.first=x", "name is not a mapping or list"),
    ],
)
def test_bad_overrides_are_errors(assignment: str, message: str) -> None:
    with pytest.raises(PipelineFileError, match=message):
        apply_overrides({"name": "p", "stages": [{"stage": "A"}]}, [assignment])


def test_with_overrides_name_resources_and_batch_size(curator_env: None) -> None:
    document = parse_pipeline(
        {
            "name": "p",
            "stages": [
                {
                    "stage": "FilePartitioningStage",
                    "params": {"file_paths": "."},
                    "with": {"name": "listing", "resources": {"cpus": 2}, "batch_size": 4},
                }
            ],
        }
    )
    (stage,) = build_pipeline(document).stages
    assert (stage.name, stage.resources, stage.batch_size) == ("listing", Resources(cpus=2), 4)


def test_missing_required_parameter_is_named(curator_env: None) -> None:
    document = parse_pipeline({"name": "p", "stages": ["FilePartitioningStage"]}, source="f.yaml")
    with pytest.raises(
        PipelineFileError, match=r"stages\[0\] \(FilePartitioningStage\): missing required parameter\(s\) 'file_paths'"
    ):
        build_pipeline(document)


def test_constructor_rejection_becomes_a_pipeline_file_error(curator_env: None) -> None:
    document = parse_pipeline(
        {
            "name": "p",
            "stages": [{"stage": "FilePartitioningStage", "params": {"file_paths": ".", "files_per_partition": 0}}],
        }
    )
    with pytest.raises(
        PipelineFileError, match="invalid parameters: file partitioning: files_per_partition must be >= 1"
    ):
        build_pipeline(document)


def test_executor_config_is_checked_by_the_executor(curator_env: None) -> None:
    from curator_core import ExecutorConfigError

    document = parse_pipeline({**BASE, "executor": {"name": "local", "config": {"modes": "x"}}}, source="f.yaml")
    with pytest.raises(ExecutorConfigError, match="executor 'local'.*unknown config key.*'modes'"):
        build_executor(document)


def test_file_config_applies_only_to_the_executor_the_file_names(
    curator_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = parse_pipeline({**BASE, "executor": {"name": "other", "config": {"not_for_local": 1}}})
    executor = build_executor(document, name="local")
    assert executor.config["mode"] == "process"


def test_default_executor_is_used_when_the_file_names_none(curator_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURATOR_EXECUTOR", "ray_data")
    from curator_core import ExecutorNotFoundError

    with pytest.raises(ExecutorNotFoundError, match="ray_data"):
        build_executor(parse_pipeline({"name": "p", "stages": ["A"]}))


def test_qualified_stage_names_work_in_files(add_stage_plugin: AddPlugin, tmp_path: Path) -> None:
    add_stage_plugin("alpha")
    add_stage_plugin("omega")
    document = parse_pipeline({"name": "p", "stages": [{"stage": "omega:LineCounter", "params": {"min_lines": 1}}]})
    (stage,) = build_pipeline(document).stages
    assert type(stage).__module__ == "curator_fake_omega.stages"


def test_construct_stage_checks_parameters_for_add_stage_style_calls(curator_env: None) -> None:
    from curator_core.pipeline_files import construct_stage

    with pytest.raises(PipelineFileError, match=r"stage 'FilePartitioningStage': unknown parameter 'path'"):
        construct_stage("FilePartitioningStage", {"path": "."})
    assert construct_stage("FilePartitioningStage", {"file_paths": "."}).file_paths == "."
