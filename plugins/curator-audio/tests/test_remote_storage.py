"""Manifests and audio read from, and manifests written to, s3:// URLs on a real S3 API server (moto)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from conftest import write_wav

from curator_audio import AudioDirectoryReader, GetAudioDurationStage, ManifestReader, ManifestWriterStage
from curator_audio.stages.writer import read_manifests
from curator_core import Pipeline
from curator_core.executors.local import LocalExecutor
from curator_core.storage import atomic_write, list_files
from curator_core.testing.s3 import LocalS3


def _upload(local: Path, url: str, options: dict[str, object]) -> None:
    with atomic_write(url, "wb", options) as handle:
        handle.write(local.read_bytes())


def test_manifests_and_audio_in_a_bucket(local_s3: LocalS3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    options = local_s3.storage_options
    bucket = local_s3.create_bucket(f"audio-{uuid.uuid4().hex[:8]}")
    for name, seconds in (("a", 0.5), ("b", 1.25)):
        _upload(write_wav(tmp_path / f"{name}.wav", seconds, 16000), f"{bucket}/audio/{name}.wav", options)
    with atomic_write(f"{bucket}/audio/a.txt", "w", options) as handle:
        handle.write("hello there\n")
    entries = [{"audio_filepath": "../audio/a.wav", "text": "x"}, {"audio_filepath": f"{bucket}/audio/b.wav"}]
    with atomic_write(f"{bucket}/manifests/m.jsonl", "w", options) as handle:
        handle.write("".join(json.dumps(e) + "\n" for e in entries))
    # Later stages read remote audio with the environment's credentials and endpoint.
    for name, value in local_s3.env.items():
        monkeypatch.setenv(name, value)

    Pipeline(
        "manifests",
        stages=[
            ManifestReader(f"{bucket}/manifests", storage_options=options),
            GetAudioDurationStage(),
            ManifestWriterStage(f"{bucket}/out/manifests", storage_options=options),
        ],
    ).run(LocalExecutor({"mode": "in_process", "progress": False}))
    Pipeline(
        "folder",
        stages=[
            AudioDirectoryReader(f"{bucket}/audio", storage_options=options),
            ManifestWriterStage(f"{bucket}/out/folder", storage_options=options),
        ],
    ).run(LocalExecutor({"mode": "in_process", "progress": False}))

    written = read_manifests(list_files(f"{bucket}/out/manifests", storage_options=options), options)
    assert [(e["audio_filepath"], e["duration"]) for e in written] == [
        (f"{bucket}/audio/a.wav", 0.5),
        (f"{bucket}/audio/b.wav", 1.25),
    ]
    folder = read_manifests(list_files(f"{bucket}/out/folder", storage_options=options), options)
    assert folder == [
        {"audio_filepath": f"{bucket}/audio/a.wav", "text": "hello there"},
        {"audio_filepath": f"{bucket}/audio/b.wav"},
    ]
