"""The check-worthiness model at use: a fitted ensemble stored as plain arrays (no pickle),
scored by array look-ups over hashed n-gram counts.

The model is fitted as scikit-learn pipelines (`presslens.claims.train`) and compiled into a
`CheckWorthinessModel`; the one shipped is resources/claims_checkworthy_model.{npz,json}
(retrain with scripts/train_checkworthy.py; its model card is claims_checkworthy_model.md).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np

from .. import config
from .features import (
    CHAR_NGRAMS,
    HAND_FEATURES,
    N_HASH_FEATURES,
    WORD_NGRAMS,
    char_counts,
    hand_features,
    hashing_vectorizers,
)
from .lexicon import resource_hash

# The API's contract: a sentence is check-worthy at a score >= 0.5 (a definition, not tuned).
CHECKWORTHY_THRESHOLD = 0.5
MODEL_STEM = "claims_checkworthy_model"


def tfidf_dot(counts, idf: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Per row: <L2-normalised sublinear TF x IDF, coef>, without building the TF-IDF matrix.

    What `TfidfTransformer(sublinear_tf=True)` followed by a dot product with `coef` gives,
    for dense `idf` and `coef` over every column of `counts`.

    Parameters
    ----------
    counts : scipy.sparse matrix
        Raw n-gram counts, one row per text.
    idf, coef : numpy.ndarray
        One value per column.

    Returns
    -------
    numpy.ndarray
        One value per row; 0 for an empty row.

    Examples
    --------
    >>> from scipy.sparse import csr_matrix
    >>> tfidf_dot(csr_matrix([[1.0, 0.0], [0.0, 0.0]]), np.ones(2), np.array([2.0, 5.0]))
    array([2., 0.])
    """
    counts = counts.tocsr()
    weights = (1.0 + np.log(counts.data.astype(np.float64))) * idf[counts.indices]
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    dot = np.bincount(rows, weights * coef[counts.indices], minlength=counts.shape[0])
    norm = np.sqrt(np.bincount(rows, weights * weights, minlength=counts.shape[0]))
    return np.divide(dot, norm, out=np.zeros_like(dot), where=norm > 0)


def ensemble_logit(z_a: np.ndarray, z_b: np.ndarray) -> np.ndarray:
    """The logit of the mean of two probabilities given as logits, stable for large |z|.

    Parameters
    ----------
    z_a, z_b : numpy.ndarray
        Logits of the two members.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(ensemble_logit(np.array([0.0]), np.array([0.0]))[0])
    0.0
    """
    p = 0.5 / (1.0 + np.exp(-z_a)) + 0.5 / (1.0 + np.exp(-z_b))
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p) - np.log1p(-p)


@dataclass(frozen=True)
class TextCounts:
    """The model inputs of some sentences: hashed word and char n-gram counts and the hand
    features. Models of the same features (the ClaimBuster model and the news text model)
    score one `TextCounts` without hashing the sentences again.

    Examples
    --------
    >>> counts = text_counts(["Troops fled.", ""])
    >>> counts.word.shape[0], counts.hand.shape
    (2, (2, 11))
    """

    word: object
    char: object
    hand: np.ndarray


def text_counts(texts: Sequence[str]) -> TextCounts:
    """`TextCounts` of sentence texts (None counts as the empty string).

    Parameters
    ----------
    texts : sequence of str

    Returns
    -------
    TextCounts

    Examples
    --------
    >>> text_counts(["Over 80% fell."]).char.shape[1] == N_HASH_FEATURES
    True
    """
    word_vec, _ = hashing_vectorizers()
    texts = [t or "" for t in texts]
    return TextCounts(word_vec.transform(texts).tocsr(), char_counts(texts), hand_features(texts))


def _dense(index, values, fill: float = 0.0) -> np.ndarray:
    full = np.full(N_HASH_FEATURES, fill, dtype=np.float64)
    full[np.asarray(index, dtype=np.int64)] = values
    return full


@dataclass
class CheckWorthinessModel:
    """A fitted check-worthiness ensemble of two logistic regressions, as plain arrays.

    - the TF-IDF model: hashed word 1-2-grams and char 2-5-grams (sublinear TF x IDF, L2 per
      block) + hand features; stored are the weights of the features seen in training, their
      IDF, and the IDF of unseen features;
    - the NB model (Wang & Manning 2012): binary word 1-2-grams scaled by their naive-Bayes
      log-count ratio r + hand features; stored is r x weight per seen feature.

    The probability is the mean of the two models' probabilities (the soft vote of
    `presslens.claims.checkworthiness_ensemble`), shifted on the logit scale by
    `threshold_logit` (0 unless training chose a cut by inner cross-validation, which then
    sits at CHECKWORTHY_THRESHOLD, 0.5). Its methods follow a fitted scikit-learn classifier
    (`decision_function`, `predict_proba`, `predict`, `classes_`) over raw sentence texts.

    Parameters
    ----------
    word_index, word_idf, word_coef : numpy.ndarray
        Seen word-n-gram columns, their IDF and TF-IDF-model weight.
    word_idf_unseen : float
        IDF of a word column not seen in training.
    char_index, char_idf, char_coef, char_idf_unseen
        The same for the char n-grams.
    hand_coef : numpy.ndarray
        TF-IDF-model weights of HAND_FEATURES.
    intercept : float
        TF-IDF-model intercept.
    nb_index, nb_weight : numpy.ndarray
        Seen word columns and r x weight of the NB model.
    nb_hand_coef : numpy.ndarray
        NB-model weights of HAND_FEATURES.
    nb_intercept : float
    threshold_logit : float
        Subtracted from the ensemble's logit: 0 keeps the decision point at probability 0.5.
    meta : dict
        Training settings and figures, saved in the .json file.

    Examples
    --------
    >>> model = load_checkworthiness_model()
    >>> proba = model.predict_proba(["Shelling killed 14 civilians on Sunday.", "Thank you."])
    >>> proba.shape, bool(proba[0, 1] > proba[1, 1])
    ((2, 2), True)
    """

    word_index: np.ndarray
    word_idf: np.ndarray
    word_coef: np.ndarray
    word_idf_unseen: float
    char_index: np.ndarray
    char_idf: np.ndarray
    char_coef: np.ndarray
    char_idf_unseen: float
    hand_coef: np.ndarray
    intercept: float
    nb_index: np.ndarray
    nb_weight: np.ndarray
    nb_hand_coef: np.ndarray
    nb_intercept: float
    threshold_logit: float
    meta: dict

    classes_: ClassVar[np.ndarray] = np.array([0, 1])

    def __post_init__(self) -> None:
        # dense lookup tables over the hash space (a few MB): scoring is then array indexing
        self._word_idf = _dense(self.word_index, self.word_idf, self.word_idf_unseen)
        self._word_coef = _dense(self.word_index, self.word_coef)
        self._char_idf = _dense(self.char_index, self.char_idf, self.char_idf_unseen)
        self._char_coef = _dense(self.char_index, self.char_coef)
        self._nb_weight = _dense(self.nb_index, self.nb_weight)

    def decision_parts(self, texts: Sequence[str], counts: TextCounts | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Logits of the two members.

        Parameters
        ----------
        texts : sequence of str
        counts : TextCounts, optional
            `text_counts(texts)`, when already computed.

        Returns
        -------
        tuple of numpy.ndarray
            (TF-IDF model's logits, NB model's logits), one per text.

        Examples
        --------
        >>> z_tfidf, z_nb = load_checkworthiness_model().decision_parts(["Troops fled."])
        >>> z_tfidf.shape, z_nb.shape
        ((1,), (1,))
        """
        counts = text_counts(texts) if counts is None else counts
        cw, cc, hand = counts.word, counts.char, counts.hand
        z_tfidf = (tfidf_dot(cw, self._word_idf, self._word_coef)
                   + tfidf_dot(cc, self._char_idf, self._char_coef)
                   + hand @ self.hand_coef + self.intercept)
        rows = np.repeat(np.arange(cw.shape[0]), np.diff(cw.indptr))
        z_nb = (np.bincount(rows, self._nb_weight[cw.indices], minlength=cw.shape[0])
                + hand @ self.nb_hand_coef + self.nb_intercept)
        return z_tfidf, z_nb

    def decision_function(self, texts: Sequence[str], counts: TextCounts | None = None) -> np.ndarray:
        """The logit of the ensemble probability, shifted so that 0 is the decision point.

        Parameters
        ----------
        texts : sequence of str
        counts : TextCounts, optional
            `text_counts(texts)`, when already computed.

        Returns
        -------
        numpy.ndarray
            One logit per text (empty for no texts).

        Examples
        --------
        >>> load_checkworthiness_model().decision_function([]).shape
        (0,)
        """
        if len(texts) == 0:
            return np.zeros(0)
        z_tfidf, z_nb = self.decision_parts(texts, counts)
        return ensemble_logit(z_tfidf, z_nb) - self.threshold_logit

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities of not check-worthy and check-worthy.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        numpy.ndarray
            Shape (len(texts), 2); column 1 is the check-worthy class (`classes_`).

        Examples
        --------
        >>> p = load_checkworthiness_model().predict_proba(["More than 2,000 people were evacuated."])
        >>> bool(p[0, 1] >= CHECKWORTHY_THRESHOLD)
        True
        """
        positive = 1.0 / (1.0 + np.exp(-self.decision_function(texts)))
        return np.column_stack([1.0 - positive, positive])

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """1 where the check-worthy probability is >= CHECKWORTHY_THRESHOLD, else 0.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        numpy.ndarray of int

        Examples
        --------
        >>> load_checkworthiness_model().predict(["What will happen to them?"]).tolist()
        [0]
        """
        return (self.predict_proba(texts)[:, 1] >= CHECKWORTHY_THRESHOLD).astype(int)

    # ---- persistence
    def save(self, stem_path) -> None:
        """Write `<stem>.npz` (the arrays) and `<stem>.json` (scalars, settings, meta).

        Parameters
        ----------
        stem_path : str or pathlib.Path
            Path without suffix.

        Returns
        -------
        None

        Examples
        --------
        >>> import tempfile, pathlib
        >>> stem = pathlib.Path(tempfile.mkdtemp()) / "cw"
        >>> load_checkworthiness_model().save(stem)
        >>> sorted(p.suffix for p in stem.parent.iterdir())
        ['.json', '.npz']
        """
        stem = Path(stem_path)
        np.savez_compressed(
            stem.with_suffix(".npz"),
            word_index=self.word_index.astype(np.int32), word_idf=self.word_idf.astype(np.float32),
            word_coef=self.word_coef.astype(np.float32),
            char_index=self.char_index.astype(np.int32), char_idf=self.char_idf.astype(np.float32),
            char_coef=self.char_coef.astype(np.float32), hand_coef=self.hand_coef.astype(np.float64),
            nb_index=self.nb_index.astype(np.int32), nb_weight=self.nb_weight.astype(np.float32),
            nb_hand_coef=self.nb_hand_coef.astype(np.float64))
        meta = dict(self.meta, intercept=float(self.intercept), word_idf_unseen=float(self.word_idf_unseen),
                    char_idf_unseen=float(self.char_idf_unseen), nb_intercept=float(self.nb_intercept),
                    threshold_logit=float(self.threshold_logit), hand_features=list(HAND_FEATURES),
                    n_hash_features=N_HASH_FEATURES, word_ngrams=list(WORD_NGRAMS),
                    char_ngrams=list(CHAR_NGRAMS), cues_hash=resource_hash("claims_cues.tsv"))
        stem.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, stem_path) -> CheckWorthinessModel:
        """Read a model written by `save`.

        Parameters
        ----------
        stem_path : str or pathlib.Path
            Path without suffix.

        Returns
        -------
        CheckWorthinessModel

        Raises
        ------
        ValueError
            When the files were written for other features (retrain).

        Warns
        -----
        UserWarning
            When claims_cues.tsv changed since training.

        Examples
        --------
        >>> model = CheckWorthinessModel.load(config.RESOURCES_DIR / MODEL_STEM)
        >>> model.meta["hand_features"] == list(HAND_FEATURES)
        True
        """
        stem = Path(stem_path)
        meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        arrays = np.load(stem.with_suffix(".npz"))
        if (meta.get("hand_features") != list(HAND_FEATURES) or meta.get("n_hash_features") != N_HASH_FEATURES
                or "nb_weight" not in arrays.files):
            raise ValueError(f"{stem}: model features differ from this code; retrain with scripts/train_checkworthy.py")
        if meta.get("cues_hash") != resource_hash("claims_cues.tsv"):
            warnings.warn("claims_cues.tsv changed since the check-worthiness model was trained; "
                          "retrain with scripts/train_checkworthy.py", stacklevel=2)
        return cls(
            word_index=arrays["word_index"].astype(np.int64), word_idf=arrays["word_idf"].astype(np.float64),
            word_coef=arrays["word_coef"].astype(np.float64), word_idf_unseen=meta["word_idf_unseen"],
            char_index=arrays["char_index"].astype(np.int64), char_idf=arrays["char_idf"].astype(np.float64),
            char_coef=arrays["char_coef"].astype(np.float64), char_idf_unseen=meta["char_idf_unseen"],
            hand_coef=arrays["hand_coef"].astype(np.float64), intercept=meta["intercept"],
            nb_index=arrays["nb_index"].astype(np.int64), nb_weight=arrays["nb_weight"].astype(np.float64),
            nb_hand_coef=arrays["nb_hand_coef"].astype(np.float64), nb_intercept=meta["nb_intercept"],
            threshold_logit=meta["threshold_logit"], meta=meta)


@lru_cache(maxsize=1)
def load_checkworthiness_model() -> CheckWorthinessModel:
    """The model shipped in resources/ (claims_checkworthy_model.npz + .json), loaded once.

    Returns
    -------
    CheckWorthinessModel

    Examples
    --------
    >>> load_checkworthiness_model().meta["n_train"]
    6459
    """
    config.resource(MODEL_STEM + ".npz")
    return CheckWorthinessModel.load(config.RESOURCES_DIR / MODEL_STEM)
