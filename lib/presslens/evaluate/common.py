"""Shared scoring helpers: precision/recall/F1, span overlap, bootstrap intervals."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PRF:
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "tp": self.tp, "fp": self.fp, "fn": self.fn}

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Half-open character spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def any_overlap(spans_a: Sequence[tuple[int, int]], spans_b: Sequence[tuple[int, int]]) -> bool:
    return any(overlaps(x, y) for x in spans_a for y in spans_b)


def match_greedy(pred: Sequence, gold: Sequence, same) -> PRF:
    """One-to-one greedy matching of predicted to gold items under the predicate `same`."""
    used: set[int] = set()
    tp = 0
    for p in pred:
        for j, g in enumerate(gold):
            if j not in used and same(p, g):
                used.add(j)
                tp += 1
                break
    return PRF(tp, len(pred) - tp, len(gold) - tp)


def bootstrap_ci(values_a: Sequence, values_b: Sequence, metric, n: int = 1000,
                 seed: int = 0, alpha: float = 0.05) -> tuple[float, float]:
    """Percentile bootstrap interval of metric(a_sample, b_sample) over paired items."""
    rng = random.Random(seed)
    idx = list(range(len(values_a)))
    if not idx:
        return (0.0, 0.0)
    stats = []
    for _ in range(n):
        sample = [rng.choice(idx) for _ in idx]
        stats.append(metric([values_a[i] for i in sample], [values_b[i] for i in sample]))
    stats.sort()
    lo = stats[int(alpha / 2 * n)]
    hi = stats[min(n - 1, int((1 - alpha / 2) * n))]
    return (lo, hi)


def locate_anchor(text: str, anchor: str, occurrence: int = 0) -> tuple[int, int] | None:
    """(start, end) of the `occurrence`-th (0-based) exact occurrence of a gold anchor in the
    article text, as the real-news gold (FORMAT.md) locates its items; None when absent."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(anchor, start + 1)
        if start < 0:
            return None
    return start, start + len(anchor)
