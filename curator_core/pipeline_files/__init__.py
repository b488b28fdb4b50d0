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
from curator_core.pipeline_files.params import check_parameters, parameter_problem

__all__ = [
    "PipelineDocument",
    "StageEntry",
    "apply_overrides",
    "build_executor",
    "build_pipeline",
    "build_stage",
    "check_parameters",
    "construct_stage",
    "load_pipeline_file",
    "parameter_problem",
    "parse_pipeline",
    "stage_parameters",
]
