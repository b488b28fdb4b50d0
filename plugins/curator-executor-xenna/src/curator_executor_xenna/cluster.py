"""Ray lifecycle for one run: join the cluster the user gave, or start (and later stop) our own.

- A Ray session already open in this process is used as is and left open.
- ``RAY_ADDRESS`` set: connect to that cluster; on exit only this driver disconnects.
- Otherwise: start a local cluster with the dashboard (Xenna's monitor uses the state API),
  in a temporary directory of its own (no litter in /tmp/ray), and shut it down on exit.

In every case ``RAY_ADDRESS`` is pinned to the cluster in use while the run lasts: Xenna's state
API calls otherwise fail with "Found multiple active Ray instances" when other clusters run on
the host.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import ray

from curator_executor_xenna.fitting import NodeCapacity, local_cpu_count

__all__ = ["RaySession", "node_capacities", "ray_session", "start_local_ray"]

log = logging.getLogger(__name__)

DEFAULT_AGENT_PORT = 52365

API_LIMIT = "40000"
"""Xenna lists every actor through the state API; Ray's default limit (10,000) is too low."""


@dataclass(frozen=True)
class RaySession:
    """The cluster a run uses, and whether this run started it."""

    address: str
    started: bool
    temp_dir: str | None = None


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
    """``ray.init`` a new local cluster that does not collide with others on this host.

    Ray gives every cluster's dashboard agent the fixed port 52365 and ``ray.init`` cannot
    change it; a second cluster's agent then fails to bind and its raylet dies waiting for it
    ("The current node timed out during startup"). When that port is taken, the cluster is
    started with a free one instead.
    """
    # A loaded machine may take more than Ray's default 10 s to start the agent the raylet waits for.
    os.environ.setdefault("RAY_agent_register_timeout_ms", "60000")
    init = functools.partial(
        ray.init, num_cpus=num_cpus, include_dashboard=True, _temp_dir=temp_dir, logging_level=logging.WARNING, **kwargs
    )
    init = functools.partial(_init_with_retry, init)
    params_module = getattr(getattr(ray, "_private", None), "parameter", None)
    original = getattr(params_module, "RayParams", None)
    if original is None or _port_free(DEFAULT_AGENT_PORT):
        init()
        return
    port = _free_port()

    def with_free_agent_port(*args: Any, **params: Any) -> Any:
        params.setdefault("dashboard_agent_listen_port", port)
        return original(*args, **params)

    params_module.RayParams = with_free_agent_port
    try:
        init()
    finally:
        params_module.RayParams = original


def _init_with_retry(init: Any, attempts: int = 3) -> None:
    """On a loaded machine the raylet may miss Ray's fixed 30 s start-up window: try again."""
    for attempt in range(1, attempts + 1):
        try:
            init()
            return
        except Exception as exc:
            if "timed out during startup" not in str(exc) or attempt == attempts:
                raise
            log.warning("Ray start timed out (attempt %d of %d); trying again", attempt, attempts)
            ray.shutdown()


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


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
        with _environment(RAY_MAX_LIMIT_FROM_API_SERVER=limit):
            yield
    finally:
        if saved is not None:
            xenna_cluster.API_LIMIT = saved


@contextlib.contextmanager
def ray_session() -> Iterator[RaySession]:
    """Connect to or start Ray for one run (see the module docstring)."""
    limits = {"RAY_MAX_LIMIT_FROM_API_SERVER": API_LIMIT, "RAY_MAX_LIMIT_FROM_DATA_SOURCE": API_LIMIT}
    if ray.is_initialized():
        address = ray.get_runtime_context().gcs_address
        with _environment(RAY_ADDRESS=address), _state_api_limit_of_a_cluster_we_did_not_start():
            yield RaySession(address, started=False)
        return
    given = os.environ.get("RAY_ADDRESS")
    if given:
        # Xenna sets CUDA_VISIBLE_DEVICES itself; on a cluster we did not start, tell our workers so.
        ray.init(
            address=given,
            ignore_reinit_error=True,
            runtime_env={"env_vars": {"RAY_EXPERIMENTAL_NOSET_CUDA_VISIBLE_DEVICES": "1"}},
        )
        address = ray.get_runtime_context().gcs_address
        try:
            with _environment(RAY_ADDRESS=address), _state_api_limit_of_a_cluster_we_did_not_start():
                yield RaySession(address, started=False)
        finally:
            ray.shutdown()  # disconnects this driver; the cluster keeps running
        return
    # Xenna sets CUDA_VISIBLE_DEVICES itself; Ray must not, and only reads this when a cluster starts.
    env = {**limits, "RAY_EXPERIMENTAL_NOSET_CUDA_VISIBLE_DEVICES": "1"}
    temp_dir = None if os.environ.get("RAY_TMPDIR") else tempfile.mkdtemp(prefix="curator-ray-")
    failed = False
    with _environment(**env):
        try:
            start_local_ray(local_cpu_count(), temp_dir)
            address = ray.get_runtime_context().gcs_address
            with _environment(RAY_ADDRESS=address):
                yield RaySession(address, started=True, temp_dir=temp_dir)
        except BaseException:
            failed = True
            raise
        finally:
            ray.shutdown()
            if temp_dir is not None:
                if failed:
                    log.warning("Ray session files of the failed run are kept in %s", temp_dir)
                else:
                    shutil.rmtree(temp_dir, ignore_errors=True)
