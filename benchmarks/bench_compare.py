"""Side by side: Curator, NeMo Curator 1.4.0 and datatrove 0.10.1 on the same text workload.

    nox -s compare          (or: python benchmarks/bench_compare.py, with Curator and psutil installed)

The workload of benchmarks/bench_text.py: CURATOR_BENCH_TEXT_FILES x CURATOR_BENCH_TEXT_DOCS generated
documents (default 64 x 2000 = 128,000), WordCountFilter(50..700) then NonAlphaNumericFilter(0.25),
Parquet out. NeMo Curator and datatrove run from their own virtualenvs (benchmarks/external_envs.py
builds them once under .venvs/); each system runs in a fresh process, on each of its executors.
Reported: wall time of the whole process, input documents per wall second, peak memory of the whole
process tree (PSS; Ray's daemons are children of the driver that started them), the time without
starting Ray (each Ray-based run starts a private local Ray first, timed apart, then runs the
pipeline on it; a single-machine system has nothing to subtract), and the documents kept with a
digest of their ids, which must be the same for every system. CURATOR_COMPARE_SYSTEMS (comma list of
labels as printed, e.g. "curator local,datatrove local") limits the systems; CURATOR_COMPARE_ROUNDS
(default 1) runs every system that many times, interleaved, and reports each one's median round.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "compare"))

import bench_text  # noqa: E402
from bench_text import DOCS, FILES, WORK, available_cpus, corpus, measure  # noqa: E402

NEMO_EXECUTORS = ("xenna", "ray_data", "ray_actor_pool")
ROUNDS = int(os.environ.get("CURATOR_COMPARE_ROUNDS", "1"))


def _median(results: list[dict[str, float]]) -> dict[str, float]:
    """The round with the median wall time."""
    return sorted(results, key=lambda result: result["wall_s"])[len(results) // 2]


def ours(executor: str, input_dir: str, output_dir: str) -> None:
    """Child process: the workload on one of our executors; prints kept documents and their digest."""
    from kept import kept

    pipeline = bench_text.workload(input_dir, output_dir, "compare-text")
    if executor == "local":
        from curator_core.executors.local import LocalExecutor

        started = time.perf_counter()
        pipeline.run(executor=LocalExecutor({"cpus": available_cpus(), "progress": False}))
        print(json.dumps({"pipeline_s": time.perf_counter() - started, **kept(output_dir)}))
        return
    if executor == "xenna":
        from curator_executor_xenna.cluster import ray_session
    else:
        from curator_core.executors.ray_session import ray_session

    # The executor's own way of starting Ray, done first so that its cost is reported apart.
    started = time.perf_counter()
    with ray_session():
        ray_start = time.perf_counter() - started
        started = time.perf_counter()
        pipeline.run(executor=executor)
        elapsed = time.perf_counter() - started
    print(json.dumps({"pipeline_s": elapsed, "ray_start_s": ray_start, **kept(output_dir)}))


def with_modules(python: str, requirements: dict[str, str]) -> str:
    """``python`` after pip-installing whichever of ``requirements`` (module -> requirement) it lacks.

    datatrove's base install writes Parquet only with pyarrow, and its filters package imports regex.
    """
    import subprocess

    missing = [
        requirement
        for module, requirement in requirements.items()
        if subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode != 0
    ]
    if missing:
        subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *missing], check=True)
    return python


def systems(input_dir: str) -> list[tuple[str, list[str], str]]:
    """(label, command, output folder) for every system that can run here."""
    from external_envs import datatrove_python, nemo_curator_python

    found: list[tuple[str, list[str], str]] = []
    for name in bench_text.executors():
        out = os.path.join(WORK, f"compare-curator-{name}")
        found.append((f"curator {name}", [sys.executable, __file__, "--child", name, input_dir, out], out))
    try:
        nemo = str(nemo_curator_python())
        for name in NEMO_EXECUTORS:
            out = os.path.join(WORK, f"compare-nemo-{name}")
            script = os.path.join(HERE, "compare", "nemo_run.py")
            found.append((f"nemo-curator {name}", [nemo, script, name, input_dir, out], out))
    except Exception as exc:  # a machine without the index or the CPU torch wheel
        print(f"NeMo Curator 1.4.0: could not build its virtualenv, skipped: {exc}")
    try:
        datatrove = with_modules(str(datatrove_python()), {"pyarrow": "pyarrow", "regex": "regex"})
        out = os.path.join(WORK, "compare-datatrove-local")
        script = os.path.join(HERE, "compare", "datatrove_run.py")
        found.append(("datatrove local", [datatrove, script, input_dir, out, str(available_cpus())], out))
    except Exception as exc:
        print(f"datatrove 0.10.1: could not build its virtualenv, skipped: {exc}")
    wanted = os.environ.get("CURATOR_COMPARE_SYSTEMS")
    if wanted:
        labels = {label.strip() for label in wanted.split(",")}
        found = [system for system in found if system[0] in labels]
    return found


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        ours(*sys.argv[2:])
        return 0
    input_dir = corpus()
    total = FILES * DOCS
    found = systems(input_dir)
    runs: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in found}
    for round_index in range(ROUNDS):
        for label, command, out in found:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(out + "-logs", ignore_errors=True)
            print(f"running {label} (round {round_index + 1} of {ROUNDS}) ...", flush=True)
            try:
                runs[label].append(measure(command))
            except Exception as exc:
                print(f"{label}: failed: {exc}")
    rows = [(label, _median(results)) for label, results in runs.items() if results]
    print(f"\ntext workload: {FILES} files x {DOCS} documents ({total} documents), {available_cpus()} CPUs")
    print(f"{'system':<28} {'wall s':>8} {'w/o Ray s':>10} {'docs/s':>10} {'peak MB':>9} {'kept':>8}  ids digest")
    for label, result in rows:
        wall = result["wall_s"]
        without_ray = f"{wall - result['ray_start_s']:.2f}" if "ray_start_s" in result else "-"
        print(
            f"{label:<28} {wall:>8.2f} {without_ray:>10} {total / wall:>10.0f} {result['peak_mb']:>9.0f}"
            f" {int(result['kept']):>8}  {result['digest']}"
        )
    digests = {result["digest"] for _, result in rows}
    if len(digests) == 1:
        print("every system kept the same documents")
    elif rows:
        print("WARNING: the systems kept different documents (see the digests)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
