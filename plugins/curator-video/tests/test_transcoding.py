from __future__ import annotations

from pathlib import Path

import av
import pytest
from video_helpers import FPS, read_task

from curator_video.media.codecs import ENCODER_PREFERENCE, available, pick_encoder
from curator_video.media.decode import open_source
from curator_video.stages.splitting import FixedStrideExtractorStage
from curator_video.stages.transcoding import ClipTranscodingStage
from curator_video.synthetic import SyntheticVideo
from curator_video.tasks import VideoTask


def _clipped(path: str, **stride: float) -> VideoTask:
    return FixedStrideExtractorStage(**stride).process(read_task(path))


def test_encoded_clips_decode_with_expected_duration_and_frame_count(videos: dict[str, SyntheticVideo]) -> None:
    task = _clipped(videos["moving_shapes"].path, clip_len_s=1.5, clip_stride_s=1.0, min_clip_length_s=1.0)
    stage = ClipTranscodingStage(num_cpus=1)
    stage.setup()
    out = stage.process(task)
    assert isinstance(out, VideoTask)
    assert [c.span for c in out.data.clips] == [(0.0, 1.5), (1.0, 2.5), (2.0, 3.5), (3.0, 4.0)]
    for clip in out.data.clips:
        expected = round(clip.duration_s * FPS)
        with open_source(clip.buffer) as container:
            stream = container.streams.video[0]
            frames = list(container.decode(stream))
            assert len(frames) == clip.num_frames == expected
            assert float(stream.duration * stream.time_base) == pytest.approx(clip.duration_s, abs=1 / FPS)
            assert (frames[0].width, frames[0].height) == (128, 96)


def test_long_video_fans_out_into_chunks_of_clips(videos: dict[str, SyntheticVideo]) -> None:
    task = _clipped(videos["static_middle"].path, clip_len_s=1.0, clip_stride_s=1.0, min_clip_length_s=1.0)
    chunks = ClipTranscodingStage(num_cpus=1, clips_per_chunk=4).process(task)
    assert isinstance(chunks, list)
    assert [len(c.data.clips) for c in chunks] == [4, 2]
    assert [(c.data.clip_chunk_index, c.data.num_clip_chunks) for c in chunks] == [(0, 2), (1, 2)]
    assert all(clip.buffer for chunk in chunks for clip in chunk.data.clips)
    assert ClipTranscodingStage.allow_fusion is False


def test_encoder_threads_come_from_the_stage_resources() -> None:
    assert ClipTranscodingStage(num_cpus=3).encoder_threads == 3
    assert ClipTranscodingStage(num_cpus=0.5).encoder_threads == 1
    assert ClipTranscodingStage(encoder="h264_nvenc").resources.nvencs == 1


def test_auto_encoder_is_the_first_available_in_preference_order() -> None:
    assert pick_encoder("auto") == next(name for name in ENCODER_PREFERENCE if available(name))
    assert pick_encoder("mpeg4") == "mpeg4"
    with pytest.raises(ValueError, match="not in this PyAV build"):
        pick_encoder("no_such_encoder")


def test_mpeg4_fallback_encodes_decodable_clips(videos: dict[str, SyntheticVideo]) -> None:
    task = _clipped(videos["moving_shapes"].path, clip_len_s=2.0, clip_stride_s=2.0)
    out = ClipTranscodingStage(encoder="mpeg4", num_cpus=1).process(task)
    clip = out.data.clips[0]
    with av.open(__import__("io").BytesIO(clip.buffer)) as container:
        assert container.streams.video[0].codec_context.name == "mpeg4"
        assert sum(1 for _ in container.decode(video=0)) == 2 * FPS


def test_errored_video_passes_through_untouched(videos: dict[str, SyntheticVideo]) -> None:
    task = _clipped(videos["corrupt"].path)
    assert ClipTranscodingStage(num_cpus=1).process(task) is task


def test_source_broken_after_reading_is_recorded_not_raised(videos: dict[str, SyntheticVideo], tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "vanishing.mp4"
    shutil.copy(videos["moving_shapes"].path, copy)
    task = _clipped(str(copy), clip_len_s=2.0, clip_stride_s=2.0)
    copy.write_bytes(b"not a video any more")
    stage = ClipTranscodingStage(num_cpus=1)
    out = stage.process(task)
    assert isinstance(out, VideoTask)
    assert out.data.errors and out.data.errors[0].startswith("transcode: InvalidDataError")
    assert all(clip.buffer is None and clip.errors for clip in out.data.clips)
    assert stage.pop_metrics()["videos_errored"] == 1
