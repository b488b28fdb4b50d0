"""The example pipeline (examples/video/pipeline.yaml) end to end on the local executor."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from curator_core.executors.local import LocalExecutor
from curator_video.synthetic import SyntheticVideo

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "video" / "run.py"


def _runner() -> Any:
    spec = importlib.util.spec_from_file_location("video_example_run", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reader_metric(tasks: list[Any], name: str) -> float:
    """A reader metric summed once per source partition (fan-out copies the history to every chunk)."""
    one_per_source = {task.task_id.split(".")[0]: task for task in tasks}.values()
    return sum(
        perf.custom_metrics.get(name, 0.0)
        for task in one_per_source
        for perf in task._stage_perf
        if perf.stage_name == "VideoReaderStage"
    )


@pytest.mark.parametrize("mode", ["process", "in_process"])
def test_example_pipeline_writes_moving_clips_and_reports_the_corrupt_file(
    mode: str, videos: dict[str, SyntheticVideo], video_dir: str, tmp_path: Path
) -> None:
    pipeline, executor_name, config = _runner().build_pipeline(video_dir, str(tmp_path))
    assert executor_name == "local"
    outputs = pipeline.run(LocalExecutor({**config, "mode": mode, "progress": False}))

    # 4 s + 4 s + 6 s of video in 2 s clips: 2 + 2 + 3 clips, the still one filtered.
    clips = sorted(p.stem for p in (tmp_path / "clips").glob("*.mp4"))
    filtered = sorted(p.stem for p in (tmp_path / "metas" / "filtered").glob("*.json"))
    assert len(clips) == 6 and len(filtered) == 1
    assert not set(clips) & set(filtered)
    (still,) = [json.loads(p.read_text()) for p in (tmp_path / "metas" / "filtered").glob("*.json")]
    assert Path(still["source"]).name == "static_middle.mp4" and still["span"] == [2.0, 4.0]

    videos_meta = [json.loads(p.read_text()) for p in (tmp_path / "metas" / "videos").glob("*.json")]
    (broken,) = [m for m in videos_meta if m["errors"]]
    assert Path(broken["source"]).name == "corrupt.mp4"
    assert _reader_metric(outputs, "videos_errored") == 1
    assert _reader_metric(outputs, "videos_read") == 4

    report = pipeline.last_report
    assert report is not None and report.status == "succeeded"
    counts = {c.stage: c for c in report.stages}
    assert counts["VideoReaderStage"].tasks_out == 4 and counts["VideoReaderStage"].failed == 0
    # static_middle's 3 clips fan out into 2 chunks of at most 2 clips.
    assert counts["ClipTranscodingStage"].tasks_out == 5
    assert counts["ClipWriterStage"].tasks_out == 5


def test_rerun_writes_the_same_names(video_dir: str, tmp_path: Path) -> None:
    runner = _runner()
    names = []
    for _ in range(2):
        pipeline, _name, _config = runner.build_pipeline(video_dir, str(tmp_path))
        pipeline.run(LocalExecutor({"mode": "in_process", "progress": False}))
        names.append(sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()))
    assert names[0] == names[1]


def test_scene_pipeline_cuts_the_scene_cut_video_at_its_cut(
    videos: dict[str, SyntheticVideo], video_dir: str, tmp_path: Path
) -> None:
    scenes_file = str(EXAMPLE.parent / "pipeline_scenes.yaml")
    pipeline, _name, _config = _runner().build_pipeline(video_dir, str(tmp_path), path=scenes_file)
    pipeline.run(LocalExecutor({"mode": "in_process", "progress": False}))
    metas = [json.loads(p.read_text()) for p in (tmp_path / "metas" / "clips").glob("*.json")]
    spans = sorted(tuple(m["span"]) for m in metas if Path(m["source"]).name == "scene_cut.mp4")
    cut = videos["scene_cut"].scene_cuts_s[0]
    assert len(spans) == 2
    assert spans[0][1] == pytest.approx(cut, abs=1 / 24) and spans[1][0] == spans[0][1]
