"""Readers and writers for JSONL and Parquet."""

from curator_text.io.jsonl import MalformedLineError
from curator_text.io.readers import JsonlReader, JsonlReadStage, ParquetReader, ParquetReadStage
from curator_text.io.writers import JsonlWriter, ParquetWriter

__all__ = [
    "JsonlReadStage",
    "JsonlReader",
    "JsonlWriter",
    "MalformedLineError",
    "ParquetReadStage",
    "ParquetReader",
    "ParquetWriter",
]
