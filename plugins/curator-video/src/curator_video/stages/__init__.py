"""Every video stage, one module per job."""

from curator_video.stages.frames import ClipFrameExtractionStage
from curator_video.stages.motion import MotionFilterStage, MotionScoringStage
from curator_video.stages.reader import VideoReader, VideoReaderStage
from curator_video.stages.splitting import FixedStrideExtractorStage, SceneCutExtractorStage
from curator_video.stages.transcoding import ClipTranscodingStage
from curator_video.stages.writer import ClipWriterStage

__all__ = [
    "ClipFrameExtractionStage",
    "ClipTranscodingStage",
    "ClipWriterStage",
    "FixedStrideExtractorStage",
    "MotionFilterStage",
    "MotionScoringStage",
    "SceneCutExtractorStage",
    "VideoReader",
    "VideoReaderStage",
]
