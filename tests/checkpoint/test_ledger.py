"""The checkpoint's records: a partition is done only when its whole tree of descendants is."""

from __future__ import annotations

import pathlib

import pytest

from curator_core.checkpoint import CheckpointLedger, done_partitions
from curator_core.errors import CheckpointError


def test_partition_is_done_when_every_descendant_passed_the_last_stage() -> None:
    records = {
        (0, "a"): ["a.0", "a.1"],  # fan-out
        (1, "a.0"): ["a.0"],
        (1, "a.1"): [],  # filtered
        (0, "b"): ["b"],  # its child never reached stage 1
        (0, "c"): [],  # filtered at the first stage
    }
    assert done_partitions(records, last_position=1) == {"a", "c"}


def test_partition_with_a_missing_grandchild_is_not_done() -> None:
    records = {(0, "a"): ["a.0", "a.1"], (1, "a.0"): ["a.0"], (2, "a.0"): ["a.0"], (1, "a.1"): ["a.1"]}
    assert done_partitions(records, last_position=2) == set()


def test_ledger_round_trips_records_and_a_retry_overwrites(tmp_path: pathlib.Path) -> None:
    ledger = CheckpointLedger(str(tmp_path / "ckpt"))
    ledger.record([(0, "a", ["a"]), (1, "a", [])])
    ledger.record([(0, "a", ["a"]), (1, "a", [])])
    ledger.record([(0, "b", ["b.0", "b.1"])])
    assert ledger.load() == {(0, "a"): ["a"], (1, "a"): [], (0, "b"): ["b.0", "b.1"]}
    assert len(list((tmp_path / "ckpt" / "events").glob("*.json"))) == 2
    assert not list((tmp_path / "ckpt" / "events").glob(".*"))  # no temporaries left behind


def test_ledger_on_an_object_store_url() -> None:
    ledger = CheckpointLedger("memory://curator-tests/ledger")
    ledger.record([(0, "x", [])])
    assert done_partitions(ledger.load(), last_position=0) == {"x"}


def test_unreadable_record_is_an_error_naming_the_file(tmp_path: pathlib.Path) -> None:
    ledger = CheckpointLedger(str(tmp_path))
    ledger.record([(0, "a", [])])
    record = next((tmp_path / "events").glob("*.json"))
    record.write_text('{"format": 1, "entr')
    with pytest.raises(CheckpointError, match=record.name):
        ledger.load()
