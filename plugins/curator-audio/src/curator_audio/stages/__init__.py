"""Audio stages: readers, per-entry audio work, ASR, metrics, filters, writers."""

from curator_audio.stages.asr import InferenceAsrStage
from curator_audio.stages.duration import GetAudioDurationStage
from curator_audio.stages.filters import PreserveByValueStage
from curator_audio.stages.mono import MonoConversionStage
from curator_audio.stages.readers import (
    AudioDirectoryReader,
    AudioFilesToEntriesStage,
    ManifestReader,
    ManifestReaderStage,
)
from curator_audio.stages.resample import ResampleAudioStage
from curator_audio.stages.vad import VadSegmentationStage
from curator_audio.stages.wer import GetPairwiseWerStage
from curator_audio.stages.writer import ManifestWriterStage

__all__ = [
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
]
