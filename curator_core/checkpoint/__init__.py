"""Resume a killed run: a checkpoint folder records which source partitions are fully done.

A partition is done when every task descending from it has been processed by the last stage or
filtered out. Workers record each stage call as a small file written atomically (no locks, no
database), so a checkpoint on a shared folder or an object store works across nodes; a rerun reads
those records and skips done partitions right after the source, before any stage touches them.
"""

from __future__ import annotations

from curator_core.checkpoint.fingerprint import describe_stages, explain_changes
from curator_core.checkpoint.ledger import CheckpointLedger, CheckpointMark, done_partitions
from curator_core.checkpoint.prepare import Checkpoint, prepare_checkpoint
from curator_core.checkpoint.skip import SkipDonePartitionsStage

__all__ = [
    "Checkpoint",
    "CheckpointLedger",
    "CheckpointMark",
    "SkipDonePartitionsStage",
    "describe_stages",
    "done_partitions",
    "explain_changes",
    "prepare_checkpoint",
]
