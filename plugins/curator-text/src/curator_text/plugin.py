"""curator-text's manifest: registers every text stage by name (imports nothing heavy)."""

from __future__ import annotations

from curator_core.plugins import StageSpec, hookimpl

_STAGES = [
    (
        "JsonlReader",
        "io.readers:JsonlReader",
        "Read JSONL files (paths, directory, glob) as DocumentBatches",
        "EmptyTask",
    ),
    (
        "ParquetReader",
        "io.readers:ParquetReader",
        "Read Parquet files (paths, directory, glob) as DocumentBatches",
        "EmptyTask",
    ),
    (
        "JsonlReadStage",
        "io.readers:JsonlReadStage",
        "Read a FileGroupTask of JSONL files into one DocumentBatch",
        "FileGroupTask",
    ),
    (
        "ParquetReadStage",
        "io.readers:ParquetReadStage",
        "Read a FileGroupTask of Parquet files into one DocumentBatch",
        "FileGroupTask",
    ),
    (
        "JsonlWriter",
        "io.writers:JsonlWriter",
        "Write each DocumentBatch to one JSONL file, atomically",
        "DocumentBatch",
    ),
    (
        "ParquetWriter",
        "io.writers:ParquetWriter",
        "Write each DocumentBatch to one Parquet file, atomically",
        "DocumentBatch",
    ),
    ("Score", "stages.score_filter:Score", "Add score columns from document filters", "DocumentBatch"),
    ("Filter", "stages.score_filter:Filter", "Keep rows whose field passes a filter's keep rule", "DocumentBatch"),
    (
        "ScoreFilter",
        "stages.score_filter:ScoreFilter",
        "Score documents and keep those a filter keeps",
        "DocumentBatch",
    ),
    (
        "Modify",
        "stages.modify:Modify",
        "Rewrite text with document modifiers (unicode, URLs, newlines)",
        "DocumentBatch",
    ),
    ("AddId", "stages.add_id:AddId", "Add stable document ids from the task id and row", "DocumentBatch"),
    ("LanguageId", "stages.language:LanguageId", "Add language and score columns (py3langid)", "DocumentBatch"),
]

_OUTPUT = {"JsonlWriter": "FileGroupTask", "ParquetWriter": "FileGroupTask"}


@hookimpl
def curator_stages() -> list[StageSpec]:
    return [
        StageSpec(
            name=name,
            target=f"curator_text.{target}",
            summary=summary,
            input_type=input_type,
            output_type=_OUTPUT.get(name, "DocumentBatch"),
        )
        for name, target, summary, input_type in _STAGES
    ]
