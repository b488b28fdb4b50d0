from __future__ import annotations

import json
import os
from pathlib import Path

import av
from video_helpers import FPS, read_task

from curator_core.storage import safe_file_name
from curator_video.stages.motion import MotionFilterStage, MotionScoringStage
from curator_video.stages.splitting import FixedStrideExtractorStage
from curator_video.stages.transcoding import ClipTranscodingStage
from curator_video.stages.writer import ClipWriterStage
from curator_video.synthetic import SyntheticVideo
from curator_video.tasks import VideoTask


def _processed(path: str) -> VideoTask:
    task = FixedStrideExtractorStage(clip_len_s=2.0, clip_stride_s=2.0).process(read_task(path))
    out = ClipTranscodingStage(num_cpus=1).process(task)
    assert isinstance(out, VideoTask)
    return MotionFilterStage().process(MotionScoringStage().process(out))


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_writes_clips_clip_json_filtered_json_and_video_json(videos: dict[str, SyntheticVideo], tmp_path: Path) -> None:
    task = _processed(videos["static_middle"].path)
    kept = [c.clip_id for c in task.data.clips]
    (filtered,) = [c.clip_id for c in task.data.filtered_clips]
    result = ClipWriterStage(str(tmp_path)).process(task)
    assert _tree(tmp_path) == sorted(
        [f"clips/{i}.mp4" for i in kept]
        + [f"metas/clips/{i}.json" for i in kept]
        + [f"metas/filtered/{filtered}.json", "metas/videos/t.json"]
    )
    assert sorted(result.data) == sorted(str(tmp_path / name) for name in _tree(tmp_path))
    video_meta = json.loads((tmp_path / "metas/videos/t.json").read_text())
    assert [c["clip_id"] for c in video_meta["clips"]] == kept
    assert [c["clip_id"] for c in video_meta["filtered_clips"]] == [filtered]
    assert video_meta["filtered_clips"][0]["scores"]["motion_global"] < 0.004
    clip_meta = json.loads((tmp_path / f"metas/clips/{kept[0]}.json").read_text())
    assert clip_meta["span"] == [0.0, 2.0] and clip_meta["num_frames"] == 2 * FPS


def test_written_clips_decode_with_expected_duration_and_frames(
    videos: dict[str, SyntheticVideo], tmp_path: Path
) -> None:
    task = _processed(videos["moving_shapes"].path)
    ClipWriterStage(str(tmp_path)).process(task)
    for clip in task.data.clips:
        with av.open(str(tmp_path / "clips" / f"{clip.clip_id}.mp4")) as container:
            stream = container.streams.video[0]
            assert sum(1 for _ in container.decode(stream)) == round(clip.duration_s * FPS)
            assert abs(float(stream.duration * stream.time_base) - clip.duration_s) <= 1 / FPS


def test_errored_video_is_listed_with_its_error(videos: dict[str, SyntheticVideo], tmp_path: Path) -> None:
    task = _processed(videos["corrupt"].path)
    ClipWriterStage(str(tmp_path)).process(task)
    meta = json.loads((tmp_path / "metas/videos/t.json").read_text())
    assert meta["clips"] == [] and "InvalidDataError" in meta["errors"][0]
    assert meta["source"] == os.path.abspath(videos["corrupt"].path)


def test_rerun_overwrites_the_same_files_and_leaves_no_temporaries(
    videos: dict[str, SyntheticVideo], tmp_path: Path
) -> None:
    writer = ClipWriterStage(str(tmp_path))
    writer.process(_processed(videos["moving_shapes"].path))
    first = _tree(tmp_path)
    writer.process(_processed(videos["moving_shapes"].path))
    assert _tree(tmp_path) == first
    assert not [name for name in first if ".tmp-" in name]


def test_ids_cannot_escape_the_output_folder() -> None:
    assert safe_file_name("../../etc/passwd") == "____etc_passwd"
    assert "/" not in safe_file_name("a/b") and not safe_file_name("..").startswith(".")
