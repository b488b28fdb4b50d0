"""Stage contracts and core's own stages."""

from curator_core.stages.base import OPEN_COLUMNS, CompositeStage, ProcessingStage
from curator_core.stages.file_partitioning import FilePartitioningStage
from curator_core.stages.function import FunctionStage, processing_stage

__all__ = [
    "OPEN_COLUMNS",
    "CompositeStage",
    "FilePartitioningStage",
    "FunctionStage",
    "ProcessingStage",
    "processing_stage",
]
