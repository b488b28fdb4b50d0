"""Group input files into partitions: the first half of every reader."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from typing import Any

from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, FileGroupTask

__all__ = ["FilePartitioningStage", "list_files", "parse_size"]

_UNITS = {"": 1, "b": 1, "kb": 1 << 10, "kib": 1 << 10, "mb": 1 << 20, "mib": 1 << 20, "gb": 1 << 30, "gib": 1 << 30}


class FilePartitioningStage(ProcessingStage[EmptyTask, FileGroupTask]):
    """List files (paths, directories or globs) and group them, in sorted order.

    Either ``files_per_partition`` files go in each group, or groups are filled up to
    ``blocksize`` bytes (``"64MB"`` or an int); with neither, one file per group.
    """

    name = "file_partitioning"

    def __init__(
        self,
        file_paths: str | list[str],
        files_per_partition: int | None = None,
        blocksize: int | str | None = None,
        file_extensions: list[str] | None = None,
        limit: int | None = None,
    ) -> None:
        if files_per_partition is not None and blocksize is not None:
            raise ValueError("file partitioning: give files_per_partition or blocksize, not both")
        if files_per_partition is not None and files_per_partition < 1:
            raise ValueError(f"file partitioning: files_per_partition must be >= 1, got {files_per_partition}")
        self.file_paths = file_paths
        self.files_per_partition = files_per_partition
        self.blocksize = parse_size(blocksize) if blocksize is not None else None
        self.file_extensions = [e if e.startswith(".") else f".{e}" for e in (file_extensions or [])]
        self.limit = limit

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def process(self, task: EmptyTask) -> list[FileGroupTask]:
        files = list_files(self.file_paths, self.file_extensions)
        if self.limit is not None:
            files = files[: self.limit]
        return [
            FileGroupTask(task_id="", dataset_name=task.dataset_name, data=group, _metadata={"source_files": group})
            for group in self._groups(files)
        ]

    def _groups(self, files: list[str]) -> Iterable[list[str]]:
        if self.blocksize is None:
            step = self.files_per_partition or 1
            for start in range(0, len(files), step):
                yield files[start : start + step]
            return
        group: list[str] = []
        size = 0
        for path in files:
            file_size = os.path.getsize(path)
            if group and size + file_size > self.blocksize:
                yield group
                group, size = [], 0
            group.append(path)
            size += file_size
        if group:
            yield group


def list_files(paths: str | list[str], extensions: list[str] | None = None) -> list[str]:
    """Expand files, directories (recursively) and globs into a sorted, de-duplicated list."""
    found: set[str] = set()
    for entry in [paths] if isinstance(paths, str | os.PathLike) else paths:
        entry = os.fspath(entry)
        if os.path.isdir(entry):
            for root, _dirs, names in os.walk(entry):
                found.update(os.path.join(root, n) for n in names if not n.startswith("."))
        elif glob.has_magic(entry):
            found.update(p for p in glob.glob(entry, recursive=True) if os.path.isfile(p))
        elif os.path.isfile(entry):
            found.add(entry)
        else:
            raise FileNotFoundError(f"file partitioning: no such file or directory: {entry}")
    if extensions:
        found = {p for p in found if p.endswith(tuple(extensions))}
    return sorted(found)


def parse_size(size: Any) -> int:
    """``"64MB"`` / ``"1.5GiB"`` / ``1024`` -> bytes."""
    if isinstance(size, int):
        return size
    text = str(size).strip().lower().replace(" ", "")
    number = text.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = text[len(number) :]
    if unit not in _UNITS or not number:
        raise ValueError(f"not a size: {size!r} (try '64MB')")
    return int(float(number) * _UNITS[unit])
