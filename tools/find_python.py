"""Find a Python interpreter by version, the way a fresh machine has them installed.

nox looks only on PATH, where pyenv's shims answer for the global version alone and uv's managed
Pythons are absent; so the noxfile asks here and passes nox the full path. Standard library only:
the noxfile imports it before any virtualenv exists.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

__all__ = ["find_python", "missing_message", "pyenv_root"]


def _resolve(path: str, version: str, env: Mapping[str, str]) -> str | None:
    """The real executable behind ``path`` when it runs and is ``version`` (a pyenv shim may only pretend)."""
    try:
        out = subprocess.run(
            [path, "-c", "import sys; print('%d.%d' % sys.version_info[:2], sys.executable)"],
            capture_output=True,
            text=True,
            timeout=30,
            env=dict(env),
        )
    except (OSError, subprocess.SubprocessError):
        return False
    reported, _, executable = out.stdout.strip().partition(" ")
    return executable if out.returncode == 0 and reported == version and executable else None


def pyenv_root(env: Mapping[str, str]) -> Path:
    """Where pyenv keeps its versions: ``$PYENV_ROOT``, else ``pyenv root``, else ``~/.pyenv``."""
    if env.get("PYENV_ROOT"):
        return Path(env["PYENV_ROOT"])
    pyenv = shutil.which("pyenv", path=env.get("PATH"))
    if pyenv:
        try:
            out = subprocess.run([pyenv, "root"], capture_output=True, text=True, timeout=30, env=dict(env))
            if out.returncode == 0 and out.stdout.strip():
                return Path(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    return Path(env.get("HOME", str(Path.home()))) / ".pyenv"


def _patch(path: str) -> tuple[int, ...]:
    match = re.search(r"/versions/(\d+)\.(\d+)\.(\d+)/", path)
    return tuple(int(g) for g in match.groups()) if match else (0,)


def _from_uv(version: str, env: Mapping[str, str]) -> str | None:
    uv = shutil.which("uv", path=env.get("PATH"))
    if not uv:
        return None
    command = [uv, "python", "find", "--managed-python", "--no-python-downloads", "--no-project", version]
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=60, env=dict(env))
    except (OSError, subprocess.SubprocessError):
        return None
    return (out.stdout.strip() or None) if out.returncode == 0 else None


def find_python(version: str, env: Mapping[str, str] | None = None) -> str | None:
    """The full path of a working ``python<version>`` (e.g. "3.12"), or None.

    Looks on PATH, then in pyenv's installed versions (newest patch first), then among uv's managed
    Pythons; never downloads one.
    """
    env = os.environ if env is None else env
    candidates: list[str | None] = [shutil.which(f"python{version}", path=env.get("PATH"))]
    pattern = str(pyenv_root(env) / "versions" / f"{version}.*" / "bin" / f"python{version}")
    candidates += sorted(glob.glob(pattern), key=_patch, reverse=True)
    for candidate in [*candidates, _from_uv(version, env)]:
        found = _resolve(candidate, version, env) if candidate else None
        if found:
            return found
    return None


def missing_message(version: str, env: Mapping[str, str] | None = None) -> str:
    """What to tell a user whose machine has no Python ``version``: where we looked and how to get it."""
    env = os.environ if env is None else env
    root = pyenv_root(env)
    return (
        f"Python {version} not found: looked for python{version} on PATH, in pyenv's versions "
        f"({root}/versions/{version}.*) and among uv's managed Pythons. Install it with "
        f"`pyenv install {version}` or `uv python install {version}` (or your system's package manager), "
        "then run nox again"
    )
