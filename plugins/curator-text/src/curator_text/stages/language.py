"""LanguageId: add language and score columns with py3langid (the model ships in its package)."""

from __future__ import annotations

from typing import Any

import numpy as np

from curator_core.workers import WorkerMetadata
from curator_text.filters.kernels import from_numpy, string_chunks, strings_to_arrow
from curator_text.filters.language import language_identifier
from curator_text.stages.score_filter import _DocumentStage, _set_column
from curator_text.tasks import DocumentBatch

__all__ = ["LanguageId"]


class LanguageId(_DocumentStage):
    """Identify each document's language: ``language_field`` (ISO 639-1) and ``score_field`` (probability).

    ``languages`` restricts the candidates; ``keep_languages`` (with ``min_score``) drops the other
    rows here, or use ``Filter`` with a ``LanguageFilter`` on the language column later. py3langid
    reads text byte by byte in Python, so only the first ``max_chars`` characters decide (None: all).
    """

    def __init__(
        self,
        text_field: str = "text",
        language_field: str = "language",
        score_field: str = "language_score",
        languages: list[str] | None = None,
        keep_languages: list[str] | None = None,
        min_score: float = 0.0,
        max_chars: int | None = 1000,
    ) -> None:
        self.text_field = text_field
        self.language_field = language_field
        self.score_field = score_field
        self.languages = list(languages) if languages else None
        self.keep_languages = list(keep_languages) if keep_languages else None
        self.min_score = min_score
        self.max_chars = max_chars

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.text_field]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.language_field, self.score_field]

    def _identifier(self) -> Any:
        return language_identifier(tuple(self.languages) if self.languages else None)

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        self._identifier()  # load the model once per worker, before the first batch

    def process(self, task: DocumentBatch) -> DocumentBatch:
        identifier = self._identifier()
        table = task.data
        codes: list[str] = []
        scores: list[float] = []
        for chunk in string_chunks(table[self.text_field]):
            for text in chunk.to_pylist():
                code, probability = identifier.classify(text[: self.max_chars] if self.max_chars else text)
                codes.append(str(code))
                scores.append(float(probability))
        table = _set_column(table, self.language_field, strings_to_arrow(codes))
        table = _set_column(table, self.score_field, from_numpy(np.asarray(scores, dtype=np.float64)))
        if self.keep_languages is not None:
            before = table.num_rows
            keep = np.isin(np.array(codes, dtype=object), self.keep_languages) & (np.array(scores) >= self.min_score)
            table = table.filter(from_numpy(keep))
            self._count(before, table.num_rows)
        return task.derive(table)
