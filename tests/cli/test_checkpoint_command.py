"""``curator run --checkpoint``: a rerun skips finished partitions; another plan is refused."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from cli_helpers import run_cli


def test_rerun_with_checkpoint_skips_done_partitions_and_refuses_another_plan(
    add_stage_plugin: Callable[..., object], tmp_path: Path
) -> None:
    add_stage_plugin("counter")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, lines in {"a.txt": 1, "b.txt": 3, "c.txt": 5, "d.txt": 0}.items():
        (corpus / name).write_text("line\n" * lines)
    pipeline = tmp_path / "pipeline.yaml"
    pipeline.write_text(
        textwrap.dedent(f"""
        name: count-lines
        stages:
          - stage: FilePartitioningStage
            params: {{file_paths: {corpus}, files_per_partition: 2}}
          - stage: LineCounter
            params: {{min_lines: 2}}
        executor: {{name: local, config: {{mode: in_process}}}}
        """)
    )
    checkpoint = str(tmp_path / "ckpt")

    code, out, err = run_cli("run", str(pipeline), "--checkpoint", checkpoint)
    assert (code, err) == (0, "")
    assert "0 partitions skipped as already done" in out

    code, out, err = run_cli("run", str(pipeline), "--checkpoint", checkpoint)
    assert (code, err) == (0, "")
    assert "2 partitions skipped as already done" in out

    changed = ("--set", "stages.LineCounter.params.min_lines=3")
    code, out, err = run_cli("run", str(pipeline), *changed, "--checkpoint", checkpoint)
    assert code != 0
    assert "stage 'LineCounter': min_lines 2 -> 3" in err
    assert "--discard-checkpoint" in err and "--traceback" not in err

    code, out, err = run_cli("run", str(pipeline), *changed, "--checkpoint", checkpoint, "--discard-checkpoint")
    assert (code, err) == (0, "")
    assert "0 partitions skipped as already done" in out
