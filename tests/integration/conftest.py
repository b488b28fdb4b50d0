"""Fixtures shared by the integration tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[str]:
    """One local Ray for the whole session (starting Ray costs seconds); runs join it via ``RAY_ADDRESS``.

    Started as the Xenna executor would start its own: with the dashboard and the state-API limits
    its monitor needs. Yields the cluster's address.
    """
    ray = pytest.importorskip("ray")
    from curator_core.executors.ray_session import start_local_ray

    os.environ.setdefault("RAY_MAX_LIMIT_FROM_API_SERVER", "40000")
    os.environ.setdefault("RAY_MAX_LIMIT_FROM_DATA_SOURCE", "40000")
    temp_dir = tempfile.mkdtemp(prefix="cit-", dir="/tmp")  # short: Ray's socket paths have a length limit
    saved = os.environ.pop("RAY_ADDRESS", None)
    try:
        start_local_ray(temp_dir, num_cpus=4, dashboard=True, log_to_driver=False)
        address = ray.get_runtime_context().gcs_address
        os.environ["RAY_ADDRESS"] = address
        yield address
    finally:
        ray.shutdown()
        os.environ.pop("RAY_ADDRESS", None)
        if saved is not None:
            os.environ["RAY_ADDRESS"] = saved
        shutil.rmtree(temp_dir, ignore_errors=True)
