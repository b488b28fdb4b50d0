"""The plugin host's rules: broken and incompatible plugins, conflicts, qualifiers, lazy loading."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable

import pytest

from curator_core import (
    ExecutorNotFoundError,
    PluginConflictError,
    PluginLoadError,
    StageNotFoundError,
)
from curator_core.plugins import PluginWarning
from curator_core.plugins.host import get_host
from curator_core.testing import FakeDistribution, FakeDistributions

AddPlugin = Callable[..., FakeDistribution]


def _status(plugin_id: str) -> str:
    return {p.plugin_id: p.status for p in get_host().plugins()}[plugin_id]


def test_broken_plugin_does_not_hide_others(fake_plugins: FakeDistributions, add_stage_plugin: AddPlugin) -> None:
    add_stage_plugin("good")
    fake_plugins.add("bad", version="2.5.0", manifest="import module_that_does_not_exist\n")
    with pytest.warns(PluginWarning) as record:
        stage = get_host().resolve_stage("LineCounter")
    assert stage.__name__ == "LineCounter"
    message = str(record[0].message)
    assert "'bad = curator_fake_bad.plugin'" in message
    assert "curator-fake-bad 2.5.0" in message
    assert "ModuleNotFoundError" in message and "module_that_does_not_exist" in message
    assert _status("bad") == "broken"


@pytest.mark.parametrize(
    ("records", "problem"),
    [
        ([{"name": "9lives", "target": "pkg.mod:Cls"}], "not a valid name"),
        ([{"name": "Ok", "target": "pkg/mod.py"}], "is not a 'package.module:attribute' string"),
        ([{"name": "Ok", "target": "a:B"}, {"name": "Ok", "target": "a:C"}], "registered twice"),
    ],
)
def test_malformed_records_are_reported_and_skipped(
    fake_plugins: FakeDistributions, records: list[dict[str, str]], problem: str
) -> None:
    fake_plugins.add("malformed", stages=records)
    with pytest.warns(PluginWarning, match=problem):
        assert _status("malformed") == "broken"
    assert get_host().resolve_executor("local").__name__ == "LocalExecutor"


def test_registration_hook_returning_the_wrong_type_is_reported(fake_plugins: FakeDistributions) -> None:
    manifest = "from curator_core.plugins import hookimpl\n@hookimpl\ndef curator_stages():\n    return ['JustAName']\n"
    fake_plugins.add("wrongtype", manifest=manifest)
    with pytest.warns(PluginWarning, match="not a StageSpec"):
        assert _status("wrongtype") == "broken"


def test_registration_hook_that_raises_is_reported(fake_plugins: FakeDistributions) -> None:
    manifest = (
        "from curator_core.plugins import hookimpl\n@hookimpl\ndef curator_executors():\n    raise KeyError('x')\n"
    )
    fake_plugins.add("raiser", manifest=manifest)
    with pytest.warns(PluginWarning, match=r"curator_executors\(\) raised KeyError"):
        assert _status("raiser") == "broken"


def test_strict_switch_turns_a_broken_plugin_into_an_error(
    fake_plugins: FakeDistributions, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_plugins.add("bad", manifest="raise ValueError('nope')\n")
    monkeypatch.setenv("CURATOR_STRICT_PLUGINS", "1")
    with pytest.raises(PluginLoadError, match="'bad = curator_fake_bad.plugin'.*ValueError: nope"):
        get_host().resolve_stage("FilePartitioningStage")
    with pytest.raises(PluginLoadError):  # and it stays an error for the process
        get_host().plugins()


def test_unknown_hook_makes_a_plugin_incompatible_not_a_crash(fake_plugins: FakeDistributions) -> None:
    manifest = (
        "from curator_core.plugins import hookimpl, StageSpec\n"
        "@hookimpl\ndef curator_stages():\n    return [StageSpec(name='Later', target='x.y:Z')]\n"
        "@hookimpl\ndef curator_dataset_opened(dataset):\n    pass\n"
    )
    fake_plugins.add("newer", manifest=manifest)
    with pytest.warns(PluginWarning, match="curator_dataset_opened that curator-core 0.1.0 does not know"):
        assert _status("newer") == "incompatible"
    with pytest.raises(StageNotFoundError):
        get_host().resolve_stage("Later")


def test_optional_unknown_hook_is_accepted(fake_plugins: FakeDistributions) -> None:
    manifest = (
        "from curator_core.plugins import hookimpl\n"
        "@hookimpl(optionalhook=True)\ndef curator_dataset_opened(dataset):\n    pass\n"
    )
    fake_plugins.add("polite", manifest=manifest)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _status("polite") == "ok"


def test_known_hook_with_an_unknown_argument_is_incompatible(fake_plugins: FakeDistributions) -> None:
    manifest = (
        "from curator_core.plugins import hookimpl\n"
        "@hookimpl\ndef curator_run_started(plan, executor, budget):\n    pass\n"
    )
    fake_plugins.add("argful", manifest=manifest)
    with pytest.warns(PluginWarning, match="invalid hook implementation"):
        assert _status("argful") == "incompatible"


@pytest.mark.parametrize("order", [("alpha", "omega"), ("omega", "alpha")])
def test_name_conflict_lists_every_provider_whatever_the_install_order(
    add_stage_plugin: AddPlugin, order: tuple[str, str]
) -> None:
    for position, plugin_id in enumerate(order):
        add_stage_plugin(plugin_id, version=f"{position + 1}.0.0", site=f"site-{position}")
    with pytest.raises(PluginConflictError) as caught:
        get_host().resolve_stage("LineCounter")
    message = str(caught.value)
    versions = {order[0]: "1.0.0", order[1]: "2.0.0"}
    expected = (
        f"alpha:LineCounter from curator-fake-alpha {versions['alpha']}; "
        f"omega:LineCounter from curator-fake-omega {versions['omega']}"
    )
    assert expected in message
    assert "'alpha:LineCounter' or 'omega:LineCounter'" in message


def test_qualified_name_picks_one_provider_of_a_conflicting_name(add_stage_plugin: AddPlugin) -> None:
    add_stage_plugin("alpha")
    add_stage_plugin("omega")
    host = get_host()
    assert host.resolve_stage("omega:LineCounter").__module__ == "curator_fake_omega.stages"
    assert host.resolve_stage("alpha:LineCounter").__module__ == "curator_fake_alpha.stages"


def test_core_names_cannot_be_shadowed(fake_plugins: FakeDistributions) -> None:
    fake_plugins.add("usurper", executors=[{"name": "local", "target": "curator_fake_usurper.ex:Local"}])
    with pytest.warns(PluginWarning, match="executor 'local' is core's and cannot be shadowed"):
        executor = get_host().resolve_executor("local")
    assert executor.__module__ == "curator_core.executors.local.executor"
    assert "usurper:local" in [c.providers[1].qualified_name for c in get_host().conflicts()]


def test_one_plugin_id_from_two_distributions_is_a_conflict(fake_plugins: FakeDistributions) -> None:
    fake_plugins.add("same", distribution="curator-one")
    fake_plugins.add("same", distribution="curator-two")
    with pytest.warns(PluginWarning, match="claimed by several distributions: curator-one 1.0.0, curator-two 1.0.0"):
        statuses = [p.status for p in get_host().plugins() if p.plugin_id == "same"]
    assert statuses == ["conflict", "conflict"]


def test_manifest_loads_on_first_need_and_only_once(fake_plugins: FakeDistributions) -> None:
    manifest = (
        "from curator_core.plugins import hookimpl, StageSpec\nCALLS = []\n"
        "@hookimpl\ndef curator_stages():\n"
        "    CALLS.append(1)\n"
        "    return [StageSpec(name='Counted', target='curator_fake_counted.stages:Counted')]\n"
    )
    fake = fake_plugins.add("counted", manifest=manifest, modules={"stages.py": "Counted = object\n"})
    host = get_host()
    assert not host.loaded and fake.manifest_module not in sys.modules
    host.resolve_stage("Counted")
    host.resolve_stage("counted:Counted")
    host.plugins()
    assert sys.modules[fake.manifest_module].CALLS == [1]


def test_stage_module_is_imported_only_when_its_name_resolves(add_stage_plugin: AddPlugin) -> None:
    add_stage_plugin("lazy")
    host = get_host()
    host.plugins()
    assert "curator_fake_lazy.plugin" in sys.modules
    assert "curator_fake_lazy.stages" not in sys.modules
    host.resolve_stage("LineCounter")
    assert "curator_fake_lazy.stages" in sys.modules


def test_unknown_stage_lists_installed_plugins_and_the_distribution_to_install(add_stage_plugin: AddPlugin) -> None:
    add_stage_plugin("counter")
    with pytest.raises(StageNotFoundError) as caught:
        get_host().resolve_stage("JsonlReader")
    message = str(caught.value)
    assert "pip install curator-text" in message
    assert "core (curator-core 0.1.0)" in message and "counter (curator-fake-counter 1.0.0)" in message
    assert isinstance(caught.value, LookupError)


def test_unknown_executor_names_the_distribution_to_install(curator_env: None) -> None:
    with pytest.raises(ExecutorNotFoundError, match="pip install curator-executor-raydata"):
        get_host().resolve_executor("ray_actor_pool")


def test_misspelt_stage_name_suggests_the_close_one(add_stage_plugin: AddPlugin) -> None:
    add_stage_plugin("counter")
    with pytest.raises(StageNotFoundError, match="Did you mean 'LineCounter'"):
        get_host().resolve_stage("LineCountr")


def test_a_name_from_a_known_but_broken_distribution_says_it_is_broken(fake_plugins: FakeDistributions) -> None:
    fake_plugins.add("text", distribution="curator-text", manifest="raise ImportError('pyarrow missing')\n")
    with (
        pytest.warns(PluginWarning),
        pytest.raises(StageNotFoundError, match="curator-text, which is installed but broken"),
    ):
        get_host().resolve_stage("JsonlReader")


def test_stage_whose_module_fails_to_import_names_its_plugin(fake_plugins: FakeDistributions) -> None:
    fake_plugins.add(
        "heavy",
        stages=[{"name": "Heavy", "target": "curator_fake_heavy.stages:Heavy"}],
        modules={"stages.py": "import torch_that_is_not_installed\n"},
    )
    with pytest.raises(PluginLoadError, match=r"stage 'Heavy' of plugin 'heavy' \(curator-fake-heavy 1.0.0\)"):
        get_host().resolve_stage("Heavy")


def test_qualifier_naming_a_missing_plugin_lists_the_installed_ones(curator_env: None) -> None:
    with pytest.raises(
        StageNotFoundError, match=r"no plugin 'ghost' is installed. Installed plugins: .*core \(curator-core"
    ):
        get_host().resolve_stage("ghost:Thing")


@pytest.mark.parametrize(
    ("kind", "name", "distribution"),
    [
        ("stage", "ScoreFilter", "curator-text"),
        ("stage", "VideoReader", "curator-video"),
        ("stage", "ClipWriterStage", "curator-video"),
        ("stage", "ManifestReader", "curator-audio"),
        ("stage", "InferenceAsrStage", "curator-audio"),
        ("executor", "xenna", "curator-executor-xenna"),
        ("executor", "ray_data", "curator-executor-raydata"),
        ("stage", "SomethingElse", None),
    ],
)
def test_well_known_names_map_to_their_distribution(kind: str, name: str, distribution: str | None) -> None:
    from curator_core.plugins.known import distribution_for

    assert distribution_for(kind, name) == distribution


def test_manifest_calling_sys_exit_is_reported_not_fatal(fake_plugins: FakeDistributions) -> None:
    fake_plugins.add("quitter", manifest="import sys\nsys.exit(3)\n")
    with pytest.warns(PluginWarning, match="SystemExit: 3"):
        assert _status("quitter") == "broken"


def test_hook_function_without_the_marker_is_noted(fake_plugins: FakeDistributions) -> None:
    manifest = (
        "from curator_core.plugins import StageSpec\n"
        "def curator_stages():\n    return [StageSpec(name='X', target='a:X')]\n"
    )
    fake_plugins.add("forgetful", manifest=manifest)
    (info,) = [p for p in get_host().plugins() if p.plugin_id == "forgetful"]
    assert (info.status, info.stages) == ("ok", ())
    assert info.problems == ("curator_stages not marked @hookimpl: ignored",)
