"""``DuplicateFileFilter``: keep the first of every set of byte-identical files in a group."""

from __future__ import annotations

import hashlib

from curator_core import FileGroupTask, ProcessingStage

__all__ = ["DuplicateFileFilter", "file_digest"]


def file_digest(path: str, algorithm: str = "blake2b", chunk_size: int = 1 << 20) -> str:
    """Hex digest of a file's bytes, read in chunks so large files do not fill memory."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


class DuplicateFileFilter(ProcessingStage[FileGroupTask, FileGroupTask]):
    """Within each group, keep the first file of every byte-identical set (groups are sorted paths).

    Duplicates are recorded in the output task's metadata (``duplicate_of``: removed path -> kept
    path) and counted in the ``duplicates_removed`` metric. A group left empty is filtered out.
    Deduplication spans one group: partition with ``files_per_partition`` large enough to cover
    the files that must be compared.
    """

    name = "DuplicateFileFilter"

    def __init__(self, algorithm: str = "blake2b", chunk_size: int = 1 << 20) -> None:
        if algorithm not in hashlib.algorithms_guaranteed:
            valid = ", ".join(sorted(hashlib.algorithms_guaranteed))
            raise ValueError(f"DuplicateFileFilter: unknown algorithm {algorithm!r}; choose one of {valid}")
        if chunk_size < 1:
            raise ValueError(f"DuplicateFileFilter: chunk_size must be >= 1, got {chunk_size}")
        self.algorithm = algorithm
        self.chunk_size = chunk_size

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], []

    def process(self, task: FileGroupTask) -> FileGroupTask | None:
        kept: list[str] = []
        first_with: dict[str, str] = {}
        duplicate_of: dict[str, str] = {}
        for path in task.data:
            digest = file_digest(path, self.algorithm, self.chunk_size)
            if digest in first_with:
                duplicate_of[path] = first_with[digest]
            else:
                first_with[digest] = path
                kept.append(path)
        self.record_metric("duplicates_removed", len(duplicate_of))
        if not kept:
            return None
        result: FileGroupTask = task.derive(kept)
        result._metadata["duplicate_of"] = duplicate_of
        return result
