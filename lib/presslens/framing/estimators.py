"""The frame models' scikit-learn parts.

- `frame_features`: a `ColumnTransformer` from the model-input table (`features.model_inputs`)
  to one sparse matrix: TF-IDF word n-grams, then the indicator values times their weight, then
  the sentence embedding;
- `word_classifier`: per frame, a (balanced) logistic regression, or the soft vote of several
  learners, on word columns scaled by naive-Bayes log-count ratios (`NBScaledClassifier`);
- `embedding_classifier`: per frame, a balanced logistic regression on the embedding columns;
- `LateFusionClassifier`: the weighted mean of the two models' probabilities;
- `fit_per_frame`: one-vs-rest over the frames (`OneVsRestClassifier`), a frame that is always
  or never present in the training labels predicted as that constant.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import FunctionTransformer

from .features import TEXT_COLUMN

LEARNERS = ("lr", "ridge", "lr_unweighted")


def _csr(X) -> sparse.csr_matrix:
    return sparse.csr_matrix(np.asarray(X, dtype=np.float64))


def _dense(X) -> np.ndarray:
    return np.asarray(X.todense()) if sparse.issparse(X) else np.asarray(X)


def make_vectorizer(n_docs: int, ngram_max: int = 1) -> TfidfVectorizer:
    """The word n-gram vectorizer for a training set of `n_docs` articles.

    Parameters
    ----------
    n_docs : int
        Below 20 articles every word is kept (no document-frequency limits).
    ngram_max : int
        Longest n-gram.

    Returns
    -------
    sklearn.feature_extraction.text.TfidfVectorizer
        Sublinear tf, at most 50,000 features.

    Examples
    --------
    >>> make_vectorizer(100, 2).ngram_range
    (1, 2)
    """
    return TfidfVectorizer(ngram_range=(1, ngram_max), sublinear_tf=True,
                           min_df=2 if n_docs >= 20 else 1, max_df=0.9 if n_docs >= 20 else 1.0,
                           max_features=50000, dtype=np.float64)


def frame_features(n_docs: int, ngram_max: int = 1, indicator_columns: Sequence[str] = (),
                   indicator_weight: float = 0.0,
                   embedding_columns: Sequence[str] = ()) -> ColumnTransformer:
    """The feature step of a frame model: model-input table -> one sparse matrix.

    Parameters
    ----------
    n_docs : int
        Number of training articles (see `make_vectorizer`).
    ngram_max : int
        Longest word n-gram.
    indicator_columns : sequence of str
        The table's indicator columns; left out when `indicator_weight` is 0.
    indicator_weight : float
        Factor of the indicator values (their scale against the TF-IDF weights).
    embedding_columns : sequence of str
        The table's embedding columns (none: no embedding).

    Returns
    -------
    sklearn.compose.ColumnTransformer
        Parts "words", "indicators", "embedding" in that column order, sparse output (CSR).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"text": ["war and peace", "tax and jobs"], "ind:x": [0.5, 0.0]})
    >>> frame_features(2, indicator_columns=["ind:x"], indicator_weight=0.1).fit_transform(
    ...     table).shape
    (2, 6)
    """
    parts: list[tuple[str, Any, Any]] = [("words", make_vectorizer(n_docs, ngram_max), TEXT_COLUMN)]
    if indicator_weight > 0 and len(indicator_columns):
        parts.append(("indicators", FunctionTransformer(_csr), list(indicator_columns)))
    if len(embedding_columns):
        parts.append(("embedding", FunctionTransformer(_csr), list(embedding_columns)))
    weights = {"indicators": float(indicator_weight)} if len(parts) > 1 and parts[1][0] == "indicators" else None
    # Every part is sparse: the output is CSR whatever its density.
    return ColumnTransformer(parts, sparse_threshold=1.0, transformer_weights=weights)


def nb_log_count_ratios(X, y: np.ndarray, n_scaled: int, alpha: float = 1.0) -> np.ndarray:
    """Naive-Bayes log-count ratios of the first `n_scaled` columns (1 for the others).

    Parameters
    ----------
    X : sparse matrix
        Articles x features; a column counts as present where it is positive.
    y : numpy.ndarray
        0/1 labels of one frame.
    n_scaled : int
    alpha : float
        Smoothing count.

    Returns
    -------
    numpy.ndarray
        One factor per column: `log((p / |p|) / (q / |q|))` with p, q the smoothed counts of
        articles with and without the frame that contain the word.

    Examples
    --------
    >>> X = sparse.csr_matrix([[1.0, 0.0, 0.2], [0.0, 1.0, 0.7]])
    >>> nb_log_count_ratios(X, np.array([1, 0]), 2).round(2).tolist()
    [0.69, -0.69, 1.0]
    """
    present = (X[:, :n_scaled] > 0).astype(np.float64)
    p = alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
    ratio = np.log((p / p.sum()) / (q / q.sum()))
    return np.concatenate([ratio, np.ones(X.shape[1] - n_scaled)])


class NBScaledClassifier(ClassifierMixin, BaseEstimator):
    """A classifier of features scaled by naive-Bayes log-count ratios (NB-SVM, Wang & Manning
    2012): word columns are weighted by how much more often they occur in the frame's articles
    than elsewhere; the other columns (indicator values) keep weight 1.

    Parameters
    ----------
    estimator : classifier
        Fitted (a clone) on the scaled features.
    n_scaled : int
        The leading columns that are scaled (the words).
    alpha : float
        Smoothing count of the ratios.

    Examples
    --------
    >>> X = sparse.csr_matrix([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    >>> model = NBScaledClassifier(LogisticRegression(), n_scaled=2).fit(X, [1, 0, 1, 0])
    >>> bool(model.predict_proba(X)[0, 1] > 0.5)
    True
    """

    def __init__(self, estimator: Any = None, n_scaled: int = 0, alpha: float = 1.0):
        self.estimator = estimator
        self.n_scaled = n_scaled
        self.alpha = alpha

    def _scaled(self, X):
        return (X @ sparse.diags(self.scale_)).tocsr()

    def fit(self, X, y) -> NBScaledClassifier:
        X = X if sparse.issparse(X) else _csr(X)
        y = np.asarray(y)
        self.scale_ = nb_log_count_ratios(X, y, self.n_scaled, self.alpha)
        self.estimator_ = clone(self.estimator).fit(self._scaled(X), y)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X) -> np.ndarray:
        X = X if sparse.issparse(X) else _csr(X)
        return self.estimator_.predict_proba(self._scaled(X))

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class RidgeProbability(ClassifierMixin, BaseEstimator):
    """A ridge classifier whose margin is squashed into [0, 1]: 2 x margin through the logistic
    function, so that a margin of +-1 (ridge's regression target) maps to 0.12 / 0.88.

    Parameters
    ----------
    alpha : float
        Ridge strength.
    class_weight : "balanced" or None

    Examples
    --------
    >>> X = np.array([[1.0], [-1.0], [2.0], [-2.0]])
    >>> RidgeProbability().fit(X, [1, 0, 1, 0]).predict_proba([[3.0]])[0, 1] > 0.5
    np.True_
    """

    def __init__(self, alpha: float = 1.0, class_weight: str | None = "balanced"):
        self.alpha = alpha
        self.class_weight = class_weight

    def fit(self, X, y) -> RidgeProbability:
        self.ridge_ = RidgeClassifier(alpha=self.alpha, class_weight=self.class_weight).fit(X, y)
        self.classes_ = self.ridge_.classes_
        return self

    def predict_proba(self, X) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-2.0 * self.ridge_.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def word_learner(learners: Sequence[str], C: float, seed: int) -> Any:
    """The classifier of one frame's word and indicator columns (before NB scaling).

    Parameters
    ----------
    learners : sequence of {"lr", "lr_unweighted", "ridge"}
        One: that learner; several: their soft vote (mean probability).
    C : float
        Inverse regularisation strength (ridge's alpha is 1 / C: one knob for all members).
    seed : int

    Returns
    -------
    classifier

    Raises
    ------
    ValueError
        For an unknown learner name.

    Examples
    --------
    >>> type(word_learner(("lr", "ridge"), 1.0, 0)).__name__
    'VotingClassifier'
    """
    members: list[tuple[str, Any]] = []
    for name in learners:
        if name == "lr":
            # The dual liblinear solver: far faster when features outnumber articles.
            member: Any = LogisticRegression(C=C, class_weight="balanced", solver="liblinear",
                                             dual=True, max_iter=2000, random_state=seed)
        elif name == "lr_unweighted":
            # Without class weights the probabilities stay calibrated across frames, which is
            # what one shared (micro-F1) cut assumes.
            member = LogisticRegression(C=C, solver="liblinear", dual=True, max_iter=2000,
                                        random_state=seed)
        elif name == "ridge":
            member = RidgeProbability(alpha=1.0 / C, class_weight="balanced")
        else:
            raise ValueError(f"unknown learner {name!r}; expected some of {LEARNERS}")
        members.append((name if name not in dict(members) else f"{name}{len(members)}", member))
    if len(members) == 1:
        return members[0][1]
    return VotingClassifier(members, voting="soft")


def word_classifier(learners: Sequence[str], C: float, seed: int,
                    n_words: int | None = None) -> Any:
    """`word_learner`, on word columns NB-scaled when `n_words` (their number) is given.

    Parameters
    ----------
    learners : sequence of str
    C : float
    seed : int
    n_words : int, optional
        The leading word columns to scale (None: no NB scaling).

    Returns
    -------
    classifier

    Examples
    --------
    >>> type(word_classifier(("lr",), 1.0, 0, n_words=10)).__name__
    'NBScaledClassifier'
    """
    learner = word_learner(learners, C, seed)
    return learner if n_words is None else NBScaledClassifier(learner, n_scaled=n_words)


def embedding_classifier(C: float, seed: int, class_weight: str | None = "balanced") -> Any:
    """The classifier of one frame's sentence-embedding columns: a logistic regression.

    Parameters
    ----------
    C : float
    seed : int
    class_weight : "balanced" or None

    Returns
    -------
    sklearn.linear_model.LogisticRegression

    Examples
    --------
    >>> embedding_classifier(3.0, 0).C
    3.0
    """
    return LogisticRegression(C=C, class_weight=class_weight, solver="liblinear", max_iter=2000,
                              random_state=seed)


class LateFusionClassifier(ClassifierMixin, BaseEstimator):
    """Late fusion: `(1 - embedding_weight) * p_words + embedding_weight * p_embedding`, a
    classifier of the leading columns (words and indicator values) and one of the trailing
    `n_embedding` columns (the sentence embedding, read dense).

    Parameters
    ----------
    words : classifier
    embedding : classifier
    n_embedding : int
    embedding_weight : float

    Examples
    --------
    >>> X = np.array([[1.0, 0.0, 0.9], [0.0, 1.0, 0.1], [1.0, 0.0, 0.8], [0.0, 1.0, 0.2]])
    >>> model = LateFusionClassifier(LogisticRegression(), LogisticRegression(), 1, 0.5)
    >>> model.fit(X, [1, 0, 1, 0]).predict_proba(X).shape
    (4, 2)
    """

    def __init__(self, words: Any = None, embedding: Any = None, n_embedding: int = 0,
                 embedding_weight: float = 0.5):
        self.words = words
        self.embedding = embedding
        self.n_embedding = n_embedding
        self.embedding_weight = embedding_weight

    def _split(self, X) -> tuple[Any, np.ndarray]:
        n_head = X.shape[1] - self.n_embedding
        return X[:, :n_head], _dense(X[:, n_head:])

    def fit(self, X, y) -> LateFusionClassifier:
        head, tail = self._split(X)
        self.words_ = clone(self.words).fit(head, y)
        self.embedding_ = clone(self.embedding).fit(tail, y)
        self.classes_ = self.words_.classes_
        return self

    def predict_proba(self, X) -> np.ndarray:
        head, tail = self._split(X)
        return ((1.0 - self.embedding_weight) * self.words_.predict_proba(head)
                + self.embedding_weight * self.embedding_.predict_proba(tail))

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def fit_per_frame(estimator: Any, X, y: np.ndarray) -> OneVsRestClassifier:
    """One clone of `estimator` per frame (column of `y`), fitted one-vs-rest.

    Parameters
    ----------
    estimator : classifier
    X : array or sparse matrix
    y : numpy.ndarray
        Articles x frames 0/1 (at least two frames).

    Returns
    -------
    sklearn.multiclass.OneVsRestClassifier
        `predict_proba(X)` is articles x frames. A frame always (or never) present in `y` is
        predicted as that constant.

    Examples
    --------
    >>> X = np.array([[1.0], [-1.0], [2.0], [-2.0]])
    >>> y = np.array([[1, 0], [0, 0], [1, 0], [0, 0]])
    >>> fit_per_frame(LogisticRegression(), X, y).predict_proba(X)[:, 1].tolist()
    [0.0, 0.0, 0.0, 0.0]
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Label .* is present in all training examples")
        return OneVsRestClassifier(estimator).fit(X, y)
