"""AudioTask: a batch of manifest entries."""

from __future__ import annotations

from curator_audio import AudioBatch, AudioTask


def test_audio_task_counts_entries_and_validates_paths() -> None:
    task = AudioTask(task_id="t", dataset_name="d", data=[{"audio_filepath": "a.wav"}, {"audio_filepath": "b.wav"}])
    assert task.num_items == 2
    assert task.validate()
    assert not AudioTask(task_id="t", dataset_name="d", data=[{"text": "no path"}]).validate()
    assert AudioBatch is AudioTask


def test_content_key_names_the_files_and_derive_keeps_metadata() -> None:
    task = AudioTask(task_id="t", dataset_name="d", data=[{"audio_filepath": "a.wav"}], _metadata={"k": 1})
    assert task.content_key() == "a.wav"
    child = task.derive([{"audio_filepath": "b.wav"}])
    assert isinstance(child, AudioTask) and child._metadata == {"k": 1} and child.data[0]["audio_filepath"] == "b.wav"
