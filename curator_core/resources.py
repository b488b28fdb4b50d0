"""What a stage's worker needs: CPUs, a share of a GPU or whole GPUs, hardware codecs."""

from __future__ import annotations

from dataclasses import dataclass

from curator_core.errors import InvalidResourcesError

__all__ = ["Resources"]


@dataclass(frozen=True)
class Resources:
    """Per-worker resource request, validated at construction.

    ``gpu_memory_gb`` asks for a fraction of one GPU; ``gpus`` asks for one or more GPUs;
    the two exclude each other. ``entire_gpu`` reserves whole GPUs (no sharing).
    """

    cpus: float = 1.0
    gpu_memory_gb: float = 0.0
    gpus: float = 0.0
    entire_gpu: bool = False
    nvdecs: int = 0
    nvencs: int = 0

    def __post_init__(self) -> None:
        for field_name in ("cpus", "gpu_memory_gb", "gpus", "nvdecs", "nvencs"):
            value = getattr(self, field_name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidResourcesError(f"Resources.{field_name} must be a number, got {value!r}")
            if value < 0:
                raise InvalidResourcesError(f"Resources.{field_name} must be >= 0, got {value!r}")
        if self.gpu_memory_gb and self.gpus:
            raise InvalidResourcesError(
                "Resources: gpu_memory_gb (a share of one GPU) and gpus (whole GPUs) exclude each "
                f"other; got gpu_memory_gb={self.gpu_memory_gb}, gpus={self.gpus}"
            )
        if self.gpus > 1 and self.gpus != int(self.gpus):
            raise InvalidResourcesError(f"Resources.gpus above 1 must be whole, got {self.gpus}")
        if self.entire_gpu and not self.gpus:
            raise InvalidResourcesError("Resources: entire_gpu=True needs gpus >= 1")
        if self.cpus == 0 and not self.requires_gpu:
            raise InvalidResourcesError("Resources: a worker needs cpus > 0 or a GPU")

    @property
    def requires_gpu(self) -> bool:
        """True when any GPU (a share or whole ones) is requested."""
        return bool(self.gpus or self.gpu_memory_gb or self.entire_gpu or self.nvdecs or self.nvencs)
