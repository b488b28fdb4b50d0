"""Comment extraction for code filters, by MIME type, with the rules NeMo Curator's code filters use.

NeMo Curator reads comments with the ``comment_parser`` package (C family and markup by regular
expression, JavaScript / Go / shell by a character scanner, Python by ``tokenize``); these are our
own scanners with the same rules, so that scores agree without that package (which needs libmagic).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable

__all__ = ["COMMENT_MIME_TYPES", "CommentSyntaxError", "extract_comments", "python_comments_and_docstrings"]


class CommentSyntaxError(ValueError):
    """The source cannot be scanned for comments (unterminated block comment, tokenizer error)."""


_C_FAMILY = re.compile(
    r"""(?P<literal>("[^"\n]*")+)|(?P<single>//(?P<single_content>.*)?$)|"""
    r"""(?P<multi>/\*(?P<multi_content>(?:.|\n)*?)?\*/)|(?P<error>/\*(.*)?)""",
    re.MULTILINE,
)
_MARKUP = re.compile(
    r"""(?P<literal>("[^"\n]*")+)|(?P<single><!--(?P<single_content>.*?)-->)|"""
    r"""(?P<multi><!--(?P<multi_content>(?:.|\n)*?)?-->)|(?P<error><!--(.*)?)""",
    re.MULTILINE,
)
_RUBY = re.compile(
    r"""(?P<literal>(["'])((?:\\\2|(?:(?!\2)).)*)(\2))|(?P<single>\#(?P<single_content>.*?)$)""", re.MULTILINE
)


def _by_pattern(pattern: re.Pattern[str]) -> Callable[[str], list[str]]:
    def extract(code: str) -> list[str]:
        comments = []
        for match in pattern.finditer(code):
            if match.group("single") is not None:
                comments.append(match.group("single_content") or "")
            elif "multi" in pattern.groupindex and match.group("multi") is not None:
                comments.append(match.group("multi_content") or "")
            elif "error" in pattern.groupindex and match.group("error") is not None:
                raise CommentSyntaxError("unterminated block comment")
        return comments

    return extract


def _slash_scanner(quotes: str) -> Callable[[str], list[str]]:
    """``//`` and ``/* */`` comments outside string literals opened by one of ``quotes``."""

    def extract(code: str) -> list[str]:
        comments: list[str] = []
        current: list[str] = []
        state = "code"
        quote = ""
        for char in code:
            if state == "code":
                if char == "/":
                    state = "slash"
                elif char in quotes:
                    quote, state = char, "string"
            elif state == "slash":
                # A character after a lone slash is not looked at again (as comment_parser does).
                state = "line" if char == "/" else "block" if char == "*" else "code"
            elif state == "line":
                if char == "\n":
                    comments.append("".join(current))
                    current, state = [], "code"
                else:
                    current.append(char)
            elif state == "block":
                if char == "*":
                    state = "star"
                else:
                    current.append(char)
            elif state == "star":
                if char == "/":
                    comments.append("".join(current))
                    current, state = [], "code"
                else:
                    current.append("*")
                    if char != "*":
                        current.append(char)
                        state = "block"
            elif state == "string":
                if char == quote:
                    state = "code"
                elif char == "\\":
                    state = "escape"
            elif state == "escape":
                state = "string"
        if state in ("block", "star"):
            raise CommentSyntaxError("unterminated block comment")
        if state == "line":
            comments.append("".join(current))
        return comments

    return extract


def _shell(code: str) -> list[str]:
    """``#`` comments outside quotes and not escaped."""
    comments: list[str] = []
    current: list[str] = []
    state = "code"
    quote = ""
    for char in code:
        if state == "code":
            if char == "#":
                state = "comment"
            elif char in "\"'":
                quote, state = char, "string"
            elif char == "\\":
                state = "escaped"
        elif state == "comment":
            if char == "\n":
                comments.append("".join(current))
                current, state = [], "code"
            else:
                current.append(char)
        elif state == "string":
            if char == quote:
                state = "code"
            elif char == "\\":
                state = "string_escape"
        elif state == "string_escape":
            state = "string"
        elif state == "escaped":
            state = "code"
    if state == "comment":
        comments.append("".join(current))
    return comments


def _python(code: str) -> list[str]:
    try:
        tokens = list(tokenize.tokenize(io.BytesIO(code.encode()).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise CommentSyntaxError(str(exc)) from exc
    return [tok.string[1:] for tok in tokens if tok.type == tokenize.COMMENT]


_EXTRACTORS: dict[str, Callable[[str], list[str]]] = {
    "application/javascript": _slash_scanner("\"'"),
    "text/html": _by_pattern(_MARKUP),
    "text/x-c": _by_pattern(_C_FAMILY),
    "text/x-c++": _by_pattern(_C_FAMILY),
    "text/x-go": _slash_scanner("\"'`"),
    "text/x-java": _by_pattern(_C_FAMILY),
    "text/x-java-source": _by_pattern(_C_FAMILY),
    "text/x-javascript": _slash_scanner("\"'"),
    "text/x-python": _python,
    "text/x-ruby": _by_pattern(_RUBY),
    "text/x-script.python": _python,
    "text/x-shellscript": _shell,
    "text/xml": _by_pattern(_MARKUP),
}
COMMENT_MIME_TYPES = frozenset(_EXTRACTORS)


def extract_comments(code: str, mime: str) -> list[str]:
    """The text of each comment in ``code`` (without its markers), in order."""
    extractor = _EXTRACTORS.get(mime)
    if extractor is None:
        raise CommentSyntaxError(f"unsupported MIME type {mime!r}; supported: {', '.join(sorted(_EXTRACTORS))}")
    return extractor(code)


_DOCSTRING_NODES = (ast.ClassDef, ast.FunctionDef, ast.Module)


def python_comments_and_docstrings(source: str) -> tuple[str | None, str | None]:
    """(docstrings joined by newlines, comments concatenated); None for a part that cannot be parsed.

    Docstrings of modules, classes and (sync) functions, as NeMo Curator collects them.
    """
    docstrings: str | None
    try:
        tree = ast.parse(source)
        found = [ast.get_docstring(node) for node in ast.walk(tree) if isinstance(node, _DOCSTRING_NODES)]
        docstrings = "\n".join(d for d in found if d)
    except Exception:
        docstrings = None
    comments: str | None
    try:
        comments = "".join(
            tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type == tokenize.COMMENT
        )
    except Exception:
        comments = None
    return docstrings, comments
