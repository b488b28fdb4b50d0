"""Exact and fuzzy (MinHash-LSH) deduplication on CPU, on every executor, with NeMo Curator's names.

Every step is map-style over partitioned files in ``cache_path``; see ``exact`` and ``fuzzy``.
Run from the command line with ``python -m curator_text.dedup exact|fuzzy|remove ...``.
"""

from __future__ import annotations

from curator_text.dedup.cache import CacheFileError
from curator_text.dedup.common import DedupResult
from curator_text.dedup.exact import ExactDeduplicationWorkflow
from curator_text.dedup.fuzzy import FuzzyDeduplicationWorkflow
from curator_text.dedup.removal import TextDuplicatesRemovalWorkflow

__all__ = [
    "CacheFileError",
    "DedupResult",
    "ExactDeduplicationWorkflow",
    "FuzzyDeduplicationWorkflow",
    "TextDuplicatesRemovalWorkflow",
]
