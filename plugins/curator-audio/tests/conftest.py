"""Shared fixtures: test speech generated once per session with flite (skipped without it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from curator_audio.tasks import AudioTask
from curator_audio.testing import flite_path, generate_corpus

# Sentences PocketSphinx's bundled model gets (nearly) right in every flite voice.
EASY_SENTENCES = [
    "the weather is nice and warm today",
    "my brother likes to read books in the garden",
]


@pytest.fixture(scope="session")
def flite() -> str:
    path = flite_path()
    if path is None:
        pytest.skip("flite is not installed (Debian: apt-get install flite); no test speech can be generated")
    return path


@pytest.fixture(scope="session")
def corpus(flite: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Manifest of 2 sentences x 4 voices, one noise-only and one silent file."""
    folder = tmp_path_factory.mktemp("speech")
    return Path(generate_corpus(str(folder), sentences=EASY_SENTENCES, noise_files=1, silent_files=1))


@pytest.fixture(scope="session")
def corpus_entries(corpus: Path) -> list[dict]:
    entries = [json.loads(line) for line in corpus.read_text().splitlines()]
    for entry in entries:
        entry["audio_filepath"] = str(corpus.parent / entry["audio_filepath"])
    return entries


def write_wav(path: Path, seconds: float, rate: int, channels: int = 1, freq: float = 440.0) -> Path:
    """A sine of known length, rate and channel count."""
    t = np.arange(round(seconds * rate)) / rate
    wave = (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    data = np.stack([wave * (c + 1) / channels for c in range(channels)], axis=1) if channels > 1 else wave
    os.makedirs(path.parent, exist_ok=True)
    sf.write(path, data, rate)
    return path


def audio_task(entries: list[dict], task_id: str = "t0") -> AudioTask:
    return AudioTask(task_id=task_id, dataset_name="test", data=[dict(e) for e in entries])
