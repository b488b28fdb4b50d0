"""ManifestWriterStage: one JSONL per task, named from the task id, written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import audio_task

from curator_audio import ManifestWriterStage


def test_entries_are_written_as_jsonl_named_from_the_task_id(tmp_path: Path) -> None:
    entries = [{"audio_filepath": "a.wav", "text": "héllo"}, {"audio_filepath": "b.wav", "text": "x"}]
    out = ManifestWriterStage(str(tmp_path)).process(audio_task(entries, "abc123.0"))
    [path] = out.data
    assert Path(path) == tmp_path / "manifest-abc123.0.jsonl"
    assert [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()] == entries
    assert [p.name for p in tmp_path.iterdir()] == ["manifest-abc123.0.jsonl"]


def test_rewriting_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    stage = ManifestWriterStage(str(tmp_path), keys=["audio_filepath"])
    stage.process(audio_task([{"audio_filepath": "old.wav", "text": "t"}], "t1"))
    stage.process(audio_task([{"audio_filepath": "new.wav", "text": "t"}], "t1"))
    [path] = list(tmp_path.iterdir())
    assert path.read_text() == '{"audio_filepath": "new.wav"}\n'


def test_task_ids_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    out = ManifestWriterStage(str(tmp_path / "out")).process(audio_task([{"audio_filepath": "a"}], "../../etc/passwd"))
    [path] = out.data
    assert Path(path).parent == tmp_path / "out"


def test_empty_task_writes_nothing(tmp_path: Path) -> None:
    out = ManifestWriterStage(str(tmp_path / "out")).process(audio_task([], "t"))
    assert out.data == []
    assert not (tmp_path / "out").exists()
