"""One Ray cluster for the whole session, started the way XennaExecutor starts its own."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator

import pytest

# Xenna logs through loguru and reads PYTHON_LOG once; Ray workers inherit it from this process.
os.environ.setdefault("PYTHON_LOG", "warning")
# Ray gives the dashboard 60 s to come up (read at import); a loaded CI machine may need more.
os.environ.setdefault("RAY_DASHBOARD_STARTUP_TIMEOUT_S", "300")

import xenna_stages


def _start_with_retry(start: Callable[[], None], attempts: int = 3) -> None:
    """A loaded machine (other Ray suites beside this one) may miss one of Ray's start-up windows.

    The session fixture's error would fail every test after it: try again before giving up.
    """
    import ray

    for attempt in range(1, attempts + 1):
        try:
            start()
            return
        except Exception:
            ray.shutdown()
            if attempt == attempts:
                raise
            time.sleep(5)


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
        _start_with_retry(lambda: start_local_ray(2, temp_dir, log_to_driver=False))
        address = ray.get_runtime_context().gcs_address
        os.environ["RAY_ADDRESS"] = address
        yield address
    finally:
        ray.shutdown()
        os.environ.pop("RAY_ADDRESS", None)
        if saved is not None:
            os.environ["RAY_ADDRESS"] = saved
        shutil.rmtree(temp_dir, ignore_errors=True)
