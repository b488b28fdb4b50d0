"""Video example pipeline figures: clips per second and realtime factor, on every installed executor.

    nox -s bench -- video         (or: python benchmarks/bench_video.py [--seconds S] [--copies N])

Inputs are the synthetic example videos (``curator_video.synthetic``) at 320x180, 24 fps: per copy a
moving-shapes video of S seconds, a scene-cut video of S seconds, a video of 1.5 S seconds with a
static middle third, and a corrupt file. The pipeline is ``examples/video/pipeline.yaml`` (2 s
clips, libx264 where available). Realtime factor = seconds of readable source video / wall time.
Wall time includes each executor's start-up (Ray's, for the Ray-based ones). Never asserts timings.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from curator_core.errors import ExecutorNotFoundError
from curator_core.plugins.host import get_host
from curator_video.media.codecs import pick_encoder
from curator_video.synthetic import generate_examples

ROOT = Path(__file__).resolve().parents[1]
EXECUTORS: list[tuple[str, str, dict[str, Any]]] = [
    ("local", "local (processes)", {"mode": "process", "progress": False}),
    ("local", "local (in_process)", {"mode": "in_process", "progress": False}),
    ("ray_data", "ray_data", {}),
    ("ray_actor_pool", "ray_actor_pool", {}),
    ("xenna", "xenna", {}),
]


def _runner() -> Any:
    spec = importlib.util.spec_from_file_location("video_example_run", ROOT / "examples" / "video" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _inputs(directory: str, seconds: float, copies: int) -> float:
    """Write the inputs; return the seconds of readable video."""
    total = 0.0
    for copy in range(copies):
        for video in generate_examples(
            os.path.join(directory, f"set{copy}"), width=320, height=180, seconds=seconds, variant=copy
        ):
            total += video.duration_s
    return total


def _executor(name: str, config: dict[str, Any]) -> Any | None:
    try:
        get_host().executor_spec(name)
        return get_host().resolve_executor(name)(config)
    except (ExecutorNotFoundError, ImportError) as exc:
        print(f"# {name}: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("CURATOR_BENCH_VIDEO_SECONDS", "10")))
    parser.add_argument("--copies", type=int, default=int(os.environ.get("CURATOR_BENCH_VIDEO_COPIES", "2")))
    parser.add_argument("--only", nargs="*", default=None, help="executor names to run (default: all installed)")
    args = parser.parse_args(argv)
    logging.getLogger("curator_video").setLevel(logging.ERROR)  # the corrupt files are expected
    runner = _runner()
    work = tempfile.mkdtemp(prefix="curator-bench-video-")
    try:
        videos = os.path.join(work, "videos")
        video_seconds = _inputs(videos, args.seconds, args.copies)
        print(
            f"video benchmark: {video_seconds:.0f} s of 320x180 video in {4 * args.copies} files "
            f"({args.copies} corrupt), 2 s clips, encoder {pick_encoder()}, {os.cpu_count()} cores"
        )
        print(f"{'executor':22s} {'clips':>6s} {'filtered':>8s} {'wall s':>8s} {'clips/s':>8s} {'realtime x':>10s}")
        for name, label, config in EXECUTORS:
            if args.only and name not in args.only:
                continue
            executor = _executor(name, config)
            if executor is None:
                continue
            output = os.path.join(work, f"out-{label.replace(' ', '_')}")
            pipeline, _name, _config = runner.build_pipeline(videos, output)
            start = time.perf_counter()
            try:
                pipeline.run(executor)
            except Exception as exc:
                print(f"{label:22s} failed: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            wall = time.perf_counter() - start
            clips = len(list(Path(output, "clips").glob("*.mp4")))
            filtered = len(list(Path(output, "metas", "filtered").glob("*.json")))
            processed = clips + filtered
            print(
                f"{label:22s} {clips:6d} {filtered:8d} {wall:8.2f} {processed / wall:8.1f} {video_seconds / wall:10.1f}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
