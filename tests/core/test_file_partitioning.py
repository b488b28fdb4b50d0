"""FilePartitioningStage: paths, directories, globs, extensions, groups by count or size, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from curator_core import EmptyTask, FilePartitioningStage, Pipeline
from curator_core.executors.local import LocalExecutor


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for i in range(7):
        (tmp_path / f"part-{i}.jsonl").write_text("x" * (100 * (i + 1)))
    (tmp_path / "notes.txt").write_text("ignore me")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "part-9.jsonl").write_text("y")
    return tmp_path


def groups(stage: FilePartitioningStage) -> list[list[str]]:
    return [[Path(p).name for p in task.data] for task in stage.process(EmptyTask())]


def test_directory_recursive_sorted_with_extension_filter(files: Path) -> None:
    stage = FilePartitioningStage(str(files), files_per_partition=3, file_extensions=["jsonl"])
    assert groups(stage) == [
        ["part-0.jsonl", "part-1.jsonl", "part-2.jsonl"],
        ["part-3.jsonl", "part-4.jsonl", "part-5.jsonl"],
        ["part-6.jsonl", "part-9.jsonl"],
    ]


def test_blocksize_fills_groups_up_to_the_size(files: Path) -> None:
    stage = FilePartitioningStage(str(files / "part-*.jsonl"), blocksize="600b")
    assert groups(stage) == [
        ["part-0.jsonl", "part-1.jsonl", "part-2.jsonl"],
        ["part-3.jsonl"],
        ["part-4.jsonl"],
        ["part-5.jsonl"],
        ["part-6.jsonl"],
    ]


def test_list_of_paths_limit_and_default_one_file_per_group(files: Path) -> None:
    paths = [str(files / "part-3.jsonl"), str(files / "part-1.jsonl"), str(files / "part-1.jsonl")]
    assert groups(FilePartitioningStage(paths)) == [["part-1.jsonl"], ["part-3.jsonl"]]
    assert groups(FilePartitioningStage(str(files), limit=2)) == [["notes.txt"], ["part-0.jsonl"]]


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no-such-dir"):
        FilePartitioningStage(str(tmp_path / "no-such-dir")).process(EmptyTask())


def test_partition_ids_are_content_ids_stable_across_runs(files: Path) -> None:
    stage = FilePartitioningStage(str(files), files_per_partition=2, file_extensions=[".jsonl"])
    first = Pipeline("p", stages=[stage]).run(LocalExecutor())
    second = Pipeline("p", stages=[stage]).run(LocalExecutor({"mode": "in_process"}))
    assert sorted(t.task_id for t in first) == sorted(t.task_id for t in second)
    assert len({t.task_id for t in first}) == 4


def test_conflicting_options_are_rejected() -> None:
    with pytest.raises(ValueError, match="not both"):
        FilePartitioningStage(".", files_per_partition=2, blocksize="1MB")


def _ids(file_paths: str) -> list[str]:
    stage = FilePartitioningStage(file_paths, files_per_partition=2, file_extensions=[".jsonl"])
    return sorted(t.task_id for t in Pipeline("p", stages=[stage]).run(LocalExecutor({"mode": "in_process"})))


def test_partition_ids_do_not_depend_on_how_the_input_path_is_spelled(
    files: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("spellings")
    (home / "data").mkdir()
    (home / "data" / "in").symlink_to(files, target_is_directory=True)
    (home / "link").symlink_to(home / "data" / "in", target_is_directory=True)
    monkeypatch.chdir(home)
    spellings = ["data/in", "./data/in", str(home / "data" / "in"), str(home / "link"), f"{files}/"]
    ids = {spelling: _ids(spelling) for spelling in spellings}
    assert len(ids["data/in"]) == 4
    assert all(found == ids["data/in"] for found in ids.values()), ids


def test_partitions_hold_canonical_absolute_paths(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(files.parent)
    [task, *_] = FilePartitioningStage(f"./{files.name}/part-0.jsonl").process(EmptyTask())
    assert task.data == [str((files / "part-0.jsonl").resolve())]


def test_memory_urls_list_and_partition_by_size() -> None:
    from curator_core.storage import atomic_write

    for i in range(3):
        with atomic_write(f"memory://fp-test/in/part-{i}.jsonl") as handle:
            handle.write(b"x" * (100 * (i + 1)))
    stage = FilePartitioningStage("memory://fp-test/in", blocksize="300b")
    assert [task.data for task in stage.process(EmptyTask())] == [
        ["memory://fp-test/in/part-0.jsonl", "memory://fp-test/in/part-1.jsonl"],
        ["memory://fp-test/in/part-2.jsonl"],
    ]


def test_file_group_content_key_uses_canonical_locations(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from curator_core import FileGroupTask

    monkeypatch.chdir(files.parent)
    spelled = FileGroupTask(task_id="", dataset_name="d", data=[f"./{files.name}/part-0.jsonl"])
    absolute = FileGroupTask(task_id="", dataset_name="d", data=[str(files / "part-0.jsonl")])
    assert spelled.content_key() == absolute.content_key()
    remote = FileGroupTask(task_id="", dataset_name="d", data=["s3://bucket//in/a.jsonl"])
    assert remote.content_key() == "s3://bucket/in/a.jsonl"
