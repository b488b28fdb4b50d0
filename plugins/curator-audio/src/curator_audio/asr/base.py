"""The inference-adapter interface: how the ASR stage talks to any recogniser."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import numpy as np

__all__ = ["AsrAdapter"]


class AsrAdapter(ABC):
    """A speech recogniser behind four calls, mirroring the stage lifecycle.

    ``setup_on_node`` fetches model files once per node (a download, or checking files that ship
    in a package), ``setup`` loads the model once per worker, ``transcribe`` turns a batch of mono
    float waveforms at :attr:`sample_rate` into texts (one per waveform, "" when nothing is heard),
    ``teardown`` frees the model. Adapters must pickle before ``setup`` (they travel to workers);
    drop loaded models in ``__getstate__``.
    """

    name: ClassVar[str] = ""
    sample_rate: int = 16000

    def setup_on_node(self) -> None:  # noqa: B027 - optional hook
        """Make model files available on this node (default: nothing to fetch)."""

    @abstractmethod
    def setup(self) -> None:
        """Load the model in this worker."""

    @abstractmethod
    def transcribe(self, waveforms: list[np.ndarray]) -> list[str]:
        """One text per mono float32 waveform at :attr:`sample_rate`."""

    def teardown(self) -> None:  # noqa: B027 - optional hook
        """Free the model (idempotent)."""

    def describe(self) -> dict[str, Any]:
        """Plain data naming this adapter and its parameters (for reports and pipeline files)."""
        return {"name": self.name}
