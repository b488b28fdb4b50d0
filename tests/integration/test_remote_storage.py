"""A pipeline file that reads s3:// and writes s3:// runs with ``curator run`` on every executor.

The S3 API server is moto's, started by the test session on 127.0.0.1 (no network beyond this
machine). Every executor must write the same objects, under the same names, as the local one.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from integration_helpers import OTHER_EXECUTORS, require_executor

pytest.importorskip("curator_text")

import pyarrow.parquet as pq

from curator_core.storage import atomic_write, list_files, open_input
from curator_core.testing.s3 import LocalS3

PIPELINE = """
name: s3-text
requires_plugins: [text]
storage_options: {options}
stages:
  - stage: JsonlReader
    params: {{file_paths: "{source}", files_per_partition: 2}}
  - stage: ScoreFilter
    params:
      filter_obj: {{name: WordCountFilter, min_words: 3}}
  - stage: ParquetWriter
    params: {{path: "{target}"}}
executor:
  name: {executor}
  config: {config}
"""
CONFIGS = {"local": {"progress": False}, "xenna": {"execution_mode": "batch", "logging_interval": 600}}


@pytest.fixture(scope="module")
def source(local_s3: LocalS3) -> str:
    bucket = local_s3.create_bucket("integration-in")
    for part in range(4):
        rows = [{"id": part * 10 + i, "text": " ".join(["word"] * (i % 5 + 1))} for i in range(10)]
        with atomic_write(f"{bucket}/corpus/p{part}.jsonl", "w", local_s3.storage_options) as handle:
            handle.write("".join(json.dumps(row) + "\n" for row in rows))
    return f"{bucket}/corpus"


def _curator_run(
    local_s3: LocalS3, tmp_path: Path, source: str, target: str, executor: str
) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "pipeline.yaml"
    options = json.dumps(local_s3.storage_options)
    config = json.dumps(CONFIGS.get(executor, {}))
    text = PIPELINE.format(options=options, source=source, target=target, executor=executor, config=config)
    path.write_text(textwrap.dedent(text))
    report = f"{target}/run-report.json"
    env = {**os.environ, **local_s3.env}  # the report is written with the environment's credentials
    return subprocess.run(
        [sys.executable, "-m", "curator_core.cli", "run", str(path), "--report", report],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )


def _objects(local_s3: LocalS3, prefix: str) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for url in list_files(prefix, [".parquet"], local_s3.storage_options):
        with open_input(url, "rb", local_s3.storage_options) as handle:
            found[url.rsplit("/", 1)[-1]] = pq.read_table(io.BytesIO(handle.read())).to_pylist()
    return found


@pytest.fixture(scope="module")
def local_objects(local_s3: LocalS3, source: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    local_s3.create_bucket("integration-out")
    done = _curator_run(local_s3, tmp_path_factory.mktemp("local"), source, "s3://integration-out/local", "local")
    assert done.returncode == 0, done.stderr
    objects = _objects(local_s3, "s3://integration-out/local")
    assert len(objects) == 2 and sum(len(rows) for rows in objects.values()) == 24  # 3+ words: 6 of every 10
    with open_input("s3://integration-out/local/run-report.json", "r", local_s3.storage_options) as handle:
        assert json.load(handle)["status"] == "succeeded"
    return objects


def test_local_executor_reads_and_writes_s3(local_objects: dict[str, Any]) -> None:
    assert all(name.endswith(".parquet") and not name.startswith(".") for name in local_objects)


@pytest.mark.parametrize("name", OTHER_EXECUTORS)
def test_every_executor_writes_the_same_objects_as_local(
    name: str, local_s3: LocalS3, source: str, local_objects: dict[str, Any], ray_cluster: str, tmp_path: Path
) -> None:
    require_executor(name)
    done = _curator_run(local_s3, tmp_path, source, f"s3://integration-out/{name}", name)
    assert done.returncode == 0, done.stderr[-4000:]
    assert _objects(local_s3, f"s3://integration-out/{name}") == local_objects


def test_a_missing_bucket_is_one_line_naming_the_url(local_s3: LocalS3, tmp_path: Path) -> None:
    done = _curator_run(local_s3, tmp_path, "s3://no-such-bucket/corpus", "s3://integration-out/never", "local")
    assert done.returncode == 1
    assert "listing s3://no-such-bucket/corpus failed: the bucket 'no-such-bucket' does not exist" in done.stderr
    assert "Traceback" not in done.stderr
