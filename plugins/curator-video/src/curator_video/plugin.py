"""The curator-video manifest: registers every video stage by name (imports nothing heavy)."""

from __future__ import annotations

from curator_core.plugins import StageSpec, hookimpl
from curator_core.resources import Resources

PLUGIN_ID = "video"

_STAGES = "curator_video.stages"


def _spec(name: str, module: str, summary: str, input_type: str, output_type: str, cpus: float = 1.0) -> StageSpec:
    return StageSpec(
        name=name,
        target=f"{_STAGES}.{module}:{name}",
        summary=summary,
        input_type=input_type,
        output_type=output_type,
        resources=Resources(cpus=cpus),
    )


@hookimpl
def curator_stages() -> list[StageSpec]:
    return [
        _spec(
            "VideoReader",
            "reader",
            "Read video files (paths, directories, globs) and probe them with PyAV",
            "EmptyTask",
            "VideoTask",
        ),
        _spec(
            "VideoReaderStage",
            "reader",
            "Probe each file of a FileGroupTask; broken files become recorded errors",
            "FileGroupTask",
            "VideoTask",
        ),
        _spec(
            "FixedStrideExtractorStage",
            "splitting",
            "Clip spans of a fixed length every fixed stride",
            "VideoTask",
            "VideoTask",
        ),
        _spec(
            "SceneCutExtractorStage",
            "splitting",
            "Clip spans between hard cuts (numpy content detector)",
            "VideoTask",
            "VideoTask",
        ),
        _spec(
            "ClipTranscodingStage",
            "transcoding",
            "Cut and encode every clip with PyAV (H.264, else MPEG-4); fan out in chunks",
            "VideoTask",
            "VideoTask",
            cpus=2.0,
        ),
        _spec(
            "ClipFrameExtractionStage",
            "frames",
            "Decode clips into numpy frames at a target fps and size",
            "VideoTask",
            "VideoTask",
        ),
        _spec("MotionScoringStage", "motion", "Score clip motion by frame differences", "VideoTask", "VideoTask"),
        _spec(
            "MotionFilterStage",
            "motion",
            "Move static clips to filtered_clips, keeping their scores",
            "VideoTask",
            "VideoTask",
        ),
        _spec(
            "ClipWriterStage",
            "writer",
            "Write clips/<clip-id>.mp4 and per-clip, per-video JSON atomically",
            "VideoTask",
            "FileGroupTask",
            cpus=0.5,
        ),
    ]
