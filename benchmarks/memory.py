"""Peak memory of a process tree (PSS where the OS gives it, else RSS), sampled in a thread."""

from __future__ import annotations

import threading
from types import TracebackType

import psutil

__all__ = ["PeakMemory"]


class PeakMemory:
    """``with PeakMemory() as peak: ...`` then ``peak.mb``: the largest summed PSS seen, in MB."""

    def __init__(self, interval_s: float = 0.05, pid: int | None = None) -> None:
        self.interval_s = interval_s
        self.root = psutil.Process(pid)
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            for proc in [self.root, *self.root.children(recursive=True)]:
                try:
                    info = proc.memory_full_info()
                    total += getattr(info, "pss", info.rss)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop.wait(self.interval_s)

    @property
    def mb(self) -> float:
        return self.peak_bytes / 1e6

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()
