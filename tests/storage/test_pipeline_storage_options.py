"""The pipeline file's top-level ``storage_options`` reach every stage that takes them."""

from __future__ import annotations

import pytest

from curator_core.errors import PipelineFileError
from curator_core.pipeline_files.build import build_pipeline
from curator_core.pipeline_files.document import parse_pipeline

OPTIONS = {"key": "k", "secret": "s", "client_kwargs": {"endpoint_url": "http://127.0.0.1:9000"}}


def test_top_level_storage_options_go_to_stages_that_take_them(curator_env: None) -> None:
    document = parse_pipeline(
        {
            "name": "p",
            "storage_options": OPTIONS,
            "stages": [
                {"stage": "FilePartitioningStage", "params": {"file_paths": "s3://bucket/in"}},
                {
                    "stage": "FilePartitioningStage",
                    "params": {"file_paths": "s3://b/in", "storage_options": {"anon": True}},
                },
            ],
        }
    )
    first, second = build_pipeline(document).stages
    assert first.storage_options == OPTIONS
    assert second.storage_options == {"anon": True}  # a stage's own setting wins


def test_storage_options_must_be_a_mapping() -> None:
    with pytest.raises(PipelineFileError, match="'storage_options' must be a mapping"):
        parse_pipeline({"name": "p", "storage_options": ["key"], "stages": ["FilePartitioningStage"]})
