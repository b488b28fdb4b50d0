"""Every user error is one clear message naming what to fix, with "did you mean" for names."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from curator_core.errors import PipelineFileError
from curator_core.pipeline_files import check_parameters, parameter_problem
from curator_core.testing import FakeDistribution, FakeDistributions

from cli_helpers import COUNTER_PIPELINE, IN_PROCESS, run_cli

AddPlugin = Callable[..., FakeDistribution]


@pytest.fixture
def pipeline(add_stage_plugin: AddPlugin, tmp_path: Path) -> Path:
    add_stage_plugin("counter")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, lines in {"a.txt": 1, "b.txt": 3}.items():
        (corpus / name).write_text("line\n" * lines)
    path = tmp_path / "pipeline.yaml"
    path.write_text(COUNTER_PIPELINE.format(corpus=corpus, executor=IN_PROCESS))
    return path


def test_a_value_of_the_wrong_type_names_stage_parameter_and_value(pipeline: Path) -> None:
    code, out, err = run_cli(
        "run", str(pipeline), "--set", "stages.FilePartitioningStage.params.files_per_partition=abc"
    )
    assert (code, out) == (1, "")
    assert err == (
        f"curator: error: pipeline file {pipeline}: stages[0] (FilePartitioningStage): "
        "parameter 'files_per_partition' = 'abc': expected int | None, got str\n"
    )


def test_user_errors_get_no_traceback_hint(pipeline: Path) -> None:
    code, _, err = run_cli("validate", str(pipeline), "--set", "stages.LineCounter.params.min_line=2")
    assert code == 1
    assert "unknown parameter 'min_line' (did you mean 'min_lines'?)" in err
    assert "--traceback" not in err
    assert len(err.splitlines()) == 1


def test_unexpected_errors_keep_the_traceback_hint(monkeypatch: pytest.MonkeyPatch, pipeline: Path) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("curator_core.pipeline_files.load_pipeline_file", broken)
    code, _, err = run_cli("validate", str(pipeline))
    assert code == 1
    assert err == "curator: unexpected ZeroDivisionError: a bug\n(run again with --traceback to see where)\n"


def test_a_misspelt_stage_in_a_set_key_gets_a_suggestion(pipeline: Path) -> None:
    code, _, err = run_cli("validate", str(pipeline), "--set", "stages.LineCountr.params.min_lines=1")
    assert code == 1
    assert "no stage 'LineCountr' in the list (did you mean 'LineCounter'?)" in err


def test_a_stage_name_used_twice_in_a_set_key_lists_the_indices(pipeline: Path) -> None:
    text = pipeline.read_text().replace(
        "  - stage: LineCounter\n", "  - stage: LineCounter\n    params: {min_lines: 1}\n  - stage: LineCounter\n", 1
    )
    pipeline.write_text(text)
    code, _, err = run_cli("validate", str(pipeline), "--set", "stages.LineCounter.params.min_lines=1")
    assert code == 1
    assert "2 stages are named 'LineCounter' (indices 1, 2); use an index, e.g. stages.1" in err


def test_a_misspelt_top_level_set_key_gets_a_suggestion(pipeline: Path) -> None:
    code, _, err = run_cli("validate", str(pipeline), "--set", "executr.name=local")
    assert code == 1
    assert "unknown key 'executr' (did you mean 'executor'?)" in err


def test_a_misspelt_executor_gets_a_suggestion_and_the_installed_list(pipeline: Path) -> None:
    code, _, err = run_cli("validate", str(pipeline), "--executor", "locl")
    assert code == 1
    assert "no installed plugin provides executor 'locl'. Did you mean 'local'?" in err
    assert re.search(r"Installed executors: [^.]*\blocal\b", err)


def test_an_executor_prefix_suggests_the_executors_it_starts(fake_plugins: FakeDistributions, pipeline: Path) -> None:
    fake_plugins.add(
        "fakeray",
        executors=[
            {"name": "ray_data", "target": "curator_fake_fakeray.ex:Ex"},
            {"name": "ray_actor_pool", "target": "curator_fake_fakeray.ex:Ex"},
        ],
        modules={"ex.py": "class Ex:\n    pass\n"},
    )
    code, _, err = run_cli("validate", str(pipeline), "--executor", "ray")
    assert code == 1
    assert "no installed plugin provides executor 'ray'. Did you mean 'ray_actor_pool' or 'ray_data'?" in err


def test_an_executor_chosen_by_curator_executor_says_so(
    pipeline: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pipeline.write_text(pipeline.read_text().replace("executor: {name: local, config: {mode: in_process}}\n", ""))
    monkeypatch.setenv("CURATOR_EXECUTOR", "lcal")
    code, _, err = run_cli("validate", str(pipeline))
    assert code == 1
    assert f"pipeline file {pipeline}: executor 'lcal' (from the CURATOR_EXECUTOR environment variable):" in err
    assert "Did you mean 'local'?" in err


class _Filter:
    def __init__(self, min_words: int = 0, max_words: int | None = None, lang: str = "en") -> None:
        self.min_words = min_words


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"min_word": 3}, "unknown parameter 'min_word' (did you mean 'min_words'?); valid parameters: "),
        ({"min_words": "3"}, "parameter 'min_words' = '3': expected int, got str"),
        ({"min_words": True}, "parameter 'min_words' = True: expected int, got bool"),
        ({"max_words": 2.5}, "parameter 'max_words' = 2.5: expected int | None, got float"),
        ({"lang": ["en"]}, "parameter 'lang' = ['en']: expected str, got list"),
    ],
)
def test_parameter_problems_name_parameter_and_value(params: dict[str, object], problem: str) -> None:
    found = parameter_problem(_Filter, params)
    assert found is not None and found.startswith(problem)
    with pytest.raises(PipelineFileError, match=r"^stage 'F': "):
        check_parameters(_Filter, params, "stage 'F'")


def test_fitting_parameters_and_unjudgeable_annotations_pass() -> None:
    assert parameter_problem(_Filter, {"min_words": 3, "max_words": None, "lang": "de"}) is None

    def factory(obj: _Filter, ratio: float = 0.5) -> None: ...

    assert parameter_problem(factory, {"obj": {"name": "x"}, "ratio": 1}) is None
