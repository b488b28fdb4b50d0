"""Turn a plain function into a stage: ``@processing_stage(name=..., resources=...)``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from curator_core.resources import Resources
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import Task

__all__ = ["FunctionStage", "processing_stage"]


class FunctionStage(ProcessingStage[Task[Any], Task[Any]]):
    """A stage whose ``process`` is a function ``task -> task | list[task] | None``."""

    def __init__(
        self,
        func: Callable[[Any], Any],
        *,
        name: str | None = None,
        resources: Resources | None = None,
        batch_size: int = 1,
    ) -> None:
        self.func = func
        self.name = name or func.__name__
        self.resources = resources or Resources()
        self.batch_size = batch_size

    def process(self, task: Task[Any]) -> Any:
        return self.func(task)

    def __reduce__(self) -> tuple[Any, ...]:
        # The decorated module attribute is this stage, not the function: pickle by reference to it.
        settings = {"name": self.name, "resources": self.resources, "batch_size": self.batch_size}
        return (_rebuild, (self.func.__module__, self.func.__qualname__, settings))


def _rebuild(module: str, qualname: str, settings: dict[str, Any]) -> FunctionStage:
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    func = target.func if isinstance(target, FunctionStage) else target
    return FunctionStage(func, **settings)


def processing_stage(
    *, name: str | None = None, resources: Resources | None = None, batch_size: int = 1
) -> Callable[[Callable[[Any], Any]], FunctionStage]:
    """Decorate ``def f(task) -> task | list[task] | None`` to make it a stage instance."""

    def wrap(func: Callable[[Any], Any]) -> FunctionStage:
        return FunctionStage(func, name=name, resources=resources, batch_size=batch_size)

    return wrap
