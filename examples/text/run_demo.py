"""The text demo: generate a small corpus, run examples/text/pipeline.yaml on the local executor.

    python examples/text/run_demo.py [OUT_DIR]      (default ./out/text-demo)

Writes OUT_DIR/input (the corpus), OUT_DIR/output (kept documents, Parquet) and
OUT_DIR/run-report.json beside them, then prints where they are and the per-stage summary.
"""

from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from generate_corpus import generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default=os.path.join("out", "text-demo"))
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--docs", type=int, default=250)
    parser.add_argument("--executor", default=None, help="executor name (default: the file's, local)")
    args = parser.parse_args(argv)

    from curator_core.pipeline_files import build_executor, build_pipeline, load_pipeline_file

    out_dir = os.path.abspath(args.out_dir)
    input_dir = os.path.join(out_dir, "input")
    output_dir = os.path.join(out_dir, "output")
    report_path = os.path.join(out_dir, "run-report.json")
    generate(input_dir, files=args.files, docs=args.docs)
    print(f"corpus: {args.files} files x {args.docs} documents in {input_dir}")

    overrides = [
        f"stages.JsonlReader.params.file_paths={input_dir}",
        f"stages.ParquetWriter.params.path={output_dir}",
    ]
    document = load_pipeline_file(os.path.join(HERE, "pipeline.yaml"), overrides=overrides)
    pipeline = build_pipeline(document)
    executor = build_executor(document, name=args.executor)
    outputs = pipeline.run(executor=executor, report_path=report_path)

    import pyarrow.parquet as pq

    kept = sum(pq.read_metadata(path).num_rows for task in outputs for path in task.data)
    print(f"output: {kept} kept documents in {len(outputs)} Parquet files under {output_dir}")
    print(f"report: {report_path}")
    assert pipeline.last_report is not None
    print(pipeline.last_report.summary())
    print(document_summary(outputs))
    return 0


def document_summary(outputs: list[object]) -> str:
    """Documents into and dropped by each filtering stage, from the perf stats every output carries."""
    totals: dict[str, list[float]] = {}
    for task in outputs:
        for perf in task._stage_perf:  # type: ignore[attr-defined]
            metrics = perf.custom_metrics
            if "documents_in" in metrics:
                entry = totals.setdefault(perf.stage_name, [0.0, 0.0])
                entry[0] += metrics["documents_in"]
                entry[1] += metrics.get("documents_dropped", 0.0)
    rows = [f"{'stage':<32} {'documents in':>13} {'dropped':>9}"]
    rows += [f"{name[:32]:<32} {int(n):>13} {int(d):>9}" for name, (n, d) in totals.items()]
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
