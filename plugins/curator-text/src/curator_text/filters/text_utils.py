"""How the filters split a document: words, lines ("sentences"), paragraphs, n-grams."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["get_ngrams", "get_paragraphs", "get_sentences", "word_splitter"]


def word_splitter(lang: str) -> Callable[[str], list[str]]:
    """``str.split`` for space-separated languages; Chinese and Japanese need segmenters we do not ship."""
    if lang.lower() in ("zh", "ja"):
        raise ValueError(f"lang={lang!r} needs a word segmenter (jieba / MeCab), which curator-text does not ship")
    return str.split


def get_paragraphs(document: str) -> list[str]:
    """Paragraphs are separated by a blank line."""
    return document.split("\n\n")


def get_sentences(document: str) -> list[str]:
    """Sentences are the non-blank lines."""
    return [line for line in document.split("\n") if len(line.strip()) > 0]


def get_ngrams(words: list[str], n: int) -> list[tuple[str, ...]]:
    return list(zip(*[words[i:] for i in range(n)]))
