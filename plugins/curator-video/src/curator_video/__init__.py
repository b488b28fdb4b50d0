"""curator-video: read videos, split them into clips, transcode, extract frames, filter by motion, write."""

from curator_video.__about__ import __version__
from curator_video.stages import (
    ClipFrameExtractionStage,
    ClipTranscodingStage,
    ClipWriterStage,
    FixedStrideExtractorStage,
    MotionFilterStage,
    MotionScoringStage,
    SceneCutExtractorStage,
    VideoReader,
    VideoReaderStage,
)
from curator_video.tasks import Clip, Video, VideoMetadata, VideoTask, clip_id_for

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
