"""``python -m curator_text.dedup``: the workflows from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from dedup_corpus import make_corpus


def test_cli_fuzzy_then_remove(tmp_path: Path) -> None:
    make_corpus(str(tmp_path / "in"), files=2, originals=30, exact_copies=3, near_copies=4, loose_copies=0)
    common = ["--input-path", str(tmp_path / "in"), "--id-field", "doc_id"]
    found = subprocess.run(
        [
            sys.executable,
            "-m",
            "curator_text.dedup",
            "fuzzy",
            *common,
            "--cache-path",
            str(tmp_path / "cache"),
            "--output-path",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = json.loads(found.stdout.strip().splitlines()[-1])
    ids = pq.read_table(summary["duplicate_ids_path"]).column("id").to_pylist()
    assert summary["num_duplicates"] == len(ids) >= 7
    removed = subprocess.run(
        [
            sys.executable,
            "-m",
            "curator_text.dedup",
            "remove",
            *common,
            "--ids-to-remove-path",
            summary["duplicate_ids_path"],
            "--output-path",
            str(tmp_path / "dedup"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(removed.stdout.strip().splitlines()[-1])["output_files"] == 2
    kept = [
        json.loads(line)["doc_id"]
        for f in sorted((tmp_path / "dedup").iterdir())
        for line in f.read_text().splitlines()
    ]
    assert len(kept) == 30 + 3 + 4 + 12 - len(ids) and not set(ids) & set(kept)


def test_cli_rejects_an_unknown_command() -> None:
    result = subprocess.run([sys.executable, "-m", "curator_text.dedup", "semantic"], capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice" in result.stderr
