"""Check-worthiness of sentences: the learned ClaimBuster model (debate speech) for bare
sentences, and the news layer (`presslens.claims.news`) for sentences of parsed news
articles, which reads their form from the parse and adds a text model fitted on news.

Why two: the news layer was fitted on war reporting and reads a sentence's parse; on
ClaimBuster's debate sentences it lowers F1 (claims_news_model.md), while on news it is what
keeps questions, opinions, predictions and fragments out (real-news dev: claims_news_model.md).
So `check_worthiness(sentences)` on bare strings is the ClaimBuster model, and sentences that
come with their parse (`spans`, as `extract_claims` passes them) get the news layer;
`domain=True` asks for the news layer on bare sentences (they are parsed here).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import nlp
from .model import load_checkworthiness_model
from .news import news_logits


def _sentence_texts(sentences) -> tuple[list[str], pd.Index | None]:
    if isinstance(sentences, pd.DataFrame):
        if "text" not in sentences.columns:
            raise ValueError("a sentences DataFrame needs a `text` column")
        return sentences["text"].fillna("").astype(str).tolist(), sentences.index
    if isinstance(sentences, pd.Series):
        return sentences.fillna("").astype(str).tolist(), sentences.index
    if isinstance(sentences, str):
        return [sentences], None
    return ["" if s is None or (isinstance(s, float) and math.isnan(s)) else str(s) for s in sentences], None


def check_worthiness(sentences, spans: Sequence | None = None, domain: bool | None = None) -> pd.Series:
    """Scores in [0, 1] that each sentence is a check-worthy factual claim (>= 0.5: yes).

    Parameters
    ----------
    sentences : pandas.Series, list of str, str, or pandas.DataFrame
        Sentences, or a sentences DataFrame with a `text` column. Missing values score 0.
    spans : sequence of spacy.tokens.Span, optional
        The sentences' parses, aligned with `sentences` (sentences of news articles, as
        `extract_claims` scores them): their scores come from the news layer.
    domain : bool, optional
        None (default): the news layer when `spans` are given, else the ClaimBuster model
        alone. True: the news layer (bare sentences are parsed, one Doc each). False: the
        ClaimBuster model alone.

    Returns
    -------
    pandas.Series
        Named `check_worthiness`, float64, with the index of `sentences` (a Series or
        DataFrame) or a RangeIndex; rounded to 6 places.

    Examples
    --------
    >>> scores = check_worthiness(["Shelling killed 14 civilians in the city on Sunday.",
    ...                            "I think this is a tragedy."])
    >>> (scores >= 0.5).tolist()
    [True, False]
    """
    texts, index = _sentence_texts(sentences)
    if not texts:
        return pd.Series([], dtype="float64", index=index, name="check_worthiness")
    news = spans is not None if domain is None else bool(domain)
    if news and spans is None:
        spans = [doc[:] for doc in nlp.load_pipeline().pipe(texts)]
    model, adjusted = checkworthy_scores(texts, spans if news else None, news=news)
    return pd.Series(adjusted, index=index, name="check_worthiness", dtype="float64")


def checkworthy_scores(texts: list[str], spans: Sequence | None, news: bool = True,
                       logits: np.ndarray | None = None,
                       news_model_logits: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The ClaimBuster model's scores and the news layer's scores of sentence texts, rounded
    to 6 places. Empty sentences score 0.

    Parameters
    ----------
    texts : list of str
    spans : sequence of spacy.tokens.Span or None
        Aligned with `texts`; needed for the news layer.
    news : bool, default True
        False (or no `spans`): the second array is the first.
    logits : numpy.ndarray, optional
        The ClaimBuster model's `decision_function` of `texts`, when already computed.
    news_model_logits : numpy.ndarray, optional
        The news text model's `decision_function` of `texts`, when already computed.

    Returns
    -------
    tuple of numpy.ndarray
        (model scores, news-layer scores).

    Examples
    --------
    >>> doc = nlp.parse_text("Troops captured the village of Krynky. Will they stay?")
    >>> spans = list(doc.sents)
    >>> model, layered = checkworthy_scores([s.text for s in spans], spans)
    >>> bool(layered[0] >= 0.5 > layered[1])
    True
    """
    z = load_checkworthiness_model().decision_function(texts) if logits is None else logits
    z_news = z
    if news and spans is not None:
        z_news = news_logits(texts, list(spans), z, news_model_logits)
    # empty strings carry no claim whatever the intercept says
    nonempty = np.array([bool(t.strip()) for t in texts])

    def probability(logit: np.ndarray) -> np.ndarray:
        return np.round(np.where(nonempty, 1.0 / (1.0 + np.exp(-logit)), 0.0), 6)

    return probability(z), probability(z_news)
