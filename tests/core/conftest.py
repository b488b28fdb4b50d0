"""Fixtures shared by the core tests."""

from __future__ import annotations

import pytest

from curator_core.executors.local import LocalExecutor


@pytest.fixture(params=["process", "in_process"])
def executor(request: pytest.FixtureRequest) -> LocalExecutor:
    return LocalExecutor({"mode": request.param})
