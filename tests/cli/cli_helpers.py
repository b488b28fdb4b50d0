"""What the CLI tests share: running ``curator`` in process and capturing what it prints."""

from __future__ import annotations

import io

from curator_core.cli import main

# A two-stage pipeline file over the ``counter`` fake plugin's LineCounter (see tests/conftest.py).
COUNTER_PIPELINE = """\
name: count-lines
requires_plugins: [counter]
stages:
  - stage: FilePartitioningStage
    params: {{file_paths: {corpus}, files_per_partition: 2}}
  - stage: LineCounter
    params: {{min_lines: 2}}
{executor}"""
IN_PROCESS = "executor: {name: local, config: {mode: in_process}}\n"


def run_cli(*argv: str) -> tuple[int, str, str]:
    """``curator *argv``: the exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
