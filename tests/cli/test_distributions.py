"""Each distribution stands alone (version, changelog) and the docs' install lines work as written."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECTS = [ROOT, *sorted(p.parent for p in ROOT.glob("plugins/*/pyproject.toml"))]


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name if p != ROOT else "core")
def test_version_and_changelog_belong_to_the_distribution(project: Path) -> None:
    meta = tomllib.loads((project / "pyproject.toml").read_text())
    name = meta["project"]["name"]
    assert meta["project"]["dynamic"] == ["version"]
    about = project / meta["tool"]["hatch"]["version"]["path"]
    assert about.is_file() and project in about.parents
    version = re.search(r'__version__ = "([^"]+)"', about.read_text())
    assert version is not None
    changelog = (project / "CHANGELOG.md").read_text()
    assert changelog.startswith(f"# {name} changelog\n")
    released = re.findall(r"^## (\d+\.\d+\.\d+\S*) - \d{4}-\d{2}-\d{2}$", changelog, re.MULTILINE)
    assert released and released[0] == version.group(1), "the newest released heading is the version shipped"


@pytest.mark.parametrize("readme", sorted(ROOT.glob("plugins/*/README.md")), ids=lambda p: p.parent.name)
def test_plugin_install_line_names_paths_that_exist(readme: Path) -> None:
    line = next(line for line in readme.read_text().splitlines() if line.startswith("Install"))
    assert "(from the repository root)" in line
    command = re.search(r"`pip install ([^`]+)`", line)
    assert command is not None
    targets = command.group(1).split()
    assert targets[0] == "."
    assert f"./plugins/{readme.parent.name}" in targets
    for target in targets:
        assert (ROOT / target.split("[")[0] / "pyproject.toml").is_file(), target


def test_readme_points_only_inside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "../" not in readme
    for link in re.findall(r"\]\(([^)#]+)\)", readme):
        if not link.startswith("http"):
            assert (ROOT / link).exists(), link
    assert "pip install ./ ./plugins/curator-text" in readme
    assert "| `nox -s build` |" in readme
