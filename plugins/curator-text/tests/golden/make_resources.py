"""Tiny model and resource files for the model-based filters, trained on generated text.

    python plugins/curator-text/tests/golden/make_resources.py [OUT_DIR]

Writes, deterministically (fixed seeds, one training thread): ``tiny_langid.bin`` and
``tiny_quality.bin`` (fastText models, written directly in fastText's format), ``tiny_sp.model``
(SentencePiece), ``tiny_tokenizer.json`` (Hugging Face tokenizers), ``histograms/en`` (an
NLLB-style character histogram) and ``code_meta.csv`` (StarCoder's per-extension table layout).
The golden run used the committed copies under ``resources/``; tests call these functions to
make fresh ones in a temporary folder.
"""

from __future__ import annotations

import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "resources")

_WORDS = {
    "en": [
        "the",
        "river",
        "town",
        "market",
        "church",
        "school",
        "people",
        "house",
        "water",
        "bread",
        "road",
        "hill",
        "light",
        "story",
        "over",
        "under",
        "and",
        "with",
    ],
    "de": [
        "der",
        "fluss",
        "stadt",
        "markt",
        "kirche",
        "schule",
        "leute",
        "haus",
        "wasser",
        "brot",
        "weg",
        "berg",
        "licht",
        "und",
        "mit",
        "über",
        "unter",
    ],
    "fr": [
        "la",
        "rivière",
        "ville",
        "marché",
        "église",
        "école",
        "gens",
        "maison",
        "eau",
        "pain",
        "route",
        "colline",
        "lumière",
        "et",
        "avec",
        "sur",
        "sous",
    ],
}
_QUALITY = {
    "hq": [
        "research",
        "history",
        "science",
        "careful",
        "analysis",
        "evidence",
        "explained",
        "clearly",
        "written",
        "article",
        "study",
    ],
    "lq": ["click", "buy", "now", "free", "cheap", "win", "prize", "casino", "deal", "offer", "subscribe", "hot"],
}


def sentences(vocabulary: list[str], count: int, rng: random.Random) -> list[str]:
    return [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(4, 12))) for _ in range(count)]


def _write_fasttext(path: str, labelled: dict[str, list[str]]) -> None:
    """A supervised fastText model built from word counts per label, written in fastText's binary format.

    fastText's own trainer is not used: builds of fasttext 0.9.3 from source on this platform
    diverge ("Encountered NaN") on any input. The file is what ``fasttext.load_model`` reads;
    prediction averages the words' input rows (plus the end-of-sentence token) and applies a
    softmax over the output rows, as for any trained model. Each word's row is its log share of
    every label's occurrences, so the model is a small naive-Bayes-like classifier.
    """
    import numpy as np

    labels = list(labelled)
    counts: dict[str, np.ndarray] = {}
    for index, label in enumerate(labels):
        for text in labelled[label]:
            for word in text.split():
                counts.setdefault(word, np.zeros(len(labels)))[index] += 1
    words = ["</s>", *sorted(counts)]
    dim = len(labels)
    inputs = np.zeros((len(words), dim))
    for row, word in enumerate(words[1:], start=1):
        share = (counts[word] + 0.5) / (counts[word].sum() + 0.5 * dim)
        inputs[row] = np.log(share) - np.log(share).mean()
    outputs = np.eye(dim)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<ii", 793712314, 12))  # magic, version
        # dim, ws, epoch, minCount, neg, wordNgrams, loss (softmax), model (supervised), bucket, minn, maxn,
        # lrUpdateRate, t
        handle.write(struct.pack("<12id", dim, 5, 5, 1, 5, 1, 3, 3, 0, 0, 0, 100, 1e-4))
        entries = [(w, 0) for w in words] + [(f"__label__{label}", 1) for label in labels]
        tokens = sum(len(t.split()) for texts in labelled.values() for t in texts)
        handle.write(struct.pack("<iiiqq", len(entries), len(words), len(labels), tokens, -1))
        for entry, kind in entries:
            handle.write(entry.encode() + b"\0" + struct.pack("<qb", 1, kind))
        for matrix in (inputs, outputs):
            handle.write(b"\0" + struct.pack("<qq", *matrix.shape) + matrix.astype("<f4").tobytes())


def langid_model(path: str) -> str:
    rng = random.Random(1)
    _write_fasttext(path, {code: sentences(words, 60, rng) for code, words in _WORDS.items()})
    return path


def quality_model(path: str) -> str:
    rng = random.Random(2)
    _write_fasttext(path, {label: sentences(words, 60, rng) for label, words in _QUALITY.items()})
    return path


def sentencepiece_model(path: str) -> str:
    import sentencepiece

    rng = random.Random(3)
    corpus = sentences(_WORDS["en"] + _QUALITY["hq"], 300, rng)
    prefix = path.removesuffix(".model")
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus),
        model_prefix=prefix,
        vocab_size=50,
        model_type="unigram",
        normalization_rule_name="identity",
        num_threads=1,
        minloglevel=2,
    )
    os.remove(prefix + ".vocab")
    return path


def tokenizer_file(path: str) -> str:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    rng = random.Random(4)
    corpus = sentences(_WORDS["en"] + _QUALITY["hq"] + _QUALITY["lq"], 300, rng)
    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.train_from_iterator(
        corpus, trainers.BpeTrainer(vocab_size=120, special_tokens=["[UNK]"], show_progress=False)
    )
    tokenizer.save(path)
    return path


def histogram_folder(path: str) -> str:
    """An NLLB-style histogram: one character per line, most frequent first, ``]`` ending the kept part."""
    os.makedirs(path, exist_ok=True)
    kept = " etaoinsrhldcumfpgwybvkxjqzETAOINSRHLDCUMFPGWYBVKXJQZ.,0123456789"
    with open(os.path.join(path, "en"), "w", encoding="utf-8") as handle:
        handle.writelines(f"{char}\t{1000 - i}\n" for i, char in enumerate(kept))
        handle.write("]\t1\n")
        handle.writelines(f"{char}\t1\n" for char in "!?;:")
    return path


def code_meta(path: str) -> str:
    rows = [
        "language,extension,Include,Long_line_threshold,Alphanum_threshold,Alpha filter",
        "python,py,1,1000,0.25,",
        "python,pyw,0,,,",
        "c-sharp,cs,1,200,0.5,0.3",
        "javascript,js,1,100,,0.5",
    ]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(rows) + "\n")
    return path


def make_all(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    langid_model(os.path.join(out, "tiny_langid.bin"))
    quality_model(os.path.join(out, "tiny_quality.bin"))
    sentencepiece_model(os.path.join(out, "tiny_sp.model"))
    tokenizer_file(os.path.join(out, "tiny_tokenizer.json"))
    histogram_folder(os.path.join(out, "histograms"))
    code_meta(os.path.join(out, "code_meta.csv"))


if __name__ == "__main__":
    make_all(sys.argv[1] if len(sys.argv) > 1 else RESOURCES)
