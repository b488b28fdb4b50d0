"""Fake distributions look installed while active and leave no trace afterwards."""

from __future__ import annotations

import sys
from pathlib import Path

import importlib_metadata
import pytest

from curator_core.plugins.host import get_host
from curator_core.testing import FakeDistributions, manifest_source


def test_fake_distribution_is_real_metadata_while_active(tmp_path: Path, curator_env: None) -> None:
    fakes = FakeDistributions(tmp_path)
    fakes.add("demo", version="2.1.0", requires=["numpy>=1"])
    with fakes:
        dist = importlib_metadata.distribution("curator-fake-demo")
        assert dist.version == "2.1.0"
        assert dist.requires == ["curator-core>=0.1,<1", "numpy>=1"]
        assert [ep.value for ep in dist.entry_points.select(group="curator.plugins")] == ["curator_fake_demo.plugin"]
    with pytest.raises(importlib_metadata.PackageNotFoundError):
        importlib_metadata.distribution("curator-fake-demo")


def test_leaving_removes_sites_modules_and_resets_the_host(tmp_path: Path, curator_env: None) -> None:
    fakes = FakeDistributions(tmp_path)
    fakes.add(
        "demo",
        stages=[{"name": "Demo", "target": "curator_fake_demo.stages:Demo"}],
        modules={"stages.py": "Demo = 1\n"},
    )
    with fakes:
        assert get_host().resolve_stage("Demo") == 1
        host = get_host()
        assert "curator_fake_demo.stages" in sys.modules
    assert not [s for s in sys.path if s.startswith(str(tmp_path))]
    assert fakes.imported() == []
    assert get_host() is not host
    assert "demo" not in [p.plugin_id for p in get_host().plugins()]


def test_manifest_source_builds_records_with_resources_and_capabilities() -> None:
    source = manifest_source(
        stages=[{"name": "S", "target": "a.b:S", "resources": {"cpus": 2.0}}],
        executors=[{"name": "e", "target": "a.b:E", "capabilities": {"gpus": True}}],
    )
    namespace: dict[str, object] = {}
    exec(compile(source, "<manifest>", "exec"), namespace)
    (stage,) = namespace["curator_stages"]()  # type: ignore[operator]
    (executor,) = namespace["curator_executors"]()  # type: ignore[operator]
    assert stage.resources.cpus == 2.0
    assert executor.capabilities.gpus is True
