"""setup_on_node once per stage, setup before any process on each worker, teardown always."""

from __future__ import annotations

import collections
import os
from pathlib import Path

import pytest

from curator_core import Pipeline, StageFailedError
from curator_core.executors.local import LocalExecutor

from sample_stages import Boom, ReadSentences, Upper

SENTENCES = [f"word{i} other{i} more{i}" for i in range(8)]


def events(log_dir: Path) -> dict[str, collections.Counter[str]]:
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for name in os.listdir(log_dir):
        event, worker = name.rsplit("-", 2)[0], "-".join(name.rsplit("-", 2)[1:])
        counts[event][worker] += len((log_dir / name).read_text())
    return counts


@pytest.mark.parametrize("workers", [1, 2])
def test_counts_are_exact_per_worker(tmp_path: Path, workers: int) -> None:
    Pipeline("life", stages=[ReadSentences(SENTENCES), Upper(str(tmp_path))]).run(
        LocalExecutor({"num_workers": workers})
    )
    counts = events(tmp_path)
    assert sum(counts["setup_on_node"].values()) == 1
    assert set(counts["setup"].values()) == {1}
    assert counts["teardown"] == counts["setup"]
    assert 1 <= len(counts["setup"]) <= workers
    assert sum(counts["process"].values()) == 24
    assert set(counts["process"]) <= set(counts["setup"])


def test_teardown_runs_when_a_stage_raises(tmp_path: Path) -> None:
    with pytest.raises(StageFailedError):
        Pipeline("life", stages=[ReadSentences(SENTENCES), Upper(str(tmp_path)), Boom("OTHER3")]).run(LocalExecutor())
    counts = events(tmp_path)
    assert counts["setup"] and counts["teardown"] == counts["setup"]
