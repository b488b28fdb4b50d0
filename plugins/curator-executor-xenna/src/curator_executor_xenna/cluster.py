"""Ray for one Xenna run: the shared session (``curator_core.executors.ray_session``), as Xenna needs it.

- A Ray session already open in this process is used as is and left open.
- ``RAY_ADDRESS`` set: connect to that cluster; on exit only this driver disconnects.
- Otherwise: start a local cluster with the dashboard (Xenna's monitor uses the state API) and
  the state-API limits raised, in a temporary directory of its own, and shut it down on exit.

In every case ``RAY_ADDRESS`` is pinned to the cluster in use while the run lasts: Xenna's state
API calls otherwise fail with "Found multiple active Ray instances" when other clusters run on
the host. Xenna sets ``CUDA_VISIBLE_DEVICES`` itself, so Ray is told not to.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

import ray

from curator_core.executors import ray_session as shared
from curator_core.executors.ray_session import RaySession, environment
from curator_executor_xenna.fitting import NodeCapacity, local_cpu_count

__all__ = ["RaySession", "node_capacities", "ray_session", "start_local_ray"]

API_LIMIT = "40000"
"""Xenna lists every actor through the state API; Ray's default limit (10,000) is too low."""

_NO_CUDA_VISIBLE_DEVICES = {"RAY_EXPERIMENTAL_NOSET_CUDA_VISIBLE_DEVICES": "1"}


def node_capacities() -> list[NodeCapacity]:
    """Alive nodes of the connected cluster, as Ray reports them."""
    nodes = []
    for node in ray.nodes():
        if not node.get("Alive", node.get("alive", True)):
            continue
        resources = node.get("Resources", {})
        nodes.append(
            NodeCapacity(
                cpus=float(resources.get("CPU", 0.0)),
                gpus=int(resources.get("GPU", 0.0)),
                name=str(node.get("NodeManagerHostname", node.get("NodeID", ""))),
            )
        )
    return nodes


def start_local_ray(num_cpus: int, temp_dir: str | None, **kwargs: Any) -> None:
    """A local cluster as Xenna needs it (with the dashboard), beside any other on this host."""
    shared.start_local_ray(temp_dir, num_cpus=num_cpus, dashboard=True, logging_level=logging.WARNING, **kwargs)


@contextlib.contextmanager
def _state_api_limit_of_a_cluster_we_did_not_start() -> Iterator[None]:
    """Keep Xenna from asking a cluster for more actors than it serves.

    Xenna 0.5 sets RAY_MAX_LIMIT_FROM_API_SERVER to 40000 in this process on every run and its
    monitor lists actors with that limit; a cluster started without the raised server-side limit
    rejects it ("Given limit 40000 exceeds the supported limit 10000") and the run fails. For a
    cluster we did not start we assume what this environment says (Ray's default: 10000) and
    make Xenna use that, restoring both afterwards.
    """
    from cosmos_xenna.ray_utils import cluster as xenna_cluster

    limit = os.environ.get("RAY_MAX_LIMIT_FROM_API_SERVER", "10000")
    saved = getattr(xenna_cluster, "API_LIMIT", None)
    xenna_cluster.API_LIMIT = int(limit)
    try:
        with environment(RAY_MAX_LIMIT_FROM_API_SERVER=limit):
            yield
    finally:
        if saved is not None:
            xenna_cluster.API_LIMIT = saved


@contextlib.contextmanager
def ray_session() -> Iterator[RaySession]:
    """Connect to or start Ray for one run (see the module docstring)."""
    limits = {"RAY_MAX_LIMIT_FROM_API_SERVER": API_LIMIT, "RAY_MAX_LIMIT_FROM_DATA_SOURCE": API_LIMIT}
    with shared.ray_session(
        num_cpus=local_cpu_count(),
        dashboard=True,
        start_env={**limits, **_NO_CUDA_VISIBLE_DEVICES},
        worker_env=_NO_CUDA_VISIBLE_DEVICES,
        pin_address=True,
    ) as session:
        if session.started:
            yield session
            return
        with _state_api_limit_of_a_cluster_we_did_not_start():
            yield session
