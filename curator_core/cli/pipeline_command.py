"""``curator run`` and ``curator validate``: a pipeline file, built through the plugin host."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from curator_core.executors.base import BaseExecutor
    from curator_core.pipeline import Pipeline

__all__ = ["run_command", "validate_command"]


def _load(args: argparse.Namespace) -> tuple[Pipeline, BaseExecutor]:
    from curator_core.pipeline_files import build_executor, build_pipeline, load_pipeline_file

    document = load_pipeline_file(args.pipeline, overrides=args.overrides)
    pipeline = build_pipeline(document)
    executor = build_executor(document, name=args.executor)
    return pipeline, executor


def validate_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build the plan (plugins, names, parameters, chain, executor capabilities) and print it."""
    pipeline, executor = _load(args)
    plan = pipeline.build(executor)
    out.write(plan.describe() + "\n")
    out.write(f"{args.pipeline}: valid\n")
    return 0


def run_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the pipeline file and print the per-stage summary (also when the run fails)."""
    pipeline, executor = _load(args)
    try:
        pipeline.run(executor, report_path=args.report)
    finally:
        report = pipeline.last_report
        if report is not None:
            out.write(report.summary() + "\n")
            if args.report:
                out.write(f"run report: {args.report}\n")
    return 0
