"""Every developer task: tests per distribution, integration, lint, types, demo, build, benchmarks.

Plugins are discovered from ``plugins/*/pyproject.toml``: each gets a ``tests`` session in its own
virtualenv holding only curator-core, that plugin and its ``test`` extra, on the Python its
``requires-python`` asks for. Interpreters are found by ``tools/find_python.py`` (PATH, pyenv's
installed versions, uv's managed Pythons) and passed to nox by full path, so a bare ``nox`` works
with nothing exported; a session whose Python is truly missing fails saying which and how to get it.
"""

from __future__ import annotations

import functools
import os
import pathlib
import re
import shutil
import sys
from collections.abc import Callable
from typing import Any

import nox

ROOT = pathlib.Path(__file__).parent
sys.path.insert(0, str(ROOT / "tools"))

from find_python import find_python, missing_message  # noqa: E402

PLUGINS = sorted(p.parent for p in ROOT.glob("plugins/*/pyproject.toml"))
EXAMPLE_PLUGINS = sorted(p.parent for p in ROOT.glob("examples/*/pyproject.toml"))

nox.options.default_venv_backend = "uv|virtualenv"
# uv installs without compiling bytecode (pip compiles by default). Where PYTHONDONTWRITEBYTECODE is
# set, every process then compiles Ray, pandas and pyarrow from source on import: each Ray worker
# started seconds later, which made Ray suites and benchmarks several times slower.
os.environ.setdefault("UV_COMPILE_BYTECODE", "1")
nox.options.sessions = ["lint", "typecheck", "tests", "integration"]
nox.options.error_on_missing_interpreters = True


@functools.cache
def _interpreter(version: str) -> str | None:
    return find_python(version)


def _python_for(project: pathlib.Path) -> str:
    text = (project / "pyproject.toml").read_text()
    match = re.search(r'requires-python\s*=\s*">=\s*3\.(\d+)', text)
    minor = int(match.group(1)) if match else 11
    return f"3.{max(minor, 11)}"


def _session(version: str, **kwargs: Any) -> Callable[[Callable[..., None]], Any]:
    """``@nox.session`` on the full path of Python ``version``; without one, a session that says what to do."""

    def decorate(func: Callable[..., None]) -> Any:
        path = _interpreter(version)
        if path is not None:
            return nox.session(python=path, **kwargs)(func)

        @functools.wraps(func)
        def missing(session: nox.Session, *args: Any, **kw: Any) -> None:
            session.error(missing_message(version))

        return nox.session(python=False, **kwargs)(missing)

    return decorate


def _params() -> list[Any]:
    params = [nox.param(_interpreter("3.11") or False, ".", "3.11", id="core")]
    for plugin in PLUGINS:
        name = plugin.name.removeprefix("curator-")
        version = _python_for(plugin)
        params.append(nox.param(_interpreter(version) or False, str(plugin.relative_to(ROOT)), version, id=name))
    return params


@nox.session
@nox.parametrize("python,project,version", _params())
def tests(session: nox.Session, project: str, version: str) -> None:
    """One distribution's tests, with only curator-core and that distribution installed."""
    if session.python is False:
        session.error(missing_message(version))
    if project == ".":
        session.install("-e", ".[test]")
        session.run("pytest", "tests", "--ignore=tests/integration", *session.posargs)
        return
    session.install("-e", ".", "-e", f"{project}[test]")
    session.run("pytest", f"{project}/tests", *session.posargs)


@_session("3.12")
def integration(session: nox.Session) -> None:
    """Everything installed together: cross-plugin behaviour, every executor, example plugins."""
    session.install("-e", ".[test]", *[f"-e{p}[test]" for p in PLUGINS], *[f"-e{p}[test]" for p in EXAMPLE_PLUGINS])
    session.run("pytest", "tests/integration", *[f"{p}/tests" for p in EXAMPLE_PLUGINS], *session.posargs)


@_session("3.11")
def lint(session: nox.Session) -> None:
    """ruff over the whole repository."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")


@_session("3.11")
def typecheck(session: nox.Session) -> None:
    """mypy, strict on curator_core."""
    session.install("mypy>=1.10", "-e", ".[test]", "types-PyYAML")
    session.run("mypy", "curator_core")


@_session("3.11")
def demo(session: nox.Session) -> None:
    """The README's main job: the text-quality pipeline on a generated corpus, local executor."""
    session.install("-e", ".", "-e", "plugins/curator-text")
    session.run("python", "examples/text/run_demo.py", *session.posargs)


@_session("3.12")
def build(session: nox.Session) -> None:
    """A wheel and an sdist of every distribution into dist/, checked with ``twine check``."""
    session.install("build>=1.2", "twine>=5")
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    for project in [ROOT, *PLUGINS]:
        session.run("python", "-m", "build", "--sdist", "--wheel", "--outdir", str(dist), str(project))
    session.run("twine", "check", "--strict", *sorted(str(p) for p in dist.iterdir()))


@_session("3.12")
def bench(session: nox.Session) -> None:
    """Every benchmark in benchmarks/ with everything installed; prints figures, asserts none."""
    session.install("-e", ".[test]", *[f"-e{p}[test]" for p in PLUGINS], "psutil")
    scripts = sorted(ROOT.glob("benchmarks/bench_*.py"))
    selected = [s for s in scripts if not session.posargs or any(a in s.name for a in session.posargs)]
    for script in selected:
        session.run("python", str(script.relative_to(ROOT)))


@_session("3.12")
def compare(session: nox.Session) -> None:
    """Curator, NeMo Curator 1.4.0 and datatrove 0.10.1 side by side on bench_text's workload.

    NeMo Curator and datatrove are installed into virtualenvs of their own under .venvs/ (built once,
    by benchmarks/external_envs.py); sizes come from CURATOR_BENCH_TEXT_FILES / _DOCS.
    """
    session.install("-e", ".[test]", *[f"-e{p}[test]" for p in PLUGINS], "psutil")
    session.run("python", "benchmarks/bench_compare.py", *session.posargs)


if __name__ == "__main__":
    sys.exit("run with nox")
