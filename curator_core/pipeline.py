"""``Pipeline``: the stages a user wrote, built into a plan and run on an executor."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from curator_core.errors import PipelineValidationError
from curator_core.executors.base import BaseExecutor
from curator_core.plan import Plan, check_chain, decompose, fuse, unique_names
from curator_core.report import RunReport
from curator_core.stages.base import ProcessingStage
from curator_core.tasks import EmptyTask, FileGroupTask, Task, with_framework_ids

__all__ = ["Pipeline"]

ExecutorLike = BaseExecutor | str | None


class Pipeline:
    """An ordered list of stages with a name; ``run()`` builds it and hands it to an executor."""

    def __init__(
        self, name: str, description: str | None = None, stages: Iterable[ProcessingStage[Any, Any]] | None = None
    ) -> None:
        self.name = name
        self.description = description
        self.stages: list[Any] = list(stages or [])
        self.last_report: RunReport | None = None

    def add_stage(self, stage: ProcessingStage[Any, Any] | str, **params: Any) -> Pipeline:
        """Append a stage instance, or a registered stage name with its parameters."""
        if isinstance(stage, str):
            self.stages.append((stage, params))
        elif params:
            raise TypeError("parameters go with a stage name; configure a stage instance directly or use with_()")
        else:
            self.stages.append(stage)
        return self

    def build(self, executor: ExecutorLike = None, *, fuse_stages: bool = True) -> Plan:
        """Resolve, decompose, check and fuse: the physical plan, before any engine starts."""
        runner = resolve_executor(executor)
        return self._build(runner, fuse_stages)

    def _build(
        self,
        runner: BaseExecutor,
        fuse_stages: bool,
        checkpoint: Callable[[list[ProcessingStage[Any, Any]]], list[ProcessingStage[Any, Any]]] | None = None,
    ) -> Plan:
        if not self.stages:
            raise PipelineValidationError(f"pipeline {self.name!r} has no stages")
        logical = unique_names(decompose([_resolve_stage(entry) for entry in self.stages]))
        check_chain(logical)
        if checkpoint is not None:
            logical = checkpoint(logical)
        physical = fuse(logical) if fuse_stages else list(logical)
        runner.check_plan(physical)
        plan = Plan(self.name, tuple(logical), tuple(physical), executor=runner.name or type(runner).__name__)
        _hooks().curator_pipeline_built(plan=plan)
        return plan

    def describe(self, executor: ExecutorLike = None) -> str:
        """The built plan as text: stages, worker groups, resources, task types."""
        return self.build(executor).describe()

    def run(
        self,
        executor: ExecutorLike = None,
        initial_tasks: Iterable[Task[Any]] | None = None,
        *,
        report_path: str | None = None,
        fuse_stages: bool = True,
        checkpoint_path: str | None = None,
        discard_checkpoint: bool = False,
        storage_options: Mapping[str, Any] | None = None,
    ) -> list[Task[Any]]:
        """Build, run, and return the last stage's output tasks.

        ``executor`` is an instance, a registered name, or None for the configured default
        (``CURATOR_EXECUTOR``, else ``local``). The run report is kept in ``last_report`` and
        written to ``report_path`` when given, also when the run fails.

        With ``checkpoint_path`` (a folder or URL, ``storage_options`` for its credentials) the run
        records each source partition once all its descendants are written or filtered, and a rerun
        skips the done ones; a checkpoint of another plan is refused unless ``discard_checkpoint``.
        """
        runner = resolve_executor(executor)
        if initial_tasks is not None:
            initial_tasks = with_framework_ids(initial_tasks)
        checkpoint = None
        if checkpoint_path is not None:
            if initial_tasks is not None:
                initial_tasks = list(initial_tasks)
            checkpoint = self._checkpointing(checkpoint_path, initial_tasks, discard_checkpoint, storage_options)
        plan = self._build(runner, fuse_stages, checkpoint)
        hooks = _hooks()
        hooks.curator_run_started(plan=plan, executor=plan.executor)
        import datetime

        started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        clock = time.perf_counter()
        tasks: Iterable[Task[Any]] = [EmptyTask()] if initial_tasks is None else initial_tasks
        outputs: list[Task[Any]] = []
        error: BaseException | None = None
        try:
            outputs = runner.execute(list(plan.stages), tasks)
        except BaseException as exc:
            error = exc
            raise
        finally:
            report = self._report(plan, runner, outputs, started, time.perf_counter() - clock, error)
            if checkpoint_path is not None:
                from curator_core.checkpoint import SkipDonePartitionsStage

                report.checkpoint = checkpoint_path
                report.partitions_skipped = runner.stats.counts(SkipDonePartitionsStage.name).filtered
            self.last_report = report
            _finish(plan, report, outputs, report_path, hooks, error)
        return outputs

    @staticmethod
    def _checkpointing(
        path: str,
        initial_tasks: list[Task[Any]] | None,
        discard: bool,
        storage_options: Mapping[str, Any] | None,
    ) -> Callable[[list[ProcessingStage[Any, Any]]], list[ProcessingStage[Any, Any]]]:
        """The build step that ties the plan to its checkpoint and inserts the resume stages."""
        from curator_core.checkpoint import prepare_checkpoint

        ids = None if initial_tasks is None else [task.task_id for task in initial_tasks]

        def apply(logical: list[ProcessingStage[Any, Any]]) -> list[ProcessingStage[Any, Any]]:
            found = prepare_checkpoint(
                path, logical, initial_task_ids=ids, discard=discard, storage_options=storage_options
            )
            return found.apply(logical)

        return apply

    def _report(
        self,
        plan: Plan,
        runner: BaseExecutor,
        outputs: list[Task[Any]],
        started: str,
        wall: float,
        error: BaseException | None,
    ) -> RunReport:
        from curator_core.versions import installed_versions

        return RunReport(
            pipeline=self.name,
            executor=plan.executor,
            plan=plan.to_dict(),
            versions=installed_versions(),
            stages=[runner.stats.counts(stage.name) for stage in plan.logical_stages],
            failures=list(runner.stats.failures),
            outputs=len(outputs),
            wall_time_s=wall,
            started_at=started,
            status=_status(error),
            error="" if error is None else f"{type(error).__name__}: {error}",
            inputs=_inputs(plan),
            output_paths=[path for task in outputs if isinstance(task, FileGroupTask) for path in task.data],
        )

    def __repr__(self) -> str:
        return f"Pipeline(name={self.name!r}, stages={len(self.stages)})"


def _status(error: BaseException | None) -> str:
    if error is None:
        return "succeeded"
    return "interrupted" if isinstance(error, KeyboardInterrupt) else "failed"


def _inputs(plan: Plan) -> list[str]:
    """What the run read: the paths, directories or globs its file-partitioning stages were given."""
    from curator_core.stages.file_partitioning import FilePartitioningStage

    found: list[str] = []
    for stage in plan.logical_stages:
        if isinstance(stage, FilePartitioningStage):
            paths = stage.file_paths
            found.extend([os.fspath(paths)] if isinstance(paths, str | os.PathLike) else [os.fspath(p) for p in paths])
    return found


def _finish(
    plan: Plan,
    report: RunReport,
    outputs: list[Task[Any]],
    report_path: str | None,
    hooks: Any,
    error: BaseException | None,
) -> None:
    """Write the report and tell observers; when the run failed, neither may replace its error."""
    steps: list[tuple[str, Callable[[], Any]]] = []
    if report_path:
        steps.append((f"writing the report to {report_path}", lambda: report.write(report_path)))
    for failure in report.failures:
        steps.append(("curator_task_failed", functools.partial(hooks.curator_task_failed, plan=plan, failure=failure)))
    for counts in report.stages:
        call = functools.partial(hooks.curator_stage_finished, plan=plan, stage=counts.stage, counts=counts)
        steps.append(("curator_stage_finished", call))
    steps.append(
        ("curator_run_finished", lambda: hooks.curator_run_finished(plan=plan, report=report, outputs=outputs))
    )
    for what, step in steps:
        try:
            step()
        except Exception as exc:
            if error is None:
                raise
            error.add_note(f"after the run failed, {what} failed too: {type(exc).__name__}: {exc}")


def resolve_executor(executor: ExecutorLike, config: Mapping[str, Any] | None = None) -> BaseExecutor:
    """An executor instance from an instance, a registered name, or None (the default)."""
    if isinstance(executor, BaseExecutor):
        return executor
    from curator_core.plugins.host import get_host

    host = get_host()
    name = executor or host.default_executor_name()
    executor_class = host.resolve_executor(name)
    instance: BaseExecutor = executor_class(config)
    return instance


def _resolve_stage(entry: Any) -> Any:
    if isinstance(entry, tuple):
        from curator_core.pipeline_files.build import construct_stage

        name, params = entry
        return construct_stage(name, params)
    return entry


def _hooks() -> Any:
    from curator_core.plugins.host import get_host

    return get_host().hook
