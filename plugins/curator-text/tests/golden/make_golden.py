"""Run every NeMo Curator 1.4.0 document filter on the golden corpus and write their scores and decisions.

    python plugins/curator-text/tests/golden/make_golden.py

Run with any Python: outside the NeMo Curator virtualenv it builds that virtualenv once
(benchmarks/external_envs.py: nemo-curator 1.4.0 with the CPU build of torch) and re-runs itself
there. Each filter in corpus.FILTERS scores every document of corpus.DOCUMENTS with NeMo
Curator's ``score_document`` and decides with its ``keep_document``, one document after another;
an exception is recorded by type name (NeMo Curator raises on several degenerate documents).
String hashing is fixed (PYTHONHASHSEED=0) so the file is reproducible; RepeatingTopNGramsFilter
also records NeMo Curator's result with ties going to the first n-gram in the document.
Output: nemo_filters_golden.json beside this file, which test_golden_parity.py compares with.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
RESOURCES = os.path.join(HERE, "resources")
GOLDEN = os.path.join(HERE, "nemo_filters_golden.json")
NEMO_VERSION = "1.4.0"

NEMO_MODULES = {
    "FastTextLangId": "nemo_curator.stages.text.filters.fasttext.fasttext_filters",
    "FastTextQualityFilter": "nemo_curator.stages.text.filters.fasttext.fasttext_filters",
    "TokenCountFilter": "nemo_curator.stages.text.filters.token.token_count",
    "HistogramFilter": "nemo_curator.stages.text.filters.histogram.histogram",
}
CODE_FILTERS = {
    "AlphaFilter",
    "GeneralCommentToCodeFilter",
    "HTMLBoilerplateFilter",
    "NumberOfLinesOfCodeFilter",
    "PerExtensionFilter",
    "PythonCommentToCodeFilter",
    "TokenizerFertilityFilter",
    "XMLHeaderFilter",
}
REPETITION_FILTERS = {
    "RepeatedLinesFilter",
    "RepeatedParagraphsFilter",
    "RepeatedLinesByCharFilter",
    "RepeatedParagraphsByCharFilter",
    "RepeatingTopNGramsFilter",
    "RepeatingDuplicateNGramsFilter",
}


def load_corpus() -> Any:
    spec = importlib.util.spec_from_file_location("golden_corpus", os.path.join(HERE, "corpus.py"))
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def nemo_class(name: str) -> Any:
    import importlib

    if name in NEMO_MODULES:
        module = NEMO_MODULES[name]
    elif name in CODE_FILTERS:
        module = "nemo_curator.stages.text.filters.heuristic.code.code"
    elif name in REPETITION_FILTERS:
        module = "nemo_curator.stages.text.filters.heuristic.repetition.repetition"
    else:
        module = "nemo_curator.stages.text.filters.heuristic.string"
    return getattr(importlib.import_module(module), name)


def nemo_filter(name: str, params: dict[str, Any], histograms: str) -> Any:
    """A NeMo Curator filter built from the corpus's parameters, its resources loaded."""
    kwargs = {
        k: os.path.join(RESOURCES, v[1:]) if isinstance(v, str) and v.startswith("@") else v for k, v in params.items()
    }
    if name == "TokenCountFilter":
        from transformers import PreTrainedTokenizerFast

        kwargs["tokenizer"] = PreTrainedTokenizerFast(tokenizer_file=kwargs.pop("tokenizer_file"))
    if name == "HistogramFilter":
        kwargs["cache_dir"] = histograms
    instance = nemo_class(name)(**kwargs)
    if name in ("FastTextLangId", "FastTextQualityFilter"):
        instance.load_model()
    return instance


def first_seen_order(name: str, params: dict[str, Any], histograms: str) -> Any:
    """The same NeMo Curator filter with its n-gram set iterating in first-seen order (a defined tie-break)."""
    import nemo_curator.stages.text.filters.heuristic.repetition.repetition as repetition

    instance = nemo_filter(name, params, histograms)
    original = instance.score_document

    def score_document(text: Any) -> Any:
        repetition.set = dict.fromkeys  # module globals shadow the builtin inside score_document
        try:
            return original(text)
        finally:
            del repetition.set

    instance.score_document = score_document
    return instance


def plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def run() -> dict[str, Any]:
    corpus = load_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        # NeMo Curator reads histograms from <cache_dir>/histograms/checkpoint/edunov/cc60_multilingual/clean_hists.
        clean = os.path.join(tmp, "histograms", "checkpoint", "edunov", "cc60_multilingual", "clean_hists")
        shutil.copytree(os.path.join(RESOURCES, "histograms"), clean)
        filters: dict[str, Any] = {}
        for key, name, params in corpus.FILTERS:
            entry: dict[str, Any] = {"class": name, "params": params, "results": {}}
            try:
                instance = nemo_filter(name, params, tmp)
            except Exception as exc:
                entry["construct_error"] = type(exc).__name__
                filters[key] = entry
                continue
            ordered = first_seen_order(name, params, tmp) if name == "RepeatingTopNGramsFilter" else None
            for doc_id, text in corpus.DOCUMENTS:
                if ordered is not None and text is not None:
                    # NeMo Curator picks among equally frequent n-grams in set order (per process); record also
                    # its result when the tie goes to the first n-gram in the document.
                    first = plain(ordered.score_document(text))
                    entry.setdefault("first_seen", {})[doc_id] = {
                        "score": first,
                        "keep": bool(ordered.keep_document(first)),
                    }
                try:
                    score = plain(instance.score_document(text))
                except Exception as exc:
                    entry["results"][doc_id] = {"error": type(exc).__name__}
                    continue
                try:
                    entry["results"][doc_id] = {"score": score, "keep": bool(instance.keep_document(score))}
                except Exception as exc:
                    entry["results"][doc_id] = {"score": score, "error": type(exc).__name__}
            filters[key] = entry
    return {
        "nemo_curator": NEMO_VERSION,
        "documents": [doc_id for doc_id, _ in corpus.DOCUMENTS],
        "filters": filters,
    }


def in_nemo_env() -> bool:
    try:
        import importlib.metadata

        return importlib.metadata.version("nemo-curator") == NEMO_VERSION
    except importlib.metadata.PackageNotFoundError:
        return False


def main() -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Fixed string hashing: NeMo Curator's tie-breaks in RepeatingTopNGramsFilter follow it.
        return subprocess.call(
            [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], env={**os.environ, "PYTHONHASHSEED": "0"}
        )
    if not in_nemo_env():
        sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
        from external_envs import nemo_curator_python

        return subprocess.call([str(nemo_curator_python()), os.path.abspath(__file__), *sys.argv[1:]])
    golden = run()
    with open(GOLDEN, "w", encoding="utf-8") as handle:
        json.dump(golden, handle, indent=1, ensure_ascii=False, sort_keys=True)
        handle.write("\n")
    print(f"wrote {len(golden['filters'])} filters x {len(golden['documents'])} documents to {GOLDEN}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
