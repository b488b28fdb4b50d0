"""What the integration tests share: loading an example script, and skipping a missing executor."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from curator_core.errors import ExecutorNotFoundError
from curator_core.plugins.host import get_host

ROOT = Path(__file__).resolve().parents[2]
OTHER_EXECUTORS = ["ray_data", "ray_actor_pool", "xenna"]


def load_example(relative_path: str) -> Any:
    """Import an example script (``examples/...``) as a module."""
    path = ROOT / relative_path
    spec = importlib.util.spec_from_file_location(f"example_{path.parent.name}_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require_executor(name: str) -> Any:
    """The executor class registered as ``name``; the test is skipped when it is not installed."""
    try:
        return get_host().resolve_executor(name)
    except (ExecutorNotFoundError, ImportError) as exc:
        pytest.skip(f"executor {name!r} is not installed: {exc}")
