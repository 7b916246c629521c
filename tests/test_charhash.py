"""presslens.charhash: each distinct word hashed once per process, the vectorizer's exact counts."""

import numpy as np
import pytest
from presslens import charhash

TEXTS = ["Russian forces captured over 80% of Volchansk, the governor said.", "", "  \n ",
         "WHO said: 12 drones; ſt İstanbul École  double  spaces\ttab", "x", "Volchansk volchansk",
         "The governor said Volchansk was shelled again."]


def _expected(texts, ngram_range=(2, 5), n_features=2**18):
    out = charhash.vectorizer(ngram_range, n_features).transform(texts).tocsr()
    out.sort_indices()
    return out


def _assert_same(got, expected):
    assert got.shape == expected.shape
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


@pytest.mark.parametrize(("ngram_range", "n_features"), [((2, 5), 2**18), ((3, 4), 2**10), ((1, 1), 2**5)])
def test_equal_to_the_vectorizer_cold_and_cached(ngram_range, n_features):
    charhash.clear_cache()
    for _ in range(2):  # the second call reads every word from the cache
        _assert_same(charhash.char_counts(TEXTS, ngram_range, n_features), _expected(TEXTS, ngram_range, n_features))


@pytest.mark.parametrize(("texts", "shape"), [([], (0, 64)), (["", " "], (2, 64))])
def test_no_words(texts, shape):
    assert charhash.char_counts(texts, (2, 5), 64).shape == shape


def test_cache_emptied_past_its_bound(monkeypatch):
    monkeypatch.setattr(charhash, "MAX_CACHED_WORDS", 15)
    charhash.clear_cache()
    first, second = TEXTS[:1], TEXTS[3:4]  # 10 distinct words each
    charhash.char_counts(first, (2, 5), 2**18)
    assert charhash.cached_words((2, 5), 2**18) == 10
    _assert_same(charhash.char_counts(second, (2, 5), 2**18), _expected(second))
    assert charhash.cached_words((2, 5), 2**18) == 10
    _assert_same(charhash.char_counts(first, (2, 5), 2**18), _expected(first))


@pytest.mark.parametrize("ngram_range", [(3, 5), (5, 5), (2, 2), (1, 3)])
@pytest.mark.parametrize("text", TEXTS + ["a", "ab abc abcd abcdef", "ÉCOLE  école\n\tÉcole", "<empty>", "<qty> 80%"])
def test_word_bounded_ngrams_are_char_wb(ngram_range, text):
    from sklearn.feature_extraction.text import CountVectorizer

    expected = CountVectorizer(analyzer="char_wb", ngram_range=ngram_range).build_analyzer()(text)
    analyzer = charhash.WordBoundedNgrams(ngram_range)
    assert analyzer(text) == expected
    assert analyzer(text) == expected  # from the cache
