"""Group input files into partitions: the first half of every reader."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from curator_core.stages.base import ProcessingStage
from curator_core.storage import list_files
from curator_core.storage._io import size as storage_size
from curator_core.tasks import EmptyTask, FileGroupTask

__all__ = ["FilePartitioningStage", "list_files", "parse_size"]  # list_files: re-exported from curator_core.storage

_UNITS = {"": 1, "b": 1, "kb": 1 << 10, "kib": 1 << 10, "mb": 1 << 20, "mib": 1 << 20, "gb": 1 << 30, "gib": 1 << 30}


class FilePartitioningStage(ProcessingStage[EmptyTask, FileGroupTask]):
    """List files (paths, directories or globs; local or URLs) and group them, in sorted order.

    Files are listed by canonical location (absolute real paths, ``protocol://bucket/key``), so
    partition ids and output names do not depend on how the input path is spelled.
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
        storage_options: Mapping[str, Any] | None = None,
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
        self.storage_options = dict(storage_options) if storage_options else None

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def process(self, task: EmptyTask) -> list[FileGroupTask]:
        from curator_core.storage._listing import list_sized_files

        sized = list_sized_files(self.file_paths, self.file_extensions, self.storage_options)
        files = sorted(sized)
        if self.limit is not None:
            files = files[: self.limit]
        return [
            FileGroupTask(task_id="", dataset_name=task.dataset_name, data=group, _metadata={"source_files": group})
            for group in self._groups(files, sized)
        ]

    def _groups(self, files: list[str], sizes: Mapping[str, int | None]) -> Iterable[list[str]]:
        if self.blocksize is None:
            step = self.files_per_partition or 1
            for start in range(0, len(files), step):
                yield files[start : start + step]
            return
        group: list[str] = []
        size = 0
        for path in files:
            known = sizes.get(path)
            file_size = known if known is not None else storage_size(path, self.storage_options)
            if group and size + file_size > self.blocksize:
                yield group
                group, size = [], 0
            group.append(path)
            size += file_size
        if group:
            yield group


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
