"""Curator's hook specifications (pluggy project ``curator``).

Registration hooks return typed records and are called once per process, when a name is first
needed. Lifecycle hooks run in the driver only: a plugin manager never travels to workers, so
there are no per-task hooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

from curator_core.plugins.records import ExecutorSpec, StageSpec

if TYPE_CHECKING:
    from curator_core.executors.adapter import StageCounts, TaskFailure
    from curator_core.plan import Plan
    from curator_core.report import RunReport

__all__ = ["PROJECT_NAME", "CuratorHookSpecs", "hookimpl", "hookspec"]

PROJECT_NAME = "curator"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class CuratorHookSpecs:
    """Every hook a Curator plugin may implement."""

    @hookspec
    def curator_stages(self) -> list[StageSpec]:  # type: ignore[empty-body]
        """The stages this plugin provides."""

    @hookspec
    def curator_executors(self) -> list[ExecutorSpec]:  # type: ignore[empty-body]
        """The executors this plugin provides."""

    @hookspec
    def curator_pipeline_built(self, plan: Plan) -> None:
        """A pipeline was built into ``plan`` (nothing has started yet)."""

    @hookspec
    def curator_run_started(self, plan: Plan, executor: str) -> None:
        """``plan`` is about to run on the executor named ``executor``."""

    @hookspec
    def curator_stage_finished(self, plan: Plan, stage: str, counts: StageCounts) -> None:
        """A stage of a finished run, with its totals (in, out, filtered, failed, time)."""

    @hookspec
    def curator_task_failed(self, plan: Plan, failure: TaskFailure) -> None:
        """A task failed and was dropped under ``ignore_failures`` (or stopped the run)."""

    @hookspec
    def curator_run_finished(self, plan: Plan, report: RunReport, outputs: list[Any]) -> None:
        """A run ended; ``report`` is what is written to the run report file."""
