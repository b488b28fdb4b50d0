"""``ResampleAudioStage``: write each file again at a target rate and format (soxr)."""

from __future__ import annotations

import os
from typing import Any

from curator_audio.audio_io import derived_name, read_audio, resample, to_mono, write_audio
from curator_audio.policy import check_on_error, map_entries
from curator_audio.tasks import AudioTask
from curator_core.stages import ProcessingStage

__all__ = ["ResampleAudioStage"]


class ResampleAudioStage(ProcessingStage[AudioTask, AudioTask]):
    """Resample to ``target_sample_rate`` (and ``target_nchannels`` 1 = mono) into ``resampled_audio_dir``.

    The new path goes under ``resampled_audio_filepath_key`` (NeMo Curator's default) and the new
    duration under ``duration_key``. Output names derive from the source path, so a rerun
    overwrites rather than duplicates; writes are atomic.
    """

    name = "ResampleAudioStage"

    def __init__(
        self,
        resampled_audio_dir: str,
        target_sample_rate: int = 16000,
        target_format: str = "wav",
        target_nchannels: int | None = 1,
        audio_filepath_key: str = "audio_filepath",
        resampled_audio_filepath_key: str = "resampled_audio_filepath",
        duration_key: str = "duration",
        quality: str = "HQ",
        on_error: str = "raise",
    ) -> None:
        if target_sample_rate <= 0:
            raise ValueError(f"ResampleAudioStage: target_sample_rate must be > 0, got {target_sample_rate}")
        if target_nchannels not in (None, 1):
            raise ValueError("ResampleAudioStage: target_nchannels must be 1 (mono) or None (keep channels)")
        self.resampled_audio_dir = resampled_audio_dir
        self.target_sample_rate = int(target_sample_rate)
        self.target_format = target_format.lstrip(".").lower()
        self.target_nchannels = target_nchannels
        self.audio_filepath_key = audio_filepath_key
        self.resampled_audio_filepath_key = resampled_audio_filepath_key
        self.duration_key = duration_key
        self.quality = quality
        self.on_error = check_on_error(self.name, on_error)

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.audio_filepath_key]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.resampled_audio_filepath_key, self.duration_key]

    def setup(self, worker_metadata: Any = None) -> None:
        os.makedirs(self.resampled_audio_dir, exist_ok=True)

    def process(self, task: AudioTask) -> AudioTask:
        os.makedirs(self.resampled_audio_dir, exist_ok=True)
        return map_entries(self, task, self._entry, self.on_error)

    def _entry(self, entry: dict[str, Any]) -> dict[str, Any]:
        source = entry[self.audio_filepath_key]
        samples, rate = read_audio(source)
        if self.target_nchannels == 1:
            samples = to_mono(samples)
        samples = resample(samples, rate, self.target_sample_rate, self.quality)
        target = os.path.join(
            self.resampled_audio_dir, derived_name(source, self.target_format, tag=f"{self.target_sample_rate}hz")
        )
        write_audio(target, samples, self.target_sample_rate, fmt=self.target_format)
        return {
            **entry,
            self.resampled_audio_filepath_key: target,
            self.duration_key: samples.shape[0] / self.target_sample_rate,
        }
