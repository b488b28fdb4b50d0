"""``curator plugins --stage NAME`` describes one stage from its own signature, importing only it."""

from __future__ import annotations

import sys
from collections.abc import Callable

from curator_core.testing import FakeDistribution

from cli_helpers import run_cli

AddPlugin = Callable[..., FakeDistribution]


def test_stage_shows_parameters_docstring_types_and_resources(add_stage_plugin: AddPlugin) -> None:
    add_stage_plugin("counter")
    add_stage_plugin("other", stage_name="OtherCounter")
    code, out, err = run_cli("plugins", "--stage", "LineCounter")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "LineCounter  (plugin counter: curator-fake-counter 1.0.0)"
    assert "  Keep files with at least ``min_lines`` lines; record every file's count." in lines
    assert "  min_lines  int  default 0" in lines
    assert "task types: FileGroupTask -> FileGroupTask" in lines
    assert "inputs():   attributes none; columns none" in lines
    assert "resources:  cpus=1" in lines
    assert "curator_fake_counter.stages" in sys.modules
    assert "curator_fake_other.stages" not in sys.modules, "only the described stage's module is imported"


def test_a_misspelt_stage_gets_a_suggestion(add_stage_plugin: AddPlugin) -> None:
    add_stage_plugin("counter")
    code, out, err = run_cli("plugins", "--stage", "LineCountr")
    assert (code, out) == (1, "")
    assert err.startswith("curator: error: no installed plugin provides stage 'LineCountr'. Did you mean 'LineCounter'")
