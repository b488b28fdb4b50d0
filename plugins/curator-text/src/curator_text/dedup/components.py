"""Connected components of an edge list, vectorised: minimum-label propagation with pointer jumping."""

from __future__ import annotations

import numpy as np

__all__ = ["connected_components"]


def connected_components(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(nodes, roots)``: every node of the edges (sorted) and the smallest node of its component.

    Memory holds the edges and their nodes only, never the whole corpus.
    """
    if not len(a):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    nodes = np.unique(np.concatenate([a, b]))
    ia, ib = np.searchsorted(nodes, a), np.searchsorted(nodes, b)
    label = np.arange(len(nodes), dtype=np.int64)
    while True:
        low = np.minimum(label[ia], label[ib])
        np.minimum.at(label, ia, low)
        np.minimum.at(label, ib, low)
        while True:  # pointer jumping: follow labels to their own labels until fixed
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label[ia], label[ib]):
            break
    return nodes, nodes[label]
