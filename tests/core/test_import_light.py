"""Importing the core imports nothing heavy: no engines, no modality libraries."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("ray", "cosmos_xenna", "torch", "av", "soundfile", "pyarrow", "numpy", "fsspec", "s3fs", "gcsfs", "moto")


def test_import_curator_core_imports_no_heavy_module() -> None:
    code = f"import sys, curator_core; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_building_a_plan_imports_no_heavy_module() -> None:
    code = (
        "import sys\n"
        "from curator_core import Pipeline\n"
        "Pipeline('p').add_stage('FilePartitioningStage', file_paths='.').build('local')\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
