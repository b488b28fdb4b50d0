"""A local Ray cluster in processes of its own, for scripts and tests that need an external one.

``ray start --head --block`` runs in its own process group with a private temp dir and free
ports, so it neither meets nor disturbs other Ray clusters on the host. Stopping it signals that
one process, which stops exactly the Ray processes it started (never ``ray stop``, which ends
every Ray cluster of the user).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from types import TracebackType

from curator_executor_raydata.session import AUTH_MODE_ENV, short_temp_dir

__all__ = ["LocalRayCluster"]


class LocalRayCluster:
    """``with LocalRayCluster(num_cpus=2) as cluster: os.environ["RAY_ADDRESS"] = cluster.address``."""

    def __init__(self, num_cpus: int = 2, num_gpus: int | None = None, start_timeout_s: float = 120.0) -> None:
        self.num_cpus = num_cpus
        self.num_gpus = num_gpus
        self.start_timeout_s = start_timeout_s
        self.temp_dir = ""
        self.address = ""
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, attempts: int = 3) -> str:
        """Start the head node; return its address (``host:port``) once it accepts drivers.

        Retried: on a very busy machine Ray's raylet gives up waiting (about 15 s) for its agent.
        """
        for attempt in range(attempts):
            try:
                return self._start_once()
            except RuntimeError:
                if attempt + 1 == attempts:
                    raise
        raise AssertionError("unreachable")

    def _start_once(self) -> str:
        self.temp_dir = short_temp_dir("curator-rayc-")
        port, agent_port, agent_grpc_port, runtime_env_port, metrics_port = _free_ports(5)
        command = [
            sys.executable, "-m", "ray.scripts.scripts", "start", "--head", "--block",
            f"--port={port}",
            f"--dashboard-agent-listen-port={agent_port}", f"--metrics-export-port={metrics_port}",
            # Fixed agent ports: otherwise the raylet waits (about 15 s, then aborts) for the
            # agent to write its port to a file, which a busy machine can miss.
            f"--dashboard-agent-grpc-port={agent_grpc_port}", f"--runtime-env-agent-port={runtime_env_port}",
            f"--num-cpus={self.num_cpus}", f"--temp-dir={self.temp_dir}",
            "--include-dashboard=false", "--disable-usage-stats",
        ]  # fmt: skip
        if self.num_gpus is not None:
            command.append(f"--num-gpus={self.num_gpus}")
        env = {**os.environ}
        env.setdefault(AUTH_MODE_ENV, "disabled")
        env.pop("RAY_ADDRESS", None)
        log = open(os.path.join(self.temp_dir, "ray-start.log"), "wb")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        log.close()
        self.address = self._wait_for_address()
        return self.address

    def _wait_for_address(self) -> str:
        marker = os.path.join(self.temp_dir, "ray_current_cluster")
        deadline = time.monotonic() + self.start_timeout_s
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._fail("exited")
            if os.path.exists(marker):
                with open(marker, encoding="utf-8") as handle:
                    address = handle.read().strip()
                if address:
                    return address
            time.sleep(0.2)
        self._fail(f"did not start within {self.start_timeout_s:.0f} s")
        raise AssertionError("unreachable")

    def _fail(self, why: str) -> None:
        with open(os.path.join(self.temp_dir, "ray-start.log"), encoding="utf-8", errors="replace") as handle:
            tail = handle.read()[-2000:]
        self.stop()
        raise RuntimeError(f"ray start --head {why}:\n{tail}")

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout_s: float = 60.0) -> None:
        """Stop the processes this cluster started and remove its temp dir."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # ray's handler stops its children, then exits
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                pass
        if self.process is not None:
            # Whatever it started and left behind (e.g. after a failed start) is in its group.
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait(10)
        self.process = None
        if self.temp_dir:
            shutil.rmtree(self.temp_dir, ignore_errors=True)

    def __enter__(self) -> LocalRayCluster:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
