"""The text features of the check-worthiness model: hashed word and character n-gram counts
and cheap hand features, computed from the sentence text alone (no parse needed).

scikit-learn is imported only when counts are first computed, so that importing presslens
stays quick; the estimators built on these features are in `presslens.claims.train`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .. import charhash
from .lexicon import cue_in

# The hashing space of both n-gram blocks, and their n-gram ranges; a saved model records
# them and is refused when they differ from this code.
N_HASH_FEATURES = 2**18
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
# Words, plus "%" and "$" as tokens of their own: figures are what check-worthy claims carry.
WORD_TOKEN_PATTERN = r"(?u)\b\w+\b|%|\$"

# Hand features of the check-worthiness model, in the model's column order. The cue
# categories come from claims_cues.tsv; the model records that file's hash so that a change
# to the cues without retraining is noticed.
HAND_FEATURES = (
    "has_digit", "has_percent", "has_year", "has_magnitude", "is_question", "opinion",
    "prediction", "first_person", "capitalised_words", "length", "reporting",
)


def hand_features(texts: Sequence[str]) -> np.ndarray:
    """Cheap text features of the check-worthiness model, in [0, 1].

    Parameters
    ----------
    texts : sequence of str
        Sentences; None counts as the empty string.

    Returns
    -------
    numpy.ndarray
        Shape (len(texts), len(HAND_FEATURES)), float64, columns in HAND_FEATURES order.

    Examples
    --------
    >>> row = dict(zip(HAND_FEATURES, hand_features(["Over 80% of the town fell in 2024."])[0]))
    >>> float(row["has_percent"]), float(row["is_question"])
    (1.0, 0.0)
    """
    rows = np.zeros((len(texts), len(HAND_FEATURES)), dtype=np.float64)
    for i, text in enumerate(texts):
        text = text or ""
        lower = text.lower()
        n_words = len(text.split())
        rows[i] = (
            bool(re.search(r"\d", text)),
            bool(re.search(r"%|\bper\s?cent\b", lower)),
            bool(re.search(r"\b(1[89]|20)\d\d\b", text)),
            bool(re.search(r"\b(?:million|billion|thousand|hundreds?|dozens?|majority|half)\b", lower)),
            text.rstrip().rstrip("\"'”’)").endswith("?"),
            cue_in("opinion", text),
            cue_in("prediction", text),
            cue_in("first_person", text),
            min(len(re.findall(r"(?<=\s)[A-Z][a-z]+", text)), 5) / 5,
            min(n_words, 60) / 60,
            cue_in("reporting", text),
        )
    return rows


def hashing_vectorizers():
    """The word and character n-gram counters of the model (scikit-learn's HashingVectorizer,
    no alternate sign, no normalisation).

    Returns
    -------
    tuple of sklearn.feature_extraction.text.HashingVectorizer
        (word 1-2-grams with WORD_TOKEN_PATTERN, char_wb 2-5-grams), N_HASH_FEATURES columns
        each.

    Examples
    --------
    >>> word, char = hashing_vectorizers()
    >>> float(word.transform(["Over 80% fell"]).sum())  # over, 80, %, fell and 3 bigrams
    7.0
    """
    from sklearn.feature_extraction.text import HashingVectorizer

    word = HashingVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, n_features=N_HASH_FEATURES,
                             token_pattern=WORD_TOKEN_PATTERN, alternate_sign=False, norm=None)
    char = HashingVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, n_features=N_HASH_FEATURES,
                             alternate_sign=False, norm=None)
    return word, char


def char_counts(texts: list[str]):
    """The char_wb HashingVectorizer's counts for `texts`, each distinct word hashed once per
    process (presslens.charhash). Equal, index for index, to `hashing_vectorizers()[1].transform(texts)`
    (tests/test_claims.py).

    Parameters
    ----------
    texts : list of str

    Returns
    -------
    scipy.sparse.csr_matrix
        Shape (len(texts), N_HASH_FEATURES), float64, canonical (sorted, summed) indices.

    Examples
    --------
    >>> bool(char_counts(["Volchansk volchansk"]).sum() == 2 * char_counts(["Volchansk"]).sum())
    True
    """
    return charhash.char_counts(texts, CHAR_NGRAMS, N_HASH_FEATURES)
