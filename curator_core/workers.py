"""What a stage learns about where it runs: the node and the worker."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

__all__ = ["NodeInfo", "WorkerMetadata"]


@dataclass(frozen=True)
class NodeInfo:
    """The machine a worker runs on; ``setup_on_node`` runs once per node and stage."""

    node_id: str = field(default_factory=lambda: _hostname())


@dataclass(frozen=True)
class WorkerMetadata:
    """One worker of one stage: its id and whatever the executor wants to share."""

    worker_id: str = field(default_factory=lambda: f"pid-{os.getpid()}")
    allocation: Any = None


def _hostname() -> str:
    import socket  # only when a NodeInfo is made, not on import

    return socket.gethostname()
