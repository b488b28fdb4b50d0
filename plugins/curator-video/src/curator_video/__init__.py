"""curator-video: read videos, split them into clips, transcode, extract frames, filter by motion, write.

Names are imported on first use, so that ``curator_video.plugin`` (the manifest that
``curator plugins`` loads) stays free of PyAV and numpy.
"""

from __future__ import annotations

import importlib
from typing import Any

from curator_video.__about__ import __version__

_EXPORTS = {
    "Clip": "curator_video.tasks",
    "Video": "curator_video.tasks",
    "VideoMetadata": "curator_video.tasks",
    "VideoTask": "curator_video.tasks",
    "clip_id_for": "curator_video.tasks",
    "ClipFrameExtractionStage": "curator_video.stages",
    "ClipTranscodingStage": "curator_video.stages",
    "ClipWriterStage": "curator_video.stages",
    "FixedStrideExtractorStage": "curator_video.stages",
    "MotionFilterStage": "curator_video.stages",
    "MotionScoringStage": "curator_video.stages",
    "SceneCutExtractorStage": "curator_video.stages",
    "VideoReader": "curator_video.stages",
    "VideoReaderStage": "curator_video.stages",
}

__all__ = [
    "Clip",
    "ClipFrameExtractionStage",
    "ClipTranscodingStage",
    "ClipWriterStage",
    "FixedStrideExtractorStage",
    "MotionFilterStage",
    "MotionScoringStage",
    "SceneCutExtractorStage",
    "Video",
    "VideoMetadata",
    "VideoReader",
    "VideoReaderStage",
    "VideoTask",
    "__version__",
    "clip_id_for",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'curator_video' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
