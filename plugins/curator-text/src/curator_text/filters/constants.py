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
    # NeMo Curator's five cookie banners, lowercased as it lowercases each paragraph.
    "this website uses cookies to improve your experience while you navigate through the website. out of these "
    "cookies, the cookies that are categorized as necessary are stored on your browser as they are essential for the "
    "working of basic functionalities of the website. we also use third-party cookies that help us analyze and "
    "understand how you use this website. these cookies will be stored in your browser only with your consent. you "
    "also have the option to opt-out of these cookies. but opting out of some of these cookies may have an effect on "
    "your browsing experience.",
    "necessary cookies are absolutely essential for the website to function properly. this category only includes "
    "cookies that ensures basic functionalities and security features of the website. these cookies do not store any "
    "personal information.",
    "any cookies that may not be particularly necessary for the website to function and is used specifically to "
    "collect user personal data via analytics, ads, other embedded contents are termed as non-necessary cookies. it "
    "is mandatory to procure user consent prior to running these cookies on your website.",
    "this site uses cookies, including for analytics, personalization, and advertising purposes. for more "
    "information or to change your cookie settings, click here.",
    "if you continue to browse this site without changing your cookie settings, you agree to this use. acceptread more",
)

REGEX_ALPHA = regex.compile("[[:alpha:]]")
REGEX_DIGIT = regex.compile("[[:digit:]]")  # ASCII 0-9 only in the regex module
REGEX_ALPHANUM = re.compile("[a-zA-Z0-9\n?!,.]")
REGEX_URL = re.compile(r"https?://(?:[A-Za-z0-9$\-_@.&+/:=?#~]|[!*\(\),]|(?:%[0-9A-Fa-f]{2}))+")
REGEX_PAREN = re.compile(r"{|}|\u27e8|\u27e9|\[|\]|\(|\)")
REGEX_HASH = re.compile("#+")
