"""One Ray cluster for the whole session, started the way XennaExecutor starts its own."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

# Xenna logs through loguru and reads PYTHON_LOG once; Ray workers inherit it from this process.
os.environ.setdefault("PYTHON_LOG", "warning")

import xenna_stages


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[str]:
    """A local cluster in a temporary directory, with RAY_ADDRESS pinned to it."""
    import ray
    from ray import cloudpickle

    from curator_executor_xenna.cluster import start_local_ray

    # The helper stages live in the tests folder, which Ray workers cannot import.
    cloudpickle.register_pickle_by_value(xenna_stages)
    temp_dir = tempfile.mkdtemp(prefix="cxt-", dir="/tmp")  # short: Ray's socket paths have a length limit
    # Started like a user's own cluster: without Xenna's raised state-API limits.
    saved = os.environ.pop("RAY_ADDRESS", None)
    try:
        start_local_ray(2, temp_dir, log_to_driver=False)
        address = ray.get_runtime_context().gcs_address
        os.environ["RAY_ADDRESS"] = address
        yield address
    finally:
        ray.shutdown()
        os.environ.pop("RAY_ADDRESS", None)
        if saved is not None:
            os.environ["RAY_ADDRESS"] = saved
        shutil.rmtree(temp_dir, ignore_errors=True)
