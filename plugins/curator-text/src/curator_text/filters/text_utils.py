"""How the filters split a document: words, lines ("sentences"), paragraphs, n-grams."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["get_ngrams", "get_paragraphs", "get_sentences", "word_splitter"]


def word_splitter(lang: str) -> Callable[[str], list[str]]:
    """``str.split`` for space-separated languages; jieba for Chinese, MeCab (fugashi) for Japanese."""
    code = lang.lower()
    if code == "zh":
        return _jieba_splitter()
    if code == "ja":
        return _mecab_splitter()
    return str.split


def _jieba_splitter() -> Callable[[str], list[str]]:
    try:
        import jieba
    except ImportError as exc:
        raise ImportError("lang='zh' segments words with jieba: pip install 'curator-text[zh]'") from exc

    def split(text: str) -> list[str]:
        # Like NeMo Curator, every token jieba yields counts as a word, white space included.
        return list(jieba.cut(text))

    return split


def _mecab_splitter() -> Callable[[str], list[str]]:
    try:
        import fugashi
    except ImportError as exc:
        raise ImportError("lang='ja' segments words with MeCab: pip install 'curator-text[ja]'") from exc
    tagger = fugashi.Tagger()

    def split(text: str) -> list[str]:
        return [word.surface for word in tagger(text)]

    return split


def get_paragraphs(document: str) -> list[str]:
    """Paragraphs are separated by a blank line."""
    return document.split("\n\n")


def get_sentences(document: str) -> list[str]:
    """Sentences are the non-blank lines."""
    return [line for line in document.split("\n") if len(line.strip()) > 0]


def get_ngrams(words: list[str], n: int) -> list[tuple[str, ...]]:
    return list(zip(*[words[i:] for i in range(n)]))
