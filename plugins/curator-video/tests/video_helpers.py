"""Helpers shared by the video tests."""

from __future__ import annotations

from curator_core import FileGroupTask
from curator_video.stages.reader import VideoReaderStage
from curator_video.tasks import VideoTask

FPS = 24


def read_task(path: str) -> VideoTask:
    """A probed VideoTask for one file, as the reader makes it."""
    (task,) = VideoReaderStage().process(FileGroupTask(task_id="t", dataset_name="d", data=[path]))
    task.task_id = "t"
    return task
