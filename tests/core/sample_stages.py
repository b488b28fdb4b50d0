"""Task and stage types the core tests build pipelines from, written the way users write them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from curator_core import CompositeStage, EmptyTask, NodeInfo, ProcessingStage, Task, WorkerMetadata


@dataclass
class Words(Task[list[str]]):
    @property
    def num_items(self) -> int:
        return len(self.data)

    def validate(self) -> bool:
        return all(isinstance(w, str) for w in self.data)

    def content_key(self) -> str | None:
        return " ".join(self.data)


class Sentences(ProcessingStage[EmptyTask, Words]):
    """Source: one task per sentence."""

    def __init__(self, sentences: list[str]) -> None:
        self.sentences = sentences

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["words"]

    def process(self, task: EmptyTask) -> list[Words]:
        return [Words(task_id="", dataset_name="text", data=s.split()) for s in self.sentences]


class SplitWords(ProcessingStage[Words, Words]):
    """Fan-out: one task per word."""

    allow_fusion = False

    def process(self, task: Words) -> list[Words]:
        return [task.derive([word]) for word in task.data]


class DropShort(ProcessingStage[Words, Words]):
    """Filter: drop words shorter than ``min_len``."""

    def __init__(self, min_len: int = 3) -> None:
        self.min_len = min_len

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], ["words"]

    def process(self, task: Words) -> Words | None:
        return task if len(task.data[0]) >= self.min_len else None


class Upper(ProcessingStage[Words, Words]):
    """A stage with node and worker setup (records calls in ``log_dir`` when given)."""

    def __init__(self, log_dir: str | None = None) -> None:
        self.log_dir = log_dir
        self.table: dict[str, str] | None = None

    def _log(self, event: str) -> None:
        if self.log_dir:
            with open(os.path.join(self.log_dir, f"{event}-{os.getpid()}-{id(self)}"), "a") as handle:
                handle.write("x")

    def setup_on_node(self, node_info: NodeInfo | None = None, worker_metadata: WorkerMetadata | None = None) -> None:
        self._log("setup_on_node")

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        self.table = {}
        self._log("setup")

    def process(self, task: Words) -> Words:
        assert self.table is not None, "process before setup"
        self._log("process")
        self.record_metric("characters", sum(len(w) for w in task.data))
        return task.derive([w.upper() for w in task.data])

    def teardown(self) -> None:
        self._log("teardown")


class CountLetters(ProcessingStage[Words, Words]):
    """A vectorised batch stage."""

    batch_size = 4

    def process(self, task: Words) -> Words:
        return self.process_batch([task])[0]

    def process_batch(self, tasks: list[Words]) -> list[Any]:
        return [t.derive([*t.data, str(sum(len(w) for w in t.data))]) for t in tasks]


class ReadSentences(CompositeStage[EmptyTask, Words]):
    """A composite: source + fan-out, expanded at build time."""

    def __init__(self, sentences: list[str]) -> None:
        self.sentences = sentences

    def decompose(self) -> list[ProcessingStage[Any, Any]]:
        return [Sentences(self.sentences), SplitWords()]


class Boom(ProcessingStage[Words, Words]):
    """Raise on one word."""

    def __init__(self, word: str) -> None:
        self.word = word

    def process(self, task: Words) -> Words:
        if self.word in task.data:
            raise RuntimeError(f"cannot handle {self.word!r}")
        return task


class KillOnce(ProcessingStage[Words, Words]):
    """SIGKILL the worker the first time it sees ``word`` (a marker file remembers)."""

    def __init__(self, word: str, marker: str, always: bool = False) -> None:
        self.word = word
        self.marker = marker
        self.always = always

    def process(self, task: Words) -> Words:
        if self.word in task.data and (self.always or not os.path.exists(self.marker)):
            with open(self.marker, "a") as handle:
                handle.write("killed\n")
            os.kill(os.getpid(), 9)
        return task.derive(list(task.data))


class Sleepy(ProcessingStage[Words, Words]):
    """Sleep ``seconds`` per task (for interrupt tests)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def process(self, task: Words) -> Words:
        import time

        time.sleep(self.seconds)
        return task
