"""The vectorised scores agree with the per-document rules, including on awkward text."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curator_text.filters import (
    LongWordFilter,
    MeanWordLengthFilter,
    NonAlphaNumericFilter,
    NumbersFilter,
    ParenthesesFilter,
    WhiteSpaceFilter,
    WordCountFilter,
)
from curator_text.filters.kernels import (
    as_arrow,
    byte_table,
    count_words_ascii,
    from_numpy,
    member_mask,
    strings_to_arrow,
)

VECTORISED = [
    WordCountFilter(),
    NonAlphaNumericFilter(),
    NumbersFilter(),
    WhiteSpaceFilter(),
    ParenthesesFilter(),
    LongWordFilter(),
    MeanWordLengthFilter(),
]

AWKWARD = [
    "",
    " ",
    "word",
    "  two  words  ",
    "a\x1cb\x1dc\x1ed\x1ff",
    "tab\tnew\nline\rret\x0bvt\x0cff",
    "non\u00a0breaking\u2003em\u3000ideographic",
    "caf\u00e9 na\u00efve \u27e8angle\u27e9 (round) [square] {curly}",
    "digits 0123 and \u0663\u0664 arabic-indic",
    "\b\b backspaces",
    "emoji \U0001f600 here",
    "\x85next-line\u2028line-sep\u2029para-sep",
]

text_strategy = st.text(
    alphabet=st.sampled_from(
        [*"ab Z9.,!?\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f\b#()[]{}", *"\u00a0\u2003\u00e9\u27e8\u27e9\u0663\x85"]
    ),
    max_size=40,
)


def per_document(f: object, texts: list[str]) -> list[float]:
    return [f.score_document(t) for t in texts]  # type: ignore[attr-defined]


@pytest.mark.parametrize("doc_filter", VECTORISED, ids=lambda f: type(f).__name__)
def test_vectorised_scores_equal_per_document_scores_on_awkward_text(doc_filter: object) -> None:
    column = pa.chunked_array([pa.array(AWKWARD[:5]), pa.array(AWKWARD[5:])])
    scores = doc_filter.score_column(column)  # type: ignore[attr-defined]
    assert list(scores) == per_document(doc_filter, AWKWARD)
    keep = doc_filter.keep_column(scores)  # type: ignore[attr-defined]
    assert keep.tolist() == [doc_filter.keep_document(s) for s in per_document(doc_filter, AWKWARD)]  # type: ignore[attr-defined]


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(text_strategy, max_size=12))
def test_vectorised_scores_equal_per_document_scores_on_generated_text(texts: list[str]) -> None:
    column = pa.array(texts, type=pa.string())
    for doc_filter in VECTORISED:
        assert list(doc_filter.score_column(column)) == per_document(doc_filter, texts), type(doc_filter).__name__


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(text_strategy, max_size=30), st.integers(min_value=1, max_value=64))
def test_scores_do_not_depend_on_the_kernel_window(texts: list[str], window: int) -> None:
    """Kernels see a column in windows of whole rows: any window size gives the same scores, in order."""
    from curator_text.filters import kernels

    default = kernels.WINDOW_BYTES
    for kind in (pa.string(), pa.large_string()):
        column = pa.chunked_array([pa.array(texts[:7], type=kind), pa.array(texts[7:], type=kind)], type=kind)
        try:
            kernels.WINDOW_BYTES = window
            windows = kernels.string_chunks(column)
            scores = {type(f).__name__: list(f.score_column(column)) for f in VECTORISED}  # type: ignore[attr-defined]
        finally:
            kernels.WINDOW_BYTES = default
        assert [text for chunk in windows for text in chunk.to_pylist()] == texts
        longest = max((len(text.encode()) for text in texts), default=0)
        for chunk in windows:
            assert len(chunk) <= 1 or sum(len(t.encode()) for t in chunk.to_pylist()) < window + longest
        for doc_filter in VECTORISED:
            assert scores[type(doc_filter).__name__] == per_document(doc_filter, texts), type(doc_filter).__name__


def test_sliced_and_large_string_arrays_are_scored_from_their_own_rows() -> None:
    texts = ["skip me", "one two three", "", "four  five"]
    sliced = pa.array(texts).slice(1, 3)
    large = pa.array(texts, type=pa.large_string())
    assert count_words_ascii(sliced).tolist() == [3, 0, 2]
    assert count_words_ascii(large).tolist() == [2, 3, 0, 2]


def test_nulls_are_scored_as_empty_text() -> None:
    scores = WordCountFilter().score_column(pa.array(["a b", None]))
    assert scores.tolist() == [2, 0]


def test_arrow_builders_round_trip_without_pa_array() -> None:
    assert strings_to_arrow(["x", "\u00e9", ""]).to_pylist() == ["x", "\u00e9", ""]
    assert from_numpy(np.array([True, False, True])).to_pylist() == [True, False, True]
    assert from_numpy(np.array([1.5, 2.0])).to_pylist() == [1.5, 2.0]
    assert as_arrow(["a", "b"]).type == pa.string()


@settings(max_examples=50, deadline=None, database=None)
@given(st.binary(max_size=64), st.sets(st.integers(0, 255), max_size=60))
def test_member_mask_equals_a_table_lookup(data: bytes, members: set[int]) -> None:
    table = byte_table(sorted(members))
    values = np.frombuffer(data, dtype=np.uint8)
    assert member_mask(values, table).tolist() == table[values].tolist()
