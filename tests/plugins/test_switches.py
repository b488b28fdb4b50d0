"""Switches: disable, allow-list, no plugins, trace hooks, default executor (env and config file)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from curator_core import PluginError, StageNotFoundError
from curator_core.plugins import HostOptions
from curator_core.plugins.host import configure_host, get_host
from curator_core.testing import FakeDistribution

AddPlugin = Callable[..., FakeDistribution]


def _statuses() -> dict[str, str]:
    # Only core and the fakes: plugins really installed in this environment are not the subject.
    return {p.plugin_id: p.status for p in get_host().plugins() if p.plugin_id in ("core", "one", "two")}


def test_disabled_plugin_is_listed_but_never_imported(
    add_stage_plugin: AddPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_stage_plugin("one")
    off = add_stage_plugin("two", stage_name="OtherCounter")
    monkeypatch.setenv("CURATOR_DISABLE_PLUGINS", "two, unrelated")
    assert _statuses() == {"core": "ok", "one": "ok", "two": "disabled"}
    assert off.manifest_module not in sys.modules
    with pytest.raises(StageNotFoundError, match="plugin 'two' .* is disabled"):
        get_host().resolve_stage("two:OtherCounter")


def test_allow_list_loads_only_the_listed_plugins_and_core(
    add_stage_plugin: AddPlugin, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_stage_plugin("one")
    add_stage_plugin("two", stage_name="OtherCounter")
    monkeypatch.setenv("CURATOR_ONLY_PLUGINS", "two")
    assert _statuses() == {"core": "ok", "one": "disabled", "two": "ok"}


def test_no_plugins_leaves_only_core(add_stage_plugin: AddPlugin, monkeypatch: pytest.MonkeyPatch) -> None:
    add_stage_plugin("one")
    monkeypatch.setenv("CURATOR_NO_PLUGINS", "true")
    assert _statuses() == {"core": "ok", "one": "disabled"}
    assert get_host().resolve_stage("FilePartitioningStage").__name__ == "FilePartitioningStage"


def test_trace_hooks_prints_every_hook_call(
    add_stage_plugin: AddPlugin, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add_stage_plugin("one")
    monkeypatch.setenv("CURATOR_TRACE_HOOKS", "1")
    host = get_host()
    host.hook.curator_run_started(plan=None, executor="local")
    err = capsys.readouterr().err
    assert "one.curator_stages()" in err
    assert "curator_run_started" in err


def test_flags_override_the_environment(add_stage_plugin: AddPlugin, monkeypatch: pytest.MonkeyPatch) -> None:
    add_stage_plugin("one")
    monkeypatch.setenv("CURATOR_DISABLE_PLUGINS", "one")
    configure_host(only_plugins=["one"], disable_plugins=[])
    assert _statuses()["one"] == "disabled"  # disabling adds up; the allow-list cannot undo it
    configure_host(HostOptions(), only_plugins=["one"])
    assert _statuses()["one"] == "ok"


def test_invalid_switch_value_is_an_error_naming_the_variable(
    curator_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CURATOR_NO_PLUGINS", "maybe")
    with pytest.raises(PluginError, match="CURATOR_NO_PLUGINS: expected 1/0"):
        get_host()


def test_default_executor_comes_from_env_then_config_file_then_local(
    curator_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert get_host().default_executor_name() == "local"
    config = tmp_path / "config.toml"
    config.write_text('executor = "xenna"\ndisable_plugins = ["video"]\n')
    monkeypatch.setenv("CURATOR_CONFIG", str(config))
    configure_host()
    assert get_host().default_executor_name() == "xenna"
    assert get_host().options.disable_plugins == {"video"}
    monkeypatch.setenv("CURATOR_EXECUTOR", "ray_data")
    configure_host()
    assert get_host().default_executor_name() == "ray_data"


def test_unknown_config_file_key_is_an_error(
    curator_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('executer = "xenna"\n')
    monkeypatch.setenv("CURATOR_CONFIG", str(config))
    with pytest.raises(PluginError, match="unknown setting.*executer"):
        configure_host()
