"""CMU PocketSphinx: an offline recogniser whose US English model ships inside the wheel."""

from __future__ import annotations

import os
from typing import Any, ClassVar

import numpy as np

from curator_audio.asr.base import AsrAdapter
from curator_audio.audio_io import as_int16

__all__ = ["PocketSphinxAdapter"]


class PocketSphinxAdapter(AsrAdapter):
    """US English by default (``pocketsphinx``'s bundled acoustic model, 3-gram LM and dictionary).

    ``hmm``, ``lm`` and ``dictionary`` override the model files; ``config`` passes any other decoder
    option (``{"beam": 1e-60}``, say). PocketSphinx decodes one utterance at a time, so a batch
    is decoded in a loop on one loaded decoder.
    """

    name: ClassVar[str] = "pocketsphinx"
    sample_rate = 16000

    def __init__(
        self,
        hmm: str | None = None,
        lm: str | None = None,
        dictionary: str | None = None,
        config: dict[str, Any] | None = None,
    ) -> None:
        self.hmm = hmm
        self.lm = lm
        self.dictionary = dictionary
        self.config = dict(config or {})
        self._decoder: Any = None

    def _model_files(self) -> dict[str, str]:
        from pocketsphinx import get_model_path

        base = os.path.join(get_model_path(), "en-us")
        return {
            "hmm": self.hmm or os.path.join(base, "en-us"),
            "lm": self.lm or os.path.join(base, "en-us.lm.bin"),
            "dict": self.dictionary or os.path.join(base, "cmudict-en-us.dict"),
        }

    def setup_on_node(self) -> None:
        # Nothing to download: the model ships in the wheel. Check it is really there, once per node.
        missing = [path for path in self._model_files().values() if not os.path.exists(path)]
        if missing:
            raise FileNotFoundError(f"pocketsphinx model files missing: {missing} (reinstall pocketsphinx)")

    def setup(self) -> None:
        if self._decoder is not None:
            return
        from pocketsphinx import Decoder

        options: dict[str, Any] = {"loglevel": "FATAL", "samprate": self.sample_rate}
        options.update(self._model_files())
        options.update(self.config)
        self._decoder = Decoder(**options)

    def transcribe(self, waveforms: list[np.ndarray]) -> list[str]:
        if self._decoder is None:
            self.setup()
        texts = []
        for waveform in waveforms:
            self._decoder.start_utt()
            self._decoder.process_raw(as_int16(np.asarray(waveform)).tobytes(), no_search=False, full_utt=True)
            self._decoder.end_utt()
            hypothesis = self._decoder.hyp()
            texts.append(hypothesis.hypstr.strip() if hypothesis is not None else "")
        return texts

    def teardown(self) -> None:
        self._decoder = None

    def describe(self) -> dict[str, Any]:
        files = {"hmm": self.hmm, "lm": self.lm, "dictionary": self.dictionary}
        params: dict[str, Any] = {k: v for k, v in files.items() if v}
        if self.config:
            params["config"] = dict(self.config)
        return {"name": self.name, "params": params}

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_decoder"] = None  # a loaded decoder does not pickle; workers load their own
        return state
