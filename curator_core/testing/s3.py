"""A real S3 API server on 127.0.0.1 for tests: moto's server mode in a subprocess.

``with local_s3_server() as s3:`` starts it on a free port and gives the endpoint, fake keys as
``storage_options`` (and as ``env`` for subprocesses such as ``curator run``), and
:meth:`LocalS3.create_bucket`. moto and s3fs are imported only here (``curator-core[test]``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LocalS3", "local_s3_server"]

_KEY, _SECRET, _REGION = "testing-key", "testing-secret", "us-east-1"


@dataclass
class LocalS3:
    """A running local S3 server: where it listens and how to reach it."""

    endpoint_url: str
    storage_options: dict[str, Any] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def filesystem(self) -> Any:
        """An s3fs filesystem on this server (a fresh instance, not fsspec's cached one)."""
        import s3fs

        return s3fs.S3FileSystem(skip_instance_cache=True, **self.storage_options)

    def create_bucket(self, name: str) -> str:
        """Create a bucket (idempotent) and return its URL, ``s3://name``."""
        fs = self.filesystem()
        if not fs.exists(name):
            fs.call_s3("create_bucket", Bucket=name)
            fs.invalidate_cache()
        return f"s3://{name}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the moto S3 server exited with code {process.returncode} before it was up")
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"the moto S3 server at {url} did not come up within {timeout:.0f} s")


@contextmanager
def local_s3_server(require_auth: bool = False, timeout: float = 60.0) -> Iterator[LocalS3]:
    """Start moto's S3 server on 127.0.0.1 and a free port for the block; stop it after.

    ``require_auth=True`` makes the server check credentials, so the fake keys are denied (for
    testing that error).
    """
    try:
        import moto.server  # noqa: F401
        import s3fs  # noqa: F401
    except ImportError as exc:
        raise RuntimeError("local_s3_server needs moto[server] and s3fs: pip install 'curator-core[test]'") from exc
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    if require_auth:
        env["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(url, process, timeout)
        yield LocalS3(
            endpoint_url=url,
            storage_options={
                "key": _KEY,
                "secret": _SECRET,
                "client_kwargs": {"endpoint_url": url, "region_name": _REGION},
            },
            env={
                "AWS_ACCESS_KEY_ID": _KEY,
                "AWS_SECRET_ACCESS_KEY": _SECRET,
                "AWS_ENDPOINT_URL": url,
                "AWS_DEFAULT_REGION": _REGION,
            },
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
