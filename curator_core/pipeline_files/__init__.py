"""Pipeline files: YAML documents naming registered stages and an executor, run by ``curator run``."""

from curator_core.pipeline_files.build import (
    build_executor,
    build_pipeline,
    build_stage,
    construct_stage,
    stage_parameters,
)
from curator_core.pipeline_files.document import PipelineDocument, StageEntry, load_pipeline_file, parse_pipeline
from curator_core.pipeline_files.overrides import apply_overrides

__all__ = [
    "PipelineDocument",
    "StageEntry",
    "apply_overrides",
    "build_executor",
    "build_pipeline",
    "build_stage",
    "construct_stage",
    "load_pipeline_file",
    "parse_pipeline",
    "stage_parameters",
]
