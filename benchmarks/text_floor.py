"""The framework-free floor for the text benchmark: the same work in the plainest fast script.

A process pool over the files; each file: pyarrow's JSON reader, word counts and non-alphanumeric
ratios from numpy byte tables over the Arrow string buffer (Python's exact rules for rows that
are not pure ASCII), then Parquet. Prints ``{"kept": N}`` as JSON.

    python benchmarks/text_floor.py INPUT_DIR OUTPUT_DIR [--processes 2]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
from multiprocessing import get_context

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
import pyarrow.parquet as pq


def _in(data: np.ndarray, ranges: list[tuple[int, int]]) -> np.ndarray:
    """Bytes inside any of the inclusive ranges, by uint8 wrap-around comparisons."""
    mask = np.zeros(len(data), dtype=bool)
    for low, high in ranges:
        mask |= (data - np.uint8(low)) <= (high - low)
    return mask


def _per_row(flags: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    return np.diff(np.searchsorted(np.flatnonzero(flags), offsets))


SPACE = [(9, 13), (28, 32)]
ALNUM = [(10, 10), (33, 33), (44, 44), (46, 46), (48, 57), (63, 63), (65, 90), (97, 122)]  # [a-zA-Z0-9\n?!,.]


def _scores(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    buffers = chunk.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[chunk.offset : chunk.offset + len(chunk) + 1].astype(np.int64)
    data = np.frombuffer(buffers[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    offsets -= offsets[0]
    space = _in(data, SPACE)
    starts = ~space
    starts[1:] &= space[:-1]
    heads = offsets[:-1][offsets[:-1] < offsets[1:]]
    starts[heads] = ~space[heads]
    words = _per_row(starts, offsets)
    alnum = _per_row(_in(data, ALNUM), offsets)  # ASCII members: bytes are characters
    nchar = np.frombuffer(pc.utf8_length(chunk).buffers()[1], dtype=np.int32)[: len(chunk)].astype(np.int64)
    ascii_bits = pc.string_is_ascii(chunk).buffers()[1]
    ascii_rows = np.unpackbits(np.frombuffer(ascii_bits, dtype=np.uint8), bitorder="little")[: len(chunk)].astype(bool)
    for row in np.flatnonzero(~ascii_rows):
        words[row] = len(chunk[int(row)].as_py().split())
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(nchar > 0, (nchar - alnum) / np.maximum(nchar, 1), 1.0)
    return words, ratio


def process_file(job: tuple[str, str]) -> int:
    path, out_dir = job
    table = pj.read_json(path, read_options=pj.ReadOptions(block_size=max(os.path.getsize(path) + 1, 1 << 20)))
    keep_parts = []
    for chunk in table.column("text").chunks:
        words, ratio = _scores(chunk)
        keep_parts.append((words >= 50) & (words <= 700) & (ratio <= 0.25))
    keep = np.concatenate(keep_parts)
    mask = pa.Array.from_buffers(pa.bool_(), len(keep), [None, pa.py_buffer(np.packbits(keep, bitorder="little"))])
    kept = table.filter(mask)
    target = os.path.join(out_dir, os.path.basename(path).replace(".jsonl", ".parquet"))
    pq.write_table(kept, target + ".tmp")
    os.replace(target + ".tmp", target)
    return kept.num_rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input_dir")
    parser.add_argument("output_dir")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    os.makedirs(args.output_dir, exist_ok=True)
    files = sorted(glob.glob(os.path.join(args.input_dir, "*.jsonl")))
    with get_context("fork").Pool(args.processes) as pool:
        kept = sum(pool.imap_unordered(process_file, [(f, args.output_dir) for f in files]))
    print(json.dumps({"kept": kept}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
