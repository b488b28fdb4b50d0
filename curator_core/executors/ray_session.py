"""The Ray session around one run, written once for every Ray-based executor.

Order of preference: a driver already connected (``ray.init`` by the user) is used as is; else
``RAY_ADDRESS`` names a cluster to join; else a private local Ray is started for the run, in a
temporary directory, lean (no dashboard unless the executor needs one), and stopped after it.
Only that last one is ever shut down: ``ray.shutdown()`` after joining a cluster disconnects
this driver and leaves the cluster running.

Ray is imported inside the functions: importing the core must not import Ray.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["AUTH_MODE_ENV", "RaySession", "environment", "ray_session", "short_temp_dir", "start_local_ray"]

log = logging.getLogger(__name__)

AUTH_MODE_ENV = "RAY_AUTH_MODE"
DEFAULT_AGENT_PORT = 52365
"""Ray gives every cluster's dashboard agent this port, and ``ray.init`` cannot change it."""


@dataclass(frozen=True)
class RaySession:
    """How this run reached Ray: ``started`` (a local Ray of its own), ``joined`` or ``reused``."""

    how: str
    address: str
    temp_dir: str | None = None

    @property
    def started(self) -> bool:
        return self.how == "started"


def short_temp_dir(prefix: str = "curator-ray-") -> str:
    """A fresh directory for Ray's sessions, short enough for its unix socket paths (107 bytes).

    Under ``RAY_TMPDIR`` when set (Ray's own variable for its temp root), else the system temp dir.
    """
    root = os.environ.get("RAY_TMPDIR") or None
    return tempfile.mkdtemp(prefix=prefix, dir=root)


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set environment variables for the block, then restore what was there."""
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
def ray_session(
    *,
    num_cpus: float | None = None,
    num_gpus: float | None = None,
    dashboard: bool = False,
    start_env: Mapping[str, str] | None = None,
    worker_env: Mapping[str, str] | None = None,
    pin_address: bool = False,
) -> Iterator[RaySession]:
    """Connect for the length of a run; stop Ray after only if this run started it.

    ``dashboard``: start a local Ray with it (an executor that uses the state API needs it).
    ``start_env``: environment for a Ray this run starts (read by Ray when it starts).
    ``worker_env``: environment for this run's workers on a cluster it joins.
    ``pin_address``: keep ``RAY_ADDRESS`` on the cluster in use while the run lasts (libraries
    that look Ray up again otherwise meet "multiple active Ray instances").
    """
    import ray

    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
    if ray.is_initialized():
        session = RaySession("reused", ray.get_runtime_context().gcs_address)
        with _pinned(session.address, pin_address):
            yield session
        return
    address = os.environ.get("RAY_ADDRESS")
    if address:
        runtime_env = {"env_vars": dict(worker_env)} if worker_env else None
        ray.init(address=address, runtime_env=runtime_env, **quiet)
        try:
            session = RaySession("joined", ray.get_runtime_context().gcs_address)
            with _pinned(session.address, pin_address):
                yield session
        finally:
            ray.shutdown()  # disconnects this driver; the cluster keeps running
        return
    temp_dir = short_temp_dir()
    with environment(**dict(start_env or {})):
        restore_auth = _disable_token_auth_if_unset()
        try:
            start_local_ray(temp_dir, num_cpus=num_cpus, num_gpus=num_gpus, dashboard=dashboard, **quiet)
            try:
                session = RaySession("started", ray.get_runtime_context().gcs_address, temp_dir)
                with _pinned(session.address, pin_address):
                    yield session
            finally:
                ray.shutdown()
        finally:
            restore_auth()
            shutil.rmtree(temp_dir, ignore_errors=True)


def start_local_ray(
    temp_dir: str | None,
    *,
    num_cpus: float | None = None,
    num_gpus: float | None = None,
    dashboard: bool = False,
    attempts: int = 3,
    **kwargs: Any,
) -> None:
    """``ray.init`` a new local cluster, lean, that does not collide with others on this host.

    Lean: no autoscaler monitor (a private local cluster has nothing to scale), no log
    monitor unless logs go to the driver, and without the dashboard no dashboard process at
    all (Ray starts one anyway, to load only its usage-stats module); each is a process of
    50-80 MB that also costs CPU while every worker starts. With the dashboard, a second
    cluster's agent cannot bind Ray's fixed agent port and its raylet dies waiting for it:
    when that port is taken, a free one is used instead. On a loaded machine the raylet may
    miss Ray's start-up window: start again, ``attempts`` times. ``ray.init`` takes none of
    these settings, so they are given to the ``RayParams`` it builds and to its ``Node``.
    """
    import ray

    # A loaded machine may take more than Ray's default 10 s to start the agent the raylet waits for.
    os.environ.setdefault("RAY_agent_register_timeout_ms", "60000")
    params: dict[str, Any] = {
        "num_cpus": int(num_cpus) if num_cpus else None,
        "num_gpus": num_gpus,
        "include_dashboard": dashboard,
        "_temp_dir": temp_dir,
        **kwargs,
    }
    lean: dict[str, Any] = {"no_monitor": True}
    if not kwargs.get("log_to_driver", True):
        lean["include_log_monitor"] = False
    if dashboard and not _port_free(DEFAULT_AGENT_PORT):
        lean["dashboard_agent_listen_port"] = _free_port()
    private = getattr(ray, "_private", None)
    params_module = getattr(private, "parameter", None)
    original: Any = getattr(params_module, "RayParams", None)

    def lean_params(*args: Any, **ray_params: Any) -> Any:
        for key, value in lean.items():
            ray_params.setdefault(key, value)
        return original(*args, **ray_params)

    def no_api_server(*_: Any, **__: Any) -> None:
        """What Ray's node does when its dashboard fails to start: run without one."""

    with contextlib.ExitStack() as hooks:  # a Ray without these hooks starts as it is
        if original is not None:
            hooks.enter_context(_replaced(params_module, "RayParams", lean_params))
        node_class = getattr(getattr(private, "node", None), "Node", None)
        if not dashboard and hasattr(node_class, "start_api_server"):
            hooks.enter_context(_replaced(node_class, "start_api_server", no_api_server))
        _init_with_retry(lambda: ray.init(**params), attempts)


@contextlib.contextmanager
def _replaced(owner: Any, name: str, value: Any) -> Iterator[None]:
    """``owner.name`` is ``value`` for the block (Ray's start-up settings that ``ray.init`` hides)."""
    saved = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, saved)


def _init_with_retry(init: Callable[[], Any], attempts: int) -> None:
    import ray

    for attempt in range(1, attempts + 1):
        try:
            init()
            return
        except Exception as exc:
            if "timed out during startup" not in str(exc) or attempt == attempts:
                raise
            log.warning("Ray start timed out (attempt %d of %d); trying again", attempt, attempts)
            ray.shutdown()


@contextlib.contextmanager
def _pinned(address: str, pin: bool) -> Iterator[None]:
    if not pin:
        yield
        return
    with environment(RAY_ADDRESS=address):
        yield


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
