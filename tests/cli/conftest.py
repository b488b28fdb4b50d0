"""Fixtures for the CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``curator run`` writes run-report.json in the working folder: keep it out of the checkout."""
    monkeypatch.chdir(tmp_path)
