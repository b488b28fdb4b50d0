"""Code filters and the model-based filters, with tiny models and tokenizers made in the test."""

from __future__ import annotations

import ast
import importlib.util
import os
import pickle

import numpy as np
import pyarrow as pa
import pytest

from curator_text.filters import (
    FastTextLangId,
    FastTextQualityFilter,
    GeneralCommentToCodeFilter,
    HistogramFilter,
    NumberOfLinesOfCodeFilter,
    PerExtensionFilter,
    PornographicUrlsFilter,
    PythonCommentToCodeFilter,
    TokenCountFilter,
    TokenizerFertilityFilter,
    XMLHeaderFilter,
)

_spec = importlib.util.spec_from_file_location(
    "make_resources", os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden", "make_resources.py")
)
RESOURCES = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(RESOURCES)  # type: ignore[union-attr]


def decide(doc_filter: object, text: str) -> bool:
    return doc_filter.keep_document(doc_filter.score_document(text))  # type: ignore[attr-defined]


def test_fasttext_language_id_loads_a_model_file_and_keeps_by_score_and_language(tmp_path: object) -> None:
    pytest.importorskip("fasttext")
    path = RESOURCES.langid_model(os.path.join(str(tmp_path), "langid.bin"))
    f = FastTextLangId(model_path=path, min_langid_score=0.5, lang="EN")
    probability, code = ast.literal_eval(f.score_document("the river and the town\nover the hill"))
    assert code == "en" and probability > 0.5
    assert decide(f, "the river town") and not decide(f, "der fluss und die stadt")
    assert FastTextLangId(model_path=path, lang="de").keep_document("[0.9, 'de_Latn']")
    assert not FastTextLangId(model_path=path, lang="de_Cyrl").keep_document("[0.9, 'de_Latn']")
    # The model is loaded per process, not pickled.
    clone = pickle.loads(pickle.dumps(f))
    assert clone.score_document("the river town") == f.score_document("the river town")
    with pytest.raises(FileNotFoundError, match="nothing is downloaded"):
        FastTextLangId(model_path=os.path.join(str(tmp_path), "missing.bin"))


def test_fasttext_quality_keeps_by_seeded_pareto_draws(tmp_path: object) -> None:
    pytest.importorskip("fasttext")
    path = RESOURCES.quality_model(os.path.join(str(tmp_path), "quality.bin"))
    texts = ["research history science study", "click buy now free casino", "evidence explained clearly"] * 4
    f = FastTextQualityFilter(model_path=path, alpha=3, seed=7)
    scores = [f.score_document(t) for t in texts]
    assert scores[0] > 0.5 > scores[1]
    draws = np.random.RandomState(7).pareto(3, size=len(texts))
    expected = [bool(d > 1 - s) for d, s in zip(draws, scores)]
    assert [f.keep_document(s) for s in scores] == expected
    column = FastTextQualityFilter(model_path=path, alpha=3, seed=7)
    assert column.keep_column(column.score_column(pa.array(texts))).tolist() == expected


def test_token_count_with_a_tokenizer_file(tmp_path: object) -> None:
    tokenizers = pytest.importorskip("tokenizers")
    path = RESOURCES.tokenizer_file(os.path.join(str(tmp_path), "tokenizer.json"))
    f = TokenCountFilter(tokenizer_file=path, min_tokens=2, max_tokens=6)
    expected = len(tokenizers.Tokenizer.from_file(path).encode("the river town").ids)
    assert f.score_document("the river town") == expected
    assert not decide(f, "") and not decide(f, "the river town " * 10)
    assert pickle.loads(pickle.dumps(f)).score_document("the river town") == expected
    with pytest.raises(ValueError, match="exactly one"):
        TokenCountFilter()


def test_tokenizer_fertility_with_a_sentencepiece_model(tmp_path: object) -> None:
    pytest.importorskip("sentencepiece")
    path = RESOURCES.sentencepiece_model(os.path.join(str(tmp_path), "sp.model"))
    f = TokenizerFertilityFilter(path_to_tokenizer=path, min_char_to_token_ratio=2.0)
    assert f.score_document("the river") > 2.0 and decide(f, "the river town")
    assert f.score_document("") == -1 and not decide(f, "")
    assert not decide(f, "zq xj kv")  # unknown letters: about one token per character


def test_histogram_reads_a_local_folder_in_either_layout(tmp_path: object) -> None:
    flat = RESOURCES.histogram_folder(os.path.join(str(tmp_path), "flat"))
    nested = os.path.join(str(tmp_path), "nemo", "histograms", "checkpoint", "edunov", "cc60_multilingual")
    RESOURCES.histogram_folder(os.path.join(nested, "clean_hists"))
    for folder in (flat, os.path.join(str(tmp_path), "nemo")):
        f = HistogramFilter(lang="en", cache_dir=folder)
        assert decide(f, "the river town") and not decide(f, "!!!???;;;") and not decide(f, "")
    with pytest.raises(FileNotFoundError, match="no histogram for 'fr'"):
        HistogramFilter(lang="fr", cache_dir=flat)


def test_code_filters() -> None:
    c_source = "int x; // counter\n/* block */\n"
    assert GeneralCommentToCodeFilter("text/x-c").score_document(c_source) == len(" counter  block ") / len(c_source)
    assert GeneralCommentToCodeFilter("text/x-c").score_document("/* open") == 9999
    python = '"""Doc."""\n# note\nx = 1\n'
    assert PythonCommentToCodeFilter().score_document(python) == (len("# note") + len("Doc.")) / len(python)
    assert not decide(PythonCommentToCodeFilter(), "def f(:\n")
    assert XMLHeaderFilter().score_column(
        pa.array(['<?xml version="1.0"?><a/>', " " * 100 + "<?xml version="])
    ).tolist() == [1, 0]
    lines = NumberOfLinesOfCodeFilter(min_lines=2, max_lines=3)
    assert lines.keep_column(lines.score_column(pa.array(["a", "a\nb", "a\nb\nc\nd", None]))).tolist() == [
        False,
        True,
        False,
        False,
    ]
    assert not decide(PornographicUrlsFilter(), "see https://porn.example/x") and decide(
        PornographicUrlsFilter(), "porn"
    )


def test_per_extension_accepts_dataset_language_names(tmp_path: object) -> None:
    meta = RESOURCES.code_meta(os.path.join(str(tmp_path), "meta.csv"))
    f = PerExtensionFilter("C#", "cs", metadata_file=meta)
    assert decide(f, "class A { int Count; }\n") and not decide(f, "1234;\n5678;\n")
    assert not decide(PerExtensionFilter("C#", "csx", metadata_file=meta), "class A {}")
    with pytest.raises(ValueError, match="no rows for language"):
        PerExtensionFilter("Rust", "rs", metadata_file=meta)
