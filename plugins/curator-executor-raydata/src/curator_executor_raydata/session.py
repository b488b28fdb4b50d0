"""Ray's lifecycle for one run: join the cluster that is there, or start one and stop it after.

Order of preference: a driver already connected (``ray.init`` by the user) is used as is; else
``RAY_ADDRESS`` names a cluster to join; else a local Ray is started for the run in a temporary
directory and stopped after it. Only that last one is ever shut down: ``ray.shutdown()`` after
joining a cluster disconnects this driver and leaves the cluster running.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["RaySession", "ray_session", "short_temp_dir"]

AUTH_MODE_ENV = "RAY_AUTH_MODE"


@dataclass(frozen=True)
class RaySession:
    """How this run reached Ray: ``started`` (a local Ray of its own), ``joined`` or ``reused``."""

    how: str
    address: str
    temp_dir: str | None = None


def short_temp_dir(prefix: str = "curator-ray-") -> str:
    """A fresh directory for Ray's sessions, short enough for its unix socket paths (107 bytes).

    Under ``RAY_TMPDIR`` when set (Ray's own variable for its temp root), else the system temp dir.
    """
    root = os.environ.get("RAY_TMPDIR") or None
    return tempfile.mkdtemp(prefix=prefix, dir=root)


@contextlib.contextmanager
def ray_session(*, num_cpus: float | None = None, num_gpus: float | None = None) -> Iterator[RaySession]:
    """Connect for the length of a run; stop Ray after only if this run started it."""
    import ray

    if ray.is_initialized():
        yield RaySession("reused", ray.get_runtime_context().gcs_address)
        return
    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
    address = os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, **quiet)
        try:
            yield RaySession("joined", ray.get_runtime_context().gcs_address)
        finally:
            ray.shutdown()  # disconnects this driver; the cluster keeps running
        return
    temp_dir = short_temp_dir()
    restore_auth = _disable_token_auth_if_unset()
    try:
        ray.init(
            num_cpus=int(num_cpus) if num_cpus else None,
            num_gpus=num_gpus,
            include_dashboard=False,
            _temp_dir=temp_dir,
            **quiet,
        )
        try:
            yield RaySession("started", ray.get_runtime_context().gcs_address, temp_dir)
        finally:
            ray.shutdown()
    finally:
        restore_auth()
        shutil.rmtree(temp_dir, ignore_errors=True)


def _disable_token_auth_if_unset() -> Callable[[], None]:
    """A private, run-long local cluster needs no token: do not write one to ``~/.ray``.

    Ray 2.60 enables token auth for new local clusters and saves a token in the user's home.
    A user who wants it sets ``RAY_AUTH_MODE=token`` and we leave it alone. Returns a restorer.
    """
    if os.environ.get(AUTH_MODE_ENV) is not None:
        return lambda: None
    os.environ[AUTH_MODE_ENV] = "disabled"

    def restore() -> None:
        os.environ.pop(AUTH_MODE_ENV, None)

    return restore
