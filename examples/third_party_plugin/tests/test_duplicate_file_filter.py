"""DuplicateFileFilter: behaviour, and curator-core's stage conformance suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from curator_example_dedupe.stages import DuplicateFileFilter, file_digest

from curator_core import FileGroupTask
from curator_core.testing import StageConformanceSuite


def _files(root: Path, contents: dict[str, bytes]) -> list[str]:
    paths = []
    for name, data in contents.items():
        path = root / name
        path.write_bytes(data)
        paths.append(str(path))
    return sorted(paths)


def _group(paths: list[str], task_id: str = "g0") -> FileGroupTask:
    return FileGroupTask(
        task_id=task_id, dataset_name="files", data=list(paths), _metadata={"source_files": list(paths)}
    )


def test_second_copy_of_identical_bytes_is_dropped_and_recorded(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a.txt": b"same", "b.txt": b"other", "c.txt": b"same"})
    result = DuplicateFileFilter().process(_group(paths))
    assert result is not None
    assert result.data == [paths[0], paths[1]]
    assert result._metadata["duplicate_of"] == {paths[2]: paths[0]}
    assert result._metadata["source_files"] == paths


def test_duplicates_removed_metric_counts_dropped_files(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a": b"x", "b": b"x", "c": b"x"})
    stage = DuplicateFileFilter()
    stage.process(_group(paths))
    assert stage.pop_metrics() == {"duplicates_removed": 2.0}


def test_files_differing_only_after_the_first_chunk_are_kept(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a": b"0123456789A", "b": b"0123456789B"})
    result = DuplicateFileFilter(chunk_size=4).process(_group(paths))
    assert result is not None and result.data == paths


def test_empty_group_is_filtered_out() -> None:
    assert DuplicateFileFilter().process(_group([])) is None


def test_unknown_algorithm_is_rejected_naming_valid_ones() -> None:
    with pytest.raises(ValueError, match="unknown algorithm 'md6'.*sha256"):
        DuplicateFileFilter(algorithm="md6")


def test_digest_matches_hashlib_for_the_chosen_algorithm(tmp_path: Path) -> None:
    import hashlib

    (path,) = _files(tmp_path, {"a": b"payload" * 1000})
    assert file_digest(path, "sha256", chunk_size=7) == hashlib.sha256(b"payload" * 1000).hexdigest()


class TestDuplicateFileFilterConformance(StageConformanceSuite):
    @pytest.fixture(autouse=True)
    def _data(self, tmp_path: Path) -> None:
        self.paths = _files(tmp_path, {"a": b"1", "b": b"2", "c": b"1", "d": b"3", "e": b"3"})

    def make_stage(self) -> DuplicateFileFilter:
        return DuplicateFileFilter(algorithm="sha1")

    def sample_tasks(self) -> list[FileGroupTask]:
        return [_group(self.paths, "g0"), _group(self.paths[:2], "g1"), _group([], "g2")]
