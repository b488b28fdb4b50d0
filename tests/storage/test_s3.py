"""The file layer against a real S3 API server (moto, on 127.0.0.1): listing, reading, atomic writes, errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest

from curator_core import EmptyTask, FilePartitioningStage, Pipeline
from curator_core.errors import StorageError
from curator_core.executors.local import LocalExecutor
from curator_core.storage import atomic_write, exists, list_files, makedirs, open_input, remove
from curator_core.testing.s3 import LocalS3, local_s3_server


@pytest.fixture
def bucket(local_s3: LocalS3) -> str:
    return local_s3.create_bucket(f"b-{uuid.uuid4().hex[:10]}")


def _put(s3: LocalS3, url: str, data: bytes) -> None:
    with atomic_write(url, "wb", s3.storage_options) as handle:
        handle.write(data)


def test_list_read_and_write_objects(local_s3: LocalS3, bucket: str) -> None:
    options = local_s3.storage_options
    for name in ("in/a.jsonl", "in/sub/b.jsonl", "in/c.txt", "in/.hidden.jsonl"):
        _put(local_s3, f"{bucket}/{name}", name.encode())
    assert list_files(f"{bucket}/in", [".jsonl"], options) == [f"{bucket}/in/a.jsonl", f"{bucket}/in/sub/b.jsonl"]
    assert list_files(f"{bucket}//in/*.txt", storage_options=options) == [f"{bucket}/in/c.txt"]
    with open_input(f"{bucket}/in/a.jsonl", "r", options) as handle:
        assert handle.read() == "in/a.jsonl"
    assert exists(f"{bucket}/in/c.txt", options)
    remove(f"{bucket}/in/c.txt", options)
    assert not exists(f"{bucket}/in/c.txt", options)
    with (
        pytest.raises(FileNotFoundError, match=r"in/missing\.jsonl"),
        open_input(f"{bucket}/in/missing.jsonl", "rb", options),
    ):
        pass


def test_atomic_write_leaves_only_the_final_object(local_s3: LocalS3, bucket: str) -> None:
    _put(local_s3, f"{bucket}/out/part.bin", b"done")
    assert local_s3.filesystem().find(bucket) == [f"{bucket.removeprefix('s3://')}/out/part.bin"]


def test_atomic_write_that_raises_leaves_no_object(local_s3: LocalS3, bucket: str) -> None:
    def write_then_fail() -> None:
        with atomic_write(f"{bucket}/out/part.bin", "wb", local_s3.storage_options) as handle:
            handle.write(b"x" * (6 << 20))  # past s3fs's 5 MiB block: a multipart upload is under way
            raise RuntimeError("killed mid-task")

    with pytest.raises(RuntimeError, match="killed mid-task"):
        write_then_fail()
    assert local_s3.filesystem().find(bucket) == []


_KILLED_WRITER = textwrap.dedent(
    """
    import json, sys, time
    from curator_core.storage import atomic_write

    with atomic_write(sys.argv[1], "wb", json.loads(sys.argv[2])) as handle:
        handle.write(b"x" * (6 << 20))
        handle.flush()
        print("writing", flush=True)
        time.sleep(120)
    """
)


def _kill_mid_write(target: str, options: dict[str, Any]) -> None:
    import json

    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, target, json.dumps(options)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "writing"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL


def test_writer_sigkilled_mid_write_leaves_no_object_under_the_final_name(local_s3: LocalS3, bucket: str) -> None:
    _kill_mid_write(f"{bucket}/out/part.bin", local_s3.storage_options)
    fs = local_s3.filesystem()
    assert not fs.exists(f"{bucket}/out/part.bin")
    assert [key for key in fs.find(bucket) if not key.rsplit("/", 1)[-1].startswith(".")] == []


def test_writer_sigkilled_mid_write_leaves_no_local_file_under_the_final_name(tmp_path: Path) -> None:
    _kill_mid_write(str(tmp_path / "out" / "part.bin"), {})
    assert not (tmp_path / "out" / "part.bin").exists()
    assert list_files(str(tmp_path)) == []  # only a hidden temporary may remain


def test_partitioning_by_size_and_ids_from_protocol_bucket_key(local_s3: LocalS3, bucket: str) -> None:
    options = local_s3.storage_options
    for i in range(3):
        _put(local_s3, f"{bucket}/in/part-{i}.jsonl", b"x" * (100 * (i + 1)))
    stage = FilePartitioningStage(f"{bucket}/in", blocksize="300b", storage_options=options)
    assert [t.data for t in stage.process(EmptyTask())] == [
        [f"{bucket}/in/part-0.jsonl", f"{bucket}/in/part-1.jsonl"],
        [f"{bucket}/in/part-2.jsonl"],
    ]

    def ids(spelling: str) -> list[str]:
        stage = FilePartitioningStage(spelling, storage_options=options)
        return sorted(t.task_id for t in Pipeline("p", stages=[stage]).run(LocalExecutor({"mode": "in_process"})))

    assert ids(f"{bucket}/in") == ids(f"{bucket}//in/") == ids(f"s3a://{bucket.removeprefix('s3://')}/in")


def test_credentials_and_endpoint_from_environment_variables(
    local_s3: LocalS3, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _put(local_s3, f"{bucket}/env.txt", b"from env")
    for name, value in local_s3.env.items():
        monkeypatch.setenv(name, value)
    with open_input(f"{bucket}/env.txt") as handle:
        assert handle.read() == b"from env"


def test_missing_bucket_is_one_clear_error(local_s3: LocalS3) -> None:
    options = local_s3.storage_options
    expected = "the bucket 'no-such-bucket' does not exist"
    with pytest.raises(StorageError, match=rf"^listing s3://no-such-bucket/in failed: {expected}$"):
        list_files("s3://no-such-bucket/in", storage_options=options)
    with pytest.raises(StorageError, match=rf"^writing s3://no-such-bucket/out/x.jsonl failed: {expected}$"):
        _put(local_s3, "s3://no-such-bucket/out/x.jsonl", b"x")
    with pytest.raises(StorageError, match=rf"^creating s3://no-such-bucket/out failed: {expected}$"):
        makedirs("s3://no-such-bucket/out", options)


def test_wrong_endpoint_is_one_clear_error(local_s3: LocalS3) -> None:
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens there
    options = {
        **local_s3.storage_options,
        "client_kwargs": {"endpoint_url": closed},
        "config_kwargs": {"retries": {"max_attempts": 1}},
    }
    with pytest.raises(StorageError) as caught:
        list_files("s3://data/in", storage_options=options)
    assert str(caught.value) == (
        f"listing s3://data/in failed: cannot connect to the storage endpoint {closed} (connection refused "
        "or unreachable); check endpoint_url in storage_options or AWS_ENDPOINT_URL"
    )


def test_denied_credentials_are_one_clear_error() -> None:
    with local_s3_server(require_auth=True) as strict, pytest.raises(StorageError) as caught:
        list_files("s3://data/in", storage_options=strict.storage_options)
    assert str(caught.value) == (
        "listing s3://data/in failed: access denied; check the credentials (storage_options key/secret, "
        "or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for s3://)"
    )
