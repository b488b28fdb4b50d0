"""curator-audio's manifest: registered stage names. Imports nothing heavy (read by ``curator plugins``)."""

from __future__ import annotations

from curator_core.plugins import StageSpec, hookimpl
from curator_core.resources import Resources

PLUGIN_ID = "audio"

_STAGES = "curator_audio.stages"

_SPECS = [
    (
        "ManifestReader",
        "readers:ManifestReader",
        "Read JSONL manifests into AudioTasks (partitioning + reading)",
        "EmptyTask",
    ),
    (
        "ManifestReaderStage",
        "readers:ManifestReaderStage",
        "Read manifest files of a FileGroupTask into AudioTasks",
        "FileGroupTask",
    ),
    (
        "AudioDirectoryReader",
        "readers:AudioDirectoryReader",
        "Build manifest entries from a folder of audio files (sidecar .txt becomes text)",
        "EmptyTask",
    ),
    (
        "AudioFilesToEntriesStage",
        "readers:AudioFilesToEntriesStage",
        "Turn a FileGroupTask of audio paths into AudioTask entries",
        "FileGroupTask",
    ),
    (
        "GetAudioDurationStage",
        "duration:GetAudioDurationStage",
        "Audio duration in seconds from the file header",
        "AudioTask",
    ),
    (
        "ResampleAudioStage",
        "resample:ResampleAudioStage",
        "Resample audio files to a target rate and format (soxr)",
        "AudioTask",
    ),
    ("MonoConversionStage", "mono:MonoConversionStage", "Mix multi-channel audio down to mono", "AudioTask"),
    (
        "VadSegmentationStage",
        "vad:VadSegmentationStage",
        "Split recordings into speech segments (WebRTC VAD) and write them",
        "AudioTask",
    ),
    ("InferenceAsrStage", "asr:InferenceAsrStage", "Transcribe audio with an ASR adapter chosen by name", "AudioTask"),
    (
        "GetPairwiseWerStage",
        "wer:GetPairwiseWerStage",
        "WER and CER (percent) of predictions vs reference text",
        "AudioTask",
    ),
    (
        "PreserveByValueStage",
        "filters:PreserveByValueStage",
        "Keep entries where entry[key] <lt|le|eq|ne|ge|gt> target_value",
        "AudioTask",
    ),
    ("ManifestWriterStage", "writer:ManifestWriterStage", "Write AudioTasks as JSONL manifests (atomic)", "AudioTask"),
]


@hookimpl
def curator_stages() -> list[StageSpec]:
    return [
        StageSpec(
            name=name,
            target=f"{_STAGES}.{target}",
            summary=summary,
            input_type=input_type,
            output_type="FileGroupTask" if name == "ManifestWriterStage" else "AudioTask",
            resources=Resources(cpus=1.0),
        )
        for name, target, summary, input_type in _SPECS
    ]
