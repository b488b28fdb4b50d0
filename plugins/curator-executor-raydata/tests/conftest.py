"""One two-node Ray cluster for the whole session (two raylets on this machine).

Ray costs seconds to start, so the cluster is started once; ``RAY_ADDRESS`` points at it and
the test driver stays connected, so executors use that connection and must leave it alone.
Ray's files go to a private temp dir (removed after), and token auth is off, so nothing is
written to ``~/.ray`` or ``/tmp/ray``.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator

import pytest

from curator_executor_raydata.session import short_temp_dir

NODE_CPUS = 2


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[object]:
    import ray
    from ray.cluster_utils import Cluster

    saved = {key: os.environ.get(key) for key in ("RAY_ADDRESS", "RAY_AUTH_MODE")}
    os.environ["RAY_AUTH_MODE"] = "disabled"
    temp_dir = short_temp_dir("crt-")
    cluster = None
    try:
        cluster = _start_cluster(Cluster, temp_dir)
        os.environ["RAY_ADDRESS"] = cluster.address
        yield cluster
    finally:
        if ray.is_initialized():
            ray.shutdown()
        if cluster is not None:
            cluster.shutdown()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(temp_dir, ignore_errors=True)


def _start_cluster(cluster_class: type, temp_dir: str, attempts: int = 3) -> object:
    import ray._private.utils

    # Cluster writes its address to /tmp/ray/ray_current_cluster for ``address="auto"``;
    # we pin RAY_ADDRESS instead and leave /tmp/ray alone.
    write_ray_address = ray._private.utils.write_ray_address
    ray._private.utils.write_ray_address = lambda *args, **kwargs: None
    try:
        return _start_cluster_retrying(cluster_class, temp_dir, attempts)
    finally:
        ray._private.utils.write_ray_address = write_ray_address


def _start_cluster_retrying(cluster_class: type, temp_dir: str, attempts: int) -> object:
    # A busy machine can make a raylet give up waiting for its agent; start again then.
    for attempt in range(attempts):
        cluster = cluster_class()
        try:
            cluster.add_node(num_cpus=NODE_CPUS, temp_dir=temp_dir, include_dashboard=False)
            cluster.add_node(num_cpus=NODE_CPUS, temp_dir=temp_dir)
            cluster.wait_for_nodes()
            return cluster
        except Exception:
            cluster.shutdown()
            if attempt + 1 == attempts:
                raise
    raise AssertionError("unreachable")


@pytest.fixture
def connected(ray_cluster: object) -> Iterator[object]:
    """The driver connected to the session cluster (as a user who called ``ray.init`` would be)."""
    import ray

    if not ray.is_initialized():
        ray.init(address=os.environ["RAY_ADDRESS"], log_to_driver=False, logging_level=logging.WARNING)
    yield ray_cluster
    assert ray.is_initialized(), "an executor shut down a Ray session it did not start"
