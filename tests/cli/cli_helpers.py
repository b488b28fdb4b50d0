"""What the CLI tests share: running ``curator`` in process and capturing what it prints."""

from __future__ import annotations

import io

from curator_core.cli import main


def run_cli(*argv: str) -> tuple[int, str, str]:
    """``curator *argv``: the exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
