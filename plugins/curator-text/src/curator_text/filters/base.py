"""DocumentFilter: score a document, then decide from the score whether to keep it."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

import numpy as np
import pyarrow as pa

from curator_text.filters.kernels import as_arrow, as_numpy, string_chunks

__all__ = ["DocumentFilter", "snake_case"]


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class DocumentFilter(ABC):
    """NeMo Curator's filter contract, plus whole-column scoring.

    ``score_document(text)`` and ``keep_document(score)`` define the rule. ``score_column`` and
    ``keep_column`` apply it to a whole Arrow column; subclasses override them with vectorised
    versions that must agree with the per-document rule on every input.
    """

    def __init__(self) -> None:
        self._name = snake_case(type(self).__name__)

    @property
    def name(self) -> str:
        return self._name

    @abstractmethod
    def score_document(self, text: str) -> Any:
        """The document's score."""

    @abstractmethod
    def keep_document(self, score: Any) -> bool:
        """True to keep a document with this score."""

    # -- whole columns ----------------------------------------------------------------------
    def score_column(self, column: pa.Array | pa.ChunkedArray) -> pa.Array | np.ndarray:
        """Scores for a string column (nulls scored as empty text)."""
        scores: list[Any] = []
        for chunk in string_chunks(column):
            scores.extend(self.score_document(text) for text in chunk.to_pylist())
        if scores and all(isinstance(s, bool | int | float) for s in scores):
            return np.asarray(scores)
        return as_arrow(scores) if scores else np.zeros(0)

    def keep_column(self, scores: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
        """A boolean keep mask for a column of scores."""
        values = as_numpy(scores).tolist()
        return np.fromiter((bool(self.keep_document(v)) for v in values), dtype=bool, count=len(values))

    def params(self) -> dict[str, Any]:
        """The constructor parameters (for reprs and plain-data round trips)."""
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params().items())
        return f"{type(self).__name__}({args})"
