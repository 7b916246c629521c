"""Fitting the learned cue detector and choosing its threshold.

Every candidate token of a training article (`cue_features`) is labelled a cue when it is the
syntactic head of a gold Cue span (other tokens inside a gold cue are left out). The threshold
is the cut that maximises the token-level cue F1 of the rules and the detector together (the
detector only adds cues to what the rules find), on out-of-fold probabilities of the full model
(cross-validation by article); the detector is then fitted on every training article and its
compact form shipped. The settings come from the `[sourcing]` section of resources/tuned.toml.

The gold data is the caller's: `scripts/train_sourcing_cues.py` reads the PolNeAR train split
through `presslens.evaluate.sourcing` and passes its parsed articles here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .. import config, learn
from ..components import DocContext
from .cues import CueDetector
from .extract import from_doc
from .features import CANDIDATE_POS, cue_features

# Vetoes of rule cues the detector scores below these, reported for information (not shipped).
VETO_GRID = (0.02, 0.05, 0.1, 0.15)


@dataclass
class CueTrainingSet:
    """Candidate tokens of the training articles: feature names, labels (1: head of a gold cue),
    whether a rule cue covers the token, the article number of each, and how many gold cue
    heads are no candidate at all."""

    features: list[list[str]]
    labels: np.ndarray
    rule: np.ndarray
    groups: np.ndarray
    unreachable: int


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def training_set(articles: Iterable[tuple[str, object, list[dict]]]) -> CueTrainingSet:
    """The candidate tokens of parsed articles with gold attributions.

    Parameters
    ----------
    articles : iterable of (str, spacy.tokens.Doc, list of dict)
        Name, parse and gold relations per article; a relation's "cue" is a list of
        (start, end) character spans (`presslens.evaluate.sourcing.read_ann`).

    Returns
    -------
    CueTrainingSet

    Examples
    --------
    >>> data = training_set([("a1", doc, [{"cue": [(10, 14)]}])])   # doctest: +SKIP
    >>> data.labels.sum()                                          # doctest: +SKIP
    1
    """
    feats: list[list[str]] = []
    labels: list[int] = []
    rule: list[int] = []
    groups: list[int] = []
    unreachable = 0
    for n, (name, doc, gold) in enumerate(articles):
        rows = from_doc(DocContext.of(name, doc, "sourcing", learned_cues=False, cue_convention=None))["attributions"]
        rule_spans = [(r["cue_start"], r["cue_end"]) for r in rows]
        heads: set[int] = set()
        inside: set[int] = set()
        for g in gold:
            toks = [t for t in doc if any(_overlap((t.idx, t.idx + len(t.text)), s) for s in g["cue"])]
            if not toks:
                continue
            ids = {t.i for t in toks}
            head = [t for t in toks if t.head.i not in ids or t.head == t]
            chosen = next((t for t in head if t.pos_ in CANDIDATE_POS), head[0] if head else toks[0])
            heads.add(chosen.i)
            inside |= ids
        cands = cue_features(doc)
        unreachable += len(heads - {i for i, _ in cands})
        for i, f in cands:
            if i in inside and i not in heads:
                continue
            tok = doc[i]
            span = (tok.idx, tok.idx + len(tok.text))
            feats.append(f)
            labels.append(int(i in heads))
            rule.append(int(any(_overlap(span, s) for s in rule_spans)))
            groups.append(n)
    return CueTrainingSet(feats, np.array(labels), np.array(rule), np.array(groups), unreachable)


def token_scores(predicted: np.ndarray, labels: np.ndarray) -> dict:
    """Token-level precision, recall and F1 of cue decisions, rounded to 4 decimals.

    Parameters
    ----------
    predicted, labels : ndarray of bool or int

    Returns
    -------
    dict
        precision, recall, f1.
    """
    predicted = np.asarray(predicted).astype(bool)
    labels = np.asarray(labels) == 1
    tp = int((predicted & labels).sum())
    p = tp / max(1, int(predicted.sum()))
    r = tp / max(1, int(labels.sum()))
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(learn.binary_f1(labels, predicted), 4)}


def select_threshold(prob: np.ndarray, labels: np.ndarray, rule: np.ndarray, grid: np.ndarray,
                     veto: float = 0.0) -> tuple[float, dict]:
    """The cut on the detector's probability that maximises the token-level cue F1 of the rules
    and the detector together.

    Parameters
    ----------
    prob : ndarray
        The detector's (out-of-fold) probability per candidate.
    labels : ndarray
        1 for a gold cue head.
    rule : ndarray
        1 where a rule cue covers the candidate.
    grid : ndarray
        The cuts to try.
    veto : float
        A rule cue the detector scores below this is dropped (0: none is).

    Returns
    -------
    (float, dict)
        The cut (rounded to 3 decimals) and the `token_scores` at it.

    Examples
    --------
    >>> select_threshold(np.array([0.9, 0.25, 0.59, 0.61]), np.array([1, 1, 0, 1]),
    ...                  np.array([0, 1, 0, 0]), np.arange(0.2, 0.91, 0.025))
    (0.6, {'precision': 1.0, 'recall': 1.0, 'f1': 1.0})
    """
    kept = (rule == 1) & (prob >= veto)
    cut = learn.best_cut(labels, prob, grid, metric=lambda y, by_model: learn.binary_f1(y, kept | by_model))
    return round(cut, 3), token_scores(kept | (prob >= cut), labels)


def settings() -> dict:
    """The detector's training settings from resources/tuned.toml.

    Returns
    -------
    dict
        C, min_count, min_weight and the threshold grid (an ndarray).
    """
    tuned = config.tuned("sourcing")
    return {"C": float(tuned["cue_C"]), "min_count": int(tuned["cue_min_feature_count"]),
            "min_weight": float(tuned["cue_min_weight"]), "grid": np.arange(*tuned["cue_threshold_grid"])}


def train_cue_detector(data: CueTrainingSet, folds: int = 5, C: float | None = None) -> tuple[CueDetector, dict]:
    """Choose the threshold by cross-validation by article, then fit on every candidate.

    Parameters
    ----------
    data : CueTrainingSet
    folds : int
        Article k of the training set is in fold ``k % folds``.
    C : float, optional
        Regularisation; default the tuned value.

    Returns
    -------
    (CueDetector, dict)
        The fitted detector (compact weights rounded to 5 decimals) and the report of the
        cross-validation (what `CueDetector.save` records as "meta").

    Examples
    --------
    >>> detector, report = train_cue_detector(training_set(parsed_gold))   # doctest: +SKIP
    >>> detector.save(config.RESOURCES_DIR / CUE_MODEL_NAME, meta=report)  # doctest: +SKIP
    """
    from sklearn.model_selection import cross_val_predict

    tuned = settings()
    C = tuned["C"] if C is None else C
    grid = tuned["grid"]
    y, rule = data.labels, data.rule
    detector = CueDetector(C=C, min_count=tuned["min_count"], min_weight=tuned["min_weight"], decimals=5)
    fold = data.groups % folds
    splits = [(np.flatnonzero(fold != k), np.flatnonzero(fold == k)) for k in range(folds)]
    oof = cross_val_predict(detector.pipeline(), data.features, y, cv=splits, method="predict_proba")[:, 1]
    threshold, combined = select_threshold(oof, y, rule, grid)
    alone_cut, alone = select_threshold(oof, y, np.zeros(len(y), dtype=int), grid)
    report = {
        "train_articles": int(data.groups.max() + 1), "candidates": len(y), "gold_cue_heads": int(y.sum()),
        "gold_cue_heads_not_candidates": data.unreachable, "C": C,
        "cv_token_f1_rules_only": token_scores(rule == 1, y),
        "cv_token_f1_rules_plus_model": combined,
        "cv_token_f1_with_veto_not_shipped": {f"veto_{v}": select_threshold(oof, y, rule, grid, v)[1]
                                              for v in VETO_GRID},
        "cv_token_f1_model_alone": {"threshold": alone_cut, **alone},
    }
    detector.set_params(threshold=threshold).fit(data.features, y)
    return detector, report
