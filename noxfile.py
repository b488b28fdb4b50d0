"""Every developer task: tests per distribution, integration, lint, types, demo, benchmarks.

Plugins are discovered from ``plugins/*/pyproject.toml``: each gets a ``tests`` session in its own
virtualenv holding only curator-core, that plugin and its ``test`` extra, on the Python its
``requires-python`` asks for.
"""

from __future__ import annotations

import pathlib
import re
import sys

import nox

ROOT = pathlib.Path(__file__).parent
PLUGINS = sorted(p.parent for p in ROOT.glob("plugins/*/pyproject.toml"))
EXAMPLE_PLUGINS = sorted(p.parent for p in ROOT.glob("examples/*/pyproject.toml"))

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "typecheck", "tests", "integration"]
nox.options.error_on_missing_interpreters = True


def _python_for(project: pathlib.Path) -> str:
    text = (project / "pyproject.toml").read_text()
    match = re.search(r'requires-python\s*=\s*">=\s*3\.(\d+)', text)
    minor = int(match.group(1)) if match else 11
    return f"3.{max(minor, 11)}"


def _params() -> list[nox.param]:
    params = [nox.param("3.11", ".", id="core")]
    for plugin in PLUGINS:
        name = plugin.name.removeprefix("curator-")
        params.append(nox.param(_python_for(plugin), str(plugin.relative_to(ROOT)), id=name))
    return params


@nox.session
@nox.parametrize("python,project", _params())
def tests(session: nox.Session, project: str) -> None:
    """One distribution's tests, with only curator-core and that distribution installed."""
    if project == ".":
        session.install("-e", ".[test]")
        session.run("pytest", "tests", "--ignore=tests/integration", *session.posargs)
        return
    session.install("-e", ".", "-e", f"{project}[test]")
    session.run("pytest", f"{project}/tests", *session.posargs)


@nox.session(python="3.12")
def integration(session: nox.Session) -> None:
    """Everything installed together: cross-plugin behaviour, every executor, example plugins."""
    session.install("-e", ".[test]", *[f"-e{p}[test]" for p in PLUGINS], *[f"-e{p}[test]" for p in EXAMPLE_PLUGINS])
    session.run("pytest", "tests/integration", *[f"{p}/tests" for p in EXAMPLE_PLUGINS], *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff over the whole repository."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")


@nox.session(python="3.11")
def typecheck(session: nox.Session) -> None:
    """mypy, strict on curator_core."""
    session.install("mypy>=1.10", "-e", ".[test]", "types-PyYAML")
    session.run("mypy", "curator_core")


@nox.session(python="3.11")
def demo(session: nox.Session) -> None:
    """The README's main job: the text-quality pipeline on a generated corpus, local executor."""
    session.install("-e", ".", "-e", "plugins/curator-text")
    session.run("python", "examples/text/run_demo.py", *session.posargs)


@nox.session(python="3.12")
def bench(session: nox.Session) -> None:
    """Every benchmark in benchmarks/ with everything installed; prints figures, asserts none."""
    session.install("-e", ".[test]", *[f"-e{p}[test]" for p in PLUGINS], "psutil")
    scripts = sorted(ROOT.glob("benchmarks/bench_*.py"))
    selected = [s for s in scripts if not session.posargs or any(a in s.name for a in session.posargs)]
    for script in selected:
        session.run("python", str(script.relative_to(ROOT)))


if __name__ == "__main__":
    sys.exit("run with nox")
