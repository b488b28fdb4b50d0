"""The core's stage conformance suite, for every stage this plugin registers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import audio_task, write_wav

from curator_audio import (
    AudioFilesToEntriesStage,
    GetAudioDurationStage,
    GetPairwiseWerStage,
    InferenceAsrStage,
    ManifestReaderStage,
    ManifestWriterStage,
    MonoConversionStage,
    PreserveByValueStage,
    ResampleAudioStage,
    VadSegmentationStage,
)
from curator_audio.testing import AudioStageSuite
from curator_core.tasks import FileGroupTask


@pytest.fixture(autouse=True)
def _files(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Give each suite a folder with a few small audio files (and the speech corpus when it needs one)."""
    suite = request.instance
    suite.tmp = tmp_path
    suite.wavs = [
        str(write_wav(tmp_path / "in" / "a.wav", 0.4, 16000)),
        str(write_wav(tmp_path / "in" / "b.wav", 0.3, 22050, channels=2)),
    ]
    if getattr(suite, "needs_speech", False):
        suite.speech = request.getfixturevalue("corpus_entries")


class _Entries(AudioStageSuite):
    def sample_tasks(self):  # type: ignore[no-untyped-def]
        return [
            audio_task([{"audio_filepath": self.wavs[0], "text": "a b", "pred_text": "a b", "wer": 0.0}], "t0"),
            audio_task([{"audio_filepath": self.wavs[1], "text": "a b", "pred_text": "a c", "wer": 50.0}], "t1"),
        ]


class TestGetAudioDurationStage(_Entries):
    def make_stage(self):  # type: ignore[no-untyped-def]
        return GetAudioDurationStage()


class TestResampleAudioStage(_Entries):
    def make_stage(self):  # type: ignore[no-untyped-def]
        return ResampleAudioStage(str(self.tmp / "resampled"), target_sample_rate=8000)


class TestMonoConversionStage(_Entries):
    def make_stage(self):  # type: ignore[no-untyped-def]
        return MonoConversionStage(str(self.tmp / "mono"))


class TestGetPairwiseWerStage(_Entries):
    def make_stage(self):  # type: ignore[no-untyped-def]
        return GetPairwiseWerStage()


class TestPreserveByValueStage(_Entries):
    def make_stage(self):  # type: ignore[no-untyped-def]
        return PreserveByValueStage("wer", 20.0, "lt")


class TestManifestWriterStage(_Entries):
    def make_stage(self):  # type: ignore[no-untyped-def]
        return ManifestWriterStage(str(self.tmp / "manifests"))

    def columns_of(self, task):  # type: ignore[no-untyped-def]
        return None  # a FileGroupTask of paths has no columns


class TestVadSegmentationStage(AudioStageSuite):
    needs_speech = True

    def make_stage(self):  # type: ignore[no-untyped-def]
        return VadSegmentationStage(str(self.tmp / "segments"))

    def sample_tasks(self):  # type: ignore[no-untyped-def]
        return [audio_task(self.speech[:1], "s0"), audio_task(self.speech[1:2], "s1")]


class TestInferenceAsrStage(AudioStageSuite):
    needs_speech = True

    def make_stage(self):  # type: ignore[no-untyped-def]
        return InferenceAsrStage("pocketsphinx", batch_size=2)

    def sample_tasks(self):  # type: ignore[no-untyped-def]
        # Silence decodes fastest; the suite checks the contract, test_asr checks recognition.
        return [audio_task(self.speech[-1:], "s0"), audio_task(self.speech[-1:] * 2, "s1")]


class TestManifestReaderStage(AudioStageSuite):
    def make_stage(self):  # type: ignore[no-untyped-def]
        return ManifestReaderStage(entries_per_task=1)

    def sample_tasks(self):  # type: ignore[no-untyped-def]
        manifest = self.tmp / "in" / "m.jsonl"
        manifest.write_text(
            "".join(json.dumps({"audio_filepath": Path(p).name, "text": "x"}) + "\n" for p in self.wavs)
        )
        return [FileGroupTask(task_id="g0", dataset_name="test", data=[str(manifest)])]


class TestAudioFilesToEntriesStage(AudioStageSuite):
    def make_stage(self):  # type: ignore[no-untyped-def]
        return AudioFilesToEntriesStage()

    def sample_tasks(self):  # type: ignore[no-untyped-def]
        return [FileGroupTask(task_id="g0", dataset_name="test", data=list(self.wavs))]
