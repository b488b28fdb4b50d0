"""Run ``pipeline.yaml`` on a manifest and print what was kept.

Usage: python examples/audio/run.py [--manifest PATH] [--output DIR] [--executor NAME]
``build`` is also what the benchmark and the integration test use: the pipeline file is read by
the core's loader (registered names and plain parameters only), with the reader and writer
pointed elsewhere through ``--set``-style overrides.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
from typing import Any

from curator_core.pipeline_files import build_executor, build_pipeline, load_pipeline_file

HERE = os.path.dirname(os.path.abspath(__file__))
PIPELINE_FILE = os.path.join(HERE, "pipeline.yaml")


def build(
    manifest: str,
    output_dir: str,
    executor: str | None = None,
    config: dict[str, Any] | None = None,
    overrides: list[str] | None = None,
    path: str = PIPELINE_FILE,
) -> tuple[Any, Any]:
    """The example pipeline reading ``manifest`` and writing to ``output_dir``, and its executor.

    Paths are made absolute here, on the driver: workers of a Ray executor may run elsewhere.
    """
    document = load_pipeline_file(
        path,
        overrides=[
            f"stages.ManifestReader.params.manifest_paths={os.path.abspath(manifest)}",
            f"stages.ManifestWriterStage.params.output_dir={os.path.abspath(output_dir)}",
            *(overrides or []),
        ],
    )
    return build_pipeline(document), build_executor(document, name=executor, config=config)


def written_entries(output_dir: str) -> list[dict[str, Any]]:
    """Every entry the writer wrote, in file-name order (file names come from task ids)."""
    entries: list[dict[str, Any]] = []
    for path in sorted(glob.glob(os.path.join(output_dir, "*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            entries.extend(json.loads(line) for line in handle if line.strip())
    return entries


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", default="data/audio/manifest.jsonl")
    parser.add_argument("--output", default="data/audio_curated")
    parser.add_argument("--executor", default=None)
    args = parser.parse_args(argv)
    pipeline, executor = build(args.manifest, args.output, args.executor)
    pipeline.run(executor, report_path=os.path.join(args.output, "run-report.json"))
    assert pipeline.last_report is not None
    print(pipeline.last_report.summary())
    kept = written_entries(args.output)
    print(f"kept {len(kept)} entries:")
    for entry in kept:
        print(f"  wer={entry['wer']:6.2f}  {os.path.basename(entry['audio_filepath'])}: {entry['pred_text']}")


if __name__ == "__main__":
    main()
