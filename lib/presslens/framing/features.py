"""What the trainable frame models read of an article: its text for the word n-grams, the
indicator values of both schemes and (optionally) its sentence embedding, as one table of model
inputs (`model_inputs`), and the label matrix of annotated frames."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import nlp
from ..embeddings import text_embeddings
from .detect import check_articles
from .lexicon import SCHEMES, load_lexicon
from .scoring import score_doc

TEXT_COLUMN = "text"
INDICATOR_PREFIX = "ind:"
EMBEDDING_PREFIX = "emb:"


def indicator_feature_names() -> list[str]:
    """Names of the indicator features the trainable model adds to the word features.

    Returns
    -------
    list of str
        `"<scheme>:item:<item id>"` for every item, then `"<scheme>:frame:<frame>"` for every
        frame, of both schemes in sorted order.

    Examples
    --------
    >>> indicator_feature_names()[-1]
    'mfc:frame:external_regulation_and_reputation'
    """
    names = []
    for scheme in sorted(SCHEMES):
        lexicon = load_lexicon(scheme)
        names += [f"{scheme}:item:{item.id}" for item in lexicon.items]
        names += [f"{scheme}:frame:{frame}" for frame in lexicon.frames]
    return names


def indicator_features(articles: pd.DataFrame, docs: Mapping[str, Any] | None = None) -> np.ndarray:
    """Item values and frame scores of both schemes per article.

    Parameters
    ----------
    articles : pandas.DataFrame
        At least `article_id` and `text`.
    docs : Mapping, optional
        article_id -> parsed Doc; otherwise parsed by `presslens.nlp` (disk-cached).

    Returns
    -------
    numpy.ndarray
        float64, one row per article in `articles` order, columns `indicator_feature_names()`.

    Examples
    --------
    >>> articles = pd.DataFrame({"article_id": ["a"], "text": ["The parties clashed."]})
    >>> indicator_features(articles).shape == (1, len(indicator_feature_names()))
    True
    """
    articles = check_articles(articles)
    rows = []
    for _, _, doc in nlp.article_docs(articles, docs):
        row: list[float] = []
        for scheme in sorted(SCHEMES):
            lexicon = load_lexicon(scheme)
            result = score_doc(doc, scheme, lexicon)
            row += result.item_values.tolist()
            row += [result.frame_scores[f] for f in lexicon.frames]
        rows.append(row)
    width = len(indicator_feature_names())
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), width)


def model_texts(articles: pd.DataFrame, title_weight: int = 0) -> list[str]:
    """Text for the word n-grams: the title (when given) then the body.

    Parameters
    ----------
    articles : pandas.DataFrame
        `text` and optionally `title`.
    title_weight : int
        Extra copies of the first line (the title, given or as the first line of the text): a
        headline names the article's main frame more often than a body sentence does.

    Returns
    -------
    list of str

    Examples
    --------
    >>> model_texts(pd.DataFrame({"text": ["Body."], "title": ["Head"]}), title_weight=1)
    ['Head\\nHead\\nBody.']
    """
    body = articles["text"].astype(object).where(articles["text"].notna(), "").astype(str)
    if "title" in articles.columns:
        title = articles["title"].astype(object).where(articles["title"].notna(), "").astype(str)
        texts = [f"{t}\n{b}" if t else b for t, b in zip(title, body)]
    else:
        texts = body.tolist()
    if title_weight <= 0:
        return texts
    return [(text.split("\n", 1)[0].strip()[:1000] + "\n") * title_weight + text
            for text in texts]


def label_matrix(article_ids: Sequence[str], labels: pd.DataFrame,
                 frames: Sequence[str]) -> np.ndarray:
    """Articles x frames 0/1 matrix of annotated frames.

    Parameters
    ----------
    article_ids : sequence of str
        The rows, in order.
    labels : pandas.DataFrame
        `article_id, frame`: one row per positive label (an article without rows has none).
    frames : sequence of str
        The columns, in order.

    Returns
    -------
    numpy.ndarray
        int8.

    Raises
    ------
    ValueError
        When `labels` names a frame outside `frames`.

    Examples
    --------
    >>> labels = pd.DataFrame({"article_id": ["b"], "frame": ["economic"]})
    >>> label_matrix(["a", "b"], labels, ["conflict", "economic"]).tolist()
    [[0, 0], [0, 1]]
    """
    unknown = sorted(set(labels["frame"].astype(str)) - set(frames))
    if unknown:
        raise ValueError(f"labels hold frames outside the scheme: {unknown}")
    position = {a: i for i, a in enumerate(article_ids)}
    y = np.zeros((len(article_ids), len(frames)), dtype=np.int8)
    column = {f: j for j, f in enumerate(frames)}
    for article_id, frame in zip(labels["article_id"].astype(str), labels["frame"].astype(str)):
        if article_id in position:
            y[position[article_id], column[frame]] = 1
    return y


def input_columns(inputs: pd.DataFrame, prefix: str) -> list[str]:
    """The columns of a model-input table that start with `prefix` (`INDICATOR_PREFIX`,
    `EMBEDDING_PREFIX`), in order.

    Parameters
    ----------
    inputs : pandas.DataFrame
    prefix : str

    Returns
    -------
    list of str

    Examples
    --------
    >>> input_columns(pd.DataFrame(columns=["text", "emb:0", "emb:1"]), EMBEDDING_PREFIX)
    ['emb:0', 'emb:1']
    """
    return [c for c in inputs.columns if isinstance(c, str) and c.startswith(prefix)]


def inputs_table(texts: Sequence[str], indicators: np.ndarray | None = None,
                 embedding: np.ndarray | None = None,
                 index: Sequence[str] | None = None) -> pd.DataFrame:
    """A model-input table from its parts (what `model_inputs` computes from articles).

    Parameters
    ----------
    texts : sequence of str
        The word text of each article.
    indicators : numpy.ndarray, optional
        Articles x `indicator_feature_names()` (`indicator_features`).
    embedding : numpy.ndarray, optional
        Articles x dimensions, any width.
    index : sequence of str, optional
        The article ids.

    Returns
    -------
    pandas.DataFrame
        `text`, then `ind:<name>` columns, then `emb:<k>` columns (float64).

    Examples
    --------
    >>> list(inputs_table(["a b"], embedding=np.zeros((1, 2))).columns)
    ['text', 'emb:0', 'emb:1']
    """
    ids = pd.Index(list(index) if index is not None else range(len(texts)), name="article_id")
    blocks = [pd.DataFrame({TEXT_COLUMN: list(texts)}, index=ids)]
    if indicators is not None:
        blocks.append(pd.DataFrame(np.asarray(indicators, dtype=np.float64), index=ids,
                                   columns=[INDICATOR_PREFIX + n for n in indicator_feature_names()]))
    if embedding is not None:
        embedding = np.asarray(embedding, dtype=np.float64)
        blocks.append(pd.DataFrame(embedding, index=ids, columns=[
            f"{EMBEDDING_PREFIX}{k}" for k in range(embedding.shape[1])]))
    return pd.concat(blocks, axis=1) if len(blocks) > 1 else blocks[0]


def model_inputs(articles: pd.DataFrame, docs: Mapping[str, Any] | None = None,
                 title_weight: int = 0, indicators: bool = True,
                 embeddings: bool = False) -> pd.DataFrame:
    """The table a frame model's pipeline reads: one row per article.

    Parameters
    ----------
    articles : pandas.DataFrame
        At least `article_id` and `text` (and optionally `title`).
    docs : Mapping, optional
        article_id -> parsed Doc, for the indicator values; otherwise parsed (disk-cached).
    title_weight : int
        Extra copies of the first line in the word text (`model_texts`).
    indicators : bool
        Add the indicator values (`indicator_features`).
    embeddings : bool
        Add the article's sentence embedding (`presslens.embeddings.text_embeddings` of the
        title and body, read once whatever `title_weight`).

    Returns
    -------
    pandas.DataFrame
        Indexed by article_id (see `inputs_table`).

    Examples
    --------
    >>> articles = pd.DataFrame({"article_id": ["a"], "text": ["The parties clashed."]})
    >>> list(model_inputs(articles, indicators=False).columns)
    ['text']
    """
    articles = check_articles(articles)
    return inputs_table(
        model_texts(articles, title_weight),
        indicators=indicator_features(articles, docs=docs) if indicators else None,
        embedding=text_embeddings(model_texts(articles)) if embeddings else None,
        index=articles["article_id"].tolist())
