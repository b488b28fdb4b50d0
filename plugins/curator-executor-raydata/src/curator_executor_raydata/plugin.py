"""Manifest of the raydata plugin: registers the executors by name, imports nothing heavy."""

from __future__ import annotations

from curator_core.plugins import ExecutorCapabilities, ExecutorSpec, hookimpl

PLUGIN_ID = "raydata"

_CAPABILITIES = ExecutorCapabilities(gpus=True, multi_node=True)


@hookimpl
def curator_executors() -> list[ExecutorSpec]:
    return [
        ExecutorSpec(
            name="ray_data",
            target="curator_executor_raydata.ray_data:RayDataExecutor",
            summary="Ray Data map_batches, streaming; actor pools for stages with setup or GPUs",
            capabilities=_CAPABILITIES,
        ),
        ExecutorSpec(
            name="ray_actor_pool",
            target="curator_executor_raydata.actor_pool:RayActorPoolExecutor",
            summary="A Ray actor pool per stage, stage by stage (all-to-all work such as dedup)",
            capabilities=_CAPABILITIES,
        ),
    ]
