"""What a system kept: the number of documents and a digest of their ``source`` ids (Parquet files).

Standard library plus pyarrow, so every system's virtualenv can run it on its own output.
"""

from __future__ import annotations

import glob
import hashlib
import os


def kept(output_dir: str, id_column: str = "source") -> dict[str, object]:
    import pyarrow.parquet as pq

    ids: list[str] = []
    for path in sorted(glob.glob(os.path.join(output_dir, "**", "*.parquet"), recursive=True)):
        ids.extend(str(value) for value in pq.read_table(path, columns=[id_column]).column(id_column).to_pylist())
    digest = hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:16]
    return {"kept": len(ids), "digest": digest}
