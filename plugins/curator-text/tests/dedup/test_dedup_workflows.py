"""Exact and fuzzy deduplication on generated corpora with planted duplicates of known similarity."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from dedup_corpus import Planted, jaccard, make_corpus

from curator_text.dedup import (
    ExactDeduplicationWorkflow,
    FuzzyDeduplicationWorkflow,
    TextDuplicatesRemovalWorkflow,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Planted]:
    folder = str(tmp_path_factory.mktemp("corpus") / "input")
    return folder, make_corpus(folder)


def _ids(folder: str) -> list[dict[str, Any]]:
    return sorted(pq.read_table(folder).to_pylist(), key=lambda row: str(row["id"]))


def test_exact_finds_every_planted_copy_and_keeps_the_first(corpus: Any, tmp_path: Path, inline: Any) -> None:
    folder, planted = corpus
    result = ExactDeduplicationWorkflow(folder, str(tmp_path / "cache"), str(tmp_path / "out"), id_field="doc_id").run(
        inline
    )
    rows = _ids(result.duplicate_ids_path)
    removed = {row["id"]: row["kept_id"] for row in rows}
    position = {doc: (name, row) for name, row, doc, _ in planted.rows}
    for original, copy in planted.exact:  # the first copy in (file, row) order survives
        first, second = sorted([original, copy], key=position.__getitem__)
        assert removed.get(second) == first
    # The repeated short texts are exact duplicates too; empty documents never are.
    empty = {doc for _, _, doc, text in planted.rows if text == ""}
    assert not empty & set(removed) and not empty & set(removed.values())
    assert all(planted.text(doc) == planted.text(kept) for doc, kept in removed.items())
    seen: set[str] = set()
    expected = set()
    for _, _, doc, text in planted.rows:  # file order: a non-empty text seen before is a duplicate
        if text and text in seen:
            expected.add(doc)
        seen.add(text)
    assert set(removed) == expected
    assert result.num_duplicates == len(rows) > len(planted.exact)  # the repeated short texts count too


def test_fuzzy_recall_and_verified_removals(corpus: Any, tmp_path: Path, inline: Any) -> None:
    folder, planted = corpus
    result = FuzzyDeduplicationWorkflow(folder, str(tmp_path / "cache"), str(tmp_path / "out"), id_field="doc_id").run(
        inline
    )
    rows = _ids(result.duplicate_ids_path)
    removed = {row["id"] for row in rows}
    similar = [(a, b) for a, b, j in planted.near if j >= 0.9] + planted.exact
    assert len(similar) >= 50
    found = sum(1 for a, b in similar if b in removed and a not in removed)
    assert found / len(similar) >= 0.98
    # Verification: every removed document has a partner in its cluster at or above the threshold.
    clusters: dict[int, set[str]] = {}
    for row in rows:
        clusters.setdefault(row["cluster_id"], {row["kept_id"]}).add(row["id"])
    for members in clusters.values():
        for doc in members:
            assert max(jaccard(planted.text(doc), planted.text(o)) for o in members if o != doc) >= 0.8
    # Short and empty documents have no shingles: never part of a fuzzy cluster.
    short = {doc for _, _, doc, text in planted.rows if len(text.encode()) < 24}
    assert not short & {m for members in clusters.values() for m in members}


def test_plain_lsh_without_verification_is_a_superset(corpus: Any, tmp_path: Path, inline: Any) -> None:
    folder, _ = corpus
    verified = FuzzyDeduplicationWorkflow(folder, str(tmp_path / "c1"), str(tmp_path / "o1")).run(inline)
    plain = FuzzyDeduplicationWorkflow(
        folder, str(tmp_path / "c2"), str(tmp_path / "o2"), false_positive_check=False
    ).run(inline)
    assert {r["id"] for r in _ids(verified.duplicate_ids_path)} <= {r["id"] for r in _ids(plain.duplicate_ids_path)}


@pytest.mark.parametrize("workflow", [ExactDeduplicationWorkflow, FuzzyDeduplicationWorkflow])
def test_same_removals_for_any_partitioning(workflow: Any, corpus: Any, tmp_path: Path, inline: Any) -> None:
    folder, _ = corpus
    one = workflow(folder, str(tmp_path / "c1"), str(tmp_path / "o1"), files_per_partition=1).run(inline)
    other = workflow(
        folder, str(tmp_path / "c2"), str(tmp_path / "o2"), files_per_partition=3, shuffle_partitions=4
    ).run(inline)
    assert _ids(one.duplicate_ids_path) == _ids(other.duplicate_ids_path)
    assert _ids(one.duplicate_ids_path)


def test_generated_ids_are_stable_and_removal_writes_the_input_format(tmp_path: Path, inline: Any) -> None:
    planted = make_corpus(
        str(tmp_path / "in"), files=3, originals=40, exact_copies=5, near_copies=5, loose_copies=0, filetype="parquet"
    )
    result = FuzzyDeduplicationWorkflow(
        str(tmp_path / "in"),
        str(tmp_path / "cache"),
        str(tmp_path / "out"),
        input_filetype="parquet",
        perform_removal=True,
    ).run(inline)
    assert result.deduplicated_path == os.path.join(str(tmp_path / "out"), "deduplicated")
    kept = pq.read_table(result.deduplicated_path).column("doc_id").to_pylist()
    assert sorted(p.name for p in Path(result.deduplicated_path).iterdir()) == [
        "part-00.parquet",
        "part-01.parquet",
        "part-02.parquet",
    ]
    for original, copy in planted.exact + [(a, b) for a, b, _ in planted.near]:
        assert (original in kept) != (copy in kept)
    assert len(kept) == len(planted.rows) - result.num_duplicates
    # The same ids again on a rerun with another partitioning, through the standalone removal.
    again = TextDuplicatesRemovalWorkflow(
        str(tmp_path / "in"),
        result.duplicate_ids_path,
        str(tmp_path / "again"),
        input_filetype="parquet",
        files_per_partition=2,
    ).run(inline)
    assert sorted(pq.read_table(again.deduplicated_path).column("doc_id").to_pylist()) == sorted(kept)


def test_removal_keeps_jsonl_and_drops_exactly_the_listed_ids(corpus: Any, tmp_path: Path, inline: Any) -> None:
    folder, planted = corpus
    result = ExactDeduplicationWorkflow(
        folder, str(tmp_path / "cache"), str(tmp_path / "out"), id_field="doc_id", perform_removal=True
    ).run(inline)
    import json

    kept = []
    for path in sorted(Path(result.deduplicated_path or "").iterdir()):
        assert path.suffix == ".jsonl"
        kept += [json.loads(line)["doc_id"] for line in path.read_text().splitlines()]
    removed = {row["id"] for row in _ids(result.duplicate_ids_path)}
    assert sorted(kept) == sorted(doc for _, _, doc, _ in planted.rows if doc not in removed)


def test_cache_and_output_may_be_urls(corpus: Any, tmp_path: Path, inline: Any) -> None:
    import fsspec

    folder, _ = corpus
    local = ExactDeduplicationWorkflow(folder, str(tmp_path / "cache"), str(tmp_path / "out")).run(inline)
    remote = ExactDeduplicationWorkflow(
        folder, "memory://dedup-test/cache", "memory://dedup-test/out", perform_removal=True
    ).run(inline)
    assert remote.duplicate_ids_path == "memory://dedup-test/out/ExactDuplicateIds"
    fs = fsspec.filesystem("memory")
    rows = [
        r
        for f in sorted(fs.glob("/dedup-test/out/ExactDuplicateIds/*.parquet"))
        for r in pq.read_table(f, filesystem=fs).to_pylist()
    ]
    assert sorted(rows, key=lambda r: str(r["id"])) == _ids(local.duplicate_ids_path)
    assert len(remote.output_files) == 5 and all(
        f.startswith("memory://dedup-test/out/deduplicated/") for f in remote.output_files
    )
    fs.rm("/dedup-test", recursive=True)


def test_a_giant_cluster_of_near_identical_documents_is_found_whole(tmp_path: Path, inline: Any) -> None:
    import json
    import random

    from curator_text.dedup import fuzzy

    rng = random.Random(3)
    words = [f"w{i}" for i in range(300)]
    base = " ".join(rng.choice(words) for _ in range(150))
    folder = tmp_path / "in"
    folder.mkdir()
    members = []
    for index in range(4):
        rows = []
        for row in range(200):
            if row % 2:  # a near copy: one character changed
                position = rng.randrange(len(base))
                text = base[:position] + rng.choice("ABCDEFGH") + base[position + 1 :]
                members.append(f"{index}-{row}")
            else:  # unrelated filler
                text = " ".join(rng.choice(words) for _ in range(150))
            rows.append(json.dumps({"doc_id": f"{index}-{row}", "text": text}))
        (folder / f"part-{index}.jsonl").write_text("\n".join(rows) + "\n")
    result = FuzzyDeduplicationWorkflow(
        str(folder), str(tmp_path / "cache"), str(tmp_path / "out"), id_field="doc_id", shuffle_partitions=3
    ).run(inline)
    rows = _ids(result.duplicate_ids_path)
    # One cluster of all 400 copies; the first in (file, row) order survives, every other is removed.
    assert {row["kept_id"] for row in rows} == {"0-1"}
    assert sorted(row["id"] for row in rows) == sorted(members[1:])
    # Verified pairs stay linear in the cluster size: a few links per member and band, never all pairs.
    edges = pq.read_table(str(tmp_path / "cache" / "fuzzy" / "edges")).num_rows
    assert len(members) - 1 <= edges <= len(members) * (fuzzy.NEIGHBOURS - 1) * 20 < len(members) ** 2 // 2
