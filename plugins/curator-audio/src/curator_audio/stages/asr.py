"""``InferenceAsrStage``: transcribe entries in batches through an ASR adapter."""

from __future__ import annotations

from typing import Any

import numpy as np

from curator_audio.asr.registry import AdapterSpec, make_asr_adapter
from curator_audio.audio_io import UnreadableAudio, read_audio, resample, to_mono
from curator_audio.errors import AudioFileError
from curator_audio.policy import check_on_error, with_skipped
from curator_audio.tasks import AudioTask
from curator_core.resources import Resources
from curator_core.stages import ProcessingStage
from curator_core.workers import NodeInfo, WorkerMetadata

__all__ = ["InferenceAsrStage"]


class InferenceAsrStage(ProcessingStage[AudioTask, AudioTask]):
    """Store the recogniser's text for each entry under ``pred_text_key``.

    ``adapter`` is a registered name (``"pocketsphinx"``), ``{"name": ..., "params": {...}}``
    or an :class:`~curator_audio.asr.AsrAdapter`. The stage asks for ``cpus`` per worker (and
    ``gpus`` for adapters that use one) and hands every entry of a call's tasks to the adapter
    in one ``transcribe`` call. A task is already a batch of entries; raise ``batch_size`` (tasks
    per call) for adapters that gain from bigger batches (GPU models), keep it at 1 for CPU
    recognisers so tasks spread over workers. Audio is mixed to mono and resampled (soxr) to
    the adapter's rate first.
    """

    name = "InferenceAsrStage"
    resources = Resources(cpus=1.0)
    batch_size = 1

    def __init__(
        self,
        adapter: AdapterSpec = "pocketsphinx",
        filepath_key: str = "audio_filepath",
        pred_text_key: str = "pred_text",
        batch_size: int = 1,
        cpus: float = 1.0,
        gpus: float = 0.0,
        on_error: str = "raise",
    ) -> None:
        self.adapter = make_asr_adapter(adapter)
        self.filepath_key = filepath_key
        self.pred_text_key = pred_text_key
        self.batch_size = batch_size
        self.resources = Resources(cpus=cpus, gpus=gpus)
        self.on_error = check_on_error(self.name, on_error)

    def inputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.filepath_key]

    def outputs(self) -> tuple[list[str], list[str]]:
        return ["data"], [self.pred_text_key]

    def setup_on_node(self, node_info: NodeInfo | None = None, worker_metadata: WorkerMetadata | None = None) -> None:
        self.adapter.setup_on_node()

    def setup(self, worker_metadata: WorkerMetadata | None = None) -> None:
        self.adapter.setup()

    def teardown(self) -> None:
        self.adapter.teardown()

    def process(self, task: AudioTask) -> AudioTask:
        return self._transcribe([task])[0]

    def process_batch(self, tasks: list[AudioTask]) -> list[AudioTask | list[AudioTask] | None]:
        return list(self._transcribe(tasks))

    def _transcribe(self, tasks: list[AudioTask]) -> list[AudioTask]:
        kept: list[list[dict[str, Any]]] = []
        skipped: list[list[dict[str, str]]] = []
        waveforms: list[np.ndarray] = []
        for task in tasks:
            kept.append([])
            skipped.append([])
            for entry in task.data:
                try:
                    waveforms.append(self._load(entry[self.filepath_key]))
                except UnreadableAudio as exc:
                    if self.on_error == "raise":
                        raise AudioFileError(
                            exc.path, stage=self.name, task_id=task.task_id, reason=exc.reason
                        ) from exc
                    skipped[-1].append({"stage": self.name, "audio_filepath": exc.path, "error": exc.reason})
                    continue
                kept[-1].append(entry)
        texts = list(self.adapter.transcribe(waveforms)) if waveforms else []
        if len(texts) != len(waveforms):
            raise RuntimeError(
                f"{self.name}: ASR adapter {self.adapter.name!r} returned {len(texts)} texts "
                f"for {len(waveforms)} waveforms"
            )
        remaining = iter(texts)
        out: list[AudioTask] = []
        for task, entries, dropped in zip(tasks, kept, skipped):
            labelled = [{**entry, self.pred_text_key: next(remaining)} for entry in entries]
            out.append(with_skipped(self, task.derive(labelled), dropped))
        return out

    def _load(self, path: str) -> np.ndarray:
        samples, rate = read_audio(path, dtype="float32")
        return resample(to_mono(samples), rate, self.adapter.sample_rate)
