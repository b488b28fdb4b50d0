"""The video example pipeline on every installed executor writes the same clips as the local one."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("curator_video")
pytest.importorskip("av")

from curator_core.errors import ExecutorNotFoundError
from curator_core.plugins.host import get_host
from curator_video.synthetic import generate_examples

ROOT = Path(__file__).resolve().parents[2]
OTHER_EXECUTORS = ["ray_data", "ray_actor_pool", "xenna"]


def _runner() -> Any:
    spec = importlib.util.spec_from_file_location("video_example_run", ROOT / "examples" / "video" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _executor(name: str, **config: Any) -> Any:
    try:
        get_host().executor_spec(name)
        executor_class = get_host().resolve_executor(name)
    except (ExecutorNotFoundError, ImportError) as exc:
        pytest.skip(f"executor {name!r} is not installed: {exc}")
    return executor_class(config)


def _written(output: Path) -> dict[str, Any]:
    """What a run wrote: every clip's bytes digest and every JSON document, by relative path."""
    found: dict[str, Any] = {}
    for path in sorted(output.rglob("*")):
        if not path.is_file() or path.name == "run_report.json":
            continue
        name = str(path.relative_to(output))
        if path.suffix == ".mp4":
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[name] = json.loads(path.read_text())
    return found


@pytest.fixture(scope="module")
def video_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("videos")
    generate_examples(str(out), seconds=4.0)
    return str(out)


@pytest.fixture(scope="module")
def local_output(video_dir: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    output = tmp_path_factory.mktemp("local")
    pipeline, _name, config = _runner().build_pipeline(video_dir, str(output))
    pipeline.run(_executor("local", **{**config, "progress": False}))
    written = _written(output)
    assert len([n for n in written if n.startswith("clips/")]) == 6
    return written


@pytest.mark.parametrize("name", OTHER_EXECUTORS)
def test_every_executor_writes_the_same_clips_as_local(
    name: str, video_dir: str, local_output: dict[str, Any], tmp_path: Path
) -> None:
    executor = _executor(name)
    pipeline, _name, _config = _runner().build_pipeline(video_dir, str(tmp_path))
    pipeline.run(executor)
    written = _written(tmp_path)
    assert sorted(written) == sorted(local_output)
    assert written == local_output
    assert pipeline.last_report is not None and pipeline.last_report.status == "succeeded"
