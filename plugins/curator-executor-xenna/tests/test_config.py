"""Config keys, plugin registration, and the plan check that runs before anything starts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from curator_core.errors import CapabilityError, ExecutorConfigError
from curator_core.pipeline import Pipeline
from curator_core.resources import Resources
from curator_core.stages.base import ProcessingStage
from curator_core.testing.canonical import NumberBatch, RangeSource
from curator_executor_xenna import XennaExecutor
from curator_executor_xenna.fitting import NodeCapacity


class Heavy(ProcessingStage[NumberBatch, NumberBatch]):
    resources = Resources(cpus=4.0)

    def process(self, task: NumberBatch) -> NumberBatch:
        return task


def test_defaults_are_nemo_curators():
    assert XennaExecutor().config == {
        "execution_mode": "streaming",
        "logging_interval": 60,
        "ignore_failures": False,
        "cpu_allocation_percentage": 0.95,
        "autoscale_interval_s": 180,
        "max_workers_per_stage": None,
        "slots_per_actor": 1,
        "verbose": False,
        "num_workers": None,
        "max_attempts": 3,
        "gpus": None,
        "gpu_memory_gb_per_device": None,
    }


def test_unknown_key_is_an_error_naming_the_valid_ones():
    with pytest.raises(ExecutorConfigError) as caught:
        XennaExecutor({"execution_mod": "batch"})
    assert "'execution_mod'" in str(caught.value)
    assert "execution_mode" in str(caught.value) and "max_workers_per_stage" in str(caught.value)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("execution_mode", "Batch"),
        ("execution_mode", "serving"),
        ("cpu_allocation_percentage", 0),
        ("cpu_allocation_percentage", 1.5),
        ("max_workers_per_stage", 0),
        ("logging_interval", -1),
        ("autoscale_interval_s", "fast"),
        ("ignore_failures", "yes"),
        ("max_attempts", 0),
        ("slots_per_actor", 0),
        ("slots_per_actor", True),
        ("verbose", "yes"),
    ],
)
def test_invalid_values_are_errors(key, value):
    with pytest.raises(ExecutorConfigError, match=key):
        XennaExecutor({key: value})


def test_config_keys_reach_xennas_pipeline_config():
    from cosmos_xenna.pipelines import v1 as xenna

    from curator_executor_xenna.run import pipeline_config

    config = XennaExecutor(
        {"logging_interval": 5, "autoscale_interval_s": 7, "cpu_allocation_percentage": 0.5, "ignore_failures": True}
    ).config
    built = pipeline_config(config)
    assert built.execution_mode == xenna.ExecutionMode.STREAMING
    assert built.logging_interval_s == 5
    assert built.mode_specific.autoscale_interval_s == 7
    assert built.cpu_allocation_percentage == 0.5
    assert built.return_last_stage_outputs is True
    # The adapter applies the failure policy and counts what it drops; Xenna would drop silently.
    assert built.ignore_failures is False
    batch = pipeline_config(XennaExecutor({"execution_mode": "batch"}).config)
    assert batch.execution_mode == xenna.ExecutionMode.BATCH


def test_max_workers_per_stage_pins_and_caps_worker_counts():
    stages = [RangeSource(), Heavy().with_(resources=Resources(cpus=1.0))]
    assert [d.workers for d in XennaExecutor().demands(stages)] == [None, None]
    assert [d.workers for d in XennaExecutor({"max_workers_per_stage": 2}).demands(stages)] == [2, 2]


def test_cpu_allocation_percentage_decides_whether_a_plan_fits():
    stages = [RangeSource(), Heavy().with_(resources=Resources(cpus=2.0))]
    nodes = [NodeCapacity(cpus=3)]
    with pytest.raises(CapabilityError, match="2 usable CPUs = 3 CPUs"):
        XennaExecutor().fit(stages, nodes)
    plan = XennaExecutor({"cpu_allocation_percentage": 1.0}).fit(stages, nodes)
    assert [s.cpus for s in plan.stages] == [1.0, 2.0]


def test_plan_that_cannot_fit_fails_at_build_time_with_the_explanation(monkeypatch):
    import curator_executor_xenna.executor as executor_module

    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    monkeypatch.setattr(executor_module, "local_cpu_count", lambda: 2)
    monkeypatch.setitem(sys.modules, "ray", None)  # no Ray session in this process: the local machine counts
    pipeline = Pipeline("too-big", stages=[RangeSource(), Heavy()])
    with pytest.raises(CapabilityError) as caught:
        pipeline.build(XennaExecutor())
    message = str(caught.value)
    assert "'Heavy' needs 4 CPUs per worker" in message
    assert "2 CPUs on 1 node(s) x cpu_allocation_percentage 0.95" in message
    assert "to fit, any of:" in message


def test_manifest_registers_xenna_without_importing_ray_or_xenna():
    code = (
        "import sys, curator_executor_xenna.plugin as p; "
        "[spec] = p.curator_executors(); "
        "print(spec.name, spec.target, spec.capabilities); "
        "print(sorted(m for m in ('ray', 'cosmos_xenna') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "xenna curator_executor_xenna.executor:XennaExecutor" in out
    assert "gpus=True, multi_node=True, streaming=True, autoscaling=True" in out
    assert out.strip().endswith("[]")


def test_executor_resolves_by_name_through_the_plugin_host():
    from curator_core.plugins.host import get_host

    assert get_host().resolve_executor("xenna") is XennaExecutor


def test_num_workers_by_any_stage_name_pins_the_stage_and_unknown_names_are_errors():
    from curator_core.plan import FusedStage

    fused = FusedStage([Heavy().with_(name="read", resources=Resources(cpus=1.0)), Heavy().with_(name="filter")])
    stages = [RangeSource(), fused]
    demands = XennaExecutor({"num_workers": {"filter": 3}}).demands(stages)
    assert [d.workers for d in demands] == [None, 3]
    with pytest.raises(ExecutorConfigError, match="'fliter'.*filter"):
        XennaExecutor({"num_workers": {"fliter": 3}}).demands(stages)


def test_xenna_logging_is_quiet_unless_verbose_and_a_users_python_log_wins():
    code = (
        "import os\n"
        "from loguru import logger\n"
        "from curator_executor_xenna.run import engine_logging, verbose\n"
        "with engine_logging(False):\n"
        "    logger.info('engine chatter'); logger.warning('engine warning')\n"
        "with engine_logging(True):\n"
        "    logger.info('asked for')\n"
        "print(os.environ.get('PYTHON_LOG'), verbose({'verbose': False}), verbose({'verbose': True}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_LOG", "CURATOR_VERBOSE")}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "engine chatter" not in run.stderr
    assert "engine warning" in run.stderr and "asked for" in run.stderr
    assert run.stdout.split() == ["None", "False", "True"]  # PYTHON_LOG restored after each run
    env["PYTHON_LOG"] = "info"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "engine chatter" in run.stderr
