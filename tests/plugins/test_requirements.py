"""``requires_plugins``: one error listing every missing, mismatched or unusable plugin."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from curator_core import MissingPluginError
from curator_core.plugins.host import get_host
from curator_core.testing import FakeDistribution, FakeDistributions

AddPlugin = Callable[..., FakeDistribution]


def test_met_requirements_by_id_or_distribution_pass(add_stage_plugin: AddPlugin) -> None:
    add_stage_plugin("counter", version="1.4.0")
    get_host().check_requirements(
        ["counter", "counter>=1.2", "curator-fake-counter>=1,<2", "core", "curator-core>=0.1"]
    )


def test_every_unmet_requirement_is_listed_at_once(
    fake_plugins: FakeDistributions, add_stage_plugin: AddPlugin
) -> None:
    add_stage_plugin("counter", version="1.4.0")
    fake_plugins.add("broken", manifest="raise RuntimeError('x')\n")
    with pytest.warns(UserWarning, match="broken"), pytest.raises(MissingPluginError) as caught:
        get_host().check_requirements(["counter>=2", "curator-text>=0.1", "broken", "counter"])
    message = str(caught.value)
    assert "counter>=2: curator-fake-counter 1.4.0 is installed" in message
    assert "curator-text>=0.1: no such plugin is installed (pip install curator-text)" in message
    assert "broken: plugin 'broken' (curator-fake-broken 1.0.0) is broken" in message
    assert "  - counter\n" not in message + "\n"


def test_disabled_plugin_does_not_meet_a_requirement(
    add_stage_plugin: AddPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_stage_plugin("counter")
    monkeypatch.setenv("CURATOR_DISABLE_PLUGINS", "counter")
    with pytest.raises(MissingPluginError, match="counter: plugin 'counter' .* is disabled"):
        get_host().check_requirements(["counter"])
