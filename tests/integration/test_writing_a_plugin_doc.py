"""docs/writing-a-plugin.md's worked example is a real plugin: built from the doc, installed, tested.

Every code block headed ``<!-- file: PATH -->`` in the doc is copied into a fresh project, which is
installed (without dependencies: they are this environment's) into a folder of its own and tested
with its own tests in a separate process, so nothing leaks into this environment.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("curator_text")

DOC = Path(__file__).resolve().parents[2] / "docs" / "writing-a-plugin.md"
BLOCK = re.compile(r"<!-- file: (?P<path>[^ ]+) -->\n```[a-z]*\n(?P<body>.*?)\n```", re.DOTALL)


def doc_files() -> dict[str, str]:
    return {match["path"]: match["body"] + "\n" for match in BLOCK.finditer(DOC.read_text())}


def _install(project: Path, site: Path) -> None:
    uv = shutil.which("uv")
    if uv:
        command = [uv, "pip", "install", "--python", sys.executable, "--no-deps", "--target", str(site)]
    else:
        command = [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(site)]
    done = subprocess.run([*command, str(project)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_doc_names_every_file_of_the_plugin() -> None:
    assert set(doc_files()) == {
        "pyproject.toml",
        "src/curator_wordlen/__about__.py",
        "src/curator_wordlen/__init__.py",
        "src/curator_wordlen/plugin.py",
        "src/curator_wordlen/stages.py",
        "tests/test_mean_word_length.py",
    }


def test_the_worked_example_installs_and_passes_its_own_tests(tmp_path: Path) -> None:
    project = tmp_path / "curator-wordlen"
    for name, body in doc_files().items():
        target = project / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body)
    site = tmp_path / "site"
    _install(project, site)
    assert (site / "curator_wordlen" / "stages.py").is_file()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])}
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout
    listed = subprocess.run(
        [sys.executable, "-m", "curator_core.cli", "plugins", "--stage", "MeanWordLength"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    assert "max_mean     float  default 10.0" in listed.stdout
