"""Pieces the learned models share: the F1 of binary decisions, the F1-optimal cut on a score,
and seeded k-fold splits.

Training code (the check-worthiness model, the frame models, the cue detector) and their
model selection use these; evaluation against gold lives in `presslens.evaluate`, which the
analyses never import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def binary_f1(labels: np.ndarray, predicted: np.ndarray) -> float:
    """F1 of the positive class (0 when nothing is predicted or nothing is positive)."""
    labels = np.asarray(labels).astype(bool)
    predicted = np.asarray(predicted).astype(bool)
    tp = float((predicted & labels).sum())
    fp = float((predicted & ~labels).sum())
    fn = float((~predicted & labels).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def multilabel_f1(labels: np.ndarray, predicted: np.ndarray, average: str) -> float:
    """Micro F1 over every cell of a label matrix, or the macro mean of per-column F1."""
    if average == "micro":
        return binary_f1(labels, predicted)
    if average != "macro":
        raise ValueError(f"average {average!r}: 'micro' or 'macro'")
    scores = [binary_f1(labels[:, j], predicted[:, j]) for j in range(labels.shape[1])]
    return float(np.mean(scores)) if scores else 0.0


def best_cut(labels: np.ndarray, scores: np.ndarray, grid: Sequence[float],
             metric: Callable[[np.ndarray, np.ndarray], float] = binary_f1,
             ties: str = "nearest_half", tolerance: float = 1e-9,
             decimals: int | None = None) -> float:
    """The cut from `grid` whose decisions `scores >= cut` score best under `metric`
    (default: F1 of the positive class).

    Scores within `tolerance` of each other (or equal once rounded to `decimals`, when given)
    are ties, settled by `ties`: "nearest_half" keeps the cut nearest 0.5 (the default decision
    of a probability), "highest" the highest cut (the most conservative one), "centre" the
    middle of the tied cuts (when a flat optimum spans many cuts, its edges are where a little
    more data moves the choice most).

    >>> labels = np.array([0, 0, 1, 1])
    >>> best_cut(labels, np.array([0.1, 0.2, 0.8, 0.9]), [0.3, 0.4, 0.5, 0.6, 0.7], ties="centre")
    0.5
    >>> best_cut(labels, np.array([0.1, 0.2, 0.8, 0.9]), [0.3, 0.4, 0.5, 0.6, 0.7], ties="highest")
    0.7
    """
    if ties not in ("nearest_half", "highest", "centre"):
        raise ValueError(f"ties {ties!r}: 'nearest_half', 'highest' or 'centre'")
    scored = []  # (score, cut) per cut of the grid, the score rounded when `decimals` is given
    for cut in grid:
        score = float(metric(labels, scores >= float(cut)))
        scored.append((round(score, decimals) if decimals is not None else score, float(cut)))
    if ties == "centre":
        top = max(score for score, _ in scored)
        tied = sorted(cut for score, cut in scored if abs(score - top) <= tolerance)
        return tied[(len(tied) - 1) // 2]
    best, best_score = 0.5, -1.0
    for score, cut in scored:
        if decimals is not None:
            better, tied = score > best_score, score == best_score
        else:
            better, tied = score > best_score + tolerance, abs(score - best_score) <= tolerance
        if tied:
            better = cut > best if ties == "highest" else abs(cut - 0.5) < abs(best - 0.5)
        if better:
            best, best_score = cut, score
    return best


def kfold(n: int, folds: int, seed: int) -> list[np.ndarray]:
    """`folds` disjoint index sets covering range(n): a seeded permutation dealt round-robin,
    each set sorted."""
    order = np.random.RandomState(seed).permutation(n)
    return [np.sort(order[k::folds]) for k in range(folds)]
