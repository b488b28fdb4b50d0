"""Generate test speech for the audio example: flite reading known sentences, noise, silence.

Usage: python examples/audio/generate_speech.py [OUT_DIR] [--sentences N] [--voices kal16 slt ...]
       [--noise N] [--silent N]
Writes WAV files (16 kHz mono) and ``manifest.jsonl`` (audio_filepath relative to it, text,
duration, voice, kind). Needs the Debian package ``flite`` (its CMU voices kal16, slt, rms, awb
are built in); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import sys

from curator_audio.testing import SENTENCES, VOICES, flite_path, generate_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default="data/audio")
    parser.add_argument("--sentences", type=int, default=len(SENTENCES), help=f"how many (1..{len(SENTENCES)})")
    parser.add_argument("--voices", nargs="+", default=list(VOICES))
    parser.add_argument("--noise", type=int, default=1, help="noise-only files")
    parser.add_argument("--silent", type=int, default=1, help="silent files")
    args = parser.parse_args(argv)
    if flite_path() is None:
        print("flite is not installed: apt-get install flite", file=sys.stderr)
        return 1
    manifest = generate_corpus(
        args.out_dir,
        sentences=SENTENCES[: max(1, args.sentences)],
        voices=args.voices,
        noise_files=args.noise,
        silent_files=args.silent,
    )
    print(manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
