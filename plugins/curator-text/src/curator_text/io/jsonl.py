"""Parse a JSONL file into an Arrow table: pyarrow's reader, with an exact line-by-line fallback.

The fallback runs only when pyarrow refuses a file; it finds the malformed lines (not JSON, or
not a JSON object) and either raises naming file and line or skips them and says which.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.json as pj

from curator_core.storage import canonical_path, is_local, open_input
from curator_core.storage._io import size as file_size

__all__ = ["ON_ERROR", "JsonlFile", "MalformedLineError", "read_jsonl"]

ON_ERROR = ("raise", "skip")
_MIN_BLOCK = 1 << 20
_MAX_BLOCK = 64 << 20


class MalformedLineError(ValueError):
    """A JSONL line that is not a JSON object; names the file and the (1-based) line."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: malformed JSONL line ({reason})")
        self.path = path
        self.line = line
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.line, self.reason))


@dataclass
class JsonlFile:
    """What reading one file gave: its rows and the lines skipped."""

    table: pa.Table
    skipped: list[dict[str, object]] = field(default_factory=list)


def read_jsonl(path: str, on_error: str = "raise", storage_options: Mapping[str, Any] | None = None) -> JsonlFile:
    """Read one JSONL file, a local path or a URL (blank lines are ignored)."""
    if on_error not in ON_ERROR:
        raise ValueError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")
    if is_local(path):
        size = file_size(path)
        content: bytes | None = None
    else:  # one GET: the whole object is parsed into memory anyway
        with open_input(path, "rb", storage_options) as handle:
            content = handle.read()
        size = len(content)
    if size == 0:
        return JsonlFile(pa.table({}))
    options = pj.ReadOptions(block_size=min(max(size + 1, _MIN_BLOCK), _MAX_BLOCK))
    try:
        source = canonical_path(path) if content is None else pa.BufferReader(content)
        return JsonlFile(pj.read_json(source, read_options=options))
    except pa.ArrowInvalid:
        if content is None:
            with open_input(path, "rb") as handle:
                content = handle.read()
        return _read_line_by_line(path, content, on_error)


def _read_line_by_line(path: str, content: bytes, on_error: str) -> JsonlFile:
    lines = content.split(b"\n")
    good: list[bytes] = []
    skipped: list[dict[str, object]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        reason = _problem(line)
        if reason is None:
            good.append(line)
            continue
        if on_error == "raise":
            raise MalformedLineError(path, number, reason)
        skipped.append({"file": path, "line": number, "error": reason})
    if not good:
        return JsonlFile(pa.table({}), skipped)
    data = b"\n".join(good)
    try:
        table = pj.read_json(
            io.BytesIO(data), read_options=pj.ReadOptions(block_size=min(max(len(data) + 1, _MIN_BLOCK), 1 << 30))
        )
    except pa.ArrowInvalid as exc:
        # Valid JSON that pyarrow's reader cannot type (a very long line, say): build it from Python.
        try:
            table = pa.Table.from_pylist([json.loads(line) for line in good])
        except (pa.ArrowInvalid, pa.ArrowTypeError) as inner:
            raise ValueError(f"{path}: the JSON values cannot form one table ({inner}; pyarrow: {exc})") from inner
    return JsonlFile(table, skipped)


def _problem(line: bytes) -> str | None:
    try:
        value = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    if not isinstance(value, dict):
        return f"expected a JSON object, got {type(value).__name__}"
    return None
