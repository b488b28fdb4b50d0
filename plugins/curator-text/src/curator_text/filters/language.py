"""Language identification with py3langid, whose model ships inside its package."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from curator_text.filters.base import DocumentFilter

__all__ = ["LanguageFilter", "identify_language", "language_identifier"]


@lru_cache(maxsize=4)
def language_identifier(languages: tuple[str, ...] | None = None) -> Any:
    """py3langid's identifier with normalised probabilities, loaded once per process."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # py3langid 0.4 renamed the loader; older releases ship a pickled model.
    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model
    identifier = load(MODEL_FILE, norm_probs=True)
    if languages:
        identifier.set_languages(list(languages))
    return identifier


def identify_language(text: str, languages: tuple[str, ...] | None = None) -> tuple[str, float]:
    """(ISO 639-1 code, probability) for a text."""
    code, probability = language_identifier(languages).classify(text)
    return str(code), float(probability)


class LanguageFilter(DocumentFilter):
    """Keep documents in one of ``languages`` (py3langid on the first ``max_chars``, ``min_score`` sure).

    As a ScoreFilter it identifies the language itself; as a Filter over a language column
    (made by the ``LanguageId`` stage) it keeps rows whose code is listed.
    """

    def __init__(self, languages: list[str] | str = "en", min_score: float = 0.0, max_chars: int | None = 1000) -> None:
        super().__init__()
        self.languages = [languages] if isinstance(languages, str) else list(languages)
        self.min_score = min_score
        self.max_chars = max_chars
        self._name = "language"

    def score_document(self, text: str) -> str:
        code, probability = identify_language(text[: self.max_chars] if self.max_chars else text)
        return code if probability >= self.min_score else ""

    def keep_document(self, score: str) -> bool:
        return score in self.languages
