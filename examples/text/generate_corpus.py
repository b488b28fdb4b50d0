"""Generate a deterministic synthetic JSONL corpus: English-like documents with a share of junk.

Each file is generated from its own seed (``seed`` and the file's number), so the corpus is the
same whatever the number of processes. Mix per document (defaults): about 8% junk (symbol soup
or repeated boilerplate), 3% non-English, 2% English with non-ASCII characters and white space;
lengths 5..800 words.

    python examples/text/generate_corpus.py OUT_DIR --files 64 --docs 2000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor

SEED = 20261122

ENGLISH = [
    "the",
    "be",
    "to",
    "of",
    "and",
    "a",
    "in",
    "that",
    "have",
    "i",
    "it",
    "for",
    "not",
    "on",
    "with",
    "he",
    "as",
    "you",
    "do",
    "at",
    "this",
    "but",
    "his",
    "by",
    "from",
    "they",
    "we",
    "say",
    "her",
    "she",
    "or",
    "an",
    "will",
    "my",
    "one",
    "all",
    "would",
    "there",
    "their",
    "what",
    "so",
    "up",
    "out",
    "if",
    "about",
    "who",
    "get",
    "which",
    "go",
    "me",
    "when",
    "make",
    "can",
    "like",
    "time",
    "no",
    "just",
    "him",
    "know",
    "take",
    "people",
    "into",
    "year",
    "your",
    "good",
    "some",
    "could",
    "them",
    "see",
    "other",
    "than",
    "then",
    "now",
    "look",
    "only",
    "come",
    "its",
    "over",
    "think",
    "also",
    "back",
    "after",
    "use",
    "two",
    "how",
    "our",
    "work",
    "first",
    "well",
    "way",
    "even",
    "new",
    "want",
    "because",
    "any",
    "these",
    "give",
    "day",
    "most",
    "us",
    "data",
    "system",
    "model",
    "river",
    "market",
    "garden",
    "history",
    "science",
    "music",
    "city",
    "water",
    "energy",
    "paper",
    "study",
    "family",
    "language",
    "result",
    "process",
    "village",
    "teacher",
    "season",
    "method",
    "report",
    "network",
    "season",
    "harvest",
    "library",
    "project",
    "island",
    "research",
    "student",
    "country",
    "morning",
    "evening",
    "question",
    "answer",
    "number",
    "story",
    "picture",
    "window",
]
FRENCH = [
    "le",
    "la",
    "les",
    "de",
    "des",
    "un",
    "une",
    "et",
    "est",
    "dans",
    "pour",
    "que",
    "qui",
    "avec",
    "sur",
    "pas",
    "plus",
    "par",
    "nous",
    "vous",
    "ils",
    "elles",
    "mais",
    "comme",
    "tout",
    "bien",
    "faire",
    "leur",
    "deux",
    "aussi",
    "temps",
    "maison",
    "jour",
    "ville",
    "eau",
    "histoire",
    "monde",
    "travail",
    "enfant",
    "femme",
    "homme",
    "pays",
]
GERMAN = [
    "der",
    "die",
    "das",
    "und",
    "ist",
    "nicht",
    "ein",
    "eine",
    "zu",
    "mit",
    "auf",
    "den",
    "dem",
    "sich",
    "von",
    "wir",
    "ihr",
    "sie",
    "auch",
    "noch",
    "nach",
    "wie",
    "aber",
    "oder",
    "haus",
    "zeit",
    "jahr",
    "welt",
    "stadt",
    "wasser",
    "arbeit",
    "kind",
    "frau",
    "mann",
    "land",
    "geschichte",
    "schule",
]
ACCENTED = ["café", "naïve", "résumé", "façade", "jalapeño", "über", "coöperate", "déjà", "piñata", "señor"]
UNICODE_SPACES = ("\u00a0", "\u2003", "\u3000", "\u2009")
SYMBOLS = "#$%&*@^~|<>{}[]+=/\\-_;:"


def _english(rng: random.Random, words: int) -> str:
    chosen = rng.choices(ENGLISH, k=words)
    for i in range(rng.randint(8, 16), words, rng.randint(8, 16)):
        chosen[i] += "."
    chosen[0] = chosen[0].capitalize()
    text = " ".join(chosen)
    if words > 120 and rng.random() < 0.5:
        cut = text.find(" ", len(text) // 2)
        if cut > 0:
            text = text[:cut] + "\n\n" + text[cut + 1 :]
    return text + "."


def _junk(rng: random.Random, words: int) -> str:
    if rng.random() < 0.7:
        return " ".join("".join(rng.choices(SYMBOLS, k=rng.randint(1, 8))) for _ in range(words))
    line = "click here to subscribe " * 3
    return "\n".join([line.strip()] * max(1, words // 12))


def _foreign(rng: random.Random, words: int) -> str:
    vocabulary = FRENCH if rng.random() < 0.5 else GERMAN
    return " ".join(rng.choices(vocabulary, k=words)) + "."


def _non_ascii(rng: random.Random, words: int) -> str:
    chosen = rng.choices(ENGLISH + ACCENTED, k=words)
    out = []
    for word in chosen:
        out.append(word)
        out.append(rng.choice(UNICODE_SPACES) if rng.random() < 0.05 else " ")
    return "".join(out[:-1])


def document(rng: random.Random, junk_share: float = 0.08) -> str:
    """One document's text."""
    words = rng.randint(5, 800)
    roll = rng.random()
    if roll < junk_share:
        return _junk(rng, words)
    if roll < junk_share + 0.03:
        return _foreign(rng, words)
    if roll < junk_share + 0.05:
        return _non_ascii(rng, words)
    return _english(rng, words)


def write_file(out_dir: str, index: int, docs: int, seed: int = SEED) -> str:
    """Write ``part-<index>.jsonl`` with ``docs`` documents, from its own seed."""
    rng = random.Random(seed * 100_003 + index)
    path = os.path.join(out_dir, f"part-{index:05d}.jsonl")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        for row in range(docs):
            record = {"text": document(rng), "source": f"synthetic/{index}/{row}"}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


def generate(out_dir: str, files: int = 64, docs: int = 2000, seed: int = SEED, workers: int = 1) -> list[str]:
    """Generate ``files`` JSONL files of ``docs`` documents each into ``out_dir``."""
    os.makedirs(out_dir, exist_ok=True)
    args = [(out_dir, i, docs, seed) for i in range(files)]
    if workers <= 1:
        return [write_file(*a) for a in args]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(write_file, *zip(*args)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate(args.out_dir, args.files, args.docs, args.seed, args.workers)
    print(f"wrote {len(paths)} files x {args.docs} documents to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
