"""Character n-gram counts of texts, as scikit-learn's char_wb HashingVectorizer (no alternate
sign, no normalisation) counts them, with each distinct word hashed once per process.

char_wb n-grams never cross a word boundary, so a text's counts are the sum of its words'
counts. The check-worthiness model (presslens.claims) and the persuasion model
(presslens.language) hash the words of the same sentences with the same settings, and a corpus
repeats most of its words: hashing was a tenth of the analyses' time beyond parsing. Equal,
index for index, to the vectorizer's `transform` (tests/test_charhash.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

# The per-word cache is emptied when it would grow past this many words (about 30 MB).
MAX_CACHED_WORDS = 200_000

_ROWS: dict[tuple, dict[str, tuple[np.ndarray, np.ndarray]]] = {}


def clear_cache() -> None:
    """Forget every cached word."""
    _ROWS.clear()


def cached_words(ngram_range: tuple[int, int], n_features: int) -> int:
    """How many words are cached for these settings."""
    return len(_ROWS.get(((int(ngram_range[0]), int(ngram_range[1])), n_features), ()))


@lru_cache(maxsize=4)
def vectorizer(ngram_range: tuple[int, int], n_features: int):
    """The char_wb HashingVectorizer of these settings (lower-casing, counts as float64)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(analyzer="char_wb", ngram_range=ngram_range, n_features=n_features,
                             alternate_sign=False, norm=None, lowercase=True, dtype=np.float64)


def char_counts(texts: Sequence[str], ngram_range: tuple[int, int], n_features: int):
    """`vectorizer(ngram_range, n_features).transform(texts)`, built as
    (text x word) @ (word x feature) from each word's cached counts.

    Parameters
    ----------
    texts : sequence of str
    ngram_range : (int, int)
        The smallest and largest n-gram.
    n_features : int
        The hashing space.

    Returns
    -------
    scipy.sparse.csr_matrix
        Shape (len(texts), n_features), float64, canonical (sorted, summed) indices.

    Examples
    --------
    >>> x = char_counts(["Volchansk volchansk", "Volchansk"], (2, 5), 2**18)
    >>> bool(x[0].sum() == 2 * x[1].sum())
    True
    """
    from scipy.sparse import csr_matrix

    ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
    cached = _ROWS.setdefault((ngram_range, n_features), {})
    vocabulary: dict[str, int] = {}
    columns: list[int] = []
    indptr = [0]
    for text in texts:
        # the vectorizer lower-cases, then char_wb splits on whitespace
        columns.extend(vocabulary.setdefault(word, len(vocabulary)) for word in text.lower().split())
        indptr.append(len(columns))
    words = list(vocabulary)
    missing = [w for w in words if w not in cached]
    if len(cached) + len(missing) > MAX_CACHED_WORDS:
        cached.clear()
        missing = words
    if missing:
        hashed = vectorizer(ngram_range, n_features).transform(missing).tocsr()
        hashed.sort_indices()
        for k, word in enumerate(missing):
            start, end = hashed.indptr[k], hashed.indptr[k + 1]
            cached[word] = (hashed.indices[start:end], hashed.data[start:end])
    rows = [cached[w] for w in words]
    word_indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r[0]) for r in rows], out=word_indptr[1:])
    per_word = csr_matrix(
        (np.concatenate([r[1] for r in rows]) if rows else np.zeros(0),
         np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, dtype=np.int32), word_indptr),
        shape=(len(rows), n_features))
    text_words = csr_matrix((np.ones(len(columns)), columns, indptr), shape=(len(indptr) - 1, len(rows)))
    out = (text_words @ per_word).tocsr()
    out.sum_duplicates()
    out.sort_indices()
    return out


class WordBoundedNgrams:
    """A TfidfVectorizer/CountVectorizer `analyzer` that returns exactly the n-grams of
    `analyzer="char_wb"` (lower-cased, each word padded with a space), with each distinct
    word's n-grams built once per instance: claims repeat most of their words.

    Examples
    --------
    >>> WordBoundedNgrams((3, 3))("Kyiv kyiv")
    [' ky', 'kyi', 'yiv', 'iv ', ' ky', 'kyi', 'yiv', 'iv ']
    """

    def __init__(self, ngram_range: tuple[int, int]):
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self._words: dict[str, list[str]] = {}

    def _word(self, word: str) -> list[str]:
        # scikit-learn's _char_wb_ngrams for one word
        min_n, max_n = self.ngram_range
        w = " " + word + " "
        out = []
        for n in range(min_n, max_n + 1):
            offset = 0
            out.append(w[offset:offset + n])
            while offset + n < len(w):
                offset += 1
                out.append(w[offset:offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
        return out

    def __call__(self, text: str) -> list[str]:
        words = self._words
        out: list[str] = []
        for word in text.lower().split():
            grams = words.get(word)
            if grams is None:
                grams = words[word] = self._word(word)
            out.extend(grams)
        return out
