"""The file layer on local paths and ``memory://``: listing, canonical paths, atomic writes, errors."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

from curator_core.errors import CuratorError, StorageError
from curator_core.storage import (
    atomic_write,
    canonical_path,
    exists,
    filesystem,
    join,
    list_files,
    makedirs,
    open_input,
    remove,
    safe_file_name,
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.jsonl").write_text("a")
    (tmp_path / "in" / "b.txt").write_text("b")
    (tmp_path / "in" / "sub" / "c.jsonl").write_text("c")
    (tmp_path / "in" / ".hidden.jsonl").write_text("h")
    (tmp_path / "in" / ".cache").mkdir()
    (tmp_path / "in" / ".cache" / "d.jsonl").write_text("d")
    return tmp_path


def _write_then_fail(target: str) -> None:
    with atomic_write(target) as handle:
        handle.write(b"partial")
        raise RuntimeError("killed mid-task")


def _memory_root() -> str:
    return f"memory://test-{uuid.uuid4().hex[:8]}"


def test_canonical_path_is_the_same_however_a_local_path_is_spelled(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    (tree / "link").symlink_to(tree / "in", target_is_directory=True)
    expected = str((tree / "in").resolve())
    spellings = ["in", "./in", "in/", str(tree / "in"), "link", f"file://{tree}/in", "in/sub/.."]
    assert {canonical_path(s) for s in spellings} == {expected}


def test_canonical_urls_are_protocol_bucket_key() -> None:
    assert canonical_path("s3://bucket//prefix/key.jsonl/") == "s3://bucket/prefix/key.jsonl"
    assert canonical_path("s3a://bucket/key") == "s3://bucket/key"
    assert canonical_path("gcs://bucket/key") == "gs://bucket/key"


def test_list_files_recurses_skips_hidden_filters_and_returns_canonical_paths(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    root = (tree / "in").resolve()
    assert list_files("./in") == [str(root / "a.jsonl"), str(root / "b.txt"), str(root / "sub" / "c.jsonl")]
    assert list_files(["in/*.jsonl", "in/a.jsonl"], extensions=["jsonl"]) == [str(root / "a.jsonl")]
    assert list_files("in/**/*.jsonl") == [str(root / "a.jsonl"), str(root / "sub" / "c.jsonl")]


def test_list_files_names_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nowhere"):
        list_files(str(tmp_path / "nowhere"))


def test_atomic_write_creates_folders_and_replaces_on_clean_exit(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deep" / "part.jsonl"
    with atomic_write(str(target), "w") as handle:
        handle.write("first\n")
    with atomic_write(str(target), "w") as handle:
        handle.write("second\n")
        assert target.read_text() == "first\n"  # the old content stays until the block ends
    assert target.read_text() == "second\n"
    assert os.listdir(target.parent) == ["part.jsonl"]


def test_atomic_write_leaves_nothing_when_the_block_raises(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="killed mid-task"):
        _write_then_fail(str(tmp_path / "part.bin"))
    assert os.listdir(tmp_path) == []


def test_open_input_reads_text_and_bytes_and_names_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("héllo", encoding="utf-8")
    with open_input(str(tmp_path / "f.txt"), "r") as handle:
        assert handle.read() == "héllo"
    with open_input(f"file://{tmp_path}/f.txt") as handle:
        assert handle.read() == "héllo".encode()
    with pytest.raises(FileNotFoundError, match="missing.txt"), open_input(str(tmp_path / "missing.txt")):
        pass


def test_exists_makedirs_remove_local(tmp_path: Path) -> None:
    folder = join(str(tmp_path), "a", "b")
    assert not exists(folder)
    makedirs(folder)
    assert exists(folder)
    remove(join(str(tmp_path), "a"))
    assert not exists(folder)
    with pytest.raises(FileNotFoundError, match="a"):
        remove(join(str(tmp_path), "a"))


def test_memory_urls_list_write_read_and_remove() -> None:
    root = _memory_root()
    for name in ("x/1.jsonl", "x/2.jsonl", "x/.tmp.jsonl", "y.txt"):
        with atomic_write(join(root, name), "w") as handle:
            handle.write(name)
    assert list_files(root, extensions=[".jsonl"]) == [f"{root}/x/1.jsonl", f"{root}/x/2.jsonl"]
    assert list_files(f"{root}/x/*.jsonl") == [f"{root}/x/.tmp.jsonl", f"{root}/x/1.jsonl", f"{root}/x/2.jsonl"]
    with open_input(f"{root}/x/1.jsonl", "r") as handle:
        assert handle.read() == "x/1.jsonl"
    remove(f"{root}/x")
    assert list_files(root) == [f"{root}/y.txt"]
    with pytest.raises(FileNotFoundError, match="nothing-here"):
        list_files(f"{root}/nothing-here")


def test_memory_atomic_write_that_raises_leaves_no_object() -> None:
    root = _memory_root()
    with pytest.raises(RuntimeError, match="killed mid-task"):
        _write_then_fail(f"{root}/out/part.parquet")
    fs, path = filesystem(root)
    assert fs.find(path) == []


def test_join_works_for_paths_and_urls() -> None:
    assert join("s3://bucket/", "/a/", "b.jsonl") == "s3://bucket/a/b.jsonl"
    assert join("s3://bucket") == "s3://bucket"
    assert join("/data", "a", "b") == os.path.join("/data", "a", "b")


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b\\c", "..", "", "x\x00y\nz", ".hidden"])
def test_safe_file_name_cannot_escape_its_folder(name: str) -> None:
    safe = safe_file_name(name)
    assert safe and "/" not in safe and "\\" not in safe and ".." not in safe and not safe.startswith(".")
    assert safe.isprintable() and safe == safe_file_name(name)


def test_safe_file_name_keeps_long_names_distinct() -> None:
    a, b = safe_file_name("x" * 300 + "a"), safe_file_name("x" * 300 + "b")
    assert a != b and len(a) <= 200


def test_missing_protocol_package_names_the_url_and_the_pip_line(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = sys.modules["fsspec.registry"]._registry  # classes fsspec already imported
    monkeypatch.setitem(sys.modules, "gcsfs", None)  # importing it now fails as if not installed
    monkeypatch.delitem(loaded, "gs", raising=False)
    monkeypatch.delitem(loaded, "gcs", raising=False)
    with pytest.raises(StorageError) as caught:
        list_files("gs://my-bucket/data/")
    assert str(caught.value) == (
        "gs://my-bucket/data: the 'gs://' protocol needs the gcsfs package: "
        "pip install gcsfs (the curator-core[gcs] extra)"
    )
    assert isinstance(caught.value, CuratorError) and isinstance(caught.value, OSError)


def test_unknown_protocol_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match=r"nosuchproto://x/y: unknown protocol"):
        list_files("nosuchproto://x/y")
