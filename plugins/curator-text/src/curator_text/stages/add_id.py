"""AddId: stable document ids from the task id and the row's position."""

from __future__ import annotations

from curator_text.filters.kernels import strings_to_arrow
from curator_text.stages.score_filter import _DocumentStage, _set_column
from curator_text.tasks import DocumentBatch

__all__ = ["AddId"]


class AddId(_DocumentStage):
    """Add ``id_field`` = ``[prefix_]<task id>_<row>``; the framework's task ids are the same on every rerun.

    An existing ``id_field`` is an error unless ``overwrite`` is set.
    """

    def __init__(self, id_field: str = "id", id_prefix: str | None = None, overwrite: bool = False) -> None:
        self.id_field = id_field
        self.id_prefix = id_prefix
        self.overwrite = overwrite

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.id_field]

    def process(self, task: DocumentBatch) -> DocumentBatch:
        table = task.data
        if self.id_field in table.column_names and not self.overwrite:
            raise ValueError(f"AddId: column {self.id_field!r} already exists; pass overwrite=True to replace it")
        head = f"{self.id_prefix}_{task.task_id}_" if self.id_prefix else f"{task.task_id}_"
        ids = strings_to_arrow([f"{head}{row}" for row in range(table.num_rows)])
        return task.derive(_set_column(table, self.id_field, ids))
