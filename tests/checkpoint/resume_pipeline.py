"""A small text pipeline with a fan-out, a filter and an atomic writer, runnable as a script.

The resume tests run it in a subprocess, kill it part-way, and run it again.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass

from curator_core import FileGroupTask, Pipeline, ProcessingStage, Task
from curator_core.stages.file_partitioning import FilePartitioningStage
from curator_core.storage import atomic_write, join, open_input, safe_file_name


@dataclass
class Lines(Task[list[str]]):
    @property
    def num_items(self) -> int:
        return len(self.data)

    def validate(self) -> bool:
        return True


class ReadLines(ProcessingStage[FileGroupTask, Lines]):
    def process(self, task: FileGroupTask) -> Lines:
        lines: list[str] = []
        for path in task.data:
            with open_input(path, "r") as handle:
                lines.extend(line.rstrip("\n") for line in handle)
        return Lines(task_id="", dataset_name="lines", data=lines)


class SplitHalves(ProcessingStage[Lines, Lines]):
    """Fan-out: first and second half of each partition."""

    def process(self, task: Lines) -> list[Lines]:
        middle = len(task.data) // 2
        return [task.derive(task.data[:middle]), task.derive(task.data[middle:])]


class DropMarked(ProcessingStage[Lines, Lines]):
    """Filter: a half whose lines all contain ``marker`` is dropped; other lines lose marked ones."""

    def __init__(self, marker: str = "drop") -> None:
        self.marker = marker

    def process(self, task: Lines) -> Lines | None:
        kept = [line for line in task.data if self.marker not in line]
        return task.derive(kept) if kept else None


class Slow(ProcessingStage[Lines, Lines]):
    """Sleeps ``RESUME_TEST_DELAY`` seconds per task (an environment knob, so the plan stays the same)."""

    def __init__(self, fail_on: str = "") -> None:
        self.fail_on = fail_on

    def process(self, task: Lines) -> Lines:
        time.sleep(float(os.environ.get("RESUME_TEST_DELAY", "0")))
        if self.fail_on and any(self.fail_on in line for line in task.data):
            raise ValueError(f"refusing {self.fail_on!r}")
        return task


class WriteLines(ProcessingStage[Lines, FileGroupTask]):
    def __init__(self, path: str) -> None:
        self.path = path

    def process(self, task: Lines) -> FileGroupTask:
        target = join(self.path, safe_file_name(task.task_id) + ".txt")
        with atomic_write(target, "w") as handle:
            handle.write("\n".join(task.data) + "\n")
        return FileGroupTask(task_id="", dataset_name="lines", data=[target])


def build(input_dir: str, output_dir: str, marker: str = "drop", fail_on: str = "") -> Pipeline:
    slow = Slow(fail_on)
    if fail_on:
        slow = slow.with_(ignore_failures=True)
    return Pipeline(
        "resume",
        stages=[
            FilePartitioningStage(input_dir),
            ReadLines(),
            SplitHalves(),
            DropMarked(marker),
            slow,
            WriteLines(output_dir),
        ],
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("input_dir")
    parser.add_argument("output_dir")
    parser.add_argument("--checkpoint")
    parser.add_argument("--executor", default="local")
    parser.add_argument("--config", default="{}", help="executor config as JSON")
    parser.add_argument("--report")
    args = parser.parse_args(argv)
    pipeline = build(args.input_dir, args.output_dir)
    from curator_core.pipeline import resolve_executor

    executor = resolve_executor(args.executor, json.loads(args.config) or None)
    pipeline.run(executor, checkpoint_path=args.checkpoint, report_path=args.report)
    print(json.dumps({"status": "done"}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
