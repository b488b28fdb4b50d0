"""Videos read from and clips written to s3:// URLs, against a real S3 API server (moto) on 127.0.0.1."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import av

from curator_core import Pipeline
from curator_core.executors.local import LocalExecutor
from curator_core.storage import atomic_write, list_files, open_input
from curator_core.testing.s3 import LocalS3
from curator_video.stages.reader import VideoReader
from curator_video.stages.splitting import FixedStrideExtractorStage
from curator_video.stages.transcoding import ClipTranscodingStage
from curator_video.stages.writer import ClipWriterStage
from curator_video.synthetic import SyntheticVideo


def _run(source: str, target: str, options: dict[str, object] | None) -> None:
    Pipeline(
        "clips",
        stages=[
            VideoReader(source, storage_options=options),
            FixedStrideExtractorStage(clip_len_s=2.0, clip_stride_s=2.0),
            ClipTranscodingStage(num_cpus=1),
            ClipWriterStage(target, storage_options=options),
        ],
    ).run(LocalExecutor({"mode": "in_process", "progress": False}))


def test_videos_from_a_bucket_give_the_same_clips_as_from_disk(
    local_s3: LocalS3, videos: dict[str, SyntheticVideo], tmp_path: Path
) -> None:
    options = local_s3.storage_options
    bucket = local_s3.create_bucket(f"video-{uuid.uuid4().hex[:8]}")
    for stem in ("moving_shapes", "corrupt"):
        with atomic_write(f"{bucket}/in/{stem}.mp4", "wb", options) as handle:
            handle.write(Path(videos[stem].path).read_bytes())
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{stem}.mp4").write_bytes(Path(videos[stem].path).read_bytes())

    _run(f"{bucket}/in", f"{bucket}/out", options)
    _run(str(tmp_path / "in"), str(tmp_path / "out"), None)

    remote_clips = list_files(f"{bucket}/out/clips", [".mp4"], options)
    local_clips = list_files(str(tmp_path / "out" / "clips"), [".mp4"])
    assert len(remote_clips) == 2  # 4 s of moving shapes in 2 s clips; the corrupt file gives none
    assert [Path(p).name for p in remote_clips] == [Path(p).name for p in local_clips]  # named by content
    with open_input(remote_clips[0], "rb", options) as handle, av.open(io.BytesIO(handle.read())) as clip:
        assert clip.streams.video[0].frames > 0 or clip.duration

    metas = [json.loads(open_input_text(p, options)) for p in list_files(f"{bucket}/out/metas/videos", None, options)]
    (broken,) = [meta for meta in metas if meta["errors"]]
    assert broken["source"] == f"{bucket}/in/corrupt.mp4"


def open_input_text(path: str, options: dict[str, object]) -> str:
    with open_input(path, "r", options) as handle:
        return str(handle.read())
