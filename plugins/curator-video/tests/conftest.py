"""Synthetic videos made once per session: a few seconds each at 128x96, 24 fps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from video_helpers import FPS

from curator_video.synthetic import SyntheticVideo, generate_examples


@pytest.fixture(scope="session")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SyntheticVideo]:
    """By stem: moving_shapes (4 s), scene_cut (4 s, cut at 2.5 s), static_middle (6 s, still 2-4 s), corrupt."""
    out = tmp_path_factory.mktemp("videos")
    made = generate_examples(str(out), fps=FPS, seconds=4.0)
    return {Path(v.path).stem: v for v in made}


@pytest.fixture(scope="session")
def video_dir(videos: dict[str, SyntheticVideo]) -> str:
    return os.path.dirname(videos["moving_shapes"].path)
