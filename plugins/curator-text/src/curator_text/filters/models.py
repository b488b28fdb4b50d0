"""Filters that score with a model or resource the user gives as a local path (nothing is downloaded).

fastText models (``FastTextLangId``, ``FastTextQualityFilter``), tokenizers (``TokenCountFilter``:
a Hugging Face ``tokenizer.json``; ``TokenizerFertilityFilter``: a SentencePiece model, as NeMo
Curator takes) and NLLB character histograms (``HistogramFilter``). Models load on first use, so a
filter pickles to worker processes as its parameters.
"""

from __future__ import annotations

import ast
import os
from abc import abstractmethod
from typing import Any

import numpy as np

from curator_text.filters.base import DocumentFilter

__all__ = [
    "FastTextLangId",
    "FastTextQualityFilter",
    "HistogramFilter",
    "TokenCountFilter",
    "TokenizerFertilityFilter",
]


def _require_file(path: str | None, what: str, owner: str) -> str:
    if path is None:
        raise ValueError(f"{owner}: give the local path of {what}")
    if not os.path.exists(path):
        raise FileNotFoundError(f"{owner}: {what} {path!r} not found (nothing is downloaded; give a local path)")
    return path


def _load_fasttext(path: str) -> Any:
    try:
        import fasttext
    except ImportError as exc:
        raise ImportError("fastText filters need the fasttext package: pip install 'curator-text[fasttext]'") from exc
    return fasttext.load_model(path)


class _LazyModel(DocumentFilter):
    """Holds a model loaded on first use and dropped when pickled."""

    _model: Any = None

    @abstractmethod
    def _load(self) -> Any:
        """Load the model from the local path the filter was given."""

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = self._load()
        return self._model

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if k != "_model"}


class FastTextLangId(_LazyModel):
    """Language id with a fastText model; keeps documents whose top label scores at least ``min_langid_score``.

    The score is NeMo Curator's string ``"[probability, 'code']"``; with ``lang`` the code must also
    match (case-insensitive; ``en`` matches every script of English, ``eng_Latn`` only itself).
    """

    def __init__(self, model_path: str | None = None, min_langid_score: float = 0.3, lang: str | None = None) -> None:
        super().__init__()
        self.model_path = _require_file(model_path, "a fastText language-id model", "FastTextLangId")
        self.min_langid_score = min_langid_score
        self.lang = lang or None
        self._name = "lang_id"

    def _load(self) -> Any:
        return _load_fasttext(self.model_path)

    def score_document(self, text: str) -> str:
        labels, probabilities = self.model.predict([text.strip().replace("\n", " ")], k=1)
        code = labels[0][0].removeprefix("__label__")
        return str([float(probabilities[0][0]), code])

    def keep_document(self, score: str) -> bool:
        if not isinstance(score, str):
            raise TypeError(f"FastTextLangId: a score is the string \"[probability, 'code']\", got {score!r}")
        probability, code = ast.literal_eval(score)
        if probability < self.min_langid_score:
            return False
        if not self.lang:
            return True
        wanted = self.lang.casefold()
        found = str(code).casefold()
        return found == wanted if "_" in wanted else found.split("_", maxsplit=1)[0] == wanted


class FastTextQualityFilter(_LazyModel):
    """Quality classification with a fastText model, kept with NeMo Curator's Pareto sampling.

    The score is the probability of ``label``; a document is kept when a Pareto(``alpha``) draw
    exceeds ``1 - score``, so low-quality documents survive now and then. Draws come from a
    generator seeded with ``seed`` (the stream NeMo Curator's ``np.random.seed`` gives), one per
    document in order.
    """

    def __init__(
        self, model_path: str | None = None, label: str = "__label__hq", alpha: float = 3, seed: int = 42
    ) -> None:
        super().__init__()
        self.model_path = _require_file(model_path, "a fastText quality model", "FastTextQualityFilter")
        self.label = label
        self.alpha = alpha
        self.seed = seed
        self._random = np.random.RandomState(seed)
        self._name = "fasttext_quality_filter"

    def _load(self) -> Any:
        return _load_fasttext(self.model_path)

    def score_document(self, text: str) -> float:
        labels, probabilities = self.model.predict([text.replace("\n", " ").replace("__label__", " ")])
        score = float(probabilities[0][0])
        return score if labels[0][0] == self.label else 1 - score

    def keep_document(self, score: float) -> bool:
        return bool(self._random.pareto(self.alpha) > 1 - score)


class TokenCountFilter(DocumentFilter):
    """Keep documents with ``min_tokens <= token count <= max_tokens``.

    The tokenizer is an object with ``encode(text)`` (a ``transformers`` tokenizer, a ``tokenizers``
    Tokenizer), or ``tokenizer_file``: a local Hugging Face ``tokenizer.json``. Counts include the
    special tokens the tokenizer adds, as ``encode`` does in NeMo Curator.
    """

    def __init__(
        self,
        tokenizer: Any = None,
        tokenizer_file: str | None = None,
        min_tokens: int = 0,
        max_tokens: float = float("inf"),
    ) -> None:
        super().__init__()
        if (tokenizer is None) == (tokenizer_file is None):
            raise ValueError("TokenCountFilter: give exactly one of tokenizer= or tokenizer_file=")
        self.tokenizer_file = (
            _require_file(tokenizer_file, "a tokenizer.json file", "TokenCountFilter") if tokenizer_file else None
        )
        self.min_tokens = min_tokens
        self.max_tokens = max_tokens
        self._tokenizer = tokenizer
        self._name = "token_count"

    def params(self) -> dict[str, Any]:
        return {"tokenizer_file": self.tokenizer_file, "min_tokens": self.min_tokens, "max_tokens": self.max_tokens}

    def _encoder(self) -> Any:
        if self._tokenizer is None:
            try:
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise ImportError("tokenizer_file= needs the tokenizers package: pip install tokenizers") from exc
            self._tokenizer = Tokenizer.from_file(self.tokenizer_file)
        return self._tokenizer

    def score_document(self, text: str) -> int:
        encoded = self._encoder().encode(text)
        return len(getattr(encoded, "ids", encoded))

    def keep_document(self, score: int) -> bool:
        return self.min_tokens <= score <= self.max_tokens

    def __getstate__(self) -> dict[str, Any]:
        state = dict(vars(self))
        if self.tokenizer_file:
            state["_tokenizer"] = None
        return state


class TokenizerFertilityFilter(_LazyModel):
    """Keep documents with at least ``min_char_to_token_ratio`` characters per SentencePiece token.

    ``path_to_tokenizer``: a local SentencePiece ``.model`` file, as NeMo Curator takes. A text
    that gives no token scores -1 (dropped).
    """

    def __init__(self, path_to_tokenizer: str | None = None, min_char_to_token_ratio: float = 2.5) -> None:
        super().__init__()
        self.path_to_tokenizer = _require_file(
            path_to_tokenizer, "a SentencePiece model file", "TokenizerFertilityFilter"
        )
        self.min_char_to_token_ratio = min_char_to_token_ratio
        self._name = "tokenizer_fertility"

    def _load(self) -> Any:
        try:
            import sentencepiece
        except ImportError as exc:
            raise ImportError("TokenizerFertilityFilter needs sentencepiece: pip install sentencepiece") from exc
        return sentencepiece.SentencePieceProcessor(model_file=self.path_to_tokenizer)

    def score_document(self, text: str) -> float:
        tokens = self.model.encode(text, out_type=str)
        return len(text) / len(tokens) if tokens else -1

    def keep_document(self, score: float) -> bool:
        return score >= self.min_char_to_token_ratio


class HistogramFilter(DocumentFilter):
    """NLLB's cheap language check: keep text whose characters are mostly in ``lang``'s character histogram.

    ``cache_dir`` is a local folder holding the histogram file ``<lang>``, directly or in the layout
    of NeMo Curator's download (``histograms/checkpoint/edunov/cc60_multilingual/clean_hists/<lang>``);
    each line starts with a character, and the ``threshold_char`` line ends the list. Score 1 keeps.
    """

    _NEMO_LAYOUT = ("histograms", "checkpoint", "edunov", "cc60_multilingual", "clean_hists")

    def __init__(
        self, lang: str = "en", threshold: float = 0.8, cache_dir: str | None = None, threshold_char: str = "]"
    ) -> None:
        super().__init__()
        if not cache_dir:
            raise ValueError("HistogramFilter: give cache_dir, a local folder with the histogram files")
        self.lang = lang
        self.threshold = threshold
        self.cache_dir = cache_dir
        self.threshold_char = threshold_char
        self._histogram = self._read(self._path())
        self._name = "histogram"

    def _path(self) -> str:
        for path in (
            os.path.join(self.cache_dir, self.lang),
            os.path.join(self.cache_dir, *self._NEMO_LAYOUT, self.lang),
        ):
            if os.path.isfile(path):
                return path
        raise FileNotFoundError(
            f"HistogramFilter: no histogram for {self.lang!r} in {self.cache_dir!r} "
            f"(looked for {self.lang} and {'/'.join(self._NEMO_LAYOUT)}/{self.lang})"
        )

    def _read(self, path: str) -> frozenset[str]:
        chars = []
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line[0] == self.threshold_char:
                    break
                chars.append(line[0])
        return frozenset(chars)

    def score_document(self, text: str) -> int:
        if not text:
            return 0
        count = sum(1 for char in text.strip() if char in self._histogram)
        return 1 if count / len(text) > self.threshold else 0

    def keep_document(self, score: int) -> bool:
        return score == 1
