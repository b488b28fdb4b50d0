"""The noxfile finds interpreters the way a fresh machine has them, and says how to get a missing one."""

from __future__ import annotations

import importlib.util
import stat
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def find_python() -> ModuleType:
    spec = importlib.util.spec_from_file_location("find_python", ROOT / "tools" / "find_python.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_python(path: Path, version: str) -> Path:
    """An executable that answers the version probe the way ``python<version>`` would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho "{version} {path}"\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_finds_a_pyenv_version_that_is_not_on_path(find_python: ModuleType, tmp_path: Path) -> None:
    root = tmp_path / "pyenv"
    _fake_python(root / "versions" / "3.97.1" / "bin" / "python3.97", "3.97")
    newest = _fake_python(root / "versions" / "3.97.10" / "bin" / "python3.97", "3.97")
    env = {"PATH": str(tmp_path / "empty"), "PYENV_ROOT": str(root), "HOME": str(tmp_path)}
    assert find_python.find_python("3.97", env) == str(newest)


def test_a_shim_that_fails_is_skipped(find_python: ModuleType, tmp_path: Path) -> None:
    shim = tmp_path / "shims" / "python3.97"
    shim.parent.mkdir()
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.97: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    real = _fake_python(tmp_path / "pyenv" / "versions" / "3.97.2" / "bin" / "python3.97", "3.97")
    env = {"PATH": str(shim.parent), "PYENV_ROOT": str(tmp_path / "pyenv"), "HOME": str(tmp_path)}
    assert find_python.find_python("3.97", env) == str(real)


def test_the_running_interpreter_is_found_on_path(find_python: ModuleType) -> None:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    env = {"PATH": str(Path(sys.executable).parent), "PYENV_ROOT": "/nonexistent", "HOME": "/nonexistent"}
    found = find_python.find_python(version, env)
    assert found is not None
    assert Path(found).resolve() == Path(sys.executable).resolve()


def test_a_missing_version_says_which_and_how_to_get_it(find_python: ModuleType, tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv"), "HOME": str(tmp_path)}
    assert find_python.find_python("3.97", env) is None
    message = find_python.missing_message("3.97", env)
    assert message.startswith("Python 3.97 not found")
    assert f"{tmp_path}/pyenv/versions/3.97.*" in message
    assert "`pyenv install 3.97`" in message
    assert "`uv python install 3.97`" in message


def test_ci_runs_exactly_the_readme_command_with_nothing_exported() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    commands = [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == "nox"
    assert "nox                                  # the whole test suite (what CI runs)" in readme
    assert not any(c.startswith(("export ", "env ")) or "PYENV_VERSION" in c for c in commands)
