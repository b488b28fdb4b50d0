"""WER/CER in NeMo Curator's percent convention, and PreserveByValueStage's six operators."""

from __future__ import annotations

import pytest
from conftest import audio_task

from curator_audio import GetPairwiseWerStage, PreserveByValueStage
from curator_audio.stages.wer import get_cer, get_wer


def test_wer_and_cer_are_percentages() -> None:
    assert get_wer("a b c", "a x c") == 33.33
    assert get_cer("abc", "axc") == 33.33
    assert get_wer("a b", "a b") == 0.0
    assert get_wer("", "") == 0.0
    assert get_wer("", "anything") == 100.0


def test_stage_normalises_case_and_punctuation_before_scoring() -> None:
    entries = [
        {"audio_filepath": "x", "text": "Hello, World!", "pred_text": "hello world"},
        {"audio_filepath": "y", "text": "one two three four", "pred_text": "one too three"},
        {"audio_filepath": "z", "text": "said something"},
    ]
    out = GetPairwiseWerStage().process(audio_task(entries)).data
    assert [e["wer"] for e in out] == [0.0, 50.0, 100.0]
    assert out[0]["cer"] == 0.0
    raw = GetPairwiseWerStage(normalize=False, cer_key=None).process(audio_task(entries[:1])).data[0]
    assert raw["wer"] == 100.0 and "cer" not in raw


@pytest.mark.parametrize(
    ("operator", "kept"),
    [("lt", [10]), ("le", [10, 20]), ("eq", [20]), ("ne", [10, 30]), ("ge", [20, 30]), ("gt", [30])],
)
def test_every_operator_keeps_entries_where_value_op_target(operator: str, kept: list[int]) -> None:
    entries = [{"audio_filepath": str(v), "wer": v} for v in (10, 20, 30)]
    out = PreserveByValueStage("wer", 20, operator).process(audio_task(entries))
    assert out is not None
    assert [e["wer"] for e in out.data] == kept


def test_wer_filter_keeps_good_and_drops_bad_entries_and_counts_them() -> None:
    entries = [
        {"audio_filepath": "good", "text": "the cat sat", "pred_text": "the cat sat"},
        {"audio_filepath": "bad", "text": "the cat sat", "pred_text": "a dog ran off"},
        {"audio_filepath": "ok", "text": "one two three four five six", "pred_text": "one two three four five sex"},
    ]
    scored = GetPairwiseWerStage().process(audio_task(entries))
    stage = PreserveByValueStage("wer", 20.0, "lt")
    kept = stage.process(scored)
    assert kept is not None
    assert [e["audio_filepath"] for e in kept.data] == ["good", "ok"]
    assert stage.pop_metrics() == {"dropped_entries": 1.0}


def test_task_with_nothing_left_is_filtered_out() -> None:
    assert (
        PreserveByValueStage("duration", 100, "gt").process(audio_task([{"audio_filepath": "a", "duration": 1}]))
        is None
    )


def test_missing_key_and_unknown_operator_are_errors() -> None:
    with pytest.raises(KeyError, match="wer"):
        PreserveByValueStage("wer", 1, "lt").process(audio_task([{"audio_filepath": "a"}]))
    with pytest.raises(ValueError, match="operator"):
        PreserveByValueStage("wer", 1, "<")
