"""Curator audio: speech-data curation stages."""
from curator_audio.__about__ import __version__
__all__ = ["__version__"]
