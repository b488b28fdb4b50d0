"""All-to-all steps as map-style steps over partitioned files, so they run on every executor.

A shuffle is two map steps with a barrier between them: each *map* task writes one file per
destination partition (``exchange_file(root, destination, source)``), and each *reduce* task reads
the files addressed to its partition, one from every source. Every file exists, even when empty, so
a reduce task knows exactly which files to expect and a missing one is an error, never a silent
gap. The files live in a shared folder (local or a URL), so the tasks may run on any node.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from curator_core.stages.base import ProcessingStage
from curator_core.tasks import FileGroupTask

__all__ = ["MapFilesStage", "exchange_file", "exchange_inputs", "run_map_step"]

PARTITION_KEY = "exchange_partition"

MapFunction = Callable[[int, list[str]], list[str]]
"""``func(partition_index, items) -> files written``; must pickle (a module-level function or a partial)."""


def exchange_file(root: str, destination: int, source: int, suffix: str = ".parquet") -> str:
    """The file a map task ``source`` writes for reduce partition ``destination`` under ``root``."""
    from curator_core.storage import join

    return join(root, f"part-{destination:05d}", f"from-{source:05d}{suffix}")


def exchange_inputs(root: str, destination: int, num_sources: int, suffix: str = ".parquet") -> list[str]:
    """Every file reduce partition ``destination`` must read: one per map task."""
    return [exchange_file(root, destination, source, suffix) for source in range(num_sources)]


class MapFilesStage(ProcessingStage[FileGroupTask, FileGroupTask]):
    """Run ``func(partition, items)`` on each task; the output task lists the files it wrote."""

    allow_fusion = False
    # One side of an all-to-all exchange: its files are only meaningful with every partition's.
    resumable = False

    def __init__(self, name: str, func: MapFunction) -> None:
        self.name = name
        self.func = func

    def process(self, task: FileGroupTask) -> FileGroupTask:
        partition = int(task._metadata[PARTITION_KEY])
        written = self.func(partition, list(task.data))
        out: FileGroupTask = task.derive(list(written))
        out._metadata[PARTITION_KEY] = partition
        return out


def run_map_step(
    name: str, func: MapFunction, partitions: Sequence[Sequence[str]], executor: Any = None
) -> list[list[str]]:
    """Run ``func`` once per partition as a one-stage pipeline on ``executor``; files written, in order.

    ``executor`` is whatever ``Pipeline.run`` takes (an instance, a registered name, or None). The
    call returns only when every partition is done: that is the barrier between two steps.
    """
    from curator_core.pipeline import Pipeline

    tasks: list[FileGroupTask] = []
    for index, items in enumerate(partitions):
        # A step name in the items keeps the framework's content ids distinct between steps.
        task = FileGroupTask(task_id=f"{name}-{index}", dataset_name=name, data=list(items))
        task._metadata[PARTITION_KEY] = index
        tasks.append(task)
    if not tasks:
        return []
    outputs = Pipeline(name, stages=[MapFilesStage(name, func)]).run(executor, initial_tasks=tasks)
    written: list[list[str]] = [[] for _ in tasks]
    seen: set[int] = set()
    for output in outputs:
        index = int(output._metadata[PARTITION_KEY])
        seen.add(index)
        written[index].extend(output.data)
    missing = sorted(set(range(len(tasks))) - seen)
    if missing:
        from curator_core.errors import ExecutorError

        raise ExecutorError(f"step {name!r}: partitions {missing[:10]} returned no result (a dropped task?)")
    return written
