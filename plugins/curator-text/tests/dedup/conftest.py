from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def inline() -> object:
    """The local executor in this process: the reference behaviour, without worker start-up."""
    from curator_core.executors.local import LocalExecutor

    return LocalExecutor({"mode": "in_process", "progress": False})
