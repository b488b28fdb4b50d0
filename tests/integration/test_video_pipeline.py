"""The video example pipeline on every installed executor writes the same clips as the local one."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from integration_helpers import OTHER_EXECUTORS, load_example, require_executor

pytest.importorskip("curator_video")
pytest.importorskip("av")

from curator_video.synthetic import generate_examples


def _written(output: Path) -> dict[str, Any]:
    """What a run wrote: every clip's bytes digest and every JSON document, by relative path."""
    found: dict[str, Any] = {}
    for path in sorted(output.rglob("*")):
        if not path.is_file() or path.name == "run-report.json":
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
    pipeline, _name, config = load_example("examples/video/run.py").build_pipeline(video_dir, str(output))
    pipeline.run(require_executor("local")({**config, "progress": False}))
    written = _written(output)
    assert len([n for n in written if n.startswith("clips/")]) == 6
    return written


@pytest.mark.parametrize("name", OTHER_EXECUTORS)
def test_every_executor_writes_the_same_clips_as_local(
    name: str, video_dir: str, local_output: dict[str, Any], ray_cluster: str, tmp_path: Path
) -> None:
    executor = require_executor(name)({})
    pipeline, _name, _config = load_example("examples/video/run.py").build_pipeline(video_dir, str(tmp_path))
    pipeline.run(executor)
    written = _written(tmp_path)
    assert sorted(written) == sorted(local_output)
    assert written == local_output
    assert pipeline.last_report is not None and pipeline.last_report.status == "succeeded"
