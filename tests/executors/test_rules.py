"""The rulebook every executor reads: worker counts, batches, GPU shares, attempts, failure records."""

from __future__ import annotations

from typing import Any

import pytest

from curator_core import Resources
from curator_core.errors import CapabilityError, ExecutorConfigError, StageFailedError, WorkerLostError
from curator_core.executors.rules import (
    CODEC_ONLY_GPU_SHARE,
    GpuDevice,
    GpuShare,
    Rulebook,
    batches,
    gpu_share,
    setup_failed,
    stage_failed,
    task_failure,
    teardown_failed,
    worker_lost,
)
from curator_core.plan import fuse
from curator_core.testing.canonical import DropMultiples, Explode, FailOn, RangeSource
from curator_core.testing.suite_stages import HookedIdentity, Identity


def _plan() -> list[Any]:
    # range_source | explode | drop_multiples+fail_on (fused)
    return fuse([RangeSource(), Explode(), DropMultiples(), FailOn()])


def test_plan_shape_used_below() -> None:
    assert [s.name for s in _plan()] == ["range_source", "explode", "drop_multiples+fail_on"]


def test_workers_come_from_cores_over_cpus_by_default() -> None:
    rules = Rulebook([Identity().with_(resources=Resources(cpus=2.0))], {}, cpus=8)
    assert rules[0].num_workers == 4 and not rules[0].workers_explicit


def test_config_workers_may_name_a_fused_member() -> None:
    rules = Rulebook(_plan(), {"num_workers": {"fail_on": 3, "explode": 2}}, cpus=8)
    assert [r.num_workers for r in rules] == [8, 2, 3]
    assert rules[2].workers_explicit


def test_an_unknown_worker_key_is_an_error_naming_the_valid_ones() -> None:
    with pytest.raises(ExecutorConfigError) as caught:
        Rulebook(_plan(), {"num_workers": {"fail_onn": 3}}, cpus=8)
    message = str(caught.value)
    assert "'fail_onn'" in message and "fail_on" in message and "drop_multiples+fail_on" in message


def test_stage_wish_then_config_then_cap() -> None:
    class Two(Identity):
        def num_workers(self) -> int | None:
            return 2

    assert Rulebook([Two()], {}, cpus=8)[0].num_workers == 2
    assert Rulebook([Two()], {"num_workers": 5}, cpus=8)[0].num_workers == 5
    assert Rulebook([Two()], {"num_workers": 5, "max_workers_per_stage": 3}, cpus=8)[0].num_workers == 3


def test_batches_are_exact_with_a_partial_last() -> None:
    assert [len(b) for b in batches(range(10), 4)] == [4, 4, 2]
    assert list(batches([], 4)) == []
    rules = Rulebook([Identity().with_(batch_size=16)], {}, cpus=2)[0]
    assert rules.take(15, upstream_done=False) == 0
    assert rules.take(20, upstream_done=False) == 16
    assert rules.take(5, upstream_done=True) == 5
    assert rules.queue_capacity(8) == 16  # one batch always fits: no deadlock


@pytest.mark.parametrize(
    ("resources", "memory", "share"),
    [
        (Resources(), 80.0, None),
        (Resources(gpu_memory_gb=20), 80.0, GpuShare(fraction=0.25)),
        (Resources(gpu_memory_gb=200), 80.0, GpuShare(fraction=1.0)),
        (Resources(gpus=0.5), None, GpuShare(fraction=0.5)),
        (Resources(gpus=1, entire_gpu=True), None, GpuShare(devices=1)),
        (Resources(gpus=2), None, GpuShare(devices=2)),
        (Resources(nvdecs=1), None, GpuShare(fraction=CODEC_ONLY_GPU_SHARE, nvdecs=1)),
    ],
)
def test_gpu_shares(resources: Resources, memory: float | None, share: GpuShare | None) -> None:
    assert gpu_share(resources, memory) == share


def test_a_memory_share_needs_the_device_memory() -> None:
    with pytest.raises(CapabilityError, match="gpu_memory_gb_per_device"):
        Rulebook([Identity().with_(resources=Resources(gpu_memory_gb=10))], {}, devices=[GpuDevice("0")])


def test_device_memory_comes_from_config_and_limits_workers() -> None:
    stage = Identity().with_(resources=Resources(cpus=1, gpu_memory_gb=30))
    rules = Rulebook([stage], {"gpus": ["0", "1"], "gpu_memory_gb_per_device": 80}, cpus=16)
    assert [d.id for d in rules.devices] == ["0", "1"]
    assert rules[0].gpu == GpuShare(fraction=0.375)
    assert rules[0].num_workers == 4  # two per 80 GB device
    listed = Rulebook([stage], {"gpus": [{"id": "7", "memory_gb": 40}]}, cpus=16)
    assert listed[0].gpu == GpuShare(fraction=0.75) and listed[0].num_workers == 1


def test_codecs_need_an_executor_that_offers_them() -> None:
    stage = Identity().with_(resources=Resources(nvdecs=2))
    with pytest.raises(CapabilityError, match="nvdecs"):
        Rulebook([stage], {}, devices=[GpuDevice("0")], codecs=False, executor="some_executor")


def test_attempts_and_failure_policy_per_member() -> None:
    tolerant = FailOn()
    tolerant.ignore_failures = True
    rules = Rulebook(fuse([Explode(), DropMultiples(), tolerant]), {"max_attempts": 5}, cpus=2)
    assert rules[1].members == ("drop_multiples", "fail_on")
    assert rules[1].ignore_failures == (False, True)
    assert rules[1].max_attempts == 5
    with pytest.raises(ExecutorConfigError, match="max_attempts"):
        Rulebook([Identity()], {"max_attempts": 0})


def test_hooks_are_detected() -> None:
    assert Rulebook([HookedIdentity("/nonexistent")], {}, cpus=1)[0].hooks
    assert not Rulebook([Identity()], {}, cpus=1)[0].hooks


def test_failure_records_and_errors_name_stage_task_and_worker() -> None:
    try:
        raise ValueError("bad row")
    except ValueError as exc:
        failure = task_failure("clean", "abc.1", exc)
        setup = setup_failed("clean", "w3", exc)
        teardown = teardown_failed("clean", "w3", exc)
    assert failure.error == "ValueError: bad row" and "Traceback" in failure.traceback
    error = stage_failed(failure)
    assert isinstance(error, StageFailedError) and (error.stage, error.task_id) == ("clean", "abc.1")
    assert "'clean'" in str(error) and "'abc.1'" in str(error)
    assert "setup on worker w3" in str(setup) and setup.stage == "clean"
    assert "teardown on worker w3" in str(teardown)
    lost = worker_lost("clean", "abc.1", 3, "exit code -9")
    assert isinstance(lost, WorkerLostError) and "3 times" in str(lost) and "exit code -9" in str(lost)
