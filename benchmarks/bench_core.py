"""Local executor figures: overhead per task against a plain loop, and flat memory when streaming.

    nox -s bench -- core          (or: python benchmarks/bench_core.py)

Overhead: 2,000 tiny tasks through three stages (one fan-in-free chain, not fusable), timed as a
plain Python loop, the local executor in process, and in worker processes.
Memory: a lazy stream of 1 MiB tasks through two stages that shrink them to a digest; the input is
as large as what the queues can hold (1x) and ten times that (10x), and the peak memory of all processes is reported.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(__file__))

from curator_core import Pipeline, ProcessingStage, Task
from curator_core.executors.local import LocalExecutor

from memory import PeakMemory

N_TASKS = int(os.environ.get("CURATOR_BENCH_TASKS", "2000"))
CHUNK = 1 << 20


@dataclass
class Blob(Task[bytes]):
    @property
    def num_items(self) -> int:
        return 1

    def validate(self) -> bool:
        return isinstance(self.data, bytes)


class Increment(ProcessingStage[Blob, Blob]):
    allow_fusion = False

    def process(self, task: Blob) -> Blob:
        return task.derive(task.data + b"x")


class Digest(ProcessingStage[Blob, Blob]):
    allow_fusion = False

    def process(self, task: Blob) -> Blob:
        return task.derive(hashlib.blake2b(task.data, digest_size=8).digest())


class Scramble(ProcessingStage[Blob, Blob]):
    allow_fusion = False

    def process(self, task: Blob) -> Blob:
        return task.derive(task.data[::-1])


def tiny_tasks(n: int) -> list[Blob]:
    return [Blob(task_id=str(i), dataset_name="bench", data=b"") for i in range(n)]


def big_tasks(n: int) -> Iterator[Blob]:
    for i in range(n):
        yield Blob(task_id=str(i), dataset_name="bench", data=os.urandom(CHUNK))


def overhead() -> None:
    stages = [Increment(), Increment(), Increment()]
    start = time.perf_counter()
    for task in tiny_tasks(N_TASKS):
        for stage in stages:
            task = stage.process(task)
    plain = time.perf_counter() - start
    print(f"\nLocal executor overhead, {N_TASKS} tiny tasks x 3 stages (not fused)")
    print(f"{'runner':<28} {'wall s':>8} {'us/task/stage':>14} {'overhead us':>12}")
    print(f"{'plain loop':<28} {plain:>8.3f} {plain / N_TASKS / 3 * 1e6:>14.1f} {0:>12.1f}")
    for label, config in [("local, in process", {"mode": "in_process"}), ("local, worker processes", {})]:
        pipeline = Pipeline("overhead", stages=list(stages))
        start = time.perf_counter()
        outputs = pipeline.run(LocalExecutor(config), initial_tasks=tiny_tasks(N_TASKS))
        wall = time.perf_counter() - start
        assert len(outputs) == N_TASKS
        per = wall / N_TASKS / 3 * 1e6
        print(f"{label:<28} {wall:>8.3f} {per:>14.1f} {per - plain / N_TASKS / 3 * 1e6:>12.1f}")


def memory() -> None:
    queue_size = 4
    # Three stage queues of queue_size tasks, plus one task in flight per worker.
    capacity = 3 * queue_size + 3 * 2
    print(f"\nStreaming memory: 1 MiB tasks, queues hold about {capacity} tasks ({capacity} MiB)")
    print(f"{'input':<8} {'tasks':>6} {'input MiB':>10} {'wall s':>8} {'peak MB (all processes)':>24}")
    for factor in (1, 10):
        n = capacity * factor
        pipeline = Pipeline("memory", stages=[Scramble(), Scramble(), Digest()])
        with PeakMemory() as peak:
            start = time.perf_counter()
            outputs = pipeline.run(LocalExecutor({"queue_size": queue_size}), initial_tasks=big_tasks(n))
            wall = time.perf_counter() - start
        assert len(outputs) == n
        print(f"{f'{factor}x':<8} {n:>6} {n:>10} {wall:>8.2f} {peak.mb:>24.1f}")


if __name__ == "__main__":
    overhead()
    memory()
