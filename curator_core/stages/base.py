"""The stage contract: a stage maps a task to zero, one or many tasks."""

from __future__ import annotations

import copy
import re
import typing
from abc import ABC, abstractmethod
from typing import Any, ClassVar, Generic, TypeVar

from curator_core.resources import Resources
from curator_core.tasks import Task
from curator_core.workers import NodeInfo, WorkerMetadata

__all__ = ["OPEN_COLUMNS", "CompositeStage", "ProcessingStage", "StageResult", "is_valid_name"]

X = TypeVar("X", bound=Task[Any])
Y = TypeVar("Y", bound=Task[Any])

StageResult = Any
"""What ``process`` returns: a task, a list of tasks (fan-out), or None (filtered out)."""

OPEN_COLUMNS = "*"
"""In ``outputs()``'s column list: the stage produces columns known only from the data."""

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")


def is_valid_name(name: str) -> bool:
    """Stage, executor and plugin names: a letter, then letters, digits, ``_``, ``.`` or ``-``."""
    return bool(_NAME.match(name))


class ProcessingStage(ABC, Generic[X, Y]):
    """One step of a pipeline, run by many workers on many tasks.

    Subclasses implement :meth:`process`; everything else has a sensible default. Class
    attributes ``name``, ``resources`` and ``batch_size`` may be overridden per instance with
    :meth:`with_`. Set ``allow_fusion = False`` to keep a stage in workers of its own, and
    ``ignore_failures`` to override the executor's failure policy for this stage. A stage that
    needs every partition at once (a global deduplication step) sets ``resumable = False``, so a
    run with ``checkpoint_path`` is refused at build time.
    """

    name: str = ""
    resources: Resources = Resources()
    batch_size: int = 1
    allow_fusion: ClassVar[bool] = True
    resumable: ClassVar[bool] = True
    ignore_failures: bool | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("name"):
            cls.name = cls.__name__

    # -- what the stage needs and makes -------------------------------------------------
    def inputs(self) -> tuple[list[str], list[str]]:
        """Task attributes and data attributes (columns) this stage reads."""
        return [], []

    def outputs(self) -> tuple[list[str], list[str]]:
        """Task attributes and data attributes (columns) this stage produces."""
        return [], []

    @classmethod
    def input_task_type(cls) -> type[Any] | None:
        """The task type this stage takes, from its generic parameters (None: any)."""
        return _generic_arg(cls, 0)

    @classmethod
    def output_task_type(cls) -> type[Any] | None:
        """The task type this stage returns, from its generic parameters (None: any)."""
        return _generic_arg(cls, 1)

    def num_workers(self) -> int | None:
        """A fixed worker count, or None to let the executor decide."""
        return None

    # -- lifecycle ------------------------------------------------------------------------
    def setup_on_node(self, node_info: NodeInfo | None = None, worker_metadata: WorkerMetadata | None = None) -> None:
        """Once per node and stage, before any worker's ``setup`` (download a model, say)."""

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        """Once per worker, before its first ``process`` (load a model, say)."""

    @abstractmethod
    def process(self, task: X) -> Y | list[Y] | None:
        """Map one task to a task, a list of tasks, or None to drop it."""

    def process_batch(self, tasks: list[X]) -> list[Y | list[Y] | None]:
        """Map a batch at once; entry *i* is what ``process(tasks[i])`` would return.

        Override for vectorised work. Results stay aligned with inputs so that the framework can
        trace every output to its input (ids, metadata, perf history).
        """
        return [self.process(task) for task in tasks]

    def teardown(self) -> None:
        """Once per worker at the end, also after a failure."""

    # -- helpers --------------------------------------------------------------------------
    def record_metric(self, name: str, value: float) -> None:
        """Add ``value`` to a custom metric reported in this task's perf stats."""
        metrics: dict[str, float] = self.__dict__.setdefault("_custom_metrics", {})
        metrics[name] = metrics.get(name, 0.0) + float(value)

    def pop_metrics(self) -> dict[str, float]:
        """Metrics recorded since the last call (used by the adapter)."""
        return self.__dict__.pop("_custom_metrics", None) or {}

    def with_(
        self,
        name: str | None = None,
        resources: Resources | None = None,
        batch_size: int | None = None,
        **attributes: Any,
    ) -> ProcessingStage[X, Y]:
        """A copy with some attributes overridden; the original is untouched."""
        clone = copy.deepcopy(self)
        overrides: dict[str, Any] = {"name": name, "resources": resources, "batch_size": batch_size}
        for key, value in {**overrides, **attributes}.items():
            if value is None:
                continue
            if key not in overrides and not hasattr(clone, key):
                raise AttributeError(f"{type(self).__name__} has no attribute {key!r} to override")
            setattr(clone, key, value)
        return clone

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class CompositeStage(ProcessingStage[X, Y]):
    """A user-facing stage that expands into several stages at build time (a reader, say)."""

    @abstractmethod
    def decompose(self) -> list[ProcessingStage[Any, Any]]:
        """The stages this composite stands for, in order."""

    def process(self, task: X) -> Y | list[Y] | None:
        raise TypeError(f"composite stage {self.name!r} runs only after Pipeline.build() decomposes it")


def _generic_arg(cls: type, index: int) -> type[Any] | None:
    """Resolve ``ProcessingStage[X, Y]``'s X or Y as declared by ``cls`` or a base."""
    for klass in cls.__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            origin = typing.get_origin(base)
            if origin is None or not (isinstance(origin, type) and issubclass(origin, ProcessingStage)):
                continue
            args = typing.get_args(base)
            if len(args) != 2:
                continue
            arg = args[index]
            arg = typing.get_origin(arg) or arg
            if isinstance(arg, type):
                return arg
            return None
    return None
