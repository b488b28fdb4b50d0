"""Per-stage performance records that travel with every task."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["StagePerfStats"]


@dataclass
class StagePerfStats:
    """What one stage spent on one task; appended to ``task._stage_perf`` by the adapter.

    ``process_time`` is the task's share of the wall time of the call that produced it.
    ``custom_metrics`` holds what the stage recorded with ``ProcessingStage.record_metric``.
    """

    stage_name: str
    process_time: float
    actor_idle_time: float = 0.0
    input_data_size_mb: float = 0.0
    num_items_processed: int = 0
    custom_metrics: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "stage_name": self.stage_name,
            "process_time": self.process_time,
            "actor_idle_time": self.actor_idle_time,
            "input_data_size_mb": self.input_data_size_mb,
            "num_items_processed": self.num_items_processed,
            "custom_metrics": dict(self.custom_metrics),
        }
