"""The hashing kernels against plain-Python references."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest
from dedup_corpus import jaccard as reference_jaccard
from dedup_corpus import shingles as reference_shingles

from curator_text.dedup import minhash
from curator_text.dedup.components import connected_components


def _texts(count: int = 60, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    texts = ["", "short", "x" * 23, "y" * 24, "héllo wörld " * 5]
    texts += ["".join(rng.choice("abcde ") for _ in range(rng.randint(0, 400))) for _ in range(count)]
    return texts


@pytest.mark.parametrize("chunk_bytes", [1 << 22, 50, 1000])
def test_shingle_counts_match_python_whatever_the_chunking(chunk_bytes: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minhash, "_CHUNK_BYTES", chunk_bytes)
    texts = _texts()
    shingled = minhash.shingle_hashes(pa.array(texts), 24, 42)
    for index, text in enumerate(texts):
        assert len(np.unique(shingled.hashes[shingled.docs == index])) == len(reference_shingles(text))


def test_jaccard_of_shingle_sets_is_the_true_jaccard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minhash, "_CHUNK_BYTES", 300)
    texts = _texts(20)
    sets = minhash.shingle_sets(pa.array(texts), 24, 7)
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            assert minhash.jaccard(sets[i], sets[j]) == pytest.approx(reference_jaccard(texts[i], texts[j]))


def test_signatures_agree_about_as_often_as_the_jaccard() -> None:
    rng = random.Random(5)
    base = " ".join("".join(rng.choice("abcdefgh") for _ in range(6)) for _ in range(400))
    copy = base[:1000] + "ZZZZ" + base[1004:2000] + "QQ" + base[2002:]
    shingled = minhash.shingle_hashes(pa.array([base, copy, ""]), 24, 42)
    sig, has = minhash.minhash_signatures(shingled, 3, 260)
    assert has.tolist() == [True, True, False]
    assert abs(float((sig[0] == sig[1]).mean()) - reference_jaccard(base, copy)) < 0.08


def test_connected_components_label_every_node_with_its_smallest_member() -> None:
    a = np.array([5, 9, 2, 7, 100], dtype=np.int64)
    b = np.array([9, 1, 3, 3, 101], dtype=np.int64)
    nodes, roots = connected_components(a, b)
    assert dict(zip(nodes.tolist(), roots.tolist(), strict=True)) == {
        1: 1,
        5: 1,
        9: 1,
        2: 2,
        3: 2,
        7: 2,
        100: 100,
        101: 100,
    }


def _near_copies(count: int = 12, seed: int = 11) -> list[str]:
    """Short and empty texts, random texts, and a near copy (one character changed) of each long one."""
    rng = random.Random(seed)
    texts = _texts(count, seed)
    for _ in range(count):
        text = "".join(rng.choice("abcde ") for _ in range(rng.randint(300, 900)))
        position = rng.randrange(len(text))
        texts += [text, text[:position] + "Q" + text[position + 1 :]]
    return texts


@pytest.mark.parametrize("round_bytes", [1 << 21, 1, 700])
def test_pair_jaccard_is_the_true_jaccard_whatever_the_rounds(
    round_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(minhash, "_PAIR_CHUNK_BYTES", round_bytes)
    texts = _near_copies()
    ia, ib = np.triu_indices(len(texts), 1)
    similarity = minhash.pair_jaccard(pa.array(texts), ia, ib, 24, 7)
    expected = [reference_jaccard(texts[i], texts[j]) for i, j in zip(ia.tolist(), ib.tolist(), strict=True)]
    assert similarity.tolist() == pytest.approx(expected)
    assert sum(value >= 0.8 for value in expected) >= 12


def test_document_bands_do_not_depend_on_the_chunking(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = pa.array([*_texts(80), None])
    whole, whole_has = minhash.document_bands(texts, 24, 42, 20, 13)
    monkeypatch.setattr(minhash, "_CHUNK_BYTES", 300)
    chunked, chunked_has = minhash.document_bands(texts, 24, 42, 20, 13)
    sig, has = minhash.minhash_signatures(minhash.shingle_hashes(texts, 24, 42), len(texts), 260)
    assert np.array_equal(whole_has, has) and np.array_equal(chunked_has, has)
    assert np.array_equal(whole, minhash.band_hashes(sig[has], 20, 13, 42))
    assert np.array_equal(chunked, whole)
