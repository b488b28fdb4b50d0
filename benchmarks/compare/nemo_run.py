"""NeMo Curator 1.4.0 side of `nox -s compare`: the text workload on one of its executors.

    <nemo venv>/bin/python benchmarks/compare/nemo_run.py EXECUTOR INPUT_DIR OUTPUT_DIR

Same stages as benchmarks/bench_text.py: JsonlReader -> ScoreFilter(WordCountFilter(50, 700)) ->
ScoreFilter(NonAlphaNumericFilter(0.25)) -> ParquetWriter. Prints one JSON line (kept, digest).
"""

from __future__ import annotations

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kept import kept


def executor(name: str):  # type: ignore[no-untyped-def]
    if name == "xenna":
        from nemo_curator.backends.xenna import XennaExecutor

        # Streaming mode wants every stage's CPUs at once (4.5 here); on a machine with fewer cores
        # NeMo Curator refuses and suggests batch mode, which runs stage by stage.
        streaming = (os.cpu_count() or 1) >= 6
        return XennaExecutor({"logging_interval": 600, "execution_mode": "streaming" if streaming else "batch"})
    if name == "ray_data":
        from nemo_curator.backends.ray_data import RayDataExecutor

        return RayDataExecutor()
    if name == "ray_actor_pool":
        from nemo_curator.backends.ray_actor_pool import RayActorPoolExecutor

        return RayActorPoolExecutor()
    raise SystemExit(f"unknown NeMo Curator executor {name!r}: xenna, ray_data or ray_actor_pool")


def main(name: str, input_dir: str, output_dir: str) -> None:
    from nemo_curator.pipeline import Pipeline
    from nemo_curator.stages.text.filters import ScoreFilter
    from nemo_curator.stages.text.filters.heuristic.string import NonAlphaNumericFilter, WordCountFilter
    from nemo_curator.stages.text.io.reader import JsonlReader
    from nemo_curator.stages.text.io.writer import ParquetWriter

    pipeline = Pipeline(
        name="compare-text",
        stages=[
            JsonlReader(file_paths=input_dir, files_per_partition=1),
            ScoreFilter(WordCountFilter(min_words=50, max_words=700)),
            ScoreFilter(NonAlphaNumericFilter(max_non_alpha_numeric_to_text_ratio=0.25)),
            ParquetWriter(path=output_dir),
        ],
    )
    import ray

    # A private local cluster: a bare ray.init() joins a cluster already running on this machine,
    # and refuses when there are several (other users' `ray start`). NeMo Curator's own
    # ray.init(ignore_reinit_error=True) then reuses this one.
    # Xenna's batch mode also asks Ray's state API, which finds "the" cluster through RAY_ADDRESS.
    started = time.perf_counter()
    context = ray.init(address="local", num_cpus=os.cpu_count() or 1, include_dashboard=True, log_to_driver=False)
    os.environ["RAY_ADDRESS"] = context.address_info["gcs_address"]
    ray_start = time.perf_counter() - started
    started = time.perf_counter()
    pipeline.run(executor(name))
    print(json.dumps({"pipeline_s": time.perf_counter() - started, "ray_start_s": ray_start, **kept(output_dir)}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
