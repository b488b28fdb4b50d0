from __future__ import annotations

import pytest
from video_helpers import FPS, read_task

from curator_core import FileGroupTask
from curator_video.stages.reader import VideoReader, VideoReaderStage
from curator_video.synthetic import SyntheticVideo
from curator_video.tasks import clip_id_for, file_digest


def test_probe_reports_duration_rate_size_codec_and_frames(videos: dict[str, SyntheticVideo]) -> None:
    made = videos["static_middle"]
    meta = read_task(made.path).data.metadata
    assert meta.duration_s == pytest.approx(made.duration_s, abs=1 / FPS)
    assert meta.fps == pytest.approx(FPS)
    assert (meta.width, meta.height) == (128, 96)
    assert meta.num_frames == made.num_frames
    assert meta.codec in {"h264", "mpeg4"}
    assert meta.audio_streams == 0


def test_corrupt_file_is_recorded_on_its_task_and_counted(videos: dict[str, SyntheticVideo]) -> None:
    stage = VideoReaderStage()
    paths = [videos["corrupt"].path, videos["moving_shapes"].path]
    tasks = stage.process(FileGroupTask(task_id="t", dataset_name="d", data=paths))
    assert [t.data.ok for t in tasks] == [False, True]
    assert "InvalidDataError" in tasks[0].data.errors[0]
    assert stage.pop_metrics() == {"videos_errored": 1.0, "videos_read": 2.0, "video_seconds": pytest.approx(4.0)}


def test_video_bytes_are_read_lazily_unless_asked(videos: dict[str, SyntheticVideo]) -> None:
    path = videos["moving_shapes"].path
    lazy = read_task(path).data
    assert lazy.source_bytes is None
    (loaded,) = VideoReaderStage(load_bytes=True).process(FileGroupTask(task_id="t", dataset_name="d", data=[path]))
    with open(path, "rb") as handle:
        assert loaded.data.source_bytes == handle.read() == lazy.read_bytes()


def test_clip_ids_depend_on_content_and_span_only(videos: dict[str, SyntheticVideo]) -> None:
    digest = file_digest(videos["moving_shapes"].path)
    assert clip_id_for(digest, (0.0, 2.0)) == clip_id_for(digest, (0.0, 2.0))
    assert clip_id_for(digest, (0.0, 2.0)) != clip_id_for(digest, (2.0, 4.0))
    assert clip_id_for(digest, (0.0, 2.0)) != clip_id_for(file_digest(videos["scene_cut"].path), (0.0, 2.0))


def test_video_reader_decomposes_into_partitioning_and_reading(video_dir: str) -> None:
    first, second = VideoReader(video_dir).decompose()
    assert first.name == "file_partitioning"
    assert isinstance(second, VideoReaderStage)
