"""The checkpoint's records: which task each stage call turned into which children."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CheckpointLedger", "CheckpointMark", "done_partitions"]

_FORMAT = 1

# (stage position, parent task id, child task ids); position 0 is the first stage after the source.
Entry = tuple[int, str, list[str]]


@dataclass(frozen=True)
class CheckpointLedger:
    """Where records live: ``<path>/events/``, one small file per stage call, written atomically.

    Plain files and no locks, so several workers and nodes can share one checkpoint folder (NFS,
    object stores): every record is complete or absent, never partial.
    """

    path: str
    storage_options: Mapping[str, Any] | None = field(default=None, hash=False, compare=False)

    @property
    def events_path(self) -> str:
        from curator_core.storage import join

        return join(self.path, "events")

    def record(self, entries: Sequence[Entry]) -> None:
        """Write one stage call's entries; a retried call overwrites its own file."""
        if not entries:
            return
        from curator_core.storage import atomic_write, join
        from curator_core.tasks import content_id

        key = "\n".join(f"{position}\t{parent}" for position, parent, _children in entries)
        body = json.dumps({"format": _FORMAT, "entries": [list(entry) for entry in entries]})
        with atomic_write(join(self.events_path, f"{content_id(key)}.json"), "w", self.storage_options) as handle:
            handle.write(body)

    def load(self) -> dict[tuple[int, str], list[str]]:
        """Every recorded entry, keyed by (stage position, parent task id)."""
        from curator_core.storage import exists, list_files, open_input

        if not exists(self.events_path, self.storage_options):
            return {}
        records: dict[tuple[int, str], list[str]] = {}
        for name in list_files(self.events_path, [".json"], self.storage_options):
            with open_input(name, "r", self.storage_options) as handle:
                try:
                    document = json.load(handle)
                    entries = document["entries"]
                except (ValueError, KeyError, TypeError) as exc:
                    from curator_core.errors import CheckpointError

                    raise CheckpointError(f"checkpoint record {name} is unreadable ({exc}); discard it") from exc
            for position, parent, children in entries:
                records[(int(position), str(parent))] = [str(c) for c in children]
        return records


@dataclass(frozen=True)
class CheckpointMark:
    """Attached to a stage: where its calls are recorded and at which position in the chain."""

    ledger: CheckpointLedger
    position: int


def done_partitions(records: Mapping[tuple[int, str], list[str]], last_position: int) -> set[str]:
    """Partitions whose every descendant reached past the last stage or was filtered out."""

    def complete(position: int, task_id: str) -> bool:
        children = records.get((position, task_id))
        if children is None:
            return False
        if position == last_position:
            return True
        return all(complete(position + 1, child) for child in children)

    partitions: Iterable[str] = (task_id for position, task_id in records if position == 0)
    return {partition for partition in partitions if complete(0, partition)}
