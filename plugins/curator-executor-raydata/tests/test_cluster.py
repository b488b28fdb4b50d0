"""On two raylets: exact lifecycle counts per node and per worker, teardown when a failure stops the
stream, and a worker killed mid-task."""

from __future__ import annotations

import collections
import os
from pathlib import Path

import pytest
import raydata_test_stages
from ray import cloudpickle
from raydata_test_stages import KillOnce, SlowTeardownRecorder

from curator_core.errors import StageFailedError
from curator_core.executors.local import LocalExecutor
from curator_core.pipeline import Pipeline
from curator_core.testing.canonical import Explode, FailOn, LifecycleRecorder, RangeSource, read_events
from curator_core.testing.executor_suite import output_signature
from curator_executor_raydata import RayActorPoolExecutor, RayDataExecutor

# Ray's workers cannot import this test folder: ship the helper stages by value.
cloudpickle.register_pickle_by_value(raydata_test_stages)

EXECUTORS = {"ray_data": RayDataExecutor, "ray_actor_pool": RayActorPoolExecutor}
WORKERS = 4


def _two_recorders(directory: Path) -> Pipeline:
    return Pipeline(
        "two-recorders",
        stages=[
            RangeSource(n_tasks=4, per_task=4),
            Explode(),
            LifecycleRecorder(str(directory), label="first").with_(name="first_recorder"),
            LifecycleRecorder(str(directory), label="second").with_(name="second_recorder", batch_size=1),
        ],
    )


@pytest.mark.parametrize("executor", sorted(EXECUTORS))
def test_setup_on_node_once_per_node_and_setup_teardown_once_per_worker(
    connected: object, tmp_path: Path, executor: str
) -> None:
    import ray

    node_ids = {node["NodeID"] for node in ray.nodes() if node["Alive"]}
    assert len(node_ids) == 2
    outputs = _two_recorders(tmp_path).run(EXECUTORS[executor]({"num_workers": WORKERS}))
    assert len(outputs) == 16
    if executor == "ray_data":
        from curator_executor_raydata.ledger import NAMESPACE

        assert ray.experimental.internal_kv._internal_kv_list("", namespace=NAMESPACE) == [], "run's ledger removed"
    events = read_events(str(tmp_path))
    for label in ("first", "second"):
        mine = [e for e in events if e["label"] == label]
        on_node = collections.Counter(e["node"] for e in mine if e["event"] == "setup_on_node")
        assert set(on_node) == node_ids, "workers spread over both nodes, and every node set up"
        assert set(on_node.values()) == {1}, f"{label}: setup_on_node per node {on_node}"
        setups = collections.Counter(e["worker"] for e in mine if e["event"] == "setup")
        teardowns = collections.Counter(e["worker"] for e in mine if e["event"] == "teardown")
        assert len(setups) == WORKERS and set(setups.values()) == {1}
        assert teardowns == setups
        processed = collections.Counter(e["task"] for e in mine if e["event"] == "process")
        assert len(processed) == 16 and set(processed.values()) == {1}


@pytest.mark.parametrize("executor", sorted(EXECUTORS))
def test_a_failure_mid_stream_still_tears_down_every_worker_in_full(
    connected: object, tmp_path: Path, executor: str
) -> None:
    # The failure comes early, with most tasks still queued; each teardown takes a second.
    stages = [RangeSource(n_tasks=8, per_task=4), Explode(), SlowTeardownRecorder(str(tmp_path)), FailOn(1)]
    with pytest.raises(StageFailedError):
        Pipeline("fails-early", stages=stages).run(EXECUTORS[executor]({"num_workers": WORKERS}))
    events = read_events(str(tmp_path))
    setups = collections.Counter(e["worker"] for e in events if e["event"] == "setup")
    teardowns = collections.Counter(e["worker"] for e in events if e["event"] == "teardown")
    assert setups and teardowns == setups


@pytest.mark.parametrize("executor", sorted(EXECUTORS))
def test_worker_killed_mid_task_loses_and_duplicates_nothing(connected: object, tmp_path: Path, executor: str) -> None:
    def pipeline(marker: str, value: int) -> Pipeline:
        return Pipeline("kill", stages=[RangeSource(n_tasks=3, per_task=4), Explode(), KillOnce(marker, value)])

    expected = pipeline(str(tmp_path / "unused"), value=-1).run(LocalExecutor({"mode": "in_process"}))
    marker = tmp_path / "killed"
    outputs = pipeline(str(marker), value=6).run(EXECUTORS[executor]({"num_workers": 2}))
    assert marker.exists(), "a worker was killed"
    assert int(marker.read_text()) != os.getpid()
    assert output_signature(outputs) == output_signature(expected)
