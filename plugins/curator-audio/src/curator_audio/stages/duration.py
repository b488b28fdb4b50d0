"""``GetAudioDurationStage``: seconds of audio per entry, from the file's header (soundfile)."""

from __future__ import annotations

from typing import Any

from curator_audio.audio_io import audio_info
from curator_audio.policy import check_on_error, map_entries
from curator_audio.tasks import AudioTask
from curator_core.stages import ProcessingStage

__all__ = ["GetAudioDurationStage"]


class GetAudioDurationStage(ProcessingStage[AudioTask, AudioTask]):
    """Store ``frames / sample_rate`` of the file at ``audio_filepath_key`` under ``duration_key``."""

    name = "GetAudioDurationStage"

    def __init__(
        self, audio_filepath_key: str = "audio_filepath", duration_key: str = "duration", on_error: str = "raise"
    ) -> None:
        self.audio_filepath_key = audio_filepath_key
        self.duration_key = duration_key
        self.on_error = check_on_error(self.name, on_error)

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.audio_filepath_key]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.duration_key]

    def process(self, task: AudioTask) -> AudioTask:
        return map_entries(self, task, self._entry, self.on_error)

    def _entry(self, entry: dict[str, Any]) -> dict[str, Any]:
        return {**entry, self.duration_key: audio_info(entry[self.audio_filepath_key]).duration}
