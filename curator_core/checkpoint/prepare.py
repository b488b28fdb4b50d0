"""Tie a checkpoint folder to one plan and turn the user's stages into a resumable chain."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from curator_core.checkpoint.fingerprint import describe_stages, explain_changes
from curator_core.checkpoint.ledger import CheckpointLedger, CheckpointMark, done_partitions
from curator_core.checkpoint.skip import SkipDonePartitionsStage
from curator_core.errors import CheckpointMismatchError, PipelineValidationError
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask

__all__ = ["Checkpoint", "prepare_checkpoint"]

_FORMAT = 1


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint checked against the current plan, with the partitions it records as done."""

    ledger: CheckpointLedger
    done: frozenset[str]
    has_source: bool

    def apply(self, stages: Sequence[ProcessingStage[Any, Any]]) -> list[ProcessingStage[Any, Any]]:
        """The chain to run: the skip stage after the source, and every later stage recording its calls.

        Stages are copied, so the user's stage objects never carry a checkpoint into another run.
        """
        head = list(stages[:1]) if self.has_source else []
        tracked = list(stages[len(head) :])
        marked: list[ProcessingStage[Any, Any]] = []
        for position, stage in enumerate(tracked):
            clone = copy.copy(stage)
            clone._checkpoint_mark = CheckpointMark(self.ledger, position)  # type: ignore[attr-defined]
            marked.append(clone)
        return [*head, SkipDonePartitionsStage(self.done, like=tracked[0]), *marked]


def prepare_checkpoint(
    path: str,
    stages: Sequence[ProcessingStage[Any, Any]],
    *,
    initial_task_ids: Sequence[str] | None = None,
    discard: bool = False,
    storage_options: Mapping[str, Any] | None = None,
) -> Checkpoint:
    """Check that ``stages`` can resume from ``path`` and read what is done there.

    Refuses a stage that needs all partitions at once (``resumable = False``), and a checkpoint
    written by another plan (other stages, parameters or inputs) unless ``discard`` is set, in
    which case the folder's records are removed and the run starts over.
    """
    from curator_core.storage import atomic_write, exists, join, open_input, remove

    for stage in stages:
        if not getattr(stage, "resumable", True):
            raise PipelineValidationError(
                f"stage {stage.name!r} cannot be resumed from a checkpoint: it needs all partitions at once; "
                "run this pipeline without checkpoint_path"
            )
    has_source = initial_task_ids is None and stages[0].input_task_type() is EmptyTask
    if len(stages) - int(has_source) < 1:
        raise PipelineValidationError(
            f"nothing to checkpoint: the pipeline's only stage {stages[0].name!r} is its source; "
            "add the stages that process its partitions"
        )
    description = {"format": _FORMAT, "stages": describe_stages(stages), "inputs": list(initial_task_ids or [])}
    plan_file = join(path, "plan.json")
    if discard and exists(path, storage_options):
        remove(path, storage_options)
    if exists(plan_file, storage_options):
        with open_input(plan_file, "r", storage_options) as handle:
            recorded = json.load(handle)
        if recorded != json.loads(json.dumps(description)):
            changes = explain_changes(recorded, description) or ["the plan description differs"]
            raise CheckpointMismatchError(
                f"checkpoint {path} belongs to another pipeline: " + "; ".join(changes) + ". To start over, "
                "pass discard_checkpoint=True (curator run --discard-checkpoint) or use a new checkpoint path",
                path=path,
                changes=changes,
            )
    else:
        with atomic_write(plan_file, "w", storage_options) as handle:
            json.dump(description, handle, indent=2)
    ledger = CheckpointLedger(path, storage_options)
    done = done_partitions(ledger.load(), len(stages) - int(has_source) - 1)
    return Checkpoint(ledger=ledger, done=frozenset(done), has_source=has_source)
