"""Discovery reads installed metadata only: de-duplication and core compatibility, nothing imported."""

from __future__ import annotations

import os
import sys

import pytest

from curator_core.plugins.discovery import core_requirement_problem, discover
from curator_core.plugins.host import get_host
from curator_core.testing import FakeDistributions


def test_discovery_imports_nothing_a_plugin_ships(fake_plugins: FakeDistributions) -> None:
    fake = fake_plugins.add("quiet", stages=[{"name": "Quiet", "target": "curator_fake_quiet.stages:Quiet"}])
    found = [c for c in discover("0.1.0") if c.plugin_id == "quiet"]
    assert [(c.distribution, c.version, c.module) for c in found] == [
        ("curator-fake-quiet", "1.0.0", fake.manifest_module)
    ]
    assert fake_plugins.imported() == []


def test_distribution_seen_twice_is_listed_once(fake_plugins: FakeDistributions) -> None:
    fake_plugins.add("twice", site="first")
    fake_plugins.add("twice", site="second")
    found = [c for c in discover("0.1.0") if c.plugin_id == "twice"]
    assert len(found) == 1
    assert len(found[0].duplicates) == 1
    (info,) = [p for p in get_host().plugins() if p.plugin_id == "twice"]
    assert info.status == "ok"
    assert "also found at" in info.problems[0]


def test_incompatible_core_is_detected_from_metadata_before_import(fake_plugins: FakeDistributions) -> None:
    fake = fake_plugins.add(
        "future", version="3.0.0", requires_core=">=2,<3", manifest="raise RuntimeError('imported')\n"
    )
    with pytest.warns(UserWarning, match="requires curator-core>=2,<3, but curator-core 0.1.0 is installed"):
        (info,) = [p for p in get_host().plugins() if p.plugin_id == "future"]
    assert info.status == "incompatible"
    assert fake.manifest_module not in sys.modules
    assert fake_plugins.imported() == []


@pytest.mark.parametrize(
    ("requirements", "problem"),
    [
        (["curator-core>=0.1,<1"], ""),
        (["curator_core (>=0.1,<1)"], ""),
        (["Curator.Core>=2"], "requires curator-core>=2, but curator-core 0.1.0 is installed"),
        (["curator-core>=2 ; python_version < '3'"], ""),
        (["curator-core>=2 ; extra == 'test'"], ""),
        (["numpy>=2", "curator-core<0.1"], "requires curator-core<0.1, but curator-core 0.1.0 is installed"),
        ([], ""),
    ],
)
def test_core_requirement_is_checked_with_packaging_specifiers(requirements: list[str], problem: str) -> None:
    assert core_requirement_problem(requirements, "0.1.0")[1] == problem


def test_metadata_headers_are_read_up_to_the_description_with_folded_lines() -> None:
    from curator_core.plugins.discovery import read_headers

    text = (
        "Metadata-Version: 2.1\nName: curator-foo\nVersion: 1.2.3\n"
        "Requires-Dist: curator-core>=0.1,\n  <1\nRequires-Dist: numpy\n\n"
        "Name: not-a-header (the long description)\n"
    )
    headers = read_headers(text)
    assert headers["name"] == ["curator-foo"]
    assert headers["version"] == ["1.2.3"]
    assert headers["requires-dist"] == ["curator-core>=0.1, <1", "numpy"]


def test_listing_does_not_need_the_email_parser(fake_plugins: FakeDistributions) -> None:
    import subprocess

    fake_plugins.add("quiet")
    code = (
        "import sys; from curator_core.plugins.discovery import discover; "
        "discover('0.1.0'); print('email.parser' in sys.modules)"
    )
    env_path = os.pathsep.join([str(s) for s in fake_plugins.sites] + sys.path)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": env_path})
    assert done.stdout.strip() == "False", done.stderr
