"""DocumentBatch: the task text stages exchange, a batch of documents over a pyarrow Table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from curator_core.tasks import Task

__all__ = ["DocumentBatch", "as_table"]


def as_table(data: Any) -> pa.Table:
    """A pyarrow Table from a Table, a RecordBatch, a pandas DataFrame, or a dict of columns."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    if type(data).__module__.split(".")[0] == "pandas":
        # pandas stays optional: only a DataFrame the user already has brings it in.
        return pa.Table.from_pandas(data, preserve_index=False)
    if isinstance(data, dict):
        return pa.table(data)
    raise TypeError(f"DocumentBatch data must be a pyarrow Table or a pandas DataFrame, got {type(data).__name__}")


@dataclass
class DocumentBatch(Task[pa.Table]):
    """Documents as rows of a pyarrow Table; a pandas DataFrame given as data is converted."""

    def __post_init__(self) -> None:
        self.data = as_table(self.data)

    @property
    def num_items(self) -> int:
        return int(self.data.num_rows)

    def validate(self) -> bool:
        return isinstance(self.data, pa.Table)

    def to_pyarrow(self) -> pa.Table:
        return self.data

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (needs pandas installed)."""
        return self.data.to_pandas()

    @property
    def columns(self) -> list[str]:
        return list(self.data.column_names)
