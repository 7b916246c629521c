"""The learned cue detector as a scikit-learn estimator: a logistic regression over the feature
names of a candidate cue token (`presslens.sourcing.cue_features`), kept as one weight per
feature name so that scoring a token inside the extraction loop is a sum of a few dict look-ups.

`CueDetector.fit` fits the full model (`CueDetector.pipeline()`: binary feature-name counts, a
logistic regression) and keeps its compact form (weights rounded, small ones dropped), which
is what `predict_proba`, `save` and the shipped file (`resources/sourcing_cue_model.json`)
hold. `cue_model()` loads the shipped detector.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from .. import config
from ..atomic import write_bytes

CUE_MODEL_NAME = "sourcing_cue_model.json"
_ABOUT = ("Learned cue detector of presslens.sourcing; see sourcing_cue_model.md. "
          "Written by presslens.sourcing.train (scripts/train_sourcing_cues.py).")


def _feature_names(features: Sequence[str]) -> Sequence[str]:
    """The analyzer of the feature counts: a candidate's features are already names."""
    return features


def _canonical(X):
    """Column indices sorted in every row, as `CountVectorizer.transform` gives them (its
    `fit_transform` does not): fitting then sums each row in the same order as scoring."""
    X.sort_indices()
    return X


class CueDetector(ClassifierMixin, BaseEstimator):
    """Is a candidate token an attribution cue? A logistic regression over its feature names.

    Parameters
    ----------
    C : float
        Inverse L2 regularisation strength of the logistic regression.
    min_count : int
        Feature names seen in fewer candidates of the training data are dropped.
    min_weight : float
        Weights smaller than this in absolute value are left out of the compact form.
    decimals : int or None
        Weights and intercept of the compact form are rounded to this many decimals.
    threshold : float
        The decision cut on the probability (`predict`), tuned by `sourcing.train`.
    max_iter : int
        Iterations of the lbfgs solver.
    random_state : int
        Seed of the solver.

    Attributes
    ----------
    weights_ : dict of str to float
        The compact form: weight per feature name.
    intercept_ : float
    classes_ : ndarray
        ``[0, 1]``: not a cue, a cue.
    pipeline_ : sklearn.pipeline.Pipeline
        The full fitted model (absent on a detector read with `load`).
    meta_ : dict
        What the training recorded (data, cross-validated figures), read with `load`.

    Notes
    -----
    A feature name a candidate lists twice counts twice in the compact form (the sum runs
    over the list) and once in the full model (binary counts), as the shipped detector was
    trained and used.

    Examples
    --------
    >>> detector = CueDetector(C=1.0, threshold=0.5).fit(
    ...     [["lemma=say", "subj=ent_PERSON"], ["lemma=eat"], ["lemma=say"], ["lemma=run"]],
    ...     [1, 0, 1, 0])
    >>> detector.predict([["lemma=say"], ["lemma=eat"]])
    array([1, 0])
    """

    def __init__(self, C: float = 1.0, min_count: int = 1, min_weight: float = 0.0,
                 decimals: int | None = None, threshold: float = 0.5, max_iter: int = 2000,
                 random_state: int = 0):
        self.C = C
        self.min_count = min_count
        self.min_weight = min_weight
        self.decimals = decimals
        self.threshold = threshold
        self.max_iter = max_iter
        self.random_state = random_state

    def pipeline(self):
        """The full model this detector's compact form comes from, unfitted.

        Returns
        -------
        sklearn.pipeline.Pipeline
            Binary counts of the feature names seen in at least `min_count` candidates, then
            a logistic regression; it takes the same lists of feature names as the detector.

        Examples
        --------
        >>> from sklearn.model_selection import cross_val_predict         # doctest: +SKIP
        >>> cross_val_predict(CueDetector(C=0.3).pipeline(), features, labels,
        ...                   cv=folds, method="predict_proba")           # doctest: +SKIP
        """
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import FunctionTransformer

        return Pipeline([
            ("counts", CountVectorizer(analyzer=_feature_names, binary=True, min_df=self.min_count,
                                       lowercase=False, dtype=np.float64)),
            ("canonical", FunctionTransformer(_canonical, accept_sparse=True)),
            ("logistic", LogisticRegression(C=self.C, max_iter=self.max_iter,
                                            random_state=self.random_state)),
        ])

    def fit(self, X: Sequence[Sequence[str]], y) -> CueDetector:
        """Fit the full model and keep its compact form.

        Parameters
        ----------
        X : sequence of sequences of str
            Feature names per candidate token (`cue_features`).
        y : array-like of int
            1 for a cue, 0 otherwise.

        Returns
        -------
        CueDetector
            self.
        """
        pipe = self.pipeline().fit(X, y)
        names = pipe.named_steps["counts"].get_feature_names_out()
        logistic = pipe.named_steps["logistic"]
        coef = logistic.coef_[0]

        def compact(value: float) -> float:
            return float(value) if self.decimals is None else round(float(value), self.decimals)

        self.weights_ = {str(f): compact(w) for f, w in zip(names, coef) if abs(w) >= self.min_weight}
        self.intercept_ = compact(logistic.intercept_[0])
        self.classes_ = logistic.classes_
        self.pipeline_ = pipe
        return self

    def probability(self, features: Sequence[str]) -> float:
        """The probability that one candidate is a cue (the per-token call of the extraction).

        Parameters
        ----------
        features : sequence of str
            The candidate's feature names.

        Returns
        -------
        float
        """
        z = self.intercept_ + sum(map(self.weights_.get, features, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def predict_proba(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        """Probabilities of not a cue and a cue, one row per candidate.

        Parameters
        ----------
        X : sequence of sequences of str

        Returns
        -------
        ndarray of shape (n_candidates, 2)
        """
        p = np.array([self.probability(f) for f in X], dtype=float)
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        """1 where the probability reaches `threshold`, else 0.

        Parameters
        ----------
        X : sequence of sequences of str

        Returns
        -------
        ndarray of int
        """
        return self.classes_[(self.predict_proba(X)[:, 1] >= self.threshold).astype(int)]

    def save(self, path: Path | str, meta: dict | None = None) -> None:
        """Write the compact form as plain JSON, one weight a line (readable diffs).

        Parameters
        ----------
        path : path-like
        meta : dict, optional
            What to record about the training (written under "meta").
        """
        head = {"about": _ABOUT, "intercept": self.intercept_, "threshold": self.threshold,
                "params": {k: v for k, v in self.get_params().items() if k != "threshold"},
                "meta": meta if meta is not None else getattr(self, "meta_", {})}
        lines = [json.dumps(head, indent=1, ensure_ascii=False)[:-2] + ',\n"weights": {']
        items = sorted(self.weights_.items())
        lines += [f"{json.dumps(k, ensure_ascii=False)}: {v}" + ("," if n < len(items) - 1 else "")
                  for n, (k, v) in enumerate(items)]
        write_bytes(path, ("\n".join(lines) + "\n}}\n").encode("utf-8"))

    @classmethod
    def load(cls, path: Path | str) -> CueDetector:
        """A detector from the JSON `save` writes.

        Parameters
        ----------
        path : path-like

        Returns
        -------
        CueDetector
            Fitted (compact form only, no `pipeline_`).

        Examples
        --------
        >>> CueDetector.load(config.RESOURCES_DIR / CUE_MODEL_NAME).threshold   # doctest: +SKIP
        0.375
        """
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        detector = cls(**data.get("params", {}), threshold=float(data["threshold"]))
        detector.weights_ = dict(data["weights"])
        detector.intercept_ = float(data["intercept"])
        detector.classes_ = np.array([0, 1])
        detector.meta_ = data.get("meta", {})
        return detector


# The name of the detector before it was an estimator.
CueModel = CueDetector


@lru_cache(maxsize=1)
def cue_model() -> CueDetector | None:
    """The shipped learned cue detector (resources/sourcing_cue_model.json).

    Returns
    -------
    CueDetector or None
        None when the file is absent (the rules then work alone).

    Examples
    --------
    >>> cue_model().threshold
    0.375
    """
    path = config.RESOURCES_DIR / CUE_MODEL_NAME
    if not path.exists():
        return None
    return CueDetector.load(path)
