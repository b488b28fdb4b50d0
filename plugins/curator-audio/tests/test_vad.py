"""Voice-activity segmentation on speech-silence-speech recordings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from conftest import audio_task

from curator_audio import VadSegmentationStage


def _speech_span(samples: np.ndarray, rate: int) -> tuple[float, float]:
    """Where the flite speech really starts and ends (flite pads with near-silence)."""
    loud = np.flatnonzero(np.abs(samples) > 0.02)
    return loud[0] / rate, (loud[-1] + 1) / rate


def test_speech_silence_speech_yields_two_segments_near_the_boundaries(
    corpus_entries: list[dict], tmp_path: Path
) -> None:
    first, rate = sf.read(corpus_entries[0]["audio_filepath"], dtype="float32")
    second, _ = sf.read(corpus_entries[5]["audio_filepath"], dtype="float32")
    gap = np.zeros(int(2.0 * rate), dtype=np.float32)
    recording = np.concatenate([gap[: rate // 2], first, gap, second, gap[: rate // 2]])
    source = tmp_path / "long.wav"
    sf.write(source, recording, rate)
    offset_second = rate // 2 + len(first) + len(gap)
    s1, e1 = _speech_span(first, rate)
    s2, e2 = _speech_span(second, rate)
    expected = [(0.5 + s1, 0.5 + e1), (offset_second / rate + s2, offset_second / rate + e2)]

    stage = VadSegmentationStage(str(tmp_path / "segments"), padding_s=0.1)
    task = stage.process(audio_task([{"audio_filepath": str(source), "text": "two sentences", "speaker": "x"}]))

    assert len(task.data) == 2
    for entry, (start, end) in zip(task.data, expected):
        assert entry["offset"] == pytest.approx(start, abs=0.3)
        assert entry["offset"] + entry["duration"] == pytest.approx(end, abs=0.3)
        samples, seg_rate = sf.read(entry["audio_filepath"])
        assert seg_rate == rate
        assert len(samples) / rate == pytest.approx(entry["duration"], abs=1e-3)
        assert entry["source_audio_filepath"] == str(source)
        assert entry["speaker"] == "x" and "text" not in entry
    assert [e["segment_index"] for e in task.data] == [0, 1]


def test_silence_and_noise_free_recording_yields_no_segments(tmp_path: Path) -> None:
    source = tmp_path / "quiet.wav"
    sf.write(source, np.zeros(16000 * 2, dtype=np.float32), 16000)
    task = VadSegmentationStage(str(tmp_path / "segments")).process(audio_task([{"audio_filepath": str(source)}]))
    assert task.data == []


def test_unsupported_frame_length_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="frame_ms"):
        VadSegmentationStage(str(tmp_path), frame_ms=25)
