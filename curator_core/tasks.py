"""Tasks: the batches of data that flow between stages."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from curator_core.perf import StagePerfStats

__all__ = ["EmptyTask", "FileGroupTask", "Task", "content_id", "with_framework_ids"]

T = TypeVar("T")
TaskT = TypeVar("TaskT", bound="Task[Any]")


@dataclass
class Task(ABC, Generic[T]):
    """A batch of data with an id, a dataset name, metadata and its per-stage history.

    Ids are assigned by the framework at every stage boundary; stages never need to set them.
    A stage that builds a new task from an old one may leave ``_metadata`` and ``_stage_perf``
    empty: the adapter carries the parent's forward (or use :meth:`derive`).
    """

    task_id: str
    dataset_name: str
    data: T
    _stage_perf: list[StagePerfStats] = field(default_factory=list)
    _metadata: dict[str, Any] = field(default_factory=dict)

    @property
    @abstractmethod
    def num_items(self) -> int:
        """How many items (rows, files, clips) the task holds."""

    @abstractmethod
    def validate(self) -> bool:
        """True when the task's data is well formed."""

    def content_key(self) -> str | None:
        """A string that identifies this task's content, used for its id at a source stage.

        Return None (the default) to get a positional id instead.
        """
        return None

    def derive(self, data: Any, task_type: type[TaskT] | None = None, **task_fields: Any) -> TaskT:
        """A new task carrying this one's id, dataset name, metadata and perf history."""
        perf, metadata = list(self._stage_perf), dict(self._metadata)
        if task_type is None:
            return replace(self, data=data, _stage_perf=perf, _metadata=metadata, **task_fields)  # type: ignore[return-value]
        return task_type(
            task_id=self.task_id,
            dataset_name=self.dataset_name,
            data=data,
            _stage_perf=perf,
            _metadata=metadata,
            **task_fields,
        )


@dataclass
class EmptyTask(Task[None]):
    """The seed of every pipeline: a source stage turns it into real tasks."""

    task_id: str = "seed"
    dataset_name: str = ""
    data: None = None

    @property
    def num_items(self) -> int:
        return 0

    def validate(self) -> bool:
        return True


@dataclass
class FileGroupTask(Task[list[str]]):
    """A group of file paths: what readers take and writers return."""

    @property
    def num_items(self) -> int:
        return len(self.data)

    def validate(self) -> bool:
        return isinstance(self.data, list) and all(isinstance(p, str) for p in self.data)

    def content_key(self) -> str | None:
        # Canonical locations: the same files give the same id however their paths are spelled.
        from curator_core.storage import canonical_path

        return "\n".join(canonical_path(p) for p in self.data)


def content_id(key: str) -> str:
    """A short, stable id for a content key (12 hex digits of BLAKE2b)."""
    import hashlib

    return hashlib.blake2b(key.encode("utf-8"), digest_size=6).hexdigest()


def with_framework_ids(tasks: Iterable[Task[Any]]) -> Iterator[Task[Any]]:
    """Copies of user-given tasks with framework ids: unique, and the same on every rerun of the input.

    A task's id is its content id (from ``content_key()``) or, without one, its position; a
    repeated id gets its position appended. The user's objects keep whatever id they had.
    """
    seen: set[str] = set()
    for position, task in enumerate(tasks):
        key = task.content_key()
        task_id = content_id(key) if key is not None else f"in{position}"
        if task_id in seen:
            task_id = f"{task_id}-{position}"
        seen.add(task_id)
        # Fresh containers: the run appends to them, and the user's tasks must stay as given.
        yield replace(task, task_id=task_id, _stage_perf=list(task._stage_perf), _metadata=dict(task._metadata))
