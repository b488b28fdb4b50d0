"""With every plugin of this repository installed: a healthy, light, fully resolvable set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from curator_core.executors.base import BaseExecutor
from curator_core.plugins.host import get_host
from curator_core.testing.executor_suite import canonical_pipeline, output_signature

FIRST_PARTY = {"core", "text", "video", "audio", "raydata", "xenna"}
HEAVY = ("ray", "cosmos_xenna", "torch", "av", "soundfile", "pyarrow")


def curator(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "curator_core.cli", *args], capture_output=True, text=True)


def test_every_first_party_plugin_is_installed_and_healthy() -> None:
    result = curator("plugins", "--json", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    plugins = {p["id"]: p for p in json.loads(result.stdout)["plugins"]}
    assert set(plugins) >= FIRST_PARTY
    assert {plugins[p]["status"] for p in FIRST_PARTY} == {"ok"}


def test_listing_plugins_imports_no_stage_module_and_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from curator_core.cli import main\n"
        "try:\n    main(['plugins', '--stages'])\nexcept SystemExit:\n    pass\n"
        "mods = [m for m in sys.modules if m.startswith('curator_') and m.split('.')[0] != 'curator_core']\n"
        "extra = [m for m in mods if m.count('.') > 0 and not m.endswith(('.plugin', '.__about__'))]\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(repr((sorted(extra), heavy)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "([], [])"


def test_every_registered_stage_and_executor_resolves() -> None:
    host = get_host()
    for provider in host.providers("stage"):
        assert callable(host.resolve_stage(f"{provider.plugin.plugin_id}:{provider.spec.name}")), provider
    for provider in host.providers("executor"):
        assert issubclass(host.resolve_executor(provider.spec.name), BaseExecutor), provider


@pytest.mark.slow
def test_canonical_pipeline_is_identical_on_every_installed_executor(ray_cluster: str, tmp_path: Path) -> None:
    host = get_host()
    results = {}
    for provider in host.providers("executor"):
        name = provider.spec.name
        directory = tmp_path / name
        directory.mkdir()
        results[name] = output_signature(canonical_pipeline(str(directory)).run(name))
    assert {"local", "ray_data", "ray_actor_pool", "xenna"} <= set(results)
    reference = results.pop("local")
    for name, signature in results.items():
        assert signature == reference, f"{name} differs from the local executor"
