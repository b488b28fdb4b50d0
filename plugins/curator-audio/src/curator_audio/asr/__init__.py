"""Speech recognition behind a small adapter interface, chosen by name."""

from curator_audio.asr.base import AsrAdapter
from curator_audio.asr.registry import AdapterSpec, available_asr_adapters, make_asr_adapter, register_asr_adapter

__all__ = ["AdapterSpec", "AsrAdapter", "available_asr_adapters", "make_asr_adapter", "register_asr_adapter"]
