"""The manifest: every stage registered, resolvable by name, and listing it imports nothing heavy."""

from __future__ import annotations

import subprocess
import sys

import pytest

from curator_core import ProcessingStage
from curator_core.plugins.host import get_host
from curator_video import plugin

NAMES = [spec.name for spec in plugin.curator_stages()]


def test_manifest_imports_neither_av_nor_numpy() -> None:
    code = (
        "import sys, curator_video.plugin as p; p.curator_stages(); "
        "heavy = [m for m in ('av', 'numpy', 'curator_video.stages') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", NAMES)
def test_every_stage_resolves_by_name_through_the_host(name: str) -> None:
    stage_class = get_host().resolve_stage(name)
    assert issubclass(stage_class, ProcessingStage)
    assert stage_class.name == name


def test_registered_resources_match_the_stage_defaults() -> None:
    for spec in plugin.curator_stages():
        stage_class = get_host().resolve_stage(spec.name)
        if spec.name != "ClipTranscodingStage":  # its resources follow num_cpus / encoder
            assert stage_class.resources == spec.resources, spec.name
    from curator_video.stages.transcoding import ClipTranscodingStage

    assert ClipTranscodingStage().resources.cpus == plugin.curator_stages()[4].resources.cpus
