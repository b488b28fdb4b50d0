"""Curator audio: speech-data curation stages (manifests, durations, resampling, VAD, ASR, WER).

Public names are loaded on first use (PEP 562), so that importing ``curator_audio.plugin``
(which ``curator plugins`` does) imports no numpy, soundfile, jiwer or pocketsphinx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from curator_audio.__about__ import __version__

if TYPE_CHECKING:
    from curator_audio.asr import AsrAdapter, available_asr_adapters, make_asr_adapter, register_asr_adapter
    from curator_audio.errors import AudioFileError, ManifestFormatError
    from curator_audio.stages import (
        AudioDirectoryReader,
        AudioFilesToEntriesStage,
        GetAudioDurationStage,
        GetPairwiseWerStage,
        InferenceAsrStage,
        ManifestReader,
        ManifestReaderStage,
        ManifestWriterStage,
        MonoConversionStage,
        PreserveByValueStage,
        ResampleAudioStage,
        VadSegmentationStage,
    )
    from curator_audio.tasks import AudioBatch, AudioTask

_LOCATIONS = {
    "AsrAdapter": "curator_audio.asr",
    "available_asr_adapters": "curator_audio.asr",
    "make_asr_adapter": "curator_audio.asr",
    "register_asr_adapter": "curator_audio.asr",
    "AudioFileError": "curator_audio.errors",
    "ManifestFormatError": "curator_audio.errors",
    "AudioBatch": "curator_audio.tasks",
    "AudioTask": "curator_audio.tasks",
    **dict.fromkeys(
        [
            "AudioDirectoryReader",
            "AudioFilesToEntriesStage",
            "GetAudioDurationStage",
            "GetPairwiseWerStage",
            "InferenceAsrStage",
            "ManifestReader",
            "ManifestReaderStage",
            "ManifestWriterStage",
            "MonoConversionStage",
            "PreserveByValueStage",
            "ResampleAudioStage",
            "VadSegmentationStage",
        ],
        "curator_audio.stages",
    ),
}

__all__ = [
    "AsrAdapter",
    "AudioBatch",
    "AudioDirectoryReader",
    "AudioFileError",
    "AudioFilesToEntriesStage",
    "AudioTask",
    "GetAudioDurationStage",
    "GetPairwiseWerStage",
    "InferenceAsrStage",
    "ManifestFormatError",
    "ManifestReader",
    "ManifestReaderStage",
    "ManifestWriterStage",
    "MonoConversionStage",
    "PreserveByValueStage",
    "ResampleAudioStage",
    "VadSegmentationStage",
    "__version__",
    "available_asr_adapters",
    "make_asr_adapter",
    "register_asr_adapter",
]


def __getattr__(name: str) -> Any:
    if name not in _LOCATIONS:
        raise AttributeError(f"module 'curator_audio' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LOCATIONS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
