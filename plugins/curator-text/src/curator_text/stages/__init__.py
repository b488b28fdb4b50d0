"""Text processing stages: scoring and filtering, modifying, ids, language identification."""

from curator_text.stages.add_id import AddId
from curator_text.stages.language import LanguageId
from curator_text.stages.modify import Modify
from curator_text.stages.score_filter import Filter, Score, ScoreFilter

__all__ = ["AddId", "Filter", "LanguageId", "Modify", "Score", "ScoreFilter"]
