"""``MonoConversionStage``: average channels so later stages see one waveform shape."""

from __future__ import annotations

import os
from typing import Any

from curator_audio.audio_io import UnreadableAudio, audio_info, derived_name, read_audio, to_mono, write_audio
from curator_audio.policy import check_on_error, map_entries
from curator_audio.tasks import AudioTask
from curator_core.stages import ProcessingStage

__all__ = ["MonoConversionStage"]


class MonoConversionStage(ProcessingStage[AudioTask, AudioTask]):
    """Write multi-channel files again as mono into ``output_dir`` and point the entry at them.

    Files that are already mono are left in place. With ``strict_sample_rate`` an entry whose
    rate is not ``output_sample_rate`` is treated as unreadable (the error policy applies); the
    original path is kept under ``original_filepath_key`` when it changes.
    """

    name = "MonoConversionStage"

    def __init__(
        self,
        output_dir: str,
        audio_filepath_key: str = "audio_filepath",
        output_sample_rate: int | None = None,
        strict_sample_rate: bool = False,
        original_filepath_key: str = "original_audio_filepath",
        on_error: str = "raise",
    ) -> None:
        if strict_sample_rate and not output_sample_rate:
            raise ValueError("MonoConversionStage: strict_sample_rate needs output_sample_rate")
        self.output_dir = output_dir
        self.audio_filepath_key = audio_filepath_key
        self.output_sample_rate = output_sample_rate
        self.strict_sample_rate = strict_sample_rate
        self.original_filepath_key = original_filepath_key
        self.on_error = check_on_error(self.name, on_error)

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.audio_filepath_key]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.audio_filepath_key]

    def process(self, task: AudioTask) -> AudioTask:
        os.makedirs(self.output_dir, exist_ok=True)
        return map_entries(self, task, self._entry, self.on_error)

    def _entry(self, entry: dict[str, Any]) -> dict[str, Any]:
        source = entry[self.audio_filepath_key]
        info = audio_info(source)
        if self.strict_sample_rate and info.sample_rate != self.output_sample_rate:
            raise UnreadableAudio(source, f"sample rate {info.sample_rate} Hz, expected {self.output_sample_rate} Hz")
        if info.channels == 1:
            return entry
        samples, rate = read_audio(source)
        target = os.path.join(self.output_dir, derived_name(source, "wav", tag="mono"))
        write_audio(target, to_mono(samples), rate, fmt="wav")
        return {**entry, self.audio_filepath_key: target, self.original_filepath_key: source}
