"""The plugin's manifest (entry point ``curator.plugins: example_dedupe``): names and targets only."""

from __future__ import annotations

from curator_core.plugins import StageSpec, hookimpl


@hookimpl
def curator_stages() -> list[StageSpec]:
    return [
        StageSpec(
            name="DuplicateFileFilter",
            target="curator_example_dedupe.stages:DuplicateFileFilter",
            summary="Drop files whose bytes duplicate an earlier file of the same group",
            input_type="FileGroupTask",
            output_type="FileGroupTask",
        )
    ]
