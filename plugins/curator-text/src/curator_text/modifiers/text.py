"""Modifiers: unicode normalisation and repair, URL removal, newline normalisation."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from curator_text.modifiers.base import DocumentModifier

__all__ = ["NewlineNormalizer", "UnicodeNormalizer", "UnicodeReformatter", "UrlRemover"]

_URL = re.compile(r"https?://\S+|www\.\S+", flags=re.IGNORECASE)
_THREE_NEWLINES = re.compile(r"(\n){3,}")
_THREE_WINDOWS_NEWLINES = re.compile(r"(\r\n){3,}")
_FORMS = ("NFC", "NFD", "NFKC", "NFKD")


class UnicodeNormalizer(DocumentModifier):
    """Apply a Unicode normal form (NFC by default) with the standard library."""

    def __init__(self, form: str = "NFC") -> None:
        super().__init__()
        if form not in _FORMS:
            raise ValueError(f"UnicodeNormalizer: form must be one of {_FORMS}, got {form!r}")
        self.form = form

    def modify_document(self, text: str) -> str:
        return unicodedata.normalize(self.form, text)  # type: ignore[arg-type]


class UnicodeReformatter(DocumentModifier):
    """Repair mojibake and odd Unicode with ftfy (NeMo Curator's defaults; any TextFixerConfig field)."""

    _DEFAULTS: dict[str, Any] = {
        "fix_latin_ligatures": False,
        "fix_character_width": False,
        "uncurl_quotes": False,
        "fix_line_breaks": False,
        "normalization": None,
        "explain": False,
    }

    def __init__(self, **config: Any) -> None:
        super().__init__()
        from ftfy import TextFixerConfig

        self.config = {**self._DEFAULTS, **config}
        unknown = sorted(set(self.config) - set(TextFixerConfig._fields))
        if unknown:
            valid = sorted(TextFixerConfig._fields)
            raise TypeError(f"UnicodeReformatter: unknown option(s) {unknown}; valid: {valid}")
        self._fixer = TextFixerConfig(**self.config)

    def modify_document(self, text: str) -> str:
        import ftfy

        return str(ftfy.fix_text(text, config=self._fixer))


class UrlRemover(DocumentModifier):
    """Remove ``http(s)://...`` and ``www....`` URLs."""

    def modify_document(self, text: str) -> str:
        return _URL.sub("", text)


class NewlineNormalizer(DocumentModifier):
    """Collapse three or more newlines (Unix or Windows) into two."""

    def modify_document(self, text: str) -> str:
        text = _THREE_NEWLINES.sub("\n\n", text)
        return _THREE_WINDOWS_NEWLINES.sub("\r\n\r\n", text)
