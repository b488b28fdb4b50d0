"""Core's own stages and executor, registered through the same hooks as any plugin."""

from __future__ import annotations

from curator_core.plugins.hookspecs import hookimpl
from curator_core.plugins.records import ExecutorCapabilities, ExecutorSpec, StageSpec

PLUGIN_ID = "core"


@hookimpl
def curator_stages() -> list[StageSpec]:
    return [
        StageSpec(
            name="FilePartitioningStage",
            target="curator_core.stages.file_partitioning:FilePartitioningStage",
            summary="List files (paths, directories, globs) and group them into FileGroupTasks",
            input_type="EmptyTask",
            output_type="FileGroupTask",
        )
    ]


@hookimpl
def curator_executors() -> list[ExecutorSpec]:
    return [
        ExecutorSpec(
            name="local",
            target="curator_core.executors.local:LocalExecutor",
            summary="Worker processes on this machine, streaming through bounded queues (the default)",
            capabilities=ExecutorCapabilities(gpus=True, streaming=True),
        )
    ]
