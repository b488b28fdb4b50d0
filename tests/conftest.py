"""Fixtures shared by the plugin-host and CLI tests: fake plugins with a real stage module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from curator_core.testing import FakeDistribution, FakeDistributions

LINE_COUNTER = '''
from curator_core import FileGroupTask, ProcessingStage


class LineCounter(ProcessingStage[FileGroupTask, FileGroupTask]):
    """Keep files with at least ``min_lines`` lines; record every file's count."""

    name = "LineCounter"

    def __init__(self, min_lines: int = 0) -> None:
        self.min_lines = min_lines

    def process(self, task):
        counts = {}
        for path in task.data:
            with open(path) as handle:
                counts[path] = sum(1 for _ in handle)
        kept = [p for p in task.data if counts[p] >= self.min_lines]
        if not kept:
            return None
        out = task.derive(kept)
        out._metadata["line_counts"] = counts
        return out
'''


@pytest.fixture
def add_stage_plugin(fake_plugins: FakeDistributions) -> Callable[..., FakeDistribution]:
    """``add_stage_plugin(plugin_id, stage_name="LineCounter", **add_kwargs)``: a plugin with one real stage."""

    def add(plugin_id: str, stage_name: str = "LineCounter", **kwargs: Any) -> FakeDistribution:
        package = kwargs.pop("package", f"curator_fake_{plugin_id}")
        record = {
            "name": stage_name,
            "target": f"{package}.stages:LineCounter",
            "summary": "count lines",
            "input_type": "FileGroupTask",
            "output_type": "FileGroupTask",
        }
        return fake_plugins.add(
            plugin_id, package=package, stages=[record], modules={"stages.py": LINE_COUNTER}, **kwargs
        )

    return add
