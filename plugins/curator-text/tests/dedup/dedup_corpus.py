"""Generated corpora with planted duplicates of known similarity, and a reference Jaccard."""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field


def shingles(text: str, n: int = 24) -> set[bytes]:
    data = text.encode("utf-8")
    return {data[i : i + n] for i in range(len(data) - n + 1)}


def jaccard(a: str, b: str, n: int = 24) -> float:
    sa, sb = shingles(a, n), shingles(b, n)
    if not sa and not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


@dataclass
class Planted:
    """Documents in file order, as (file name, row, doc id, text), and the planted relations."""

    rows: list[tuple[str, int, str, str]] = field(default_factory=list)
    exact: list[tuple[str, str]] = field(default_factory=list)  # (original id, copy id)
    near: list[tuple[str, str, float]] = field(default_factory=list)  # (original id, copy id, true jaccard)

    def text(self, doc_id: str) -> str:
        return next(t for _, _, i, t in self.rows if i == doc_id)


def _document(rng: random.Random, vocabulary: list[str]) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(110, 170)))


def _mutate(rng: random.Random, text: str, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        position = rng.randrange(len(chars))
        chars[position] = rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return "".join(chars)


def make_corpus(
    folder: str,
    *,
    files: int = 5,
    originals: int = 160,
    exact_copies: int = 20,
    near_copies: int = 60,
    loose_copies: int = 15,
    short_docs: int = 12,
    seed: int = 7,
    filetype: str = "jsonl",
) -> Planted:
    """Write a corpus with planted exact copies, near copies (J >= 0.9) and loose copies (J < 0.75)."""
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(4000)
    ]
    docs: list[tuple[str, str]] = [(f"orig-{i}", _document(rng, vocabulary)) for i in range(originals)]
    planted = Planted()
    for i in range(exact_copies):
        source_id, source = docs[i]
        docs.append((f"exact-{i}", source))
        planted.exact.append((source_id, f"exact-{i}"))
    for i in range(near_copies):
        source_id, source = docs[exact_copies + i]
        copy = _mutate(rng, source, 1 + (i % 4 == 0))
        planted.near.append((source_id, f"near-{i}", jaccard(source, copy)))
        docs.append((f"near-{i}", copy))
    for i in range(loose_copies):
        source_id, source = docs[exact_copies + near_copies + i]
        copy = _mutate(rng, source, 12)
        planted.near.append((source_id, f"loose-{i}", jaccard(source, copy)))
        docs.append((f"loose-{i}", copy))
    for i in range(short_docs):  # empty and short documents, each one twice
        text = "" if i % 3 == 0 else "tiny " * (i % 4)
        docs.append((f"short-{i}", text))
    rng.shuffle(docs[originals:])  # copies interleave; originals stay first
    extension = "jsonl" if filetype == "jsonl" else "parquet"
    os.makedirs(folder, exist_ok=True)
    chunks: list[list[tuple[str, str]]] = [docs[i::files] for i in range(files)]
    for index, chunk in enumerate(chunks):
        name = f"part-{index:02d}.{extension}"
        path = os.path.join(folder, name)
        rows = [{"doc_id": d, "text": t} for d, t in chunk]
        if filetype == "jsonl":
            with open(path, "w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(r) + "\n" for r in rows)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist(rows), path)
        planted.rows.extend((name, row, d, t) for row, (d, t) in enumerate(chunk))
    return planted
