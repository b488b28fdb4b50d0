"""Which distribution provides a well-known stage or executor name, for "not installed" errors.

Only a hint: the real registry is what installed plugins declare. Exact names first, then
prefixes (``Video*`` comes with curator-video).
"""

from __future__ import annotations

__all__ = ["KNOWN_EXECUTORS", "KNOWN_STAGES", "KNOWN_STAGE_PREFIXES", "distribution_for"]

KNOWN_EXECUTORS: dict[str, str] = {
    "xenna": "curator-executor-xenna",
    "ray_data": "curator-executor-raydata",
    "ray_actor_pool": "curator-executor-raydata",
}

KNOWN_STAGES: dict[str, str] = {
    **dict.fromkeys(
        [
            "JsonlReader",
            "JsonlReadStage",
            "JsonlWriter",
            "ParquetReader",
            "ParquetReadStage",
            "ParquetWriter",
            "Score",
            "Filter",
            "ScoreFilter",
            "Modify",
            "AddId",
            "LanguageId",
        ],
        "curator-text",
    ),
    **dict.fromkeys(
        ["FixedStrideExtractorStage", "SceneCutExtractorStage", "MotionScoringStage", "MotionFilterStage"],
        "curator-video",
    ),
    **dict.fromkeys(
        [
            "GetAudioDurationStage",
            "ResampleAudioStage",
            "MonoConversionStage",
            "VadSegmentationStage",
            "InferenceAsrStage",
            "GetPairwiseWerStage",
            "PreserveByValueStage",
        ],
        "curator-audio",
    ),
}

KNOWN_STAGE_PREFIXES: dict[str, str] = {
    "Video": "curator-video",
    "Clip": "curator-video",
    "Audio": "curator-audio",
    "Manifest": "curator-audio",
}


def distribution_for(kind: str, name: str) -> str | None:
    """The distribution that usually provides ``name`` (a ``stage`` or an ``executor``), if known."""
    if kind == "executor":
        return KNOWN_EXECUTORS.get(name)
    if name in KNOWN_STAGES:
        return KNOWN_STAGES[name]
    for prefix, distribution in KNOWN_STAGE_PREFIXES.items():
        if name.startswith(prefix):
            return distribution
    return None
