"""datatrove 0.10.1 side of `nox -s compare`: the text workload on its local executor.

    <datatrove venv>/bin/python benchmarks/compare/datatrove_run.py INPUT_DIR OUTPUT_DIR PROCESSES

datatrove has no NeMo filters, so the two are written here with NeMo Curator's definitions: words
are ``text.strip().split()`` (50 <= n <= 700); the non-alphanumeric ratio counts characters outside
``[a-zA-Z0-9\\n?!,.]`` over all characters (<= 0.25; an empty text is 1.0). Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kept import kept

ALPHANUM = re.compile("[a-zA-Z0-9\n?!,.]")


def keep(text: str) -> bool:
    words = len(text.strip().split())
    if not 50 <= words <= 700:
        return False
    ratio = (len(text) - len(ALPHANUM.findall(text))) / len(text) if text else 1.0
    return ratio <= 0.25


def main(input_dir: str, output_dir: str, processes: str) -> None:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.filters import LambdaFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import ParquetWriter

    files = len([f for f in os.listdir(input_dir) if f.endswith(".jsonl")])
    started = time.perf_counter()
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(input_dir, glob_pattern="*.jsonl", id_key="source"),
            LambdaFilter(lambda doc: keep(doc.text)),
            ParquetWriter(output_dir),
        ],
        tasks=files,
        workers=int(processes),
        logging_dir=os.path.join(output_dir + "-logs"),
        skip_completed=False,
    ).run()
    print(json.dumps({"pipeline_s": time.perf_counter() - started, **kept(output_dir, id_column="id")}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
