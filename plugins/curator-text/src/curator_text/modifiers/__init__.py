"""Document modifiers and the registry pipeline files use."""

from curator_text.modifiers.base import DocumentModifier
from curator_text.modifiers.registry import MODIFIERS, resolve_modifier
from curator_text.modifiers.text import NewlineNormalizer, UnicodeNormalizer, UnicodeReformatter, UrlRemover

__all__ = [
    "MODIFIERS",
    "DocumentModifier",
    "NewlineNormalizer",
    "UnicodeNormalizer",
    "UnicodeReformatter",
    "UrlRemover",
    "resolve_modifier",
]
