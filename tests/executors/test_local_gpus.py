"""The local executor places GPU workers: its own CUDA_VISIBLE_DEVICES each, one budget for the plan.

Devices come from config, so no GPU is needed: workers report what they saw.
"""

from __future__ import annotations

import collections
import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest

from curator_core import Pipeline, Resources
from curator_core.executors.local import LocalExecutor
from curator_core.testing.canonical import RangeSource
from curator_core.testing.suite_stages import DeviceProbe, records

MODES = ["process", "in_process"]


def _run(tmp_path: Path, probes: list[DeviceProbe], n_tasks: int = 8, **config: Any) -> list[dict[str, Any]]:
    Pipeline("gpus", stages=[RangeSource(n_tasks=n_tasks, per_task=1), *probes]).run(LocalExecutor(config))
    return records(str(tmp_path), "gpu_setup")


def test_fractional_workers_share_a_device_up_to_its_memory(tmp_path: Path) -> None:
    probe = DeviceProbe(str(tmp_path), "fraction", Resources(gpu_memory_gb=4), hold_s=0.2)
    devices = [{"id": "0", "memory_gb": 10}, {"id": "1", "memory_gb": 10}]
    setups = _run(tmp_path, [probe], n_tasks=12, gpus=devices, cpus=8)
    per_device = collections.Counter(e["devices"] for e in setups)
    assert set(per_device) <= {"0", "1"}
    assert len(setups) == 4  # two 4 GB workers fit on each 10 GB device
    assert all(count <= 2 for count in per_device.values()), per_device


def test_memory_per_device_can_be_given_for_the_whole_list(tmp_path: Path) -> None:
    probe = DeviceProbe(str(tmp_path), "fraction", Resources(gpu_memory_gb=40), hold_s=0.1)
    setups = _run(tmp_path, [probe], gpus=["3"], gpu_memory_gb_per_device=80, cpus=8)
    assert {e["devices"] for e in setups} == {"3"}
    assert len(setups) == 2
    assert setups[0]["alloc"] == {"gpus": ["3"]}


@pytest.mark.parametrize(("gpus", "expected"), [(1, 3), (2, 2)])
def test_whole_gpu_workers_get_devices_of_their_own(tmp_path: Path, gpus: int, expected: int) -> None:
    probe = DeviceProbe(str(tmp_path), "whole", Resources(gpus=gpus, entire_gpu=True), hold_s=0.2)
    setups = _run(tmp_path, [probe], gpus=["0", "1", "2", "3"][: 3 if gpus == 1 else 4], cpus=8)
    assert len(setups) == expected
    taken = [device for e in setups for device in e["devices"].split(",")]
    assert all(len(e["devices"].split(",")) == gpus for e in setups)
    assert len(taken) == len(set(taken)), f"a device was given to two workers: {taken}"


@pytest.mark.parametrize("mode", MODES)
def test_two_whole_gpu_stages_on_one_device_never_run_at_once(tmp_path: Path, mode: str) -> None:
    first = DeviceProbe(str(tmp_path), "first", Resources(gpus=1, entire_gpu=True), hold_s=0.02)
    second = DeviceProbe(str(tmp_path), "second", Resources(gpus=1, entire_gpu=True), hold_s=0.02)
    pipeline = Pipeline("turns", stages=[RangeSource(n_tasks=20, per_task=1), first, second])
    # Unfused, so that each stage has workers of its own (fused, they would share one worker and device).
    outputs = pipeline.run(LocalExecutor({"gpus": ["0"], "mode": mode, "queue_size": 2}), fuse_stages=False)
    assert len(outputs) == 20
    lives: dict[str, list[float]] = {}
    for event in records(str(tmp_path)):
        if event["kind"] in ("gpu_setup", "gpu_teardown"):
            # In process there is one process: the device is in the worker metadata, not the environment.
            seen = event["devices"] if mode == "process" else ",".join(event.get("alloc", {"gpus": ["0"]})["gpus"])
            assert seen == "0"
            lives.setdefault(event["worker"], []).append(event["time"])
    spans = sorted((times[0], times[-1]) for times in lives.values())
    assert len(spans) >= 2 and all(len(times) == 2 for times in lives.values())
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start >= end, "two whole-GPU workers held device 0 at the same time"


def test_a_stage_needing_more_devices_than_listed_is_refused(tmp_path: Path) -> None:
    from curator_core.errors import CapabilityError

    probe = DeviceProbe(str(tmp_path), "greedy", Resources(gpus=2))
    with pytest.raises(CapabilityError, match="greedy"):
        _run(tmp_path, [probe], gpus=["0"])


@pytest.mark.gpu
@pytest.mark.skipif(shutil.which("nvidia-smi") is None, reason="needs an NVIDIA GPU (nvidia-smi)")
def test_a_stage_runs_on_a_real_device(tmp_path: Path) -> None:
    from curator_core.executors.rules import detect_gpus

    probe = DeviceProbe(str(tmp_path), "real", Resources(gpus=1))
    setups = _run(tmp_path, [probe], n_tasks=2)
    assert setups
    assert {e["devices"] for e in setups} <= {d.id for d in detect_gpus()}
