"""Storage benchmark: the text benchmark's workload read from and written to S3 vs local files.

    nox -s bench -- storage          (or: python benchmarks/bench_storage.py)

Workload: bench_text's corpus (CURATOR_BENCH_STORAGE_FILES x CURATOR_BENCH_STORAGE_DOCS, default
32 x 2000, made by its corpus() and cached under .tmp/bench-text) through JsonlReader ->
WordCountFilter -> NonAlphaNumericFilter -> ParquetWriter on the local executor, once with local
folders and once with s3:// URLs on a moto S3 server on 127.0.0.1 (curator_core.testing.s3).
Reported per run (a fresh process each, measured by bench_text.measure): wall time, CPU time of
the run's process tree, peak memory (PSS) of that tree, documents kept (must agree). The moto
server is a separate process and not included; its own overhead is part of the S3 wall time.
CURATOR_BENCH_STORAGE_REPEATS runs both several times, interleaved, and reports medians.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench_text  # noqa: E402  (the text benchmark's corpus and measurement)

FILES = int(os.environ.get("CURATOR_BENCH_STORAGE_FILES", "32"))
DOCS = int(os.environ.get("CURATOR_BENCH_STORAGE_DOCS", "2000"))
REPEATS = int(os.environ.get("CURATOR_BENCH_STORAGE_REPEATS", "1"))


def run_pipeline(input_path: str, output_path: str, options_json: str) -> None:
    """Child process: the text benchmark pipeline between ``input_path`` and ``output_path``."""
    import pyarrow.parquet as pq

    from curator_core import Pipeline
    from curator_core.executors.local import LocalExecutor
    from curator_core.storage import open_input
    from curator_text import JsonlReader, NonAlphaNumericFilter, ParquetWriter, ScoreFilter, WordCountFilter

    options = json.loads(options_json) or None
    pipeline = Pipeline(
        "bench-storage",
        stages=[
            JsonlReader(input_path, storage_options=options),
            ScoreFilter(WordCountFilter(min_words=50, max_words=700)),
            ScoreFilter(NonAlphaNumericFilter(max_non_alpha_numeric_to_text_ratio=0.25)),
            ParquetWriter(output_path, storage_options=options),
        ],
    )
    started = time.perf_counter()
    outputs = pipeline.run(executor=LocalExecutor({"cpus": bench_text.available_cpus(), "progress": False}))
    elapsed = time.perf_counter() - started
    kept = 0
    for task in outputs:
        for path in task.data:
            with open_input(path, "rb", options) as handle:
                kept += pq.read_metadata(handle).num_rows
    print(json.dumps({"kept": kept, "pipeline_s": elapsed}))


def _upload(local_dir: str, url: str, options: dict[str, object]) -> float:
    from curator_core.storage import atomic_write, list_files

    started = time.perf_counter()
    for path in list_files(local_dir, [".jsonl"]):
        with open(path, "rb") as source, atomic_write(f"{url}/{os.path.basename(path)}", "wb", options) as target:
            shutil.copyfileobj(source, target)
    return time.perf_counter() - started


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        run_pipeline(*sys.argv[2:])
        return 0
    from curator_core.testing.s3 import local_s3_server

    bench_text.FILES, bench_text.DOCS = FILES, DOCS
    input_dir = bench_text.corpus()
    local_out = os.path.join(bench_text.WORK, "out-storage-local")
    total = FILES * DOCS
    with local_s3_server() as s3:
        options = s3.storage_options
        s3.create_bucket("bench-in")
        s3.create_bucket("bench-out")
        upload_s = _upload(input_dir, "s3://bench-in/corpus", options)
        print(f"uploaded {FILES} files to the local S3 server in {upload_s:.1f} s")
        systems = {
            "local files": [sys.executable, __file__, "--child", input_dir, local_out, "{}"],
            "s3 (moto, 127.0.0.1)": [
                sys.executable,
                __file__,
                "--child",
                "s3://bench-in/corpus",
                "s3://bench-out/run",
                json.dumps(options),
            ],
        }
        runs: dict[str, list[dict[str, float]]] = {label: [] for label in systems}
        for _ in range(REPEATS):
            for label, command in systems.items():
                shutil.rmtree(local_out, ignore_errors=True)
                runs[label].append(bench_text.measure(command))
    print(f"\nstorage benchmark: {FILES} files x {DOCS} documents ({total} documents), local executor,", end=" ")
    print(f"{bench_text.available_cpus()} CPUs, median of {REPEATS}")
    print(f"{'system':<24} {'wall s':>8} {'cpu s':>8} {'docs/s':>10} {'peak MB':>9} {'kept':>8}")
    kept = set()
    for label, results in runs.items():
        wall = statistics.median(r["wall_s"] for r in results)
        cpu = statistics.median(r["cpu_s"] for r in results)
        peak = max(r["peak_mb"] for r in results)
        kept.add(int(results[0]["kept"]))
        print(f"{label:<24} {wall:>8.2f} {cpu:>8.2f} {total / wall:>10.0f} {peak:>9.0f} {int(results[0]['kept']):>8}")
    if len(kept) > 1:
        print("WARNING: local files and S3 kept different numbers of documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
