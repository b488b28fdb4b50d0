"""``python -m curator_text.dedup exact|fuzzy|remove ...``: the workflows from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m curator_text.dedup", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--input-path", required=True, nargs="+", help="files, folders or globs (local or URLs)")
        sub.add_argument("--output-path", required=True)
        sub.add_argument("--input-filetype", choices=["jsonl", "parquet"], default="jsonl")
        sub.add_argument("--id-field", default=None, help="the input's id column (default: generated ids)")
        sub.add_argument("--files-per-partition", type=int, default=1)
        sub.add_argument("--executor", default=None, help="a registered executor name (default: local)")

    for name, help_text in (("exact", "find identical documents"), ("fuzzy", "find near-duplicate documents")):
        sub = commands.add_parser(name, help=help_text)
        common(sub)
        sub.add_argument("--cache-path", required=True)
        sub.add_argument("--text-field", default="text")
        sub.add_argument("--perform-removal", action="store_true", help="also write <output>/deduplicated/")
        sub.add_argument("--shuffle-partitions", type=int, default=None)
        if name == "fuzzy":
            sub.add_argument("--char-ngrams", type=int, default=24)
            sub.add_argument("--num-bands", type=int, default=20)
            sub.add_argument("--minhashes-per-band", type=int, default=13)
            sub.add_argument("--seed", type=int, default=42)
            sub.add_argument("--jaccard-threshold", type=float, default=0.8)
            sub.add_argument("--no-false-positive-check", action="store_true", help="plain LSH, no Jaccard check")
    remove = commands.add_parser("remove", help="write the input without the listed duplicate ids")
    common(remove)
    remove.add_argument("--ids-to-remove-path", required=True, help="a folder of duplicate-id Parquet files")
    remove.add_argument("--duplicate-id-field", default="id")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from curator_text import dedup

    shared: dict[str, Any] = {
        "input_path": args.input_path if len(args.input_path) > 1 else args.input_path[0],
        "output_path": args.output_path,
        "input_filetype": args.input_filetype,
        "id_field": args.id_field,
        "files_per_partition": args.files_per_partition,
    }
    workflow: Any
    if args.command == "remove":
        workflow = dedup.TextDuplicatesRemovalWorkflow(
            ids_to_remove_path=args.ids_to_remove_path, duplicate_id_field=args.duplicate_id_field, **shared
        )
    else:
        shared.update(
            cache_path=args.cache_path,
            text_field=args.text_field,
            perform_removal=args.perform_removal,
            shuffle_partitions=args.shuffle_partitions,
        )
        if args.command == "exact":
            workflow = dedup.ExactDeduplicationWorkflow(**shared)
        else:
            workflow = dedup.FuzzyDeduplicationWorkflow(
                char_ngrams=args.char_ngrams,
                num_bands=args.num_bands,
                minhashes_per_band=args.minhashes_per_band,
                seed=args.seed,
                jaccard_threshold=args.jaccard_threshold,
                false_positive_check=not args.no_false_positive_check,
                **shared,
            )
    result = workflow.run(args.executor)
    summary = asdict(result)
    summary["output_files"] = len(summary["output_files"])
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
