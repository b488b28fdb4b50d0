"""Load ``pipeline.yaml`` (plain data: registered stage names and params only) and run it.

Usage: python examples/video/run.py [--input DIR] [--output DIR] [--executor NAME]
``build_pipeline`` is also what the benchmark and the integration test use.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from curator_core import Pipeline
from curator_core.pipeline_files import build_pipeline as build_from_document
from curator_core.pipeline_files import load_pipeline_file

HERE = os.path.dirname(os.path.abspath(__file__))
PIPELINE_FILE = os.path.join(HERE, "pipeline.yaml")


def build_pipeline(
    input_dir: str, output_dir: str, path: str = PIPELINE_FILE, overrides: dict[str, dict[str, Any]] | None = None
) -> tuple[Pipeline, str, dict[str, Any]]:
    """The pipeline with its reader pointed at ``input_dir`` and its writer at ``output_dir``.

    Returns the pipeline, the executor name and its config from the file.
    """
    extra: dict[str, dict[str, Any]] = {
        "VideoReader": {"file_paths": input_dir},
        "ClipWriterStage": {"output_path": output_dir},
    }
    for name, params in (overrides or {}).items():
        extra.setdefault(name, {}).update(params)
    assignments = [
        f"stages.{stage}.params.{key}={value}" for stage, params in extra.items() for key, value in params.items()
    ]
    document = load_pipeline_file(path, overrides=assignments)
    return build_from_document(document), document.executor or "local", dict(document.executor_config)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", default="data/videos")
    parser.add_argument("--output", default="data/clips")
    parser.add_argument("--executor", default=None)
    args = parser.parse_args(argv)
    pipeline, name, config = build_pipeline(args.input, args.output)
    from curator_core.plugins.host import get_host

    if args.executor and args.executor != name:
        name, config = args.executor, {}
    executor = get_host().resolve_executor(name)(config)
    pipeline.run(executor, report_path=os.path.join(args.output, "run-report.json"))
    assert pipeline.last_report is not None
    for counts in pipeline.last_report.stages:
        print(
            f"{counts.stage:28s} in={counts.tasks_in:3d} out={counts.tasks_out:3d} "
            f"filtered={counts.filtered} failed={counts.failed}"
        )


if __name__ == "__main__":
    main()
