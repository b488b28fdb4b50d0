"""pytest plugin shipped with curator-core (entry point ``pytest11: curator``).

Fixtures for plugin authors: ``fake_plugins`` (a :class:`~curator_core.testing.FakeDistributions`
on ``sys.path``, with ``CURATOR_*`` switches cleared and a fresh plugin host),
``curator_env`` (only the switches cleared) and ``local_s3`` (a session's real S3 API server on
127.0.0.1, :func:`curator_core.testing.s3.local_s3_server`; needs ``moto[server]`` and ``s3fs``).
The kit itself is imported inside the fixtures, so
loading this plugin costs nothing in test runs that do not use them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from curator_core.testing.fake_dists import FakeDistributions
    from curator_core.testing.s3 import LocalS3

_SWITCHES = (
    "CURATOR_NO_PLUGINS",
    "CURATOR_DISABLE_PLUGINS",
    "CURATOR_ONLY_PLUGINS",
    "CURATOR_STRICT_PLUGINS",
    "CURATOR_TRACE_HOOKS",
    "CURATOR_EXECUTOR",
    "CURATOR_CONFIG",
)


@pytest.fixture
def curator_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No ``CURATOR_*`` switch and no user config file leak into the test; the host is reset."""
    from curator_core.plugins.host import reset_host

    for name in _SWITCHES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    reset_host()
    yield
    reset_host()


@pytest.fixture
def fake_plugins(curator_env: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeDistributions]:
    """Fake installed distributions, active for the test and removed (modules too) after it."""
    from curator_core.testing.fake_dists import FakeDistributions

    fakes = FakeDistributions(tmp_path_factory.mktemp("fake-dists"))
    with fakes:
        yield fakes


@pytest.fixture(scope="session")
def local_s3() -> Iterator[LocalS3]:
    """A moto S3 server on 127.0.0.1 and a free port, shared by the session's tests."""
    from curator_core.testing.s3 import local_s3_server

    with local_s3_server() as server:
        yield server
