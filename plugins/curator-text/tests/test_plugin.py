from __future__ import annotations

import subprocess
import sys

import pytest

from curator_core.plugins.host import get_host
from curator_core.stages.base import ProcessingStage
from curator_text import plugin

REGISTERED = [spec.name for spec in plugin.curator_stages()]


def test_the_manifest_registers_every_stage() -> None:
    assert sorted(REGISTERED) == sorted(
        [
            "JsonlReader",
            "ParquetReader",
            "JsonlReadStage",
            "ParquetReadStage",
            "JsonlWriter",
            "ParquetWriter",
            "Score",
            "Filter",
            "ScoreFilter",
            "Modify",
            "AddId",
            "LanguageId",
        ]
    )


@pytest.mark.parametrize("name", REGISTERED)
def test_every_registered_name_resolves_to_a_stage_class(name: str) -> None:
    spec = get_host().stage_spec(name)
    stage_class = get_host().resolve_stage(name)
    assert issubclass(stage_class, ProcessingStage)
    assert spec.target.startswith("curator_text.")


def test_loading_the_manifest_imports_nothing_heavy() -> None:
    code = (
        "import sys, curator_text.plugin as p; p.curator_stages(); "
        "heavy = [m for m in ('pyarrow', 'numpy', 'py3langid', 'ftfy', 'regex', 'pandas') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
