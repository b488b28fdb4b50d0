"""Every filter's scores and decisions equal NeMo Curator 1.4.0's own output on the golden corpus.

tests/golden/nemo_filters_golden.json was written by tests/golden/make_golden.py running NeMo
Curator itself. Each (filter, document) must match it, through both the per-document rule and
the whole-column path the stages use, except the documented differences below (the README's
"Differences from NeMo Curator" table lists the same cases).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import math
import os
import sys
from typing import Any

import pyarrow as pa
import pytest

from curator_text.filters import DocumentFilter, resolve_filter
from curator_text.filters.kernels import as_numpy

GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
RESOURCES = os.path.join(GOLDEN_DIR, "resources")
with open(os.path.join(GOLDEN_DIR, "nemo_filters_golden.json"), encoding="utf-8") as _handle:
    GOLDEN = json.load(_handle)
_spec = importlib.util.spec_from_file_location("golden_corpus", os.path.join(GOLDEN_DIR, "corpus.py"))
CORPUS = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(CORPUS)  # type: ignore[union-attr]

DROP = "drop"  # our decision in a documented difference: the document is dropped (counted), not a crash

# The documented differences: (filter class, document id) -> our decision and why. Documents NeMo
# Curator raises on are scored so that they are dropped; null text is scored as empty text.
DEGENERATE = {
    # class: documents where NeMo Curator raises (ZeroDivisionError / ValueError) and we drop
    "SymbolsToWordsFilter": {"empty", "whitespace"},
    "LongWordFilter": {"empty", "whitespace"},
    "MeanWordLengthFilter": {"empty", "whitespace"},
    "WordsWithoutAlphabetsFilter": {"empty", "whitespace"},
    "BulletsFilter": {"empty", "whitespace"},
    "PunctuationFilter": {"empty", "whitespace"},
    "EllipsisFilter": {"empty", "whitespace"},
    "RepeatedLinesFilter": {"empty", "whitespace"},
    "RepeatedLinesByCharFilter": {"empty", "whitespace"},
    "RepeatedParagraphsByCharFilter": {"empty"},
    "PythonCommentToCodeFilter": {"empty"},
    "GeneralCommentToCodeFilter": {"empty"},
    "AlphaFilter": {"empty"},
    "HTMLBoilerplateFilter": {"empty"},
    "PerExtensionFilter": {"empty"},
    "HistogramFilter": {"empty"},
}
# Word segmenters yield white-space tokens; NeMo Curator divides by zero on them, we count them as non-symbols.
BLANK_TOKENS = {("SymbolsToWordsFilter", "carriage_returns"), ("SymbolsToWordsFilter", "non_ascii_spaces")}
# The golden file was made on Python 3.11. From 3.12, tokenize (the C tokenizer) rejects some non-Python
# text that 3.11 tokenized; both NeMo Curator and we then score 9999 (comments unreadable).
NEWER_TOKENIZE = {"shell_code", "carriage_returns"}
# NeMo Curator refuses a dataset language name its own table lookup would translate ("C#" -> "c-sharp").
CONSTRUCTED = {"PerExtensionFilter/C#.cs"}


def allowed(key: str, name: str, doc_id: str, nemo: dict[str, Any]) -> str | None:
    """Why our result may differ here, or None where it must equal NeMo Curator's."""
    if key == "GeneralCommentToCodeFilter/text/x-python" and doc_id in NEWER_TOKENIZE and sys.version_info >= (3, 12):
        return "Python 3.12's tokenize rejects this text"
    if doc_id == "null":
        return "null text is scored as empty text (NeMo Curator raises)"
    if doc_id in DEGENERATE.get(name, set()) and "error" in nemo:
        return "degenerate document dropped (NeMo Curator raises)"
    if (name, doc_id) in BLANK_TOKENS and "error" in nemo:
        return "a white-space token is not a symbol (NeMo Curator raises)"
    return None


def resolve(params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: os.path.join(RESOURCES, v[1:]) if isinstance(v, str) and v.startswith("@") else v for k, v in params.items()
    }


def needs(name: str, params: dict[str, Any]) -> None:
    """Skip a filter whose optional dependency is absent."""
    modules = {
        "FastTextLangId": "fasttext",
        "FastTextQualityFilter": "fasttext",
        "TokenCountFilter": "tokenizers",
        "TokenizerFertilityFilter": "sentencepiece",
        "HTMLBoilerplateFilter": "bs4",
    }
    if name in modules:
        pytest.importorskip(modules[name])
    lang = str(params.get("lang", "")).lower()
    if lang == "zh":
        pytest.importorskip("jieba")
    if lang == "ja":
        pytest.importorskip("fugashi")
        pytest.importorskip("unidic_lite")


def same_score(ours: Any, theirs: Any) -> bool:
    if isinstance(theirs, str) and theirs.startswith("["):
        return isinstance(ours, str) and same_score(ast.literal_eval(ours), ast.literal_eval(theirs))
    if isinstance(theirs, list):
        return isinstance(ours, list) and len(ours) == len(theirs) and all(map(same_score, ours, theirs))
    if isinstance(theirs, bool | int | float) and isinstance(ours, bool | int | float):
        return math.isclose(float(ours), float(theirs), rel_tol=1e-9, abs_tol=1e-12)
    return ours == theirs


def column_results(doc_filter: DocumentFilter, texts: list[str | None]) -> tuple[list[Any], list[bool]]:
    scores = doc_filter.score_column(pa.array(texts, pa.string()))
    keep = doc_filter.keep_column(scores)
    values = scores.to_pylist() if isinstance(scores, pa.Array | pa.ChunkedArray) else as_numpy(scores).tolist()
    return values, [bool(k) for k in keep]


def test_golden_file_covers_the_corpus_and_every_filter_class() -> None:
    assert GOLDEN["nemo_curator"] == "1.4.0"
    assert GOLDEN["documents"] == [doc_id for doc_id, _ in CORPUS.DOCUMENTS]
    assert [key for key, _, _ in CORPUS.FILTERS] == sorted(
        GOLDEN["filters"], key=[k for k, _, _ in CORPUS.FILTERS].index
    )
    from curator_text.filters import FILTERS

    # Every filter we register (py3langid's LanguageFilter aside, which NeMo Curator does not have) is proven.
    assert {name for _, name, _ in CORPUS.FILTERS} == set(FILTERS) - {"LanguageFilter"}


@pytest.mark.parametrize(("key", "name", "params"), CORPUS.FILTERS, ids=[k for k, _, _ in CORPUS.FILTERS])
def test_scores_and_decisions_match_nemo_curator(key: str, name: str, params: dict[str, Any]) -> None:
    needs(name, params)
    golden = GOLDEN["filters"][key]
    if "construct_error" in golden:
        assert key in CONSTRUCTED, f"NeMo Curator refused {key}: {golden['construct_error']}"
        resolve_filter({"name": name, **resolve(params)})  # we accept it (documented difference)
        return
    texts = [text for _, text in CORPUS.DOCUMENTS]
    col_scores, col_keep = column_results(resolve_filter({"name": name, **resolve(params)}), texts)
    per_doc = resolve_filter({"name": name, **resolve(params)})
    mismatches = []
    for index, (doc_id, text) in enumerate(CORPUS.DOCUMENTS):
        nemo = golden["results"][doc_id]
        score = per_doc.score_document(text if text is not None else "")
        keep = bool(per_doc.keep_document(score))
        assert same_score(col_scores[index], score) and col_keep[index] == keep, (
            f"{key}/{doc_id}: column path {col_scores[index]!r}/{col_keep[index]} != per document {score!r}/{keep}"
        )
        reason = allowed(key, name, doc_id, nemo)
        if reason is not None:
            if reason.startswith("degenerate"):
                assert not keep, f"{key}/{doc_id}: {reason}, so it must be dropped"
            continue
        if name == "RepeatingTopNGramsFilter" and doc_id in golden["first_seen"]:
            # NeMo Curator's own code with ties going to the first n-gram (its pick follows set order).
            nemo = golden["first_seen"][doc_id]
        if "error" in nemo or not same_score(score, nemo["score"]) or keep != nemo["keep"]:
            mismatches.append(f"{doc_id}: ours {score!r}/{keep}, NeMo {nemo}")
    assert not mismatches, f"{key} differs from NeMo Curator:\n" + "\n".join(mismatches)


def test_readme_lists_every_documented_difference() -> None:
    readme = os.path.join(os.path.dirname(GOLDEN_DIR), "..", "README.md")
    with open(readme, encoding="utf-8") as handle:
        text = handle.read()
    section = text.split("## Differences from NeMo Curator", 1)[1]
    for name in DEGENERATE:
        assert name.removesuffix("Filter") in section, name
    for name, _ in BLANK_TOKENS:
        assert name in section
    assert "null" in section and "RepeatingTopNGramsFilter" in section and "PerExtensionFilter" in section
