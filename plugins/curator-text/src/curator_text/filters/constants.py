"""Word lists and patterns the heuristic filters share (NeMo Curator's values)."""

from __future__ import annotations

import re

import regex

__all__ = [
    "BULLETS",
    "COMMON_ENGLISH_WORDS",
    "ELLIPSIS_MARKS",
    "END_MARKS",
    "POLICY_SUBSTRINGS",
    "REGEX_ALPHA",
    "REGEX_ALPHANUM",
    "REGEX_DIGIT",
    "REGEX_HASH",
    "REGEX_PAREN",
    "REGEX_URL",
    "WHITE_SPACE",
]

END_MARKS = (".", "?", "!", '"', "'")
ELLIPSIS_MARKS = frozenset({"...", "[...]", "\u2026", "(...)", "[\u2026]", "-\u00bb", "read more..", "read more"})
WHITE_SPACE = ("\t", "\n", "\r", "\b", " ")
COMMON_ENGLISH_WORDS = frozenset({"the", "be", "to", "of", "and", "that", "have", "with"})
BULLETS = frozenset(
    {"\u2022", "\u2023", "\u2043", "\u204c", "\u204d", "\u2219"}
    | {"\u25cb", "\u25cf", "\u25d8", "\u25e6", "\u29be", "\u29bf"}
)
POLICY_SUBSTRINGS = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "privacy overview",
    "use of cookies",
    "use cookies",
    "privacy & cookies policy",
    "privacy and cookies policy",
)

REGEX_ALPHA = regex.compile("[[:alpha:]]")
REGEX_DIGIT = regex.compile("[[:digit:]]")  # ASCII 0-9 only in the regex module
REGEX_ALPHANUM = re.compile("[a-zA-Z0-9\n?!,.]")
REGEX_URL = re.compile("http[s]?://(?:[a-zA-Z]|[0-9]|[$\\-_@.&+]|[!*\\(\\),]|(?:%[0-9a-fA-F][0-9a-fA-F]))+")
REGEX_PAREN = re.compile(r"{|}|\u27e8|\u27e9|\[|\]|\(|\)")
REGEX_HASH = re.compile("#+")
