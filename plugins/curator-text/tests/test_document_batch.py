from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from curator_text import DocumentBatch


def test_a_table_is_kept_as_is() -> None:
    table = pa.table({"text": ["a", "b"]})
    task = DocumentBatch(task_id="t", dataset_name="d", data=table)
    assert task.data is table
    assert task.num_items == 2
    assert task.validate()


def test_a_pandas_frame_is_converted_to_arrow() -> None:
    task = DocumentBatch(task_id="t", dataset_name="d", data=pd.DataFrame({"text": ["x", "y", "z"], "n": [1, 2, 3]}))
    assert isinstance(task.data, pa.Table)
    assert task.data.column_names == ["text", "n"]
    assert task.to_pandas()["n"].tolist() == [1, 2, 3]


def test_derive_keeps_metadata_and_converts_new_data() -> None:
    task = DocumentBatch(task_id="t", dataset_name="d", data=pa.table({"text": ["a"]}), _metadata={"k": 1})
    child = task.derive(pd.DataFrame({"text": ["b", "c"]}))
    assert isinstance(child, DocumentBatch)
    assert child.num_items == 2
    assert child._metadata == {"k": 1}
    assert child._metadata is not task._metadata


def test_other_data_is_refused() -> None:
    with pytest.raises(TypeError, match="pyarrow Table"):
        DocumentBatch(task_id="t", dataset_name="d", data=[1, 2])
