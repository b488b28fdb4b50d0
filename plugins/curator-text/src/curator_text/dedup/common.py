"""What both workflows share: their result, executor resolution, and the duplicate-ids file layout."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from curator_core.storage import join
from curator_text.dedup.cache import read_checked
from curator_text.dedup.inputs import Corpus, ids_for_keys

__all__ = ["DedupResult", "id_table", "resolve", "shuffle_partitions"]

ID_COLUMNS = ("id", "kept_id", "cluster_id")


@dataclass
class DedupResult:
    """Where a workflow wrote its results, and how many documents it marked as duplicates."""

    duplicate_ids_path: str
    num_duplicates: int
    deduplicated_path: str | None = None
    output_files: list[str] = field(default_factory=list)


def resolve(executor: Any) -> Any:
    """One executor instance for every step of a run (a name, an instance, or None: the default)."""
    from curator_core.pipeline import resolve_executor

    # pyarrow imports pandas (when installed) on its first array from numpy; doing that here once lets
    # the local executor's forked workers share it instead of each importing it per step.
    pa.array(np.zeros(1))
    return resolve_executor(executor)


def shuffle_partitions(requested: int | None, num_inputs: int) -> int:
    """Partitions of an exchange: as requested, else about the square root of the input partitions."""
    if requested is not None:
        if requested < 1:
            raise ValueError(f"shuffle partitions must be >= 1, got {requested}")
        return requested
    return max(1, math.isqrt(num_inputs) + (num_inputs - math.isqrt(num_inputs) ** 2 > math.isqrt(num_inputs)))


def id_table(
    corpus: Corpus,
    removed: np.ndarray,
    kept: np.ndarray,
    id_field: str | None,
    ids_root: str,
    storage_options: dict[str, Any] | None,
) -> pa.Table:
    """The duplicate-ids table (removed id, kept id, cluster id) for document keys, in key order."""
    order = np.argsort(removed, kind="stable")
    removed, kept = removed[order], kept[order]
    if id_field is None:
        removed_ids: pa.Array = pa.array(ids_for_keys(corpus.files, removed), pa.string())
        kept_ids: pa.Array = pa.array(ids_for_keys(corpus.files, kept), pa.string())
    else:
        wanted = np.union1d(removed, kept)
        lookup = _user_ids(corpus, wanted, ids_root, storage_options)
        keys = lookup.column("key").to_numpy()
        ids = lookup.column("id")
        removed_ids = ids.take(pa.array(np.searchsorted(keys, removed)))
        kept_ids = ids.take(pa.array(np.searchsorted(keys, kept)))
    return pa.table({"id": removed_ids, "kept_id": kept_ids, "cluster_id": pa.array(kept, pa.int64())})


def _user_ids(corpus: Corpus, wanted: np.ndarray, ids_root: str, storage_options: dict[str, Any] | None) -> pa.Table:
    """(key, id) rows for ``wanted`` keys, reading only the partitions that hold them; sorted by key."""
    import pyarrow.compute as pc

    tables = []
    for partition in np.unique(corpus.partition_of_keys(wanted)).tolist():
        table = read_checked(join(ids_root, f"part-{partition:05d}.parquet"), storage_options=storage_options)
        tables.append(table.filter(pc.is_in(table.column("key"), pa.array(wanted))))
    table = pa.concat_tables(tables, promote_options="permissive") if tables else None
    if table is None or table.num_rows != len(wanted):
        raise RuntimeError(f"document ids for {len(wanted)} keys not found under {ids_root}; rerun the workflow")
    return table.sort_by("key").combine_chunks()
