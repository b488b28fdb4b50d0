"""Audio example pipeline: realtime factor (seconds of audio per second of wall time) per executor.

    nox -s bench -- audio          (or: python benchmarks/bench_audio.py)

Speech is generated with flite (CURATOR_BENCH_AUDIO_SENTENCES sentences, default 4, in four voices,
plus a noise-only and a silent file), then examples/audio/pipeline.yaml (manifest -> PocketSphinx
ASR -> WER -> duration -> keep WER < 20 % -> write manifest) runs on the local executor and on every
other installed executor (ray_data, ray_actor_pool, xenna; missing ones are skipped). Wall time
is the whole ``Pipeline.run``, engine start included. Prints figures, asserts nothing.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import soundfile as sf

from curator_audio.testing import SENTENCES, flite_path, generate_corpus
from curator_core.plugins.host import get_host

ROOT = Path(__file__).resolve().parents[1]
EXECUTORS = ["local", "ray_data", "ray_actor_pool", "xenna"]
N_SENTENCES = int(os.environ.get("CURATOR_BENCH_AUDIO_SENTENCES", "4"))


def _runner() -> Any:
    spec = importlib.util.spec_from_file_location("audio_example_run", ROOT / "examples" / "audio" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _installed(name: str) -> str | None:
    """None when the executor can be used, else why not."""
    try:
        get_host().executor_spec(name)
        get_host().resolve_executor(name)
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).split('. ')[0]}"
    return None


def main() -> None:
    if flite_path() is None:
        print("bench_audio: flite is not installed (apt-get install flite); skipped")
        return
    runner = _runner()
    with tempfile.TemporaryDirectory(prefix="bench-audio-") as tmp:
        manifest = generate_corpus(os.path.join(tmp, "speech"), sentences=SENTENCES[:N_SENTENCES])
        entries = runner.written_entries(os.path.dirname(manifest))
        audio_s = sum(sf.info(os.path.join(os.path.dirname(manifest), e["audio_filepath"])).duration for e in entries)
        print(f"\nAudio example pipeline: {len(entries)} files, {audio_s:.1f} s of audio, {os.cpu_count()} cores")
        print(f"{'executor':<16} {'wall s':>8} {'realtime x':>11} {'ASR s (sum)':>12} {'kept':>5}")
        for name in EXECUTORS:
            why = _installed(name)
            if why is not None:
                print(f"{name:<16} skipped ({why})")
                continue
            output = os.path.join(tmp, f"out-{name}")
            config = {"progress": False} if name == "local" else {}
            pipeline, executor = runner.build(manifest, output, name, config)
            start = time.perf_counter()
            try:
                pipeline.run(executor)
            except Exception as exc:  # one engine failing must not hide the others
                first_line = (str(exc).splitlines() or [""])[0][:100]
                print(f"{name:<16} failed: {type(exc).__name__}: {first_line}")
                continue
            wall = time.perf_counter() - start
            report = pipeline.last_report
            asr = sum(c.process_time for c in report.stages if c.stage == "InferenceAsrStage") if report else 0.0
            kept = len(runner.written_entries(output))
            print(f"{name:<16} {wall:>8.2f} {audio_s / wall:>11.2f} {asr:>12.2f} {kept:>5}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
