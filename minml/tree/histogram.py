"""Histograms: the per-bin sums that the split search reads, for many nodes and all features at once.

Once every value is a bin code (:mod:`minml.tree.binning`), the quality of the
split "code ≤ b" on feature f of node t depends only on sums over the samples
of t: how much weight of each class (classification), the weight and Σ w·y
(regression), or the gradients and hessians (boosting) fall in each bin. These
sums, one vector per (node, feature, bin), are the node's *histograms*; a
cumulative sum over the bins then gives the left child's sums for every
threshold at once (:mod:`minml.tree.splitter`).

All histograms of a batch of nodes come from one ``bincount``. Sample i of the
node in slot s, whose code on feature f is c, adds its channel values at the
flat position ::

    key = (s · n_features + f) · n_bins + c

so ``bincount(keys, weights=channel)`` fills a (slots, features, bins) array
in one vectorised pass: no loop over samples, features or nodes. For class
counts one more trick: ``key + y · n_keys`` puts each class in its own block,
so one bincount gives all K class channels. Channels come first in the result,
(C, slots, features, bins), so that each channel is one contiguous array.

The part ``f · n_bins + c`` does not depend on the node: :func:`feature_keys`
computes it once per fit, in the narrowest integer type that holds it, and a
single node's keys are then one gather of its rows.

A parent's histogram is the sum of its children's. So once a node is split,
only the smaller child needs counting: the larger one's histograms are
parent - smaller (*histogram subtraction*, as in LightGBM), which at least
halves the counting (the best-first growth of :mod:`minml.tree.builder`).

A :class:`Channels` says which per-sample quantities are summed: an optional
class label (spread over K channels) and a list of per-sample values, where
None stands for 1 (a plain count, cheapest: ``bincount`` without weights).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from minml import backend

__all__ = ["Channels", "channel_sums", "feature_keys", "node_histograms"]

BLOCK_CELLS = 1 << 15
"""Keys handed to one ``bincount`` call at most: 256 KiB of int64 keys, which stay in cache for every channel's pass."""


@dataclass
class Channels:
    """The per-sample quantities a histogram sums, one output channel each.

    ``labels`` (int codes 0..K-1) with ``n_labels`` = K, when given, spread
    ``values[0]`` over K class channels; every other entry of ``values`` is a
    per-sample array, or None for 1. ``extra`` holds quantities needed per node
    but never per bin (Σ w·y² for the regression impurity).
    """

    values: list
    labels: object = None
    n_labels: int = 1
    extra: tuple = ()

    @property
    def n_channels(self) -> int:
        return len(self.values) + (self.n_labels - 1 if self.labels is not None else 0)


def _sum_into(out, keys, n_keys: int, channels: Channels, sample_index, values) -> None:
    """Add, for each channel of ``values``, the bincount over ``keys`` (shape (m, k)) into ``out[channel]``."""
    xp = backend.namespace(keys)
    width = keys.shape[1]
    keys = keys.astype(np.int64, copy=False)  # NumPy's bincount would convert any other type once per channel
    flat = keys.reshape(-1)
    column = 0
    for position, value in enumerate(values):
        weights = None if value is None else xp.repeat(value[sample_index], width)
        if position == 0 and channels.labels is not None:
            K = channels.n_labels
            labelled = (keys + channels.labels[sample_index][:, None].astype(keys.dtype) * n_keys).reshape(-1)
            out[column : column + K] += backend.bincount(labelled, weights=weights, minlength=n_keys * K).reshape(K, -1)
            column += K
        else:
            out[column] += backend.bincount(flat, weights=weights, minlength=n_keys)
            column += 1


def channel_sums(keys, n_keys: int, channels: Channels, sample_index, *, with_extra: bool = False):
    """Per-key sums of every channel: (C, n_keys) float64; ``keys`` (m,) gives one key per sample of ``sample_index``.

    With ``with_extra`` the ``extra`` channels follow the others (used for per-node statistics).
    """
    xp = backend.namespace(keys)
    values = list(channels.values) + (list(channels.extra) if with_extra else [])
    out = xp.zeros((channels.n_channels + (len(channels.extra) if with_extra else 0), n_keys), dtype=np.float64)
    _sum_into(out, keys.reshape(-1, 1), n_keys, channels, sample_index, values)
    return out


def feature_keys(codes, n_bins: int):
    """``f · n_bins + codes[:, f]`` for every feature f: (n, p) in the narrowest signed integer type that holds it."""
    xp = backend.namespace(codes)
    n_keys = codes.shape[1] * n_bins
    dtype = np.int16 if n_keys <= 2**15 else np.int32 if n_keys <= 2**31 else np.int64
    return codes.astype(dtype) + xp.arange(codes.shape[1], dtype=dtype)[None, :] * n_bins


def node_histograms(codes, sample_index, slot, n_slots: int, n_bins: int, channels: Channels, features=None, *,
                    keys=None, block_cells: int = BLOCK_CELLS):
    """Histograms (C, n_slots, n_features, n_bins) of the samples ``sample_index``, sample i going to slot ``slot[i]``.

    ``slot`` is non-decreasing (the samples grouped by slot, in slot order),
    or None to put every sample in the one slot. ``features`` (n_slots, k)
    restricts each slot to its own k features (random forests draw them per
    node); None means all features in order, read from ``keys``
    (:func:`feature_keys` of ``codes``) when given. The samples are processed
    in blocks of at most ``block_cells`` keys; a block spans a few slots only,
    so its bincount covers just their part of the output.
    """
    xp = backend.namespace(codes)
    n, n_features = sample_index.shape[0], codes.shape[1] if features is None else features.shape[1]
    cells = n_features * n_bins  # per slot
    out = xp.zeros((channels.n_channels, n_slots * cells), dtype=np.float64)
    offsets = xp.arange(n_features, dtype=np.int64)[None, :] * n_bins
    block = max(1, block_cells // n_features)
    starts = range(0, n, block)
    spans = [(0, 1)] * len(starts)  # the slots lo..hi-1 that each block's samples go to
    if slot is not None and n:  # block b's go from its first sample's slot to the next block's first (or the last)
        first = np.append(backend.asnumpy(slot[::block]), backend.to_scalar(slot[-1])).tolist()
        spans = [(first[b], first[b + 1] + 1) for b in range(len(starts))]
    for start, (lo, hi) in zip(starts, spans):
        index = sample_index[start : start + block]
        # whole rows by take(axis=0): NumPy's fancy indexing of 2-D rows is about twice as slow
        if features is None and keys is not None:
            node_keys = xp.take(keys, index, axis=0).astype(np.int64)
        else:
            if features is None:
                bins = xp.take(codes, index, axis=0)
            else:
                bins = codes[index[:, None], features[slot[start : start + block]]]
            node_keys = offsets + bins.astype(np.int64)
        if slot is not None:
            node_keys += (slot[start : start + block, None] - lo).astype(np.int64) * cells
        _sum_into(out[:, lo * cells : hi * cells], node_keys, (hi - lo) * cells, channels, index, channels.values)
    return out.reshape(channels.n_channels, n_slots, n_features, n_bins)
