"""``VadSegmentationStage``: split long recordings into speech segments with WebRTC's VAD."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import webrtcvad

from curator_audio.audio_io import as_int16, derived_name, read_audio, resample, to_mono, write_audio
from curator_audio.policy import check_on_error, map_entries
from curator_audio.tasks import AudioTask
from curator_core.stages import ProcessingStage

__all__ = ["VadSegmentationStage", "speech_regions"]

_VAD_RATE = 16000
_RECORDING_KEYS = ("text", "pred_text", "duration", "wer", "cer")


class VadSegmentationStage(ProcessingStage[AudioTask, AudioTask]):
    """Replace each recording's entry with one entry per speech segment, written to ``output_dir``.

    Detection runs WebRTC's voice-activity detector (``webrtcvad``, GMM-based, offline) on
    ``frame_ms`` frames at 16 kHz mono; pauses shorter than ``min_silence_s`` are bridged, segments
    shorter than ``min_speech_s`` dropped, and ``padding_s`` kept around each. Segments are cut
    from the original samples (rate and channels unchanged). Each new entry has the segment's
    ``audio_filepath``, ``duration``, ``offset`` (seconds into the source), ``segment_index`` and
    the source path; keys about the whole recording (text, pred_text, duration, wer, cer) are
    not copied, every other key is.
    """

    name = "VadSegmentationStage"

    def __init__(
        self,
        output_dir: str,
        aggressiveness: int = 2,
        frame_ms: int = 30,
        min_silence_s: float = 0.5,
        min_speech_s: float = 0.3,
        padding_s: float = 0.1,
        audio_filepath_key: str = "audio_filepath",
        source_filepath_key: str = "source_audio_filepath",
        offset_key: str = "offset",
        duration_key: str = "duration",
        on_error: str = "raise",
    ) -> None:
        if aggressiveness not in (0, 1, 2, 3):
            raise ValueError(f"VadSegmentationStage: aggressiveness must be 0..3, got {aggressiveness}")
        if frame_ms not in (10, 20, 30):
            raise ValueError(f"VadSegmentationStage: frame_ms must be 10, 20 or 30 (webrtcvad), got {frame_ms}")
        self.output_dir = output_dir
        self.aggressiveness = aggressiveness
        self.frame_ms = frame_ms
        self.min_silence_s = min_silence_s
        self.min_speech_s = min_speech_s
        self.padding_s = padding_s
        self.audio_filepath_key = audio_filepath_key
        self.source_filepath_key = source_filepath_key
        self.offset_key = offset_key
        self.duration_key = duration_key
        self.on_error = check_on_error(self.name, on_error)

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.audio_filepath_key]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.audio_filepath_key, self.duration_key, self.offset_key, self.source_filepath_key]

    def process(self, task: AudioTask) -> AudioTask:
        os.makedirs(self.output_dir, exist_ok=True)
        return map_entries(self, task, self._segments, self.on_error)

    def _segments(self, entry: dict[str, Any]) -> list[dict[str, Any]]:
        source = entry[self.audio_filepath_key]
        samples, rate = read_audio(source)
        mono16k = as_int16(resample(to_mono(samples), rate, _VAD_RATE))
        regions = speech_regions(
            mono16k,
            aggressiveness=self.aggressiveness,
            frame_ms=self.frame_ms,
            min_silence_s=self.min_silence_s,
            min_speech_s=self.min_speech_s,
            padding_s=self.padding_s,
        )
        carried = {k: v for k, v in entry.items() if k not in _RECORDING_KEYS and k != self.audio_filepath_key}
        out: list[dict[str, Any]] = []
        for index, (start, end) in enumerate(regions):
            first, last = round(start * rate), min(round(end * rate), samples.shape[0])
            target = os.path.join(self.output_dir, derived_name(source, "wav", tag=f"seg{index:04d}"))
            write_audio(target, samples[first:last], rate, fmt="wav")
            out.append(
                {
                    **carried,
                    self.audio_filepath_key: target,
                    self.source_filepath_key: source,
                    self.offset_key: round(first / rate, 4),
                    self.duration_key: round((last - first) / rate, 4),
                    "segment_index": index,
                }
            )
        self.record_metric("speech_segments", len(out))
        return out


def speech_regions(
    pcm16k: np.ndarray,
    *,
    aggressiveness: int = 2,
    frame_ms: int = 30,
    min_silence_s: float = 0.5,
    min_speech_s: float = 0.3,
    padding_s: float = 0.1,
) -> list[tuple[float, float]]:
    """Speech (start, end) seconds in 16 kHz int16 mono samples."""
    vad = webrtcvad.Vad(aggressiveness)
    step = _VAD_RATE * frame_ms // 1000
    frames = len(pcm16k) // step
    flags = [vad.is_speech(pcm16k[i * step : (i + 1) * step].tobytes(), _VAD_RATE) for i in range(frames)]
    frame_s = frame_ms / 1000
    regions: list[list[float]] = []
    for i, speech in enumerate(flags):
        if not speech:
            continue
        start, end = i * frame_s, (i + 1) * frame_s
        if regions and start - regions[-1][1] < min_silence_s:
            regions[-1][1] = end
        else:
            regions.append([start, end])
    total = len(pcm16k) / _VAD_RATE
    kept = [(s, e) for s, e in regions if e - s >= min_speech_s]
    padded: list[tuple[float, float]] = []
    for s, e in kept:
        start = max(0.0, s - padding_s, padded[-1][1] if padded else 0.0)
        padded.append((round(start, 4), round(min(total, e + padding_s), 4)))
    return padded
