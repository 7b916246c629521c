"""Tests of presslens.embeddings: chunking, pooling, and (with the optional encoder) the cached
sentence embeddings."""

from __future__ import annotations

import numpy as np
import pytest
from presslens import embeddings

LONG = "Title line\n\n" + " ".join(f"w{i}" for i in range(400)) + "\nLast."


@pytest.mark.parametrize(("text", "max_words", "expected_words"), [
    # Lines are chunks; a line over the limit is cut into windows; blank lines give none.
    (LONG, 180, [2, 180, 180, 40, 1]),
    ("  \n ", 180, []),
    ("One two three four five", 2, [2, 2, 1]),
    ("Head\nBody text here.", 180, [1, 3]),
])
def test_embedding_chunks_are_lines_cut_to_the_encoder_limit(text, max_words, expected_words):
    chunks = embeddings.embedding_chunks(text, max_words=max_words)
    assert [len(c.split()) for c in chunks] == expected_words
    assert " ".join(chunks).split() == text.split()


def test_embedding_chunks_keep_first_and_last_lines():
    chunks = embeddings.embedding_chunks(LONG, max_words=180)
    assert chunks[0] == "Title line" and chunks[-1] == "Last."
    assert embeddings.embedding_chunks("  \n ") == []


@pytest.mark.parametrize(("chunks", "expected"), [
    ([np.array([[3.0, 0.0], [0.0, 4.0]])], [[0.6, 0.8]]),  # the mean, normalised
    ([np.zeros((0, 2))], [[0.0, 0.0]]),  # a text without chunks
    ([np.array([[1.0, 0.0]]), np.array([[0.0, -2.0]])], [[1.0, 0.0], [0.0, -1.0]]),
])
def test_mean_embeddings_are_unit_means(chunks, expected):
    out = embeddings.mean_embeddings(chunks, 2)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected, atol=1e-6)


needs_encoder = pytest.mark.skipif(not embeddings.embeddings_available(),
                                   reason="optional sentence encoder not installed")


@needs_encoder
def test_text_embeddings_are_unit_vectors_and_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSLENS_CACHE", str(tmp_path))
    texts = ["Troops attacked the border.", "", "The troops attacked the border.",
             "Taxes rose and the economy suffered."]
    first = embeddings.text_embeddings(texts)
    assert first.shape == (4, 384)
    norms = np.linalg.norm(first, axis=1)
    assert np.allclose(norms[[0, 2, 3]], 1.0, atol=1e-5) and norms[1] == 0
    # Paraphrases lie closer together than unrelated texts.
    assert first[0] @ first[2] > first[0] @ first[3]
    assert len(list(tmp_path.rglob("*.npy"))) == 4  # one entry per distinct text
    np.testing.assert_allclose(embeddings.text_embeddings(texts[::-1]), first[::-1])
    chunks = embeddings.chunk_embeddings(["Title\nFirst paragraph.\nSecond paragraph.", ""])
    assert [m.shape for m in chunks] == [(3, 384), (0, 384)]
