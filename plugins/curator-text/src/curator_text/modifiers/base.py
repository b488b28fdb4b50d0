"""DocumentModifier: rewrite a document's text (NeMo Curator's contract)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import pyarrow as pa

from curator_text.filters.base import snake_case
from curator_text.filters.kernels import string_chunks, strings_to_arrow

__all__ = ["DocumentModifier"]


class DocumentModifier(ABC):
    """``modify_document(text) -> text``; ``modify_column`` applies it to a whole Arrow column."""

    def __init__(self) -> None:
        self._name = snake_case(type(self).__name__)

    @property
    def name(self) -> str:
        return self._name

    @abstractmethod
    def modify_document(self, text: str) -> str:
        """The rewritten text."""

    def modify_column(self, column: pa.Array | pa.ChunkedArray) -> pa.Array:
        """The rewritten column (nulls are treated as empty text)."""
        out: list[str] = []
        for chunk in string_chunks(column):
            out.extend(self.modify_document(text) for text in chunk.to_pylist())
        return strings_to_arrow(out)

    def params(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.params().items())})"
