"""Readers: manifests and folders into AudioTasks; missing or unreadable audio follows the policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_wav

from curator_audio import AudioDirectoryReader, AudioFileError, ManifestFormatError, ManifestReader, ManifestReaderStage
from curator_audio.policy import SKIPPED_KEY
from curator_core import Pipeline, StageFailedError
from curator_core.tasks import FileGroupTask


def _manifest(path: Path, entries: list[object]) -> Path:
    path.write_text("".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in entries))
    return path


def _group(*paths: Path) -> FileGroupTask:
    return FileGroupTask(task_id="g0", dataset_name="test", data=[str(p) for p in paths])


def test_relative_paths_resolve_against_the_manifest_folder(tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav", 0.5, 16000)
    manifest = _manifest(tmp_path / "m.jsonl", [{"audio_filepath": "a.wav", "text": "hi"}])
    [task] = ManifestReaderStage().process(_group(manifest))
    assert task.data == [{"audio_filepath": str(tmp_path / "a.wav"), "text": "hi"}]


def test_entries_are_chunked_into_tasks_of_the_requested_size(tmp_path: Path) -> None:
    for i in range(5):
        write_wav(tmp_path / f"{i}.wav", 0.1, 8000)
    manifest = _manifest(tmp_path / "m.jsonl", [{"audio_filepath": f"{i}.wav"} for i in range(5)])
    tasks = ManifestReaderStage(entries_per_task=2).process(_group(manifest))
    assert [t.num_items for t in tasks] == [2, 2, 1]


def test_malformed_line_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav", 0.1, 8000)
    manifest = _manifest(tmp_path / "m.jsonl", [{"audio_filepath": "a.wav"}, "{not json"])
    with pytest.raises(ManifestFormatError) as info:
        ManifestReaderStage().process(_group(manifest))
    assert info.value.line == 2
    assert str(manifest) in str(info.value)


def test_malformed_line_is_skipped_and_recorded_under_skip(tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav", 0.1, 8000)
    manifest = _manifest(tmp_path / "m.jsonl", [{"audio_filepath": "a.wav"}, "[1, 2]", {"text": "no path"}])
    stage = ManifestReaderStage(on_error="skip")
    [task] = stage.process(_group(manifest))
    assert task.num_items == 1
    assert [s["line"] for s in task._metadata[SKIPPED_KEY]] == ["2", "3"]
    assert stage.pop_metrics() == {SKIPPED_KEY: 2.0}


def test_missing_audio_is_an_error_naming_file_stage_and_task(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path / "m.jsonl", [{"audio_filepath": "gone.wav"}])
    with pytest.raises(AudioFileError) as info:
        ManifestReaderStage().process(_group(manifest))
    assert info.value.path == str(tmp_path / "gone.wav")
    assert info.value.stage == "ManifestReaderStage"
    assert info.value.task_id == "g0"


def test_missing_and_unreadable_audio_are_skipped_counted_and_recorded(tmp_path: Path) -> None:
    write_wav(tmp_path / "good.wav", 0.2, 8000)
    (tmp_path / "bad.wav").write_bytes(b"RIFF but not really a wave file")
    entries = [{"audio_filepath": n} for n in ("good.wav", "gone.wav", "bad.wav")]
    manifest = _manifest(tmp_path / "m.jsonl", entries)
    stage = ManifestReaderStage(on_error="skip")
    [task] = stage.process(_group(manifest))
    assert [Path(e["audio_filepath"]).name for e in task.data] == ["good.wav"]
    assert sorted(Path(s["audio_filepath"]).name for s in task._metadata[SKIPPED_KEY]) == ["bad.wav", "gone.wav"]
    assert stage.pop_metrics()[SKIPPED_KEY] == 2.0


def test_pipeline_stops_with_an_error_naming_stage_and_task(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path / "m.jsonl", [{"audio_filepath": "gone.wav"}])
    pipeline = Pipeline("missing", stages=[ManifestReader(str(manifest))])
    with pytest.raises(StageFailedError) as info:
        pipeline.run(_in_process())
    assert info.value.stage == "ManifestReaderStage"
    assert "gone.wav" in str(info.value)


def test_directory_reader_builds_entries_with_sidecar_text(tmp_path: Path) -> None:
    write_wav(tmp_path / "audio" / "one.wav", 0.3, 16000)
    write_wav(tmp_path / "audio" / "two.flac", 0.3, 16000)
    (tmp_path / "audio" / "one.txt").write_text("hello there\n")
    (tmp_path / "audio" / "notes.md").write_text("not audio")
    pipeline = Pipeline("dir", stages=[AudioDirectoryReader(str(tmp_path / "audio"))])
    [task] = pipeline.run(_in_process())
    by_name = {Path(e["audio_filepath"]).name: e for e in task.data}
    assert sorted(by_name) == ["one.wav", "two.flac"]
    assert by_name["one.wav"]["text"] == "hello there"
    assert "text" not in by_name["two.flac"]


def _in_process():
    from curator_core.executors.local import LocalExecutor

    return LocalExecutor({"mode": "in_process", "progress": False})
