"""From curator Resources to what Xenna schedules: CPUs and a (fractional or whole) GPU count."""

from __future__ import annotations

import functools
import shutil
import subprocess

from curator_core.resources import Resources

__all__ = ["gpu_share", "smallest_gpu_memory_gb"]


@functools.cache
def smallest_gpu_memory_gb() -> float | None:
    """Memory of the smallest GPU on this machine (GiB), or None when unknown."""
    if shutil.which("nvidia-smi") is None:
        return None
    try:
        result = subprocess.run(
            ["nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        sizes = [float(line) / 1024 for line in result.stdout.split() if line.strip()]
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return min(sizes) if sizes else None


def gpu_share(resources: Resources) -> float:
    """GPUs per worker for Xenna: ``gpus`` as is; ``gpu_memory_gb`` as a fraction of one GPU.

    The fraction uses the smallest local GPU's memory; when that is unknown, or a stage asks only
    for hardware codecs (which Xenna 0.5 does not model), the worker gets a whole GPU.
    """
    if resources.gpus:
        return float(resources.gpus)
    if resources.gpu_memory_gb:
        total = smallest_gpu_memory_gb()
        if not total:
            return 1.0
        return min(1.0, max(0.01, round(resources.gpu_memory_gb / total, 3)))
    return 1.0 if resources.requires_gpu else 0.0
