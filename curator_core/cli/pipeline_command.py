"""``curator run`` and ``curator validate``: a pipeline file, built through the plugin host."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from curator_core.executors.base import BaseExecutor
    from curator_core.pipeline import Pipeline

__all__ = ["run_command", "validate_command", "verbose_logging"]


def _load(args: argparse.Namespace) -> tuple[Pipeline, BaseExecutor]:
    from curator_core.pipeline_files import build_executor, build_pipeline, load_pipeline_file

    document = load_pipeline_file(args.pipeline, overrides=args.overrides)
    pipeline = build_pipeline(document)
    executor = build_executor(document, name=args.executor)
    return pipeline, executor


def verbose_logging(executor: BaseExecutor) -> list[str]:
    """Send DEBUG logging of curator_core and the executor's package to stderr; returns their names.

    Executors keep engine logging quiet unless their package logs at DEBUG (the Xenna executor then
    turns Xenna's own verbosity up); ``CURATOR_VERBOSE=1`` tells worker processes the same.
    """
    import logging
    import os

    names = sorted({"curator_core", type(executor).__module__.split(".")[0]})
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s: %(message)s"))
    for name in names:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    os.environ["CURATOR_VERBOSE"] = "1"
    return names


def validate_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build the plan (plugins, names, parameters, chain, executor capabilities) and print it."""
    pipeline, executor = _load(args)
    plan = pipeline.build(executor)
    out.write(plan.describe() + "\n")
    out.write(f"{args.pipeline}: valid\n")
    return 0


def run_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the pipeline file and print the per-stage summary (also when the run fails).

    The run report (JSON: counts, failures, versions, inputs, outputs, the ``--set`` overrides) is
    written to ``--report`` (default ``run-report.json`` in the working folder) unless ``--no-report``.
    With ``--checkpoint`` a rerun of the same command skips the partitions a killed run finished.
    """
    pipeline, executor = _load(args)
    if getattr(args, "verbose", False):
        verbose_logging(executor)
    report_path = None if getattr(args, "no_report", False) else args.report
    try:
        pipeline.run(
            executor,
            checkpoint_path=getattr(args, "checkpoint", None),
            discard_checkpoint=getattr(args, "discard_checkpoint", False),
        )
    finally:
        report = pipeline.last_report
        if report is not None:
            report.pipeline_file = args.pipeline
            report.overrides = list(args.overrides)
            out.write(report.summary() + "\n")
            if report_path:
                out.write(f"run report: {report.write(report_path)}\n")
    return 0
