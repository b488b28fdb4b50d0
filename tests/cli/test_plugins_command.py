"""``curator plugins``: the table, ``--json`` (snapshot of schema 1), ``--check`` exit codes, no imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

from curator_core.testing import FakeDistribution, FakeDistributions

from cli_helpers import run_cli

AddPlugin = Callable[..., FakeDistribution]


def _only(report: dict, ids: set[str]) -> dict:
    """The report restricted to core and the fakes (real plugins installed here are not the subject)."""
    report = dict(report)
    report["plugins"] = [{**p, "location": "<location>"} for p in report["plugins"] if p["id"] in ids]
    report["stages"] = [s for s in report["stages"] if s["plugin"] in ids]
    report["executors"] = [e for e in report["executors"] if e["plugin"] in ids]
    return report


def test_json_report_matches_the_documented_schema(
    fake_plugins: FakeDistributions, add_stage_plugin: AddPlugin
) -> None:
    add_stage_plugin("counter", version="1.2.0")
    add_stage_plugin("twin", stage_name="LineCounter")
    fake_plugins.add("old", requires_core=">=5")
    code, out, _ = run_cli("plugins", "--json")
    assert code == 0
    report = _only(json.loads(out), {"core", "counter", "twin", "old"})
    counter_stage = {
        "name": "LineCounter",
        "input_type": "FileGroupTask",
        "output_type": "FileGroupTask",
        "summary": "count lines",
        "resources": {"cpus": 1.0, "gpu_memory_gb": 0.0, "gpus": 0.0, "entire_gpu": False, "nvdecs": 0, "nvencs": 0},
    }
    assert report == {
        "schema_version": 1,
        "core_version": "0.1.0",
        "switches": {
            "no_plugins": False,
            "disable_plugins": [],
            "only_plugins": None,
            "strict_plugins": False,
            "trace_hooks": False,
        },
        "ok": False,
        "plugins": [
            {
                "id": "core",
                "distribution": "curator-core",
                "version": "0.1.0",
                "module": "curator_core.plugins.builtin",
                "status": "ok",
                "problems": [],
                "stages": ["FilePartitioningStage"],
                "executors": ["local"],
                "location": "<location>",
            },
            {
                "id": "counter",
                "distribution": "curator-fake-counter",
                "version": "1.2.0",
                "module": "curator_fake_counter.plugin",
                "status": "ok",
                "problems": [],
                "stages": ["LineCounter"],
                "executors": [],
                "location": "<location>",
            },
            {
                "id": "old",
                "distribution": "curator-fake-old",
                "version": "1.0.0",
                "module": "curator_fake_old.plugin",
                "status": "incompatible",
                "problems": ["requires curator-core>=5, but curator-core 0.1.0 is installed"],
                "stages": [],
                "executors": [],
                "location": "<location>",
            },
            {
                "id": "twin",
                "distribution": "curator-fake-twin",
                "version": "1.0.0",
                "module": "curator_fake_twin.plugin",
                "status": "ok",
                "problems": [],
                "stages": ["LineCounter"],
                "executors": [],
                "location": "<location>",
            },
        ],
        "stages": [
            {
                "name": "FilePartitioningStage",
                "qualified_name": "core:FilePartitioningStage",
                "plugin": "core",
                "distribution": "curator-core",
                "version": "0.1.0",
                "target": "curator_core.stages.file_partitioning:FilePartitioningStage",
                "summary": "List files (paths, directories, globs) and group them into FileGroupTasks",
                "input_type": "EmptyTask",
                "output_type": "FileGroupTask",
                "resources": counter_stage["resources"],
            },
            {
                **counter_stage,
                "qualified_name": "counter:LineCounter",
                "plugin": "counter",
                "distribution": "curator-fake-counter",
                "version": "1.2.0",
                "target": "curator_fake_counter.stages:LineCounter",
            },
            {
                **counter_stage,
                "qualified_name": "twin:LineCounter",
                "plugin": "twin",
                "distribution": "curator-fake-twin",
                "version": "1.0.0",
                "target": "curator_fake_twin.stages:LineCounter",
            },
        ],
        "executors": [
            {
                "name": "local",
                "qualified_name": "core:local",
                "plugin": "core",
                "distribution": "curator-core",
                "version": "0.1.0",
                "target": "curator_core.executors.local:LocalExecutor",
                "summary": "Worker processes on this machine, streaming through bounded queues (the default)",
                "capabilities": {"gpus": True, "multi_node": False, "streaming": True, "autoscaling": False},
            }
        ],
        "conflicts": [
            {
                "kind": "stage",
                "name": "LineCounter",
                "shadows_core": False,
                "providers": [
                    {"plugin": "counter", "distribution": "curator-fake-counter", "version": "1.2.0"},
                    {"plugin": "twin", "distribution": "curator-fake-twin", "version": "1.0.0"},
                ],
            }
        ],
    }


CHECK_CASES = {
    "clean": ([], 0, ""),
    "broken": (
        [("bad", {"manifest": "raise RuntimeError('boom')\n"})],
        1,
        "curator plugins --check: 1 problem(s)\n"
        "  - plugin 'bad' (curator-fake-bad 1.0.0) is broken: "
        "importing 'curator_fake_bad.plugin' failed: RuntimeError: boom\n",
    ),
    "incompatible": (
        [("old", {"requires_core": "<0.1"})],
        1,
        "curator plugins --check: 1 problem(s)\n"
        "  - plugin 'old' (curator-fake-old 1.0.0) is incompatible: "
        "requires curator-core<0.1, but curator-core 0.1.0 is installed\n",
    ),
    "conflict": (
        [
            ("left", {"stages": [{"name": "Same", "target": "a.b:C"}]}),
            ("right", {"stages": [{"name": "Same", "target": "d.e:F"}]}),
        ],
        1,
        "curator plugins --check: 1 problem(s)\n"
        "  - stage 'Same' is provided by several plugins: "
        "left:Same from curator-fake-left 1.0.0; right:Same from curator-fake-right 1.0.0\n",
    ),
}


@pytest.mark.parametrize("case", sorted(CHECK_CASES))
def test_check_exit_code_and_message(fake_plugins: FakeDistributions, case: str) -> None:
    plugins, expected_code, expected_err = CHECK_CASES[case]
    for plugin_id, kwargs in plugins:
        fake_plugins.add(plugin_id, **kwargs)
    only = [arg for plugin_id, _ in plugins for arg in ("--only-plugin", plugin_id)] or ["--no-plugins"]
    code, out, err = run_cli("plugins", "--check", *only)
    assert (code, err) == (expected_code, expected_err)
    if expected_code == 0:
        assert out.endswith("curator plugins --check: all plugins ok\n")


def test_check_ignores_a_disabled_broken_plugin(fake_plugins: FakeDistributions) -> None:
    fake_plugins.add("bad", manifest="raise RuntimeError('boom')\n")
    code, out, _ = run_cli("plugins", "--check", "--disable-plugin", "bad", "--only-plugin", "bad")
    assert code == 0
    assert "disabled" in out


def test_table_is_sorted_and_shows_status_and_what_each_plugin_provides(
    fake_plugins: FakeDistributions, add_stage_plugin: AddPlugin
) -> None:
    add_stage_plugin("zeta")
    fake_plugins.add("alpha", manifest="raise RuntimeError('boom')\n")
    code, out, err = run_cli("plugins", "--only-plugin", "zeta", "--only-plugin", "alpha")
    assert code == 0 and err == ""  # problems are in the table, not repeated as warnings
    rows = [line.split()[:4] for line in out.splitlines()[1:] if line.split()[0] in ("alpha", "core", "zeta")]
    assert rows == [
        ["alpha", "curator-fake-alpha", "1.0.0", "broken"],
        ["core", "curator-core", "0.1.0", "ok"],
        ["zeta", "curator-fake-zeta", "1.0.0", "ok"],
    ]
    assert "1 stage(s): LineCounter" in out
    assert "RuntimeError: boom" in out


def test_stages_and_executors_views(add_stage_plugin: AddPlugin) -> None:
    add_stage_plugin("counter")
    _, stages, _ = run_cli("plugins", "--stages")
    assert any(
        line.split()[:5] == ["LineCounter", "counter", "FileGroupTask", "->", "FileGroupTask"]
        for line in stages.splitlines()
    )
    _, executors, _ = run_cli("plugins", "--executors")
    assert any(line.split()[:3] == ["local", "core", "gpus,"] for line in executors.splitlines())


def test_listing_plugins_imports_no_stage_module(fake_plugins: FakeDistributions, add_stage_plugin: AddPlugin) -> None:
    add_stage_plugin("one")
    add_stage_plugin("two", stage_name="Another")
    for args in (["plugins"], ["plugins", "--json"], ["plugins", "--stages"], ["plugins", "--check"]):
        assert run_cli(*args)[0] in (0, 1)
        assert fake_plugins.imported() == [
            "curator_fake_one",
            "curator_fake_one.plugin",
            "curator_fake_two",
            "curator_fake_two.plugin",
        ]


def test_console_command_in_a_fresh_process_imports_no_plugin_code_or_engine(
    fake_plugins: FakeDistributions, add_stage_plugin: AddPlugin
) -> None:
    add_stage_plugin("one")
    code = (
        "import io, json, sys; from curator_core.cli import main; "
        "rc = main(['plugins', '--json'], stdout=io.StringIO()); "
        "print(json.dumps([rc, sorted(sys.modules)]))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(s) for s in fake_plugins.sites] + sys.path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    rc, modules = json.loads(done.stdout)
    assert rc == 0
    assert "curator_fake_one.plugin" in modules
    assert "curator_fake_one.stages" not in modules
    assert not [
        m for m in modules if m.endswith(".stages") and m.startswith("curator_") and not m.startswith("curator_core")
    ]
    heavy = {"ray", "cosmos_xenna", "pyarrow", "av", "soundfile", "torch"}
    assert not heavy & {m.split(".")[0] for m in modules}


def test_strict_flag_makes_a_broken_plugin_an_error_with_exit_1(fake_plugins: FakeDistributions) -> None:
    fake_plugins.add("bad", manifest="raise RuntimeError('boom')\n")
    code, _, err = run_cli("plugins", "--strict-plugins", "--only-plugin", "bad")
    assert code == 1
    assert err.startswith("curator: error: Curator plugin 'bad' is broken")
    assert "Traceback" not in err


def test_usage_error_exits_2(curator_env: None) -> None:
    assert run_cli("plugins", "--no-such-flag")[0] == 2
