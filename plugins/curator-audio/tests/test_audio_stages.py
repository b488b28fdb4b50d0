"""Duration, resampling and mono conversion on files of known length, rate and channels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from conftest import audio_task, write_wav

from curator_audio import AudioFileError, GetAudioDurationStage, MonoConversionStage, ResampleAudioStage
from curator_audio.policy import SKIPPED_KEY


def test_durations_match_what_was_generated(tmp_path: Path) -> None:
    files = {
        write_wav(tmp_path / "a.wav", 0.75, 8000): 0.75,
        write_wav(tmp_path / "b.flac", 2.5, 22050, channels=2): 2.5,
        write_wav(tmp_path / "c.wav", 1.0, 48000): 1.0,
    }
    task = GetAudioDurationStage().process(audio_task([{"audio_filepath": str(p)} for p in files]))
    assert [e["duration"] for e in task.data] == pytest.approx(list(files.values()), abs=1e-4)


def test_flite_durations_match_the_samples_written(corpus_entries: list[dict]) -> None:
    task = GetAudioDurationStage(duration_key="measured").process(audio_task(corpus_entries))
    for entry in task.data:
        samples, rate = sf.read(entry["audio_filepath"])
        assert entry["measured"] == pytest.approx(len(samples) / rate)
        assert entry["measured"] > 0.5


def test_duration_of_missing_file_raises_or_skips(tmp_path: Path) -> None:
    entries = [
        {"audio_filepath": str(write_wav(tmp_path / "a.wav", 0.2, 8000))},
        {"audio_filepath": str(tmp_path / "x.wav")},
    ]
    with pytest.raises(AudioFileError, match="x.wav"):
        GetAudioDurationStage().process(audio_task(entries))
    task = GetAudioDurationStage(on_error="skip").process(audio_task(entries))
    assert [e["duration"] for e in task.data] == pytest.approx([0.2])
    assert task._metadata[SKIPPED_KEY][0]["stage"] == "GetAudioDurationStage"


def test_resampled_files_have_the_target_rate_and_length(tmp_path: Path) -> None:
    source = write_wav(tmp_path / "in" / "tone.wav", 1.5, 44100, channels=2, freq=440.0)
    stage = ResampleAudioStage(str(tmp_path / "out"), target_sample_rate=16000)
    [entry] = stage.process(audio_task([{"audio_filepath": str(source)}])).data
    samples, rate = sf.read(entry["resampled_audio_filepath"])
    assert rate == 16000
    assert samples.ndim == 1
    assert abs(len(samples) - 24000) <= 1
    assert entry["duration"] == pytest.approx(1.5, abs=1e-4)
    spectrum = np.abs(np.fft.rfft(samples))
    assert np.fft.rfftfreq(len(samples), 1 / rate)[spectrum.argmax()] == pytest.approx(440.0, abs=2.0)
    assert entry["audio_filepath"] == str(source)


def test_resampling_twice_overwrites_instead_of_duplicating(tmp_path: Path) -> None:
    source = write_wav(tmp_path / "tone.wav", 0.5, 22050)
    stage = ResampleAudioStage(str(tmp_path / "out"), target_sample_rate=8000)
    first = stage.process(audio_task([{"audio_filepath": str(source)}])).data[0]
    second = stage.process(audio_task([{"audio_filepath": str(source)}])).data[0]
    assert first == second
    assert [p.name for p in (tmp_path / "out").iterdir()] == [Path(first["resampled_audio_filepath"]).name]


def test_mono_conversion_averages_channels_and_keeps_mono_files(tmp_path: Path) -> None:
    stereo = write_wav(tmp_path / "stereo.wav", 0.5, 16000, channels=2)
    mono = write_wav(tmp_path / "mono.wav", 0.5, 16000)
    stage = MonoConversionStage(str(tmp_path / "out"))
    converted, kept = stage.process(audio_task([{"audio_filepath": str(stereo)}, {"audio_filepath": str(mono)}])).data
    original, _ = sf.read(stereo)
    samples, rate = sf.read(converted["audio_filepath"])
    assert samples.ndim == 1 and rate == 16000
    assert samples == pytest.approx(original.mean(axis=1), abs=1e-3)
    assert converted["original_audio_filepath"] == str(stereo)
    assert kept == {"audio_filepath": str(mono)}


def test_mono_conversion_with_strict_rate_rejects_other_rates(tmp_path: Path) -> None:
    wrong = write_wav(tmp_path / "wrong.wav", 0.2, 8000)
    stage = MonoConversionStage(
        str(tmp_path / "out"), output_sample_rate=16000, strict_sample_rate=True, on_error="skip"
    )
    task = stage.process(audio_task([{"audio_filepath": str(wrong)}]))
    assert task.data == []
    assert "8000" in task._metadata[SKIPPED_KEY][0]["error"]
