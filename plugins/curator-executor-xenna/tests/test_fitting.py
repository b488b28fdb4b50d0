"""Fitting a plan onto a cluster: small machines work out of the box, impossible plans are explained."""

from __future__ import annotations

import pytest

from curator_core.errors import CapabilityError
from curator_executor_xenna.fitting import NodeCapacity, StageDemand, fit_plan, usable_cpus

TWO_CORES = [NodeCapacity(cpus=2)]


def fit(demands: list[StageDemand], nodes: list[NodeCapacity] = TWO_CORES, mode: str = "streaming", pct: float = 0.95):
    return fit_plan(demands, nodes, mode=mode, cpu_allocation_percentage=pct)


def test_default_percentage_leaves_one_cpu_on_two_cores_as_xenna_counts():
    assert usable_cpus(TWO_CORES, 0.95) == [1]
    assert usable_cpus([NodeCapacity(16), NodeCapacity(2)], 0.95) == [15, 1]


def test_single_cpu_stages_share_the_usable_cpus_when_they_do_not_fit():
    plan = fit([StageDemand("read", 1.0), StageDemand("filter", 1.0), StageDemand("write", 0.5)])
    assert [s.cpus for s in plan.stages] == [0.4, 0.4, 0.2]
    assert sum(s.cpus for s in plan.stages) <= 1
    assert plan.notes and "shared" in plan.notes[0]


def test_a_plan_that_fits_is_left_alone():
    plan = fit([StageDemand("read", 1.0), StageDemand("filter", 1.0)], pct=1.0)
    assert [s.cpus for s in plan.stages] == [1.0, 1.0]
    assert plan.notes == []


def test_multi_cpu_stage_is_taken_at_its_word_and_the_error_explains():
    with pytest.raises(CapabilityError) as caught:
        fit([StageDemand("embed", 2.0), StageDemand("filter", 1.0)])
    message = str(caught.value)
    assert "'embed' needs 2 CPUs per worker; the largest node has 1 usable" in message
    assert "embed: 2 CPU x 1" in message and "filter: 1 CPU x 1 (may share a core)" in message
    assert "available: 1 usable CPUs = 2 CPUs on 1 node(s) x cpu_allocation_percentage 0.95" in message
    assert "ask for fewer CPUs per worker in 'embed'" in message


def test_remedies_name_only_what_would_make_it_fit():
    with pytest.raises(CapabilityError) as caught:
        fit([StageDemand("embed", 2.0)])
    assert "set cpu_allocation_percentage=1.0" in str(caught.value)
    assert "execution_mode='batch'" not in str(caught.value)
    with pytest.raises(CapabilityError) as caught:
        fit([StageDemand("a", 2.0), StageDemand("b", 2.0)], nodes=[NodeCapacity(3)], pct=1.0)
    assert "set execution_mode='batch'" in str(caught.value)


def test_batch_mode_needs_the_largest_stage_not_the_sum():
    plan = fit([StageDemand("a", 2.0), StageDemand("b", 2.0)], nodes=[NodeCapacity(3)], mode="batch", pct=1.0)
    assert [s.cpus for s in plan.stages] == [2.0, 2.0]


def test_pinned_workers_count_in_the_demand():
    plan = fit([StageDemand("a", 1.0, workers=3), StageDemand("b", 1.0)], nodes=[NodeCapacity(8)])
    assert [(s.cpus, s.workers) for s in plan.stages] == [(1.0, 3), (1.0, None)]
    plan = fit([StageDemand("a", 1.0, workers=3), StageDemand("b", 1.0)])
    assert [s.cpus for s in plan.stages] == [0.25, 0.25]


def test_gpu_stage_without_gpus_is_explained():
    with pytest.raises(CapabilityError) as caught:
        fit([StageDemand("asr", 1.0, gpus=0.5)])
    assert "'asr' needs 0.5 GPU(s) per worker; the largest node has 0" in str(caught.value)
    assert "run on a cluster with (more) GPUs" in str(caught.value)
    plan = fit([StageDemand("asr", 1.0, gpus=0.5), StageDemand("cut", 1.0)], nodes=[NodeCapacity(4, gpus=1)])
    assert [(s.cpus, s.gpus) for s in plan.stages] == [(1.0, 0.5), (1.0, 0.0)]


def test_one_core_machine_with_default_percentage_cannot_run_anything():
    with pytest.raises(CapabilityError) as caught:
        fit([StageDemand("a", 1.0)], nodes=[NodeCapacity(1)])
    assert "0 usable CPUs" in str(caught.value)
    assert "set cpu_allocation_percentage=1.0" in str(caught.value)
