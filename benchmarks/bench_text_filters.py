"""The whole NeMo Curator heuristic filter set, then language id: Curator against NeMo Curator 1.4.0.

    nox -s bench -- text          (or: python benchmarks/bench_text_filters.py)

Workload: bench_text.py's generated corpus (CURATOR_BENCH_TEXT_FILES x CURATOR_BENCH_TEXT_DOCS,
default 64 x 2000 = 128,000 documents), JsonlReader -> one ScoreFilter per NeMo Curator heuristic
text filter with its defaults (the 21 of heuristic/string.py and heuristic/repetition.py that need no
argument: SubstringFilter needs one, and the code filters are for code) -> FastTextLangId -> Parquet.
Language id uses the tiny fastText model of the golden tests (no real model is downloaded), the same
file on both sides; without fasttext installed here both sides skip that step.

Curator runs on its local executor; NeMo Curator on CURATOR_BENCH_NEMO_EXECUTOR (default ray_data,
its fastest here, see shared ENGINES.md) from its own virtualenv (benchmarks/external_envs.py). Each
runs in a fresh process; reported: wall time, peak memory of the whole process tree (PSS), documents
kept (which must agree). Figures only; nothing is asserted.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from bench_text import DOCS, FILES, WORK, available_cpus, corpus, measure  # noqa: E402

HEURISTICS = (
    "NonAlphaNumericFilter",
    "SymbolsToWordsFilter",
    "NumbersFilter",
    "UrlsFilter",
    "BulletsFilter",
    "WhiteSpaceFilter",
    "ParenthesesFilter",
    "LongWordFilter",
    "WordCountFilter",
    "BoilerPlateStringFilter",
    "MeanWordLengthFilter",
    "PunctuationFilter",
    "EllipsisFilter",
    "CommonEnglishWordsFilter",
    "WordsWithoutAlphabetsFilter",
    "PornographicUrlsFilter",
    "RepeatedLinesFilter",
    "RepeatedParagraphsFilter",
    "RepeatedLinesByCharFilter",
    "RepeatedParagraphsByCharFilter",
    "RepeatingTopNGramsFilter",
    "RepeatingDuplicateNGramsFilter",
)
LANGID_MODEL = os.path.join(ROOT, "plugins", "curator-text", "tests", "golden", "resources", "tiny_langid.bin")
NEMO_EXECUTOR = os.environ.get("CURATOR_BENCH_NEMO_EXECUTOR", "ray_data")


def kept_rows(output_dir: str) -> int:
    import pyarrow.parquet as pq

    return sum(
        pq.read_metadata(os.path.join(d, f)).num_rows
        for d, _, files in os.walk(output_dir)
        for f in files
        if f.endswith(".parquet")
    )


def ours(input_dir: str, output_dir: str, langid: str) -> None:
    """Child process: the filter set on Curator's local executor."""
    from curator_core import Pipeline
    from curator_core.executors.local import LocalExecutor
    from curator_text import FILTERS, JsonlReader, ParquetWriter, ScoreFilter

    stages: list[object] = [JsonlReader(input_dir)]
    stages += [ScoreFilter(FILTERS[name]()) for name in HEURISTICS]
    if langid == "1":
        stages.append(ScoreFilter(FILTERS["FastTextLangId"](model_path=LANGID_MODEL)))
    stages.append(ParquetWriter(output_dir))
    started = time.perf_counter()
    Pipeline("bench-text-filters", stages=stages).run(executor=LocalExecutor({"cpus": available_cpus()}))
    print(json.dumps({"kept": kept_rows(output_dir), "pipeline_s": time.perf_counter() - started}))


def nemo(input_dir: str, output_dir: str, langid: str) -> None:
    """Child process, in NeMo Curator's virtualenv: the same filter set on its executor."""
    import importlib

    from nemo_curator.pipeline import Pipeline
    from nemo_curator.stages.text.filters import ScoreFilter
    from nemo_curator.stages.text.io.reader import JsonlReader
    from nemo_curator.stages.text.io.writer import ParquetWriter

    def nemo_filter(name: str) -> object:
        for module in ("heuristic.string", "heuristic.repetition.repetition", "fasttext.fasttext_filters"):
            found = getattr(importlib.import_module(f"nemo_curator.stages.text.filters.{module}"), name, None)
            if found is not None:
                return found
        raise SystemExit(f"NeMo Curator has no filter {name}")

    stages: list[object] = [JsonlReader(file_paths=input_dir, files_per_partition=1)]
    stages += [ScoreFilter(nemo_filter(name)()) for name in HEURISTICS]  # type: ignore[operator]
    if langid == "1":
        stages.append(ScoreFilter(nemo_filter("FastTextLangId")(model_path=LANGID_MODEL)))  # type: ignore[operator]
    stages.append(ParquetWriter(path=output_dir))
    if NEMO_EXECUTOR == "xenna":
        from nemo_curator.backends.xenna import XennaExecutor

        runner: object = XennaExecutor({"logging_interval": 600, "execution_mode": "batch"})
    elif NEMO_EXECUTOR == "ray_actor_pool":
        from nemo_curator.backends.ray_actor_pool import RayActorPoolExecutor

        runner = RayActorPoolExecutor()
    else:
        from nemo_curator.backends.ray_data import RayDataExecutor

        runner = RayDataExecutor()
    started = time.perf_counter()
    Pipeline(name="bench-text-filters", stages=stages).run(runner)
    print(json.dumps({"kept": kept_rows(output_dir), "pipeline_s": time.perf_counter() - started}))


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] in ("--ours", "--nemo"):
        (ours if sys.argv[1] == "--ours" else nemo)(*sys.argv[2:])
        return 0
    from external_envs import nemo_curator_python

    input_dir = corpus()
    langid = "1" if importlib.util.find_spec("fasttext") is not None else "0"
    if langid == "0":
        print("fasttext is not installed here: both systems skip the language-id step")
    systems = [
        ("curator local", [sys.executable, __file__, "--ours"]),
        (f"nemo-curator {NEMO_EXECUTOR}", [str(nemo_curator_python()), __file__, "--nemo"]),
    ]
    rows = []
    for label, command in systems:
        output_dir = os.path.join(WORK, "filters-out-" + label.replace(" ", "-"))
        shutil.rmtree(output_dir, ignore_errors=True)
        try:
            result = measure([*command, input_dir, output_dir, langid])
        except Exception as exc:
            print(f"{label}: failed: {exc}")
            continue
        rows.append((label, result))
    total = FILES * DOCS
    print(f"\nNeMo heuristic filter set ({len(HEURISTICS)} filters{', then FastTextLangId' if langid == '1' else ''}):")
    print(f"{total} documents, {available_cpus()} CPUs")
    print(f"{'system':<28} {'wall s':>8} {'cpu s':>8} {'docs/s':>10} {'peak MB':>9} {'kept':>8}")
    for label, r in rows:
        print(
            f"{label:<28} {r['wall_s']:>8.2f} {r['cpu_s']:>8.2f} {total / r['wall_s']:>10.0f} "
            f"{r['peak_mb']:>9.0f} {int(r['kept']):>8}"
        )
    if len({int(r["kept"]) for _, r in rows}) > 1:
        print("WARNING: the systems kept different numbers of documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
