"""``GetPairwiseWerStage``: word and character error rate of each prediction (jiwer)."""

from __future__ import annotations

from typing import Any

import jiwer

from curator_audio.tasks import AudioTask
from curator_core.stages import ProcessingStage

__all__ = ["GetPairwiseWerStage", "get_cer", "get_wer", "normalize_text"]

_NORMALIZE = jiwer.Compose(
    [jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip()]  # type: ignore[no-untyped-call]
)


def normalize_text(text: str) -> str:
    """Lower case, no punctuation, single spaces: what recognisers emit."""
    return str(_NORMALIZE(text or ""))


def _rate(measure: Any, text: str, pred_text: str) -> float:
    if not text.strip():
        # jiwer refuses an empty reference: nothing said and nothing heard is perfect, anything heard is all wrong.
        return 0.0 if not pred_text.strip() else 100.0
    return round(float(measure(text, pred_text)) * 100.0, 2)


def get_wer(text: str, pred_text: str) -> float:
    """Word error rate in percent, rounded to 2 decimals (NeMo Curator's convention)."""
    return _rate(jiwer.wer, text, pred_text)


def get_cer(text: str, pred_text: str) -> float:
    """Character error rate in percent, rounded to 2 decimals."""
    return _rate(jiwer.cer, text, pred_text)


class GetPairwiseWerStage(ProcessingStage[AudioTask, AudioTask]):
    """Store WER (and CER) between ``entry[text_key]`` and ``entry[pred_text_key]``, in percent.

    Key names and the percent scale follow NeMo Curator (``wer`` = 12.5 means 12.5 %). With
    ``normalize`` both sides are lower-cased and stripped of punctuation first; a missing
    prediction counts as an empty one. Set ``cer_key=None`` to skip CER.
    """

    name = "GetPairwiseWerStage"

    def __init__(
        self,
        text_key: str = "text",
        pred_text_key: str = "pred_text",
        wer_key: str = "wer",
        cer_key: str | None = "cer",
        normalize: bool = True,
    ) -> None:
        self.text_key = text_key
        self.pred_text_key = pred_text_key
        self.wer_key = wer_key
        self.cer_key = cer_key
        self.normalize = normalize

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.text_key, self.pred_text_key]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.wer_key] + ([self.cer_key] if self.cer_key else [])

    def process(self, task: AudioTask) -> AudioTask:
        return task.derive([self._entry(entry) for entry in task.data])

    def _entry(self, entry: dict[str, Any]) -> dict[str, Any]:
        text = str(entry.get(self.text_key) or "")
        pred = str(entry.get(self.pred_text_key) or "")
        if self.normalize:
            text, pred = normalize_text(text), normalize_text(pred)
        out = {**entry, self.wer_key: get_wer(text, pred)}
        if self.cer_key:
            out[self.cer_key] = get_cer(text, pred)
        return out
