"""Heuristic quality filters with NeMo Curator's parameters, defaults and keep rules.

Where NeMo Curator raises on a degenerate document (no words, no non-blank lines), these
filters give a score that drops it (the README's differences table lists each); every other
document gets exactly NeMo Curator's score and decision (tests/golden proves it against NeMo's
own output). Ratios over characters count code points, as ``len(text)`` does.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from curator_text.filters.base import DocumentFilter
from curator_text.filters.constants import (
    BULLETS,
    COMMON_ENGLISH_WORDS,
    ELLIPSIS_MARKS,
    END_MARKS,
    POLICY_SUBSTRINGS,
    REGEX_ALPHA,
    REGEX_ALPHANUM,
    REGEX_DIGIT,
    REGEX_HASH,
    REGEX_PAREN,
    REGEX_URL,
    WHITE_SPACE,
)
from curator_text.filters.kernels import (
    as_numpy,
    ascii_word_spans,
    byte_table,
    char_lengths,
    count_bytes,
    count_words_ascii,
    is_ascii,
    per_row,
    string_chunks,
    to_numpy,
)
from curator_text.filters.text_utils import get_ngrams, get_paragraphs, get_sentences, word_splitter

__all__ = [
    "BoilerPlateStringFilter",
    "BulletsFilter",
    "CommonEnglishWordsFilter",
    "EllipsisFilter",
    "LongWordFilter",
    "MeanWordLengthFilter",
    "NonAlphaNumericFilter",
    "NumbersFilter",
    "ParenthesesFilter",
    "PornographicUrlsFilter",
    "PunctuationFilter",
    "RepeatedLinesByCharFilter",
    "RepeatedLinesFilter",
    "RepeatedParagraphsByCharFilter",
    "RepeatedParagraphsFilter",
    "RepeatingDuplicateNGramsFilter",
    "RepeatingTopNGramsFilter",
    "SubstringFilter",
    "SymbolsToWordsFilter",
    "UrlsFilter",
    "WhiteSpaceFilter",
    "WordCountFilter",
    "WordsWithoutAlphabetsFilter",
]


def _ratio_column(column: pa.Array | pa.ChunkedArray, counter: object, complement: bool = False) -> np.ndarray:
    """``count / len(text)`` per row (1.0 for empty text), ``counter(chunk)`` giving the counts.

    With ``complement``, the count is of the characters ``counter`` does not count.
    """
    parts = []
    for chunk in string_chunks(column):
        counts = counter(chunk)  # type: ignore[operator]
        nchar = char_lengths(chunk)
        if complement:
            counts = nchar - counts
        with np.errstate(divide="ignore", invalid="ignore"):
            parts.append(np.where(nchar > 0, counts / np.maximum(nchar, 1), 1.0))
    return np.concatenate(parts) if parts else np.zeros(0)


def _at_most(scores: object, cutoff: float) -> np.ndarray:
    return as_numpy(scores) <= cutoff


class _MaxRatioFilter(DocumentFilter):
    """A filter that keeps scores at most a cutoff (vectorised keep rule)."""

    _cutoff: float

    def keep_document(self, score: float) -> bool:
        return score <= self._cutoff

    def keep_column(self, scores: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
        return _at_most(scores, self._cutoff)


# -- counts over characters: exact on Arrow bytes for every row -------------------------------


class NonAlphaNumericFilter(_MaxRatioFilter):
    """Drop documents whose share of characters outside ``[a-zA-Z0-9\\n?!,.]`` exceeds the cutoff (Gopher)."""

    _KEPT = byte_table(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\n?!,.")

    def __init__(self, max_non_alpha_numeric_to_text_ratio: float = 0.25) -> None:
        super().__init__()
        self.max_non_alpha_numeric_to_text_ratio = max_non_alpha_numeric_to_text_ratio
        self._cutoff = max_non_alpha_numeric_to_text_ratio
        self._name = "alpha_numeric"

    def score_document(self, text: str) -> float:
        nchar = len(text)
        return (nchar - len(REGEX_ALPHANUM.findall(text))) / nchar if nchar > 0 else 1.0

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> np.ndarray:
        # Members are ASCII, so counting bytes counts characters; the rest of a row is the complement.
        return _ratio_column(column, lambda chunk: count_bytes(chunk, self._KEPT), complement=True)


class NumbersFilter(_MaxRatioFilter):
    """Drop documents whose share of digit characters exceeds the cutoff."""

    _DIGITS = byte_table(b"0123456789")

    def __init__(self, max_number_to_text_ratio: float = 0.15) -> None:
        super().__init__()
        self.max_number_to_text_ratio = max_number_to_text_ratio
        self._cutoff = max_number_to_text_ratio
        self._name = "numbers_ratio"

    def score_document(self, text: str) -> float:
        nchar = len(text)
        return len(REGEX_DIGIT.findall(text)) / nchar if nchar > 0 else 1.0

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> np.ndarray:
        return _ratio_column(column, lambda chunk: count_bytes(chunk, self._DIGITS))


class WhiteSpaceFilter(_MaxRatioFilter):
    """Drop documents whose share of tab, newline, carriage return, backspace and space exceeds the cutoff."""

    _SPACE = byte_table("".join(WHITE_SPACE).encode())

    def __init__(self, max_white_space_ratio: float = 0.25) -> None:
        super().__init__()
        self.max_white_space_ratio = max_white_space_ratio
        self._cutoff = max_white_space_ratio
        self._name = "white_space"

    def score_document(self, text: str) -> float:
        nchar = len(text)
        return len([c for c in text if c in WHITE_SPACE]) / nchar if nchar > 0 else 1.0

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> np.ndarray:
        return _ratio_column(column, lambda chunk: count_bytes(chunk, self._SPACE))


class ParenthesesFilter(_MaxRatioFilter):
    """Drop documents whose share of brackets ``{}[]()⟨⟩`` exceeds the cutoff."""

    _ASCII = byte_table(b"{}[]()")

    def __init__(self, max_parentheses_ratio: float = 0.1) -> None:
        super().__init__()
        self.max_parentheses_ratio = max_parentheses_ratio
        self._cutoff = max_parentheses_ratio
        self._name = "parentheses_ratio"

    def score_document(self, text: str) -> float:
        nchar = len(text)
        return len(REGEX_PAREN.findall(text)) / nchar if nchar > 0 else 1.0

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> np.ndarray:
        def count(chunk: pa.Array) -> np.ndarray:
            # UTF-8 is self-synchronising, so substring counts of the two angle brackets are exact.
            angles = sum(to_numpy(pc.count_substring(chunk, mark)).astype(np.int64) for mark in ("\u27e8", "\u27e9"))
            return count_bytes(chunk, self._ASCII) + angles

        return _ratio_column(column, count)


def _url_pattern(url_regex: re.Pattern[str] | str | None) -> re.Pattern[str]:
    return re.compile(url_regex) if isinstance(url_regex, str) else (url_regex or REGEX_URL)


class UrlsFilter(_MaxRatioFilter):
    """Drop documents whose share of characters inside URLs exceeds the cutoff (``url_regex``: another URL pattern)."""

    def __init__(self, max_url_to_text_ratio: float = 0.2, url_regex: re.Pattern[str] | str | None = None) -> None:
        super().__init__()
        self.max_url_to_text_ratio = max_url_to_text_ratio
        self.url_regex = url_regex
        self._cutoff = max_url_to_text_ratio
        self._url = _url_pattern(url_regex)
        self._name = "urls_ratio"

    def score_document(self, text: str) -> float:
        nchar = len(text)
        url_chars = sum(len(url) for url in self._url.findall(text))
        return url_chars / nchar if nchar > 0 else 1.0

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> pa.Array | np.ndarray:
        if self.url_regex is not None:
            return super().score_column(column)
        parts = []
        for chunk in string_chunks(column):
            # The default pattern starts with "http": rows without it score 0 (1 when empty) without a regex.
            scores = np.where(char_lengths(chunk) > 0, 0.0, 1.0)
            rows = np.flatnonzero(to_numpy(pc.match_substring(chunk, "http")))
            if len(rows):
                scores[rows] = per_row(chunk, rows, self.score_document)
            parts.append(scores)
        return np.concatenate(parts) if parts else np.zeros(0)


class PornographicUrlsFilter(DocumentFilter):
    """Drop documents holding a URL that contains "porn" (score 1); ``url_regex``: another URL pattern."""

    def __init__(self, url_regex: re.Pattern[str] | str | None = None) -> None:
        super().__init__()
        self.url_regex = url_regex
        self._url = _url_pattern(url_regex)
        self._name = "pornographic_urls"

    def score_document(self, text: str) -> int:
        return int(any("porn" in url for url in self._url.findall(text)))

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> np.ndarray:
        parts = []
        for chunk in string_chunks(column):
            # A URL holding "porn" is in a text holding "porn": only those rows need the regex.
            scores = np.zeros(len(chunk), dtype=np.int64)
            rows = np.flatnonzero(to_numpy(pc.match_substring(chunk, "porn")))
            if len(rows):
                scores[rows] = per_row(chunk, rows, self.score_document)
            parts.append(scores)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def keep_column(self, scores: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
        return as_numpy(scores) != 1

    def keep_document(self, score: int) -> bool:
        return score != 1


# -- word counts: bytes for ASCII rows, Python for the others --------------------------------


class WordCountFilter(DocumentFilter):
    """Keep documents with ``min_words <= len(text.strip().split()) <= max_words``."""

    def __init__(self, min_words: int = 50, max_words: int = 100000, lang: str = "en") -> None:
        super().__init__()
        self.min_words = min_words
        self.max_words = max_words
        self.lang = lang
        self._split = word_splitter(lang)
        self._name = "word_count"

    def score_document(self, text: str) -> int:
        return len(self._split(text.strip()))

    def keep_document(self, score: int) -> bool:
        return self.min_words <= score <= self.max_words

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> pa.Array | np.ndarray:
        if self._split is not str.split:
            return super().score_column(column)
        parts = []
        for chunk in string_chunks(column):
            counts = count_words_ascii(chunk)
            # str.split() also splits on non-ASCII white space (U+00A0, U+2003...): score those rows exactly.
            others = np.flatnonzero(~is_ascii(chunk))
            if len(others):
                counts[others] = per_row(chunk, others, self.score_document)
            parts.append(counts)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def keep_column(self, scores: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
        values = as_numpy(scores)
        return (self.min_words <= values) & (values <= self.max_words)


class SymbolsToWordsFilter(_MaxRatioFilter):
    """Drop documents where words that are an ellipsis or mostly ``#`` exceed the cutoff share (Gopher)."""

    def __init__(self, max_symbol_to_word_ratio: float = 0.1, lang: str = "en") -> None:
        super().__init__()
        self.max_symbol_to_word_ratio = max_symbol_to_word_ratio
        self.lang = lang
        self._cutoff = max_symbol_to_word_ratio
        self._split = word_splitter(lang)
        self._name = "symbol_to_word"

    def score_document(self, text: str) -> float:
        words = self._split(text.strip())
        if not words:
            return 1.0
        symbols = 0
        for raw in words:
            word = raw.strip()
            if not word:
                # A white-space token (jieba and MeCab yield them) is no symbol; NeMo Curator divides by zero.
                continue
            if word in ELLIPSIS_MARKS or len(REGEX_HASH.findall(word)) / len(word) > 0.5:
                symbols += 1
        return symbols / len(words)


class LongWordFilter(DocumentFilter):
    """Drop documents containing a word longer than ``max_word_length`` characters (C4)."""

    def __init__(self, max_word_length: int = 1000, lang: str = "en") -> None:
        super().__init__()
        self.max_word_length = max_word_length
        self.lang = lang
        self._split = word_splitter(lang)
        self._name = "max_word_length"

    def score_document(self, text: str) -> int:
        # 0: no word at all, which NeMo Curator raises on; keep_document drops it.
        return max((len(w) for w in self._split(text.strip())), default=0)

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> pa.Array | np.ndarray:
        if self._split is not str.split:
            return super().score_column(column)
        parts = []
        for chunk in string_chunks(column):
            rows, starts, ends = ascii_word_spans(chunk)
            longest = np.zeros(len(chunk), dtype=np.int64)
            np.maximum.at(longest, rows, ends - starts)
            others = np.flatnonzero(~is_ascii(chunk))
            if len(others):
                longest[others] = per_row(chunk, others, self.score_document)
            parts.append(longest)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def keep_document(self, score: int) -> bool:
        return 0 < score <= self.max_word_length

    def keep_column(self, scores: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
        values = as_numpy(scores)
        return (values > 0) & (values <= self.max_word_length)


class MeanWordLengthFilter(DocumentFilter):
    """Keep documents whose mean word length is within ``[min, max]``."""

    def __init__(self, min_mean_word_length: int = 3, max_mean_word_length: int = 10, lang: str = "en") -> None:
        super().__init__()
        self.min_mean_word_length = min_mean_word_length
        self.max_mean_word_length = max_mean_word_length
        self.lang = lang
        self._split = word_splitter(lang)
        self._name = "mean_word_length"

    def score_document(self, text: str) -> float:
        lengths = [len(w) for w in self._split(text.strip()) if len(w) > 0]
        return sum(lengths) / len(lengths) if lengths else 0.0

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> pa.Array | np.ndarray:
        if self._split is not str.split:
            return super().score_column(column)
        parts = []
        for chunk in string_chunks(column):
            rows, starts, ends = ascii_word_spans(chunk)
            words = np.bincount(rows, minlength=len(chunk))
            letters = np.bincount(rows, weights=ends - starts, minlength=len(chunk))
            with np.errstate(divide="ignore", invalid="ignore"):
                means = np.where(words > 0, letters / np.maximum(words, 1), 0.0)
            others = np.flatnonzero(~is_ascii(chunk))
            if len(others):
                means[others] = per_row(chunk, others, self.score_document)
            parts.append(means)
        return np.concatenate(parts) if parts else np.zeros(0)

    def keep_column(self, scores: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
        values = as_numpy(scores)
        return (self.min_mean_word_length <= values) & (values <= self.max_mean_word_length)

    def keep_document(self, score: float) -> bool:
        return self.min_mean_word_length <= score <= self.max_mean_word_length


class CommonEnglishWordsFilter(DocumentFilter):
    """Keep documents with at least ``min_num_common_words`` lowercase common English words."""

    def __init__(self, min_num_common_words: int = 2, stop_at_false: bool = True) -> None:
        super().__init__()
        self.min_num_common_words = min_num_common_words
        self.stop_at_false = stop_at_false
        self._name = "common_english_words"

    def score_document(self, text: str) -> int:
        found = 0
        for word in text.strip().split():
            if word in COMMON_ENGLISH_WORDS:
                found += 1
            if self.stop_at_false and found >= self.min_num_common_words:
                return found
        return found

    def keep_document(self, score: int) -> bool:
        return score >= self.min_num_common_words


class WordsWithoutAlphabetsFilter(DocumentFilter):
    """Keep documents where at least ``min_words_with_alphabets`` of words hold an alphabetic character (Gopher)."""

    def __init__(self, min_words_with_alphabets: float = 0.8, lang: str = "en") -> None:
        super().__init__()
        self.min_words_with_alphabets = min_words_with_alphabets
        self.lang = lang
        self._split = word_splitter(lang)
        self._name = "words_without_alphabets"

    def score_document(self, text: str) -> float:
        words = self._split(text.strip())
        if not words:
            return 0.0
        return sum(1 for w in words if REGEX_ALPHA.search(w)) / len(words)

    def keep_document(self, score: float) -> bool:
        return score >= self.min_words_with_alphabets


# -- line and paragraph rules ---------------------------------------------------------------


class BulletsFilter(_MaxRatioFilter):
    """Drop documents where lines starting with a bullet exceed the cutoff share (Gopher)."""

    def __init__(self, max_bullet_lines_ratio: float = 0.9) -> None:
        super().__init__()
        self.max_bullet_lines_ratio = max_bullet_lines_ratio
        self._cutoff = max_bullet_lines_ratio
        self._name = "bullet_ratio"

    def score_document(self, text: str) -> float:
        lines = get_sentences(text)
        if not lines:
            return 1.0
        return sum(1 for line in lines if line.strip().startswith(tuple(BULLETS))) / len(lines)


class PunctuationFilter(_MaxRatioFilter):
    """Drop documents where lines not ending in ``. ? ! " '`` exceed the cutoff share (C4)."""

    def __init__(self, max_num_sentences_without_endmark_ratio: float = 0.85) -> None:
        super().__init__()
        self.max_num_sentences_without_endmark_ratio = max_num_sentences_without_endmark_ratio
        self._cutoff = max_num_sentences_without_endmark_ratio
        self._name = "punctuation"

    def score_document(self, text: str) -> float:
        lines = get_sentences(text)
        if not lines:
            return 1.0
        return sum(1 for line in lines if not line.strip().endswith(END_MARKS)) / len(lines)


class EllipsisFilter(_MaxRatioFilter):
    """Drop documents where lines ending in an ellipsis exceed the cutoff share (C4)."""

    def __init__(self, max_num_lines_ending_with_ellipsis_ratio: float = 0.3) -> None:
        super().__init__()
        self.max_num_lines_ending_with_ellipsis_ratio = max_num_lines_ending_with_ellipsis_ratio
        self._cutoff = max_num_lines_ending_with_ellipsis_ratio
        self._name = "ellipsis"

    def score_document(self, text: str) -> float:
        lines = get_sentences(text)
        if not lines:
            return 1.0
        marks = tuple(ELLIPSIS_MARKS)
        return sum(1 for line in lines if line.strip().lower().endswith(marks)) / len(lines)


class RepeatedLinesFilter(DocumentFilter):
    """Keep documents whose unique-line share is at least ``max_repeated_line_fraction`` (Gopher)."""

    def __init__(self, max_repeated_line_fraction: float = 0.7) -> None:
        super().__init__()
        self.max_repeated_line_fraction = max_repeated_line_fraction
        self._name = "repeated_lines"

    def score_document(self, text: str) -> float:
        lines = get_sentences(text)
        return len(set(lines)) / len(lines) if lines else 0.0

    def keep_document(self, score: float) -> bool:
        return score >= self.max_repeated_line_fraction


class RepeatedParagraphsFilter(DocumentFilter):
    """Keep documents whose unique-paragraph share is at least ``max_repeated_paragraphs_ratio`` (Gopher)."""

    def __init__(self, max_repeated_paragraphs_ratio: float = 0.7) -> None:
        super().__init__()
        self.max_repeated_paragraphs_ratio = max_repeated_paragraphs_ratio
        self._name = "repeated_paragraphs"

    def score_document(self, text: str) -> float:
        paragraphs = get_paragraphs(text)
        return len(set(paragraphs)) / len(paragraphs)

    def keep_document(self, score: float) -> bool:
        return score >= self.max_repeated_paragraphs_ratio


class RepeatedLinesByCharFilter(DocumentFilter):
    """Keep documents whose unique lines hold at least ``max_repeated_lines_char_ratio`` of line characters."""

    def __init__(self, max_repeated_lines_char_ratio: float = 0.8) -> None:
        super().__init__()
        self.max_repeated_lines_char_ratio = max_repeated_lines_char_ratio
        self._name = "repeated_lines_char"

    def score_document(self, text: str) -> float:
        lines = get_sentences(text)
        total = len("".join(lines))
        return len("".join(set(lines))) / total if total else 0.0

    def keep_document(self, score: float) -> bool:
        return score >= self.max_repeated_lines_char_ratio


class RepeatedParagraphsByCharFilter(DocumentFilter):
    """Keep documents whose unique paragraphs hold at least ``max_repeated_paragraphs_char_ratio`` of characters."""

    def __init__(self, max_repeated_paragraphs_char_ratio: float = 0.8) -> None:
        super().__init__()
        self.max_repeated_paragraphs_char_ratio = max_repeated_paragraphs_char_ratio
        self._name = "repeated_paragraphs_char"

    def score_document(self, text: str) -> float:
        paragraphs = get_paragraphs(text)
        total = len("".join(paragraphs))
        return len("".join(set(paragraphs))) / total if total else 0.0

    def keep_document(self, score: float) -> bool:
        return score >= self.max_repeated_paragraphs_char_ratio


class BoilerPlateStringFilter(DocumentFilter):
    """Drop documents where paragraphs holding policy boilerplate exceed the cutoff share ("lorem ipsum": 1.0)."""

    def __init__(self, remove_if_at_top_or_bottom: bool = True, max_boilerplate_string_ratio: float = 0.4) -> None:
        super().__init__()
        self.remove_if_at_top_or_bottom = remove_if_at_top_or_bottom
        self.max_boilerplate_string_ratio = max_boilerplate_string_ratio
        self._name = "boilerplate_string_ratio"

    def score_document(self, text: str) -> float:
        paragraphs = get_paragraphs(text)
        found = 0
        for raw in paragraphs:
            paragraph = raw.strip().lower()
            if "lorem ipsum" in paragraph:
                return 1.0
            if any(p in paragraph for p in POLICY_SUBSTRINGS):
                found += 1
        return found / len(paragraphs)

    def keep_document(self, score: float) -> bool:
        return score <= self.max_boilerplate_string_ratio


# -- n-gram rules ---------------------------------------------------------------------------


class RepeatingTopNGramsFilter(_MaxRatioFilter):
    """Drop documents where the most frequent word n-gram covers more than the cutoff share of characters.

    Among equally frequent n-grams the first in the document wins (NeMo Curator's choice follows
    set iteration order, which string hashing makes vary from one process to the next).
    """

    def __init__(self, n: int = 2, max_repeating_ngram_ratio: float = 0.2, lang: str = "en") -> None:
        super().__init__()
        self.n = n
        self.max_repeating_ngram_ratio = max_repeating_ngram_ratio
        self.lang = lang
        self._cutoff = max_repeating_ngram_ratio
        self._split = word_splitter(lang)
        self._name = f"repeating_top_{n}grams"

    def score_document(self, text: str) -> float:
        words = self._split(text.strip())
        if len(words) < self.n:
            return 1.0
        counts: Counter[tuple[str, ...]] = Counter(get_ngrams(words, self.n))
        # Counter keeps first-seen order and max() the first of equals: ties go to the earliest n-gram.
        top = " ".join(max(counts.items(), key=lambda item: item[1])[0])
        nchar = len(text)
        return (nchar - len(text.replace(top, ""))) / nchar if nchar > 0 else 1.0


class RepeatingDuplicateNGramsFilter(_MaxRatioFilter):
    """Drop documents where characters inside repeated word n-grams exceed the cutoff share (Gopher)."""

    def __init__(self, n: int = 2, max_repeating_duplicate_ngram_ratio: float = 0.2, lang: str = "en") -> None:
        super().__init__()
        self.n = n
        self.max_repeating_duplicate_ngram_ratio = max_repeating_duplicate_ngram_ratio
        self.lang = lang
        self._cutoff = max_repeating_duplicate_ngram_ratio
        self._split = word_splitter(lang)
        self._name = f"repeating_dup_{n}gram"

    def score_document(self, text: str) -> float:
        words = self._split(text.strip())
        if len(words) < self.n:
            return 1.0
        seen: dict[tuple[str, ...], int] = {}
        duplicated = 0
        overlapping = 0
        for ngram in get_ngrams(words, self.n):
            seen[ngram] = seen.get(ngram, 0) + 1
            if seen[ngram] > 1:
                # Characters of this n-gram not counted yet, plus the spaces between its words.
                duplicated += sum(len(gram) for gram in ngram[overlapping:]) + min(self.n - overlapping, self.n - 1)
                overlapping = self.n
            overlapping = max(overlapping - 1, 0)
        nchar = len(text)
        return duplicated / nchar if nchar > 0 else 1.0


class SubstringFilter(DocumentFilter):
    """Keep documents holding ``substring`` at ``position`` ('prefix', 'suffix' or 'any')."""

    def __init__(self, substring: str, position: str) -> None:
        super().__init__()
        if position not in ("prefix", "suffix", "any"):
            raise ValueError(f"SubstringFilter: position must be 'prefix', 'suffix' or 'any', got {position!r}")
        self.substring = substring
        self.position = position
        self._name = "substring"

    def score_document(self, text: str) -> int:
        if self.position == "prefix":
            return int(text.startswith(self.substring))
        if self.position == "suffix":
            return int(text.endswith(self.substring))
        return int(self.substring in text)

    def keep_document(self, score: int) -> bool:
        return score == 1
