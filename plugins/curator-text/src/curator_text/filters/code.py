"""Code-file filters (StarCoder's rules) with NeMo Curator's names, parameters and decisions.

Where NeMo Curator divides by zero on an empty file, these score it 0 (dropped); the README's
differences table lists each case.
"""

from __future__ import annotations

import csv
import os
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from curator_text.filters.base import DocumentFilter
from curator_text.filters.comments import CommentSyntaxError, extract_comments, python_comments_and_docstrings
from curator_text.filters.constants import REGEX_ALPHA, REGEX_ALPHANUM
from curator_text.filters.kernels import (
    as_numpy,
    byte_table,
    char_lengths,
    count_bytes,
    is_ascii,
    per_row,
    string_chunks,
    to_numpy,
)

__all__ = [
    "AlphaFilter",
    "GeneralCommentToCodeFilter",
    "HTMLBoilerplateFilter",
    "NumberOfLinesOfCodeFilter",
    "PerExtensionFilter",
    "PythonCommentToCodeFilter",
    "XMLHeaderFilter",
]

_ASCII_LETTERS = byte_table(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# GeneralCommentToCodeFilter's score when the comments cannot be read: far outside any range.
UNPARSABLE = 9999


class PythonCommentToCodeFilter(DocumentFilter):
    """Keep Python files whose comments and docstrings are a share of the source within ``[min, max]``."""

    def __init__(self, min_comment_to_code_ratio: float = 0.01, max_comment_to_code_ratio: float = 0.85) -> None:
        super().__init__()
        self.min_comment_to_code_ratio = min_comment_to_code_ratio
        self.max_comment_to_code_ratio = max_comment_to_code_ratio
        self._name = "python_comment_ratio"

    def score_document(self, text: str) -> float:
        docstrings, comments = python_comments_and_docstrings(text)
        if docstrings is None or comments is None or not text:
            return 0
        return (len(comments) + len(docstrings)) / len(text)

    def keep_document(self, score: float) -> bool:
        return self.min_comment_to_code_ratio <= score <= self.max_comment_to_code_ratio


class GeneralCommentToCodeFilter(DocumentFilter):
    """Keep files whose comment text (markers excluded) is a share of the source within ``[min, max]``.

    ``language`` is the MIME type (``text/x-c``, ``text/x-java``, ``application/javascript``, ...);
    a file whose comments cannot be read scores 9999 (dropped), as in NeMo Curator.
    """

    def __init__(
        self, language: str, min_comment_to_code_ratio: float = 0.01, max_comment_to_code_ratio: float = 0.85
    ) -> None:
        super().__init__()
        self.language = language
        self.min_comment_to_code_ratio = min_comment_to_code_ratio
        self.max_comment_to_code_ratio = max_comment_to_code_ratio
        self._name = "comment_ratio"

    def score_document(self, text: str) -> float:
        try:
            comments = " ".join(extract_comments(text, self.language))
        except CommentSyntaxError:
            return UNPARSABLE
        return len(comments) / len(text) if text else 0

    def keep_document(self, score: float) -> bool:
        return self.min_comment_to_code_ratio <= score <= self.max_comment_to_code_ratio


class NumberOfLinesOfCodeFilter(DocumentFilter):
    """Keep files with ``min_lines <= newlines + 1 <= max_lines``."""

    def __init__(self, min_lines: int = 10, max_lines: int = 20000) -> None:
        super().__init__()
        self.min_lines = min_lines
        self.max_lines = max_lines
        self._name = "num_lines"

    def score_document(self, text: str) -> int:
        return text.count("\n") + 1

    def keep_document(self, score: int) -> bool:
        return self.min_lines <= score <= self.max_lines

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> np.ndarray:
        parts = [to_numpy(pc.count_substring(chunk, "\n")).astype(np.int64) + 1 for chunk in string_chunks(column)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def keep_column(self, scores: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
        values = as_numpy(scores)
        return (self.min_lines <= values) & (values <= self.max_lines)


class XMLHeaderFilter(DocumentFilter):
    """Drop files whose first ``char_prefix_search_length`` characters hold ``<?xml version=`` (score 1)."""

    def __init__(self, char_prefix_search_length: int = 100) -> None:
        super().__init__()
        self.char_prefix_search_length = char_prefix_search_length
        self._name = "xml_header"

    def score_document(self, text: str) -> int:
        return int("<?xml version=" in text[: self.char_prefix_search_length])

    def keep_document(self, score: int) -> bool:
        return score != 1

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> np.ndarray:
        parts = []
        for chunk in string_chunks(column):
            prefix = pc.utf8_slice_codeunits(chunk, 0, self.char_prefix_search_length)
            parts.append(to_numpy(pc.match_substring(prefix, "<?xml version=")).astype(np.int64))
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def keep_column(self, scores: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
        return as_numpy(scores) != 1


class AlphaFilter(DocumentFilter):
    """Keep files whose share of alphabetic characters is at least ``min_alpha_ratio`` (catches raw tables)."""

    def __init__(self, min_alpha_ratio: float = 0.25) -> None:
        super().__init__()
        self.min_alpha_ratio = min_alpha_ratio
        self._name = "alpha_filter"

    def score_document(self, text: str) -> float:
        return len(REGEX_ALPHA.findall(text)) / len(text) if text else 0.0

    def keep_document(self, score: float) -> bool:
        return score >= self.min_alpha_ratio

    def score_column(self, column: pa.Array | pa.ChunkedArray) -> np.ndarray:
        parts = []
        for chunk in string_chunks(column):
            # In ASCII, [[:alpha:]] is exactly a-z and A-Z: count bytes; score other rows with the regex.
            counts = count_bytes(chunk, _ASCII_LETTERS).astype(np.float64)
            others = np.flatnonzero(~is_ascii(chunk))
            if len(others):
                counts[others] = per_row(chunk, others, lambda text: len(REGEX_ALPHA.findall(text)))
            nchar = char_lengths(chunk)
            with np.errstate(divide="ignore", invalid="ignore"):
                parts.append(np.where(nchar > 0, counts / np.maximum(nchar, 1), 0.0))
        return np.concatenate(parts) if parts else np.zeros(0)

    def keep_column(self, scores: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
        return as_numpy(scores) >= self.min_alpha_ratio


class HTMLBoilerplateFilter(DocumentFilter):
    """Keep HTML whose visible text (scripts and styles removed) is at least ``min_lang_content_ratio`` of it.

    Pages with under ``min_lang_content_num_chars`` characters of text score 0. Needs
    ``beautifulsoup4`` (``pip install 'curator-text[code]'``), whose parser NeMo Curator uses.
    """

    def __init__(self, min_lang_content_ratio: float = 0.2, min_lang_content_num_chars: int = 100) -> None:
        super().__init__()
        self.min_lang_content_ratio = min_lang_content_ratio
        self.min_lang_content_num_chars = min_lang_content_num_chars
        self._name = "html_boilerplate"

    def score_document(self, text: str) -> float:
        try:
            from bs4 import BeautifulSoup
        except ImportError as exc:
            raise ImportError("HTMLBoilerplateFilter needs beautifulsoup4: pip install 'curator-text[code]'") from exc
        soup = BeautifulSoup(text, features="html.parser")
        for element in soup(["script", "style"]):
            element.extract()
        visible = soup.get_text()
        if not text or len(visible) < self.min_lang_content_num_chars:
            return 0
        return len(visible) / len(text)

    def keep_document(self, score: float) -> bool:
        return score >= self.min_lang_content_ratio


class PerExtensionFilter(DocumentFilter):
    """Per (language, extension) limits on line length and (alpha)numeric share, from a CSV (StarCoder's table).

    ``metadata_file`` has the columns ``language, extension, Include, Long_line_threshold,
    Alphanum_threshold, Alpha filter`` (NeMo Curator's ``code_meta.csv`` layout). Score 1 keeps;
    an extension missing from the table scores 0. ``lang`` is the dataset's name (``C#``, ``Python``)
    or the table's (``c-sharp``, ``python``).
    """

    def __init__(self, lang: str, extension: str, metadata_file: str = "code_meta.csv") -> None:
        super().__init__()
        self.lang = lang
        self.extension = extension
        self.metadata_file = metadata_file
        self._limits = _read_extension_limits(metadata_file, _csv_language(lang))
        self._name = "per_extension_filter"

    def score_document(self, text: str) -> int:
        key = (_csv_language(self.lang), self.extension if self.extension is not None else "")
        include, line_max, line_mean, alphanum_frac, alphabetic_frac = self._limits.get(
            key, (False, None, None, None, None)
        )
        if not include:
            return 0
        lines = text.split("\n")
        longest = max(len(line) for line in lines)
        mean = (len(text) + 1) / len(lines) - 1
        if (
            (line_max and longest > line_max)
            or (line_mean and mean > line_mean)
            # An empty file has no alphanumeric share (NeMo Curator divides by zero): it fails the limit.
            or (alphanum_frac and (not text or len(REGEX_ALPHANUM.findall(text)) / len(text) < alphanum_frac))
            or (alphabetic_frac and sum(map(str.isalpha, text)) < alphabetic_frac * len(text))
        ):
            return 0
        return 1

    def keep_document(self, score: Any) -> bool:
        return not (score is None or score == 0)


def _csv_language(lang: str) -> str:
    """A dataset's language name as the CSV spells it (``C#`` -> ``c-sharp``)."""
    if lang == "C#":
        return "c-sharp"
    if lang == "F#":
        return "f-sharp"
    return lang.lower().replace(" ", "-")


def _number(value: str, kind: type) -> Any:
    try:
        return kind(value)
    except ValueError:
        return None


def _read_extension_limits(path: str, language: str | None) -> dict[tuple[str, str], tuple[Any, ...]]:
    if not os.path.exists(path):
        raise FileNotFoundError(f"PerExtensionFilter: metadata file {path!r} not found; pass metadata_file=")
    limits = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if language is None or row["language"] == language:
                line_max = _number(row["Long_line_threshold"], int)
                limits[(row["language"], row["extension"])] = (
                    row["Include"] == "1",
                    line_max,
                    100 if line_max else None,
                    _number(row["Alphanum_threshold"], float),
                    _number(row["Alpha filter"], float),
                )
    if not limits:
        raise ValueError(f"PerExtensionFilter: no rows for language {language!r} in {path}")
    return limits
