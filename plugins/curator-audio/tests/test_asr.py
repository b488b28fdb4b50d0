"""Speech recognition with PocketSphinx's bundled model on flite speech, noise and silence."""

from __future__ import annotations

import pickle

import pytest
from conftest import EASY_SENTENCES, audio_task

from curator_audio import AsrAdapter, GetPairwiseWerStage, InferenceAsrStage, available_asr_adapters, make_asr_adapter
from curator_audio.asr.pocketsphinx_adapter import PocketSphinxAdapter
from curator_audio.stages.wer import get_wer


@pytest.fixture(scope="module")
def transcribed(corpus_entries: list[dict]) -> list[dict]:
    stage = InferenceAsrStage("pocketsphinx")
    stage.setup_on_node()
    stage.setup()
    try:
        task = stage.process(audio_task(corpus_entries))
    finally:
        stage.teardown()
    return GetPairwiseWerStage().process(task).data


def test_flite_speech_is_recognised_with_low_wer(transcribed: list[dict]) -> None:
    speech = [e for e in transcribed if e["kind"] == "speech"]
    assert len(speech) == 8
    errors = sum(e["wer"] * len(e["text"].split()) for e in speech) / sum(len(e["text"].split()) for e in speech)
    assert errors < 20.0, [(e["voice"], e["pred_text"], e["wer"]) for e in speech]
    assert all(e["wer"] < 40.0 for e in speech), [(e["voice"], e["pred_text"]) for e in speech]


def test_noise_and_silence_give_nothing_or_nonsense(transcribed: list[dict]) -> None:
    others = [e for e in transcribed if e["kind"] != "speech"]
    assert [e["kind"] for e in others] == ["noise", "silence"]
    for entry in others:
        assert all(get_wer(sentence, entry["pred_text"]) >= 80.0 for sentence in EASY_SENTENCES), entry
        assert entry["wer"] >= 80.0


def test_adapter_is_chosen_by_plain_name_or_mapping() -> None:
    assert "pocketsphinx" in available_asr_adapters()
    assert isinstance(make_asr_adapter("pocketsphinx"), PocketSphinxAdapter)
    adapter = make_asr_adapter({"name": "pocketsphinx", "params": {"config": {"beam": 1e-40}}})
    assert adapter.describe() == {"name": "pocketsphinx", "params": {"config": {"beam": 1e-40}}}
    with pytest.raises(LookupError, match="pocketsphinx"):
        make_asr_adapter("whisper-from-the-internet")
    with pytest.raises(ValueError, match="name"):
        make_asr_adapter({"model": "pocketsphinx"})


def test_stage_declares_resources_and_batches_tasks(corpus_entries: list[dict]) -> None:
    stage = InferenceAsrStage(batch_size=2, cpus=0.5)
    assert stage.batch_size == 2 and stage.resources.cpus == 0.5
    calls: list[int] = []

    class Counting(AsrAdapter):
        name = "counting"

        def setup(self) -> None:
            pass

        def transcribe(self, waveforms):  # type: ignore[no-untyped-def]
            calls.append(len(waveforms))
            return [f"{len(w)}" for w in waveforms]

    stage = InferenceAsrStage(Counting(), batch_size=2)
    tasks = [audio_task(corpus_entries[:3], "a"), audio_task(corpus_entries[3:4], "b")]
    out = stage.process_batch(tasks)
    assert calls == [4]
    assert [t.num_items for t in out] == [3, 1]
    assert all(e["pred_text"].isdigit() for t in out for e in t.data)


def test_loaded_stage_pickles_without_its_decoder(corpus_entries: list[dict]) -> None:
    stage = InferenceAsrStage()
    stage.setup()
    clone = pickle.loads(pickle.dumps(stage))
    assert clone.adapter._decoder is None
    stage.teardown()
