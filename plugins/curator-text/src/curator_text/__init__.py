"""Curator text: document batches over Arrow, JSONL/Parquet I/O, NeMo Curator's filters, language id.

Names load on first use (PEP 562), so that ``curator_text.plugin``, the manifest ``curator plugins``
imports, pulls in neither pyarrow nor numpy.
"""

from __future__ import annotations

import importlib
from typing import Any

from curator_text.__about__ import __version__

_EXPORTS = {
    "AddId": "curator_text.stages",
    "AlphaFilter": "curator_text.filters",
    "BoilerPlateStringFilter": "curator_text.filters",
    "BulletsFilter": "curator_text.filters",
    "CommonEnglishWordsFilter": "curator_text.filters",
    "DocumentBatch": "curator_text.tasks",
    "DocumentFilter": "curator_text.filters",
    "DocumentModifier": "curator_text.modifiers",
    "EllipsisFilter": "curator_text.filters",
    "ExactDeduplicationWorkflow": "curator_text.dedup",
    "FILTERS": "curator_text.filters",
    "FastTextLangId": "curator_text.filters",
    "FastTextQualityFilter": "curator_text.filters",
    "Filter": "curator_text.stages",
    "FuzzyDeduplicationWorkflow": "curator_text.dedup",
    "GeneralCommentToCodeFilter": "curator_text.filters",
    "HTMLBoilerplateFilter": "curator_text.filters",
    "HistogramFilter": "curator_text.filters",
    "JsonlReadStage": "curator_text.io",
    "JsonlReader": "curator_text.io",
    "JsonlWriter": "curator_text.io",
    "LanguageFilter": "curator_text.filters",
    "LanguageId": "curator_text.stages",
    "LongWordFilter": "curator_text.filters",
    "MODIFIERS": "curator_text.modifiers",
    "MalformedLineError": "curator_text.io",
    "MeanWordLengthFilter": "curator_text.filters",
    "Modify": "curator_text.stages",
    "NewlineNormalizer": "curator_text.modifiers",
    "NonAlphaNumericFilter": "curator_text.filters",
    "NumberOfLinesOfCodeFilter": "curator_text.filters",
    "NumbersFilter": "curator_text.filters",
    "ParenthesesFilter": "curator_text.filters",
    "ParquetReadStage": "curator_text.io",
    "ParquetReader": "curator_text.io",
    "ParquetWriter": "curator_text.io",
    "PerExtensionFilter": "curator_text.filters",
    "PornographicUrlsFilter": "curator_text.filters",
    "PunctuationFilter": "curator_text.filters",
    "PythonCommentToCodeFilter": "curator_text.filters",
    "RepeatedLinesByCharFilter": "curator_text.filters",
    "RepeatedLinesFilter": "curator_text.filters",
    "RepeatedParagraphsByCharFilter": "curator_text.filters",
    "RepeatedParagraphsFilter": "curator_text.filters",
    "RepeatingDuplicateNGramsFilter": "curator_text.filters",
    "RepeatingTopNGramsFilter": "curator_text.filters",
    "Score": "curator_text.stages",
    "ScoreFilter": "curator_text.stages",
    "SubstringFilter": "curator_text.filters",
    "SymbolsToWordsFilter": "curator_text.filters",
    "TextDuplicatesRemovalWorkflow": "curator_text.dedup",
    "TokenCountFilter": "curator_text.filters",
    "TokenizerFertilityFilter": "curator_text.filters",
    "UnicodeNormalizer": "curator_text.modifiers",
    "UnicodeReformatter": "curator_text.modifiers",
    "UrlRemover": "curator_text.modifiers",
    "UrlsFilter": "curator_text.filters",
    "WhiteSpaceFilter": "curator_text.filters",
    "WordCountFilter": "curator_text.filters",
    "WordsWithoutAlphabetsFilter": "curator_text.filters",
    "XMLHeaderFilter": "curator_text.filters",
    "resolve_filter": "curator_text.filters",
    "resolve_modifier": "curator_text.modifiers",
}

__all__ = [
    "FILTERS",
    "MODIFIERS",
    "AddId",
    "AlphaFilter",
    "BoilerPlateStringFilter",
    "BulletsFilter",
    "CommonEnglishWordsFilter",
    "DocumentBatch",
    "DocumentFilter",
    "DocumentModifier",
    "EllipsisFilter",
    "ExactDeduplicationWorkflow",
    "FastTextLangId",
    "FastTextQualityFilter",
    "Filter",
    "FuzzyDeduplicationWorkflow",
    "GeneralCommentToCodeFilter",
    "HTMLBoilerplateFilter",
    "HistogramFilter",
    "JsonlReadStage",
    "JsonlReader",
    "JsonlWriter",
    "LanguageFilter",
    "LanguageId",
    "LongWordFilter",
    "MalformedLineError",
    "MeanWordLengthFilter",
    "Modify",
    "NewlineNormalizer",
    "NonAlphaNumericFilter",
    "NumberOfLinesOfCodeFilter",
    "NumbersFilter",
    "ParenthesesFilter",
    "ParquetReadStage",
    "ParquetReader",
    "ParquetWriter",
    "PerExtensionFilter",
    "PornographicUrlsFilter",
    "PunctuationFilter",
    "PythonCommentToCodeFilter",
    "RepeatedLinesByCharFilter",
    "RepeatedLinesFilter",
    "RepeatedParagraphsByCharFilter",
    "RepeatedParagraphsFilter",
    "RepeatingDuplicateNGramsFilter",
    "RepeatingTopNGramsFilter",
    "Score",
    "ScoreFilter",
    "SubstringFilter",
    "SymbolsToWordsFilter",
    "TextDuplicatesRemovalWorkflow",
    "TokenCountFilter",
    "TokenizerFertilityFilter",
    "UnicodeNormalizer",
    "UnicodeReformatter",
    "UrlRemover",
    "UrlsFilter",
    "WhiteSpaceFilter",
    "WordCountFilter",
    "WordsWithoutAlphabetsFilter",
    "XMLHeaderFilter",
    "__version__",
    "resolve_filter",
    "resolve_modifier",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'curator_text' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
