"""PyAV helpers: probing, decoding, encoder choice and clip encoding (the only code importing av)."""

from curator_video.media.codecs import ENCODER_PREFERENCE, pick_encoder
from curator_video.media.decode import decode_frames, open_source
from curator_video.media.encode import encode_clips
from curator_video.media.probe import probe

__all__ = ["ENCODER_PREFERENCE", "decode_frames", "encode_clips", "open_source", "pick_encoder", "probe"]
