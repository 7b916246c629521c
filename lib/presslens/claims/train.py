"""Fitting the check-worthiness model: scikit-learn pipelines, their soft-voting ensemble,
the compilation into the plain-array `CheckWorthinessModel`, and the choice of its cut.

    ensemble = checkworthiness_ensemble()                  # VotingClassifier of two Pipelines
    clf = CheckWorthinessClassifier(seed=0).fit(texts, labels)
    clf.model_.save(config.RESOURCES_DIR / MODEL_STEM)     # what scripts/train_checkworthy.py does

The two members (see claims_checkworthy_model.md for what was tried and measured):

- `tfidf_pipeline`: hashed word 1-2-grams and char_wb 2-5-grams, each sublinear TF-IDF with
  L2 rows, and the hand features, in one FeatureUnion -> class-balanced LogisticRegression;
- `nb_pipeline`: binary hashed word 1-2-grams scaled by their naive-Bayes log-count ratio
  (`NBLogCountRatio`, Wang & Manning 2012) and the hand features -> LogisticRegression.

The hyperparameters are tuned numbers: resources/tuned.toml, section [claims].
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.ensemble import VotingClassifier
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline

from .. import config, learn
from .features import N_HASH_FEATURES, char_counts, hand_features, hashing_vectorizers
from .model import CHECKWORTHY_THRESHOLD, CheckWorthinessModel

_TUNED = config.tuned("claims")
CHECKWORTHY_C = _TUNED["checkworthy_C"]
CHECKWORTHY_NB_C = _TUNED["checkworthy_nb_C"]
# Laplace smoothing of the naive-Bayes counts (Wang & Manning's choice), not tuned.
NB_ALPHA = 1.0
# The cuts an inner cross-validation may choose from (probabilities 0.30, 0.31, ... 0.70).
CUT_GRID = np.round(np.arange(0.30, 0.7001, 0.01), 2)


class HandFeatures(TransformerMixin, BaseEstimator):
    """`presslens.claims.hand_features` as a stateless scikit-learn transformer.

    Examples
    --------
    >>> HandFeatures().fit_transform(["Is it over?"]).shape
    (1, 11)
    """

    def fit(self, X, y=None):
        """Nothing to learn.

        Parameters
        ----------
        X : sequence of str
        y : ignored

        Returns
        -------
        HandFeatures
        """
        return self

    def transform(self, X) -> np.ndarray:
        """The hand features of each text.

        Parameters
        ----------
        X : sequence of str

        Returns
        -------
        numpy.ndarray
            Shape (len(X), len(HAND_FEATURES)).
        """
        return hand_features(list(X))


class HashedCounts(TransformerMixin, BaseEstimator):
    """Hashed n-gram counts of the model's word or char_wb analyzer; `fit` records the
    columns seen in training (`seen_`), the only ones the compiled model stores.

    Parameters
    ----------
    analyzer : {"word", "char_wb"}
        Word 1-2-grams or char_wb 2-5-grams (`hashing_vectorizers`); char counts come from
        `char_counts`, equal to the vectorizer's.

    Examples
    --------
    >>> counts = HashedCounts("word").fit(["Troops fled", "Troops stayed"])
    >>> len(counts.seen_)  # troops, fled, stayed, troops fled, troops stayed
    5
    """

    def __init__(self, analyzer: str = "word"):
        self.analyzer = analyzer

    def fit(self, X, y=None):
        """Record the columns seen in `X`.

        Parameters
        ----------
        X : sequence of str
        y : ignored

        Returns
        -------
        HashedCounts
        """
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None):
        """Counts of `X`, recording the columns seen.

        Parameters
        ----------
        X : sequence of str
        y : ignored

        Returns
        -------
        scipy.sparse.csr_matrix
        """
        counts = self.transform(X)
        self.seen_ = np.unique(counts.indices)
        return counts

    def transform(self, X):
        """Counts of each text, N_HASH_FEATURES columns.

        Parameters
        ----------
        X : sequence of str

        Returns
        -------
        scipy.sparse.csr_matrix
        """
        texts = [t or "" for t in X]
        if self.analyzer == "word":
            return hashing_vectorizers()[0].transform(texts).tocsr()
        if self.analyzer == "char_wb":
            return char_counts(texts)
        raise ValueError(f"analyzer {self.analyzer!r}: 'word' or 'char_wb'")


class NBLogCountRatio(TransformerMixin, BaseEstimator):
    """Binarised counts scaled by their naive-Bayes log-count ratio r (Wang & Manning 2012,
    "Baselines and Bigrams"): r = log(p / |p|_1) - log(q / |q|_1), where p and q are `alpha`
    plus the number of positive and negative rows having each column.

    Parameters
    ----------
    alpha : float, default NB_ALPHA
        Smoothing added to every column's counts.

    Examples
    --------
    >>> from scipy.sparse import csr_matrix
    >>> nb = NBLogCountRatio().fit(csr_matrix([[2.0, 0.0], [0.0, 1.0]]), [1, 0])
    >>> nb.ratio_.round(3).tolist()
    [0.693, -0.693]
    """

    def __init__(self, alpha: float = NB_ALPHA):
        self.alpha = alpha

    def fit(self, X, y):
        """Learn r from the binarised counts of the positive (1) and negative (0) rows.

        Parameters
        ----------
        X : scipy.sparse matrix
            Counts.
        y : array-like of 0/1

        Returns
        -------
        NBLogCountRatio
        """
        labels = np.asarray(y)
        binary = self._binary(X)
        pos = self.alpha + np.asarray(binary[labels == 1].sum(axis=0)).ravel()
        neg = self.alpha + np.asarray(binary[labels == 0].sum(axis=0)).ravel()
        self.ratio_ = np.log(pos / pos.sum()) - np.log(neg / neg.sum())
        return self

    def transform(self, X):
        """Binarised `X` times r.

        Parameters
        ----------
        X : scipy.sparse matrix

        Returns
        -------
        scipy.sparse.csr_matrix
        """
        return self._binary(X).multiply(self.ratio_).tocsr()

    @staticmethod
    def _binary(X) -> csr_matrix:
        X = csr_matrix(X)
        return csr_matrix((np.ones_like(X.data, dtype=np.float64), X.indices, X.indptr), shape=X.shape)


def tfidf_pipeline(C: float = CHECKWORTHY_C, seed: int = 0) -> Pipeline:
    """The TF-IDF member of the ensemble, unfitted.

    Parameters
    ----------
    C : float
        Inverse regularisation of the logistic regression.
    seed : int
        Its random_state.

    Returns
    -------
    sklearn.pipeline.Pipeline
        `features` (FeatureUnion of `word`, `char` - each HashedCounts then
        TfidfTransformer(sublinear_tf=True) - and `hand`) then `lr`.

    Examples
    --------
    >>> list(tfidf_pipeline().named_steps)
    ['features', 'lr']
    """
    def tfidf(analyzer: str) -> Pipeline:
        return Pipeline([("counts", HashedCounts(analyzer)), ("tfidf", TfidfTransformer(sublinear_tf=True))])

    features = FeatureUnion([("word", tfidf("word")), ("char", tfidf("char_wb")), ("hand", HandFeatures())])
    lr = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("lr", lr)])


def nb_pipeline(C: float = CHECKWORTHY_NB_C, alpha: float = NB_ALPHA, seed: int = 0) -> Pipeline:
    """The NB-scaled member of the ensemble, unfitted.

    Parameters
    ----------
    C : float
        Inverse regularisation of the logistic regression.
    alpha : float
        Smoothing of the naive-Bayes ratio.
    seed : int
        The regression's random_state.

    Returns
    -------
    sklearn.pipeline.Pipeline
        `features` (FeatureUnion of `word` - HashedCounts then NBLogCountRatio - and `hand`)
        then `lr`.

    Examples
    --------
    >>> nb_pipeline().named_steps["lr"].C == CHECKWORTHY_NB_C
    True
    """
    words = Pipeline([("counts", HashedCounts("word")), ("nb", NBLogCountRatio(alpha))])
    features = FeatureUnion([("word", words), ("hand", HandFeatures())])
    lr = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=seed)
    return Pipeline([("features", features), ("lr", lr)])


def checkworthiness_ensemble(C: float = CHECKWORTHY_C, nb_C: float = CHECKWORTHY_NB_C,
                             nb_alpha: float = NB_ALPHA, seed: int = 0) -> VotingClassifier:
    """The check-worthiness ensemble, unfitted: the soft vote (mean of probabilities) of
    `tfidf_pipeline` and `nb_pipeline`.

    Parameters
    ----------
    C, nb_C : float
        The members' inverse regularisation.
    nb_alpha : float
        Smoothing of the naive-Bayes ratio.
    seed : int
        The regressions' random_state.

    Returns
    -------
    sklearn.ensemble.VotingClassifier
        Members `tfidf` and `nb`; fit it on sentence texts and 0/1 labels, then
        `compile_ensemble` it for fast, pickle-free use.

    Examples
    --------
    >>> [name for name, _ in checkworthiness_ensemble().estimators]
    ['tfidf', 'nb']
    """
    return VotingClassifier([("tfidf", tfidf_pipeline(C, seed)), ("nb", nb_pipeline(nb_C, nb_alpha, seed))],
                            voting="soft")


def compile_ensemble(ensemble: VotingClassifier, n_train: int, threshold_logit: float = 0.0,
                     meta: dict | None = None) -> CheckWorthinessModel:
    """A fitted `checkworthiness_ensemble` as a `CheckWorthinessModel`: the weights and IDF of
    the columns seen in training, dense look-ups at use, the same probabilities.

    Parameters
    ----------
    ensemble : sklearn.ensemble.VotingClassifier
        Fitted.
    n_train : int
        The number of training sentences (the IDF of an unseen column depends on it).
    threshold_logit : float, default 0.0
        The decision shift (0: the cut at probability 0.5).
    meta : dict, optional
        Recorded in the model's .json file.

    Returns
    -------
    CheckWorthinessModel

    Examples
    --------
    >>> texts = ["12 soldiers were killed.", "I think so.", "40 people fled.", "We must help."]
    >>> model = compile_ensemble(checkworthiness_ensemble().fit(texts, [1, 0, 1, 0]), len(texts))
    >>> model.predict(["30 civilians were killed."]).tolist()
    [1]
    """
    tfidf, nb = ensemble.named_estimators_["tfidf"], ensemble.named_estimators_["nb"]
    word = tfidf.named_steps["features"].named_transformers["word"]
    char = tfidf.named_steps["features"].named_transformers["char"]
    nb_words = nb.named_steps["features"].named_transformers["word"]
    coef = tfidf.named_steps["lr"].coef_.ravel()
    nb_coef = nb.named_steps["lr"].coef_.ravel()
    ratio = nb_words.named_steps["nb"].ratio_
    w_idx, c_idx = word.named_steps["counts"].seen_, char.named_steps["counts"].seen_
    nb_idx = nb_words.named_steps["counts"].seen_
    unseen_idf = math.log((1 + n_train) / 1) + 1.0  # smooth_idf formula with document frequency 0
    return CheckWorthinessModel(
        word_index=w_idx, word_idf=word.named_steps["tfidf"].idf_[w_idx],
        word_coef=coef[:N_HASH_FEATURES][w_idx], word_idf_unseen=unseen_idf,
        char_index=c_idx, char_idf=char.named_steps["tfidf"].idf_[c_idx],
        char_coef=coef[N_HASH_FEATURES:2 * N_HASH_FEATURES][c_idx], char_idf_unseen=unseen_idf,
        hand_coef=coef[2 * N_HASH_FEATURES:], intercept=float(tfidf.named_steps["lr"].intercept_[0]),
        nb_index=nb_idx, nb_weight=ratio[nb_idx] * nb_coef[:N_HASH_FEATURES][nb_idx],
        nb_hand_coef=nb_coef[N_HASH_FEATURES:], nb_intercept=float(nb.named_steps["lr"].intercept_[0]),
        threshold_logit=threshold_logit, meta=dict(meta or {}))


def f1_optimal_threshold(labels: np.ndarray, scores: np.ndarray,
                         grid: np.ndarray | None = None) -> float:
    """The cut on `scores` with the best F1 of the positive class (`presslens.learn.best_cut`,
    F1 compared to 6 decimals); ties go to the cut nearest 0.5.

    Parameters
    ----------
    labels : array-like of 0/1
    scores : numpy.ndarray
        Probabilities of the positive class.
    grid : array-like, optional
        Candidate cuts; default CUT_GRID (0.30 to 0.70 by 0.01).

    Returns
    -------
    float

    Examples
    --------
    >>> f1_optimal_threshold(np.array([0, 1]), np.array([0.1, 0.9]))
    0.5
    """
    grid = CUT_GRID if grid is None else grid
    return learn.best_cut(labels, scores, grid, decimals=6)


class CheckWorthinessClassifier(ClassifierMixin, BaseEstimator):
    """The check-worthiness model as a scikit-learn classifier over raw sentence texts.

    `fit` fits `checkworthiness_ensemble`, compiles it (`model_`, what is saved and shipped)
    and, with `inner_folds` >= 2, moves the decision point to the F1-optimal cut of
    out-of-fold probabilities (`cross_val_predict` on the training sentences, then
    `f1_optimal_threshold`). Class-balanced weights already put each member's decision point
    near 0.5; the inner cut is off by default: on ClaimBuster it chose cuts of 0.44-0.47 and
    lowered 5-fold F1 on the training part (0.778 against 0.780 at the plain 0.5), see
    claims_checkworthy_model.md. Predictions come from the compiled model.

    Parameters
    ----------
    C, nb_C : float
        The members' inverse regularisation (tuned.toml [claims]).
    nb_alpha : float
        Smoothing of the naive-Bayes ratio.
    seed : int
        random_state of the regressions and of the inner folds.
    inner_folds : int
        0 (or 1): the cut stays at CHECKWORTHY_THRESHOLD.

    Attributes
    ----------
    ensemble_ : sklearn.ensemble.VotingClassifier
        The fitted ensemble.
    model_ : CheckWorthinessModel
        The compiled model.
    classes_ : numpy.ndarray
        [0, 1].

    Examples
    --------
    >>> texts = ["12 soldiers were killed.", "I think so.", "40 people fled.", "We must help."]
    >>> clf = CheckWorthinessClassifier().fit(texts, [1, 0, 1, 0])
    >>> clf.predict(["30 civilians were killed.", "I think we must."]).tolist()
    [1, 0]
    """

    def __init__(self, C: float = CHECKWORTHY_C, nb_C: float = CHECKWORTHY_NB_C,
                 nb_alpha: float = NB_ALPHA, seed: int = 0, inner_folds: int = 0):
        self.C = C
        self.nb_C = nb_C
        self.nb_alpha = nb_alpha
        self.seed = seed
        self.inner_folds = inner_folds

    def fit(self, X: Sequence[str], y: Sequence[int]) -> CheckWorthinessClassifier:
        """Fit on labelled sentences (1 = check-worthy).

        Parameters
        ----------
        X : sequence of str
            Sentences; None counts as the empty string.
        y : sequence of 0/1

        Returns
        -------
        CheckWorthinessClassifier
        """
        texts = [t or "" for t in X]
        labels = np.asarray(y, dtype=int)
        self.ensemble_ = checkworthiness_ensemble(self.C, self.nb_C, self.nb_alpha, self.seed).fit(texts, labels)
        cut = CHECKWORTHY_THRESHOLD
        if self.inner_folds and self.inner_folds > 1:
            splitter = StratifiedKFold(self.inner_folds, shuffle=True, random_state=self.seed)
            inner = clone(self).set_params(inner_folds=0)
            oof = cross_val_predict(inner, texts, labels, cv=splitter, method="predict_proba")[:, 1]
            cut = f1_optimal_threshold(labels, oof)
        meta = {"n_train": len(texts), "C": self.C, "nb_C": self.nb_C, "nb_alpha": self.nb_alpha,
                "seed": self.seed, "positives": int(labels.sum()),
                "inner_folds": self.inner_folds, "inner_cv_cut": cut}
        self.model_ = compile_ensemble(self.ensemble_, len(texts), math.log(cut / (1.0 - cut)), meta)
        self.classes_ = self.model_.classes_
        return self

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        """The compiled model's logits, 0 at the decision point.

        Parameters
        ----------
        X : sequence of str

        Returns
        -------
        numpy.ndarray
        """
        return self.model_.decision_function(list(X))

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        """Probabilities of classes 0 and 1, shape (len(X), 2).

        Parameters
        ----------
        X : sequence of str

        Returns
        -------
        numpy.ndarray
        """
        return self.model_.predict_proba(list(X))

    def predict(self, X: Sequence[str]) -> np.ndarray:
        """1 where the check-worthy probability is >= CHECKWORTHY_THRESHOLD.

        Parameters
        ----------
        X : sequence of str

        Returns
        -------
        numpy.ndarray of int
        """
        return self.model_.predict(list(X))


def train_checkworthiness_model(texts: Sequence[str], labels: Sequence[int], C: float = CHECKWORTHY_C,
                                nb_C: float = CHECKWORTHY_NB_C, seed: int = 0, inner_folds: int = 0,
                                nb_alpha: float = NB_ALPHA) -> CheckWorthinessModel:
    """Fit the check-worthiness model on labelled sentences: `CheckWorthinessClassifier`'s
    compiled model.

    Parameters
    ----------
    texts : sequence of str
    labels : sequence of 0/1
        1 = check-worthy.
    C, nb_C : float
        The members' inverse regularisation.
    seed : int
    inner_folds : int
        >= 2: choose the cut by inner cross-validation (off by default, see
        `CheckWorthinessClassifier`).
    nb_alpha : float

    Returns
    -------
    CheckWorthinessModel
        `meta` records the settings, `inner_folds` and `inner_cv_cut`.

    Examples
    --------
    >>> texts = ["12 soldiers were killed.", "I think so.", "40 people fled.", "We must help."]
    >>> train_checkworthiness_model(texts, [1, 0, 1, 0]).meta["inner_cv_cut"]
    0.5
    """
    return CheckWorthinessClassifier(C, nb_C, nb_alpha, seed, inner_folds).fit(texts, labels).model_
