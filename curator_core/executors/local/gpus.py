"""The local executor's GPU budget, shared by every stage of a plan.

Each device holds 1.0: a fractional worker takes its fraction of one device (packed onto the
fullest device it fits, so whole devices stay free for stages that need them); a whole-GPU worker
takes ``devices`` devices that nobody else uses.
"""

from __future__ import annotations

from collections.abc import Sequence

from curator_core.executors.rules import GpuDevice, GpuShare

__all__ = ["GpuPool"]

_EPS = 1e-9


class GpuPool:
    """What is taken of each device; ``acquire`` places a worker, ``release`` frees its share."""

    def __init__(self, devices: Sequence[GpuDevice]) -> None:
        self.ids = [device.id for device in devices]
        self.load = dict.fromkeys(self.ids, 0.0)

    def acquire(self, share: GpuShare) -> tuple[str, ...] | None:
        """Devices for one worker, or None when the budget is taken for now."""
        if share.whole:
            free = [i for i in self.ids if self.load[i] <= _EPS]
            if len(free) < share.devices:
                return None
            chosen = tuple(free[: share.devices])
            for device in chosen:
                self.load[device] = 1.0
            return chosen
        fits = [i for i in self.ids if self.load[i] + share.fraction <= 1.0 + _EPS]
        if not fits:
            return None
        device = max(fits, key=lambda i: self.load[i])
        self.load[device] += share.fraction
        return (device,)

    def release(self, devices: Sequence[str], share: GpuShare) -> None:
        for device in devices:
            taken = 1.0 if share.whole else share.fraction
            self.load[device] = max(0.0, self.load[device] - taken)

    def fits_ever(self, share: GpuShare) -> bool:
        """True when an empty pool could hold one such worker."""
        return len(self.ids) >= share.devices if share.whole else bool(self.ids) and share.fraction <= 1.0 + _EPS
