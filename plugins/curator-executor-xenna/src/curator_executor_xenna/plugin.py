"""Manifest of the ``xenna`` plugin: registers XennaExecutor without importing Ray or Xenna."""

from __future__ import annotations

from curator_core.plugins import ExecutorCapabilities, ExecutorSpec, hookimpl

PLUGIN_ID = "xenna"


@hookimpl
def curator_executors() -> list[ExecutorSpec]:
    return [
        ExecutorSpec(
            name="xenna",
            target="curator_executor_xenna.executor:XennaExecutor",
            summary="Cosmos-Xenna on Ray: streaming (per-stage autoscaling) or batch, CPUs and GPUs, many nodes",
            capabilities=ExecutorCapabilities(gpus=True, multi_node=True, streaming=True, autoscaling=True),
        )
    ]
