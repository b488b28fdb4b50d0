"""Virtualenvs holding the external systems that benchmarks and golden files compare against.

    python benchmarks/external_envs.py [nemo|datatrove|all]      (build them ahead of time)

`nemo_curator_python()` and `datatrove_python()` build each virtualenv once, under
`<repo>/.venvs/` (git-ignored), and return its interpreter; later calls reuse it. Both use
Python 3.11 with plain `venv` + pip: `torch==2.13.0` is installed first because that exact CPU
build lies on this machine's disk (any other torch request would download a multi-GB CUDA build),
then the system itself, then a check that pip kept torch where it was. A finished build leaves a
`.complete` marker holding the package list; a half-built virtualenv (no marker) is rebuilt.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENVS = ROOT / ".venvs"
TORCH = "torch==2.13.0"
NEMO_CURATOR = "nemo-curator==1.4.0"
DATATROVE = "datatrove==0.10.1"

# What NeMo Curator's text filters import beyond the base install (fastText, tokenizers for
# TokenCountFilter / TokenizerFertilityFilter, jieba / MeCab word segmentation for zh / ja).
NEMO_EXTRAS = (
    "fasttext==0.9.3",
    "jieba",
    "mecab-python3",
    "unidic-lite",
    "tokenizers",
    "transformers",
    "sentencepiece",
    "beautifulsoup4",
)
# What datatrove's JSONL reader and MinHash deduplication import beyond its base install.
DATATROVE_EXTRAS = ("orjson", "xxhash", "numpy", "zstandard")


def base_python() -> pathlib.Path:
    """A Python 3.11 interpreter: this one if it is 3.11, else pyenv's 3.11.7."""
    if sys.version_info[:2] == (3, 11):
        return pathlib.Path(sys.executable)
    candidate = pathlib.Path.home() / ".pyenv" / "versions" / "3.11.7" / "bin" / "python3.11"
    if candidate.exists():
        return candidate
    found = shutil.which("python3.11")
    if found:
        return pathlib.Path(found)
    raise RuntimeError("no Python 3.11 interpreter found: install one (pyenv install 3.11.7) and rerun")


def _pip(python: pathlib.Path, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", *args], check=True)


def _torch_version(python: pathlib.Path) -> str:
    out = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('torch'))"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def ensure_venv(name: str, packages: tuple[str, ...], *, torch: bool = True) -> pathlib.Path:
    """Build `.venvs/<name>` once (torch pinned first when asked) and return its interpreter."""
    directory = VENVS / name
    python = directory / "bin" / "python"
    marker = directory / ".complete"
    wanted = "\n".join(((TORCH,) if torch else ()) + packages)
    if marker.exists() and marker.read_text() == wanted and python.exists():
        return python
    shutil.rmtree(directory, ignore_errors=True)
    VENVS.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(base_python()), "-m", "venv", str(directory)], check=True)
    if torch:
        _pip(python, TORCH)
    _pip(python, *packages)
    if torch:
        version = _torch_version(python)
        if not version.startswith(TORCH.split("==")[1]):
            raise RuntimeError(f"{name}: pip replaced {TORCH} with torch {version}; pin it and rebuild")
    marker.write_text(wanted)
    return python


def nemo_curator_python() -> pathlib.Path:
    """Interpreter of the NeMo Curator 1.4.0 virtualenv (CPU torch, text filter dependencies)."""
    return ensure_venv("nemo-curator-1.4.0", (NEMO_CURATOR, *NEMO_EXTRAS))


def datatrove_python() -> pathlib.Path:
    """Interpreter of the datatrove 0.10.1 virtualenv (JSONL reader and MinHash dedup dependencies)."""
    return ensure_venv("datatrove-0.10.1", (DATATROVE, *DATATROVE_EXTRAS), torch=False)


def main(argv: list[str]) -> int:
    which = argv[0] if argv else "all"
    if which in ("nemo", "all"):
        print(nemo_curator_python())
    if which in ("datatrove", "all"):
        print(datatrove_python())
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    raise SystemExit(main(sys.argv[1:]))
