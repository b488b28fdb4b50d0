"""Test speech made on the spot: flite's CMU voices reading known sentences, noise and silence.

Nothing is downloaded: flite is a Debian package (``apt-get install flite``), its voices
``kal16``, ``slt``, ``rms`` and ``awb`` are built in, and PocketSphinx's bundled model
recognises them well, so a WER filter has something real to keep and to drop.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import numpy as np
import soundfile as sf

from curator_audio.audio_io import read_audio, resample, to_mono, write_audio
from curator_core.tasks import Task
from curator_core.testing import StageConformanceSuite

__all__ = [
    "SENTENCES",
    "VOICES",
    "AudioStageSuite",
    "flite_path",
    "generate_corpus",
    "noise",
    "silence",
    "synthesize",
]

SENTENCES = [
    "the quick brown fox jumps over the lazy dog",
    "she sells sea shells by the sea shore",
    "please call stella and ask her to bring these things",
    "the birch canoe slid on the smooth planks",
    "we will meet at the train station tomorrow morning",
    "open the window and let the fresh air in",
    "my brother likes to read books in the garden",
    "the weather is nice and warm today",
]
VOICES = ("kal16", "slt", "rms", "awb")
RATE = 16000


def flite_path() -> str | None:
    """The flite binary, or None when it is not installed."""
    return shutil.which("flite")


def synthesize(text: str, voice: str, path: str, sample_rate: int = RATE) -> str:
    """Speak ``text`` with a flite voice into a mono WAV at ``sample_rate``."""
    binary = flite_path()
    if binary is None:
        raise FileNotFoundError("flite is not installed (Debian: apt-get install flite)")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    raw = f"{path}.flite.wav"
    subprocess.run([binary, "-voice", voice, "-t", text, "-o", raw], check=True, capture_output=True)
    samples, rate = read_audio(raw)
    os.remove(raw)
    write_audio(path, resample(to_mono(samples), rate, sample_rate), sample_rate, fmt="wav")
    return path


def noise(path: str, seconds: float, sample_rate: int = RATE, seed: int = 0, level: float = 0.1) -> str:
    """White noise (no speech at all)."""
    rng = np.random.default_rng(seed)
    write_audio(path, (rng.standard_normal(int(seconds * sample_rate)) * level).astype(np.float32), sample_rate)
    return path


def silence(path: str, seconds: float, sample_rate: int = RATE) -> str:
    """Digital silence."""
    write_audio(path, np.zeros(int(seconds * sample_rate), dtype=np.float32), sample_rate)
    return path


def generate_corpus(
    out_dir: str,
    sentences: list[str] | None = None,
    voices: tuple[str, ...] | list[str] = VOICES,
    noise_files: int = 1,
    silent_files: int = 1,
) -> str:
    """Speech for every (sentence, voice), plus noise-only and silent files, and ``manifest.jsonl``.

    Each entry has ``audio_filepath`` (relative to the manifest), ``text`` (the sentence it
    claims to hold), ``duration``, ``voice`` and ``kind`` (speech, noise or silence). Noise and
    silent files claim a sentence too, as mislabelled data would, so a WER filter drops them.
    Returns the manifest path.
    """
    sentences = list(sentences or SENTENCES)
    os.makedirs(out_dir, exist_ok=True)
    entries = []
    for s_index, sentence in enumerate(sentences):
        for voice in voices:
            name = f"speech-{s_index:02d}-{voice}.wav"
            synthesize(sentence, voice, os.path.join(out_dir, name))
            entries.append({"audio_filepath": name, "text": sentence, "voice": voice, "kind": "speech"})
    for index in range(noise_files):
        name = f"noise-{index:02d}.wav"
        noise(os.path.join(out_dir, name), 2.0 + index, seed=index)
        entries.append(
            {"audio_filepath": name, "text": sentences[index % len(sentences)], "voice": "", "kind": "noise"}
        )
    for index in range(silent_files):
        name = f"silence-{index:02d}.wav"
        silence(os.path.join(out_dir, name), 1.5 + index)
        entries.append(
            {"audio_filepath": name, "text": sentences[(index + 1) % len(sentences)], "voice": "", "kind": "silence"}
        )
    for entry in entries:
        entry["duration"] = sf.info(os.path.join(out_dir, entry["audio_filepath"])).duration
    manifest = os.path.join(out_dir, "manifest.jsonl")
    with open(manifest, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(entry) + "\n" for entry in entries)
    return manifest


class AudioStageSuite(StageConformanceSuite):
    """The core's stage conformance suite, reading an AudioTask's columns as the keys every entry has."""

    def columns_of(self, task: Task[Any]) -> set[str] | None:
        entries = task.data
        if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
            return None
        return set.intersection(*(set(entry) for entry in entries))
