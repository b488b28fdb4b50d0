"""Text benchmark: JsonlReader -> WordCountFilter(50..700) -> NonAlphaNumericFilter(0.25) -> ParquetWriter.

    nox -s bench -- text          (or: python benchmarks/bench_text.py)

Workload: CURATOR_BENCH_TEXT_FILES JSONL files (default 64) x CURATOR_BENCH_TEXT_DOCS documents
(default 2000) from examples/text/generate_corpus.py (fixed seed; cached under .tmp/bench-text).
Each system runs in a fresh process: the local executor, every other installed executor among
ray_data, ray_actor_pool and xenna, and benchmarks/text_floor.py (a framework-free script with as
many processes as the local executor has workers). Reported: whole-process wall time, docs/s
(input documents per wall second), peak memory of the whole process tree (PSS where available)
and the number of documents kept, which must agree. Figures only; nothing is asserted.
The local executor also runs with a checkpoint (``checkpoint_path``), to show what resuming costs.
CURATOR_BENCH_TEXT_START_METHOD sets the local executor's start method;
CURATOR_BENCH_TEXT_EXECUTORS (comma list) limits the executors; CURATOR_BENCH_TEXT_REPEATS runs every
system several times, interleaved, and reports medians.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

import psutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "examples", "text"))

FILES = int(os.environ.get("CURATOR_BENCH_TEXT_FILES", "64"))
DOCS = int(os.environ.get("CURATOR_BENCH_TEXT_DOCS", "2000"))
REPEATS = int(os.environ.get("CURATOR_BENCH_TEXT_REPEATS", "1"))
WORK = os.environ.get("CURATOR_BENCH_TEXT_DIR", os.path.join(ROOT, ".tmp", "bench-text"))
CANDIDATES = ("local", "ray_data", "ray_actor_pool", "xenna")


def corpus() -> str:
    """The generated input, reused while its parameters are unchanged."""
    from generate_corpus import SEED, generate

    directory = os.path.join(WORK, f"input-{FILES}x{DOCS}-{SEED}")
    marker = os.path.join(directory, ".complete")
    if not os.path.exists(marker):
        shutil.rmtree(directory, ignore_errors=True)
        started = time.perf_counter()
        generate(directory, files=FILES, docs=DOCS, workers=os.cpu_count() or 1)
        open(marker, "w").close()
        print(f"generated {FILES} x {DOCS} documents in {time.perf_counter() - started:.1f} s -> {directory}")
    return directory


def executors() -> list[str]:
    """Executor names to run: local plus whatever other candidate the plugin host can resolve."""
    from curator_core.errors import ExecutorNotFoundError
    from curator_core.plugins.host import get_host

    wanted = os.environ.get("CURATOR_BENCH_TEXT_EXECUTORS")
    names = [n.strip() for n in wanted.split(",")] if wanted else list(CANDIDATES)
    found = []
    for name in names:
        try:
            get_host().executor_spec(name)
        except ExecutorNotFoundError:
            print(f"executor {name!r}: not installed, skipped")
            continue
        found.append(name)
    return found


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def workload(input_dir: str, output_dir: str, name: str = "bench-text") -> Any:
    """The benchmark's pipeline: read JSONL, two NeMo heuristic filters, write Parquet."""
    from curator_core import Pipeline
    from curator_text import JsonlReader, NonAlphaNumericFilter, ParquetWriter, ScoreFilter, WordCountFilter

    return Pipeline(
        name,
        stages=[
            JsonlReader(input_dir),
            ScoreFilter(WordCountFilter(min_words=50, max_words=700)),
            ScoreFilter(NonAlphaNumericFilter(max_non_alpha_numeric_to_text_ratio=0.25)),
            ParquetWriter(output_dir),
        ],
    )


def run_pipeline(executor: str, input_dir: str, output_dir: str) -> None:
    """Child process: run the benchmark pipeline and print what it kept."""
    import pyarrow.parquet as pq

    pipeline = workload(input_dir, output_dir)
    # "local+checkpoint": the local executor recording a checkpoint (its overhead is the difference).
    executor, _, checkpointing = executor.partition("+")
    checkpoint = output_dir + "-checkpoint" if checkpointing else None
    if checkpoint:
        shutil.rmtree(checkpoint, ignore_errors=True)
    runner: object = executor
    if executor == "local":
        from curator_core.executors.local import LocalExecutor

        # CURATOR_BENCH_TEXT_START_METHOD compares fork, forkserver and spawn (default: the executor's).
        method = os.environ.get("CURATOR_BENCH_TEXT_START_METHOD") or None
        runner = LocalExecutor({"cpus": available_cpus(), "start_method": method})
    started = time.perf_counter()
    outputs = pipeline.run(executor=runner, checkpoint_path=checkpoint)
    elapsed = time.perf_counter() - started
    kept = sum(pq.read_metadata(path).num_rows for task in outputs for path in task.data)
    print(json.dumps({"kept": kept, "pipeline_s": elapsed}))


def _tree_memory(root: psutil.Process) -> int:
    """Summed PSS (RSS where PSS is unavailable) of a process and its descendants, in bytes."""
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for proc in processes:
        try:
            info = proc.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        total += getattr(info, "pss", info.rss)
    return total


def measure(command: list[str]) -> dict[str, float]:
    """Run a command in a fresh process: wall time, CPU time and peak memory of its tree, its JSON result."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    root = psutil.Process(process.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_memory(root))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError(f"{command} exited with {process.returncode}")
    result = json.loads(stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak / 1e6, **result}


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        run_pipeline(*sys.argv[2:])
        return 0
    input_dir = corpus()
    processes = available_cpus()
    systems: list[tuple[str, list[str]]] = [
        (f"executor {name}", [sys.executable, __file__, "--child", name, input_dir, os.path.join(WORK, f"out-{name}")])
        for name in executors()
    ]
    if any(label == "executor local" for label, _ in systems):
        out = os.path.join(WORK, "out-local-checkpoint")
        systems.insert(
            1,
            ("executor local + checkpoint", [sys.executable, __file__, "--child", "local+checkpoint", input_dir, out]),
        )
    floor_out = os.path.join(WORK, "out-floor")
    systems.append(
        (
            f"floor ({processes} processes)",
            [sys.executable, os.path.join(HERE, "text_floor.py"), input_dir, floor_out, "--processes", str(processes)],
        )
    )
    total = FILES * DOCS
    # Repeats are interleaved (a, b, a, b...) so that a shared machine's load drifts over every system alike.
    runs: dict[str, list[dict[str, float]]] = {label: [] for label, _ in systems}
    failed: set[str] = set()
    for _ in range(REPEATS):
        for label, command in systems:
            if label in failed:
                continue
            shutil.rmtree(command[-1] if "--child" in command else floor_out, ignore_errors=True)
            try:
                runs[label].append(measure(command))
            except Exception as exc:
                print(f"{label}: failed: {exc}")
                failed.add(label)
    rows = []
    for label, results in runs.items():
        if results:
            wall = statistics.median(r["wall_s"] for r in results)
            cpu = statistics.median(r["cpu_s"] for r in results)
            kept = int(results[0]["kept"])
            rows.append((label, wall, cpu, total / wall, max(r["peak_mb"] for r in results), kept))
    print(f"\ntext benchmark: {FILES} files x {DOCS} documents ({total} documents), {processes} CPUs,", end=" ")
    print(f"median of {REPEATS}")
    print(f"{'system':<28} {'wall s':>8} {'cpu s':>8} {'docs/s':>10} {'peak MB':>9} {'kept':>8}")
    for label, wall, cpu, rate, peak, kept in rows:
        print(f"{label:<28} {wall:>8.2f} {cpu:>8.2f} {rate:>10.0f} {peak:>9.0f} {kept:>8}")
    floor = next((r for r in rows if r[0].startswith("floor")), None)
    local = next((r for r in rows if r[0] == "executor local"), None)
    if floor and local:
        print(f"local / floor wall time: {local[1] / floor[1]:.2f}x")
    checkpointed = next((r for r in rows if r[0] == "executor local + checkpoint"), None)
    if checkpointed and local:
        print(f"checkpoint overhead (local): {100 * (checkpointed[1] / local[1] - 1):+.1f} % wall time")
    print("cpu s: user + system time of the waited-for process tree (Ray's own daemons are not included)")
    if len({r[5] for r in rows}) > 1:
        print("WARNING: the systems kept different numbers of documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
