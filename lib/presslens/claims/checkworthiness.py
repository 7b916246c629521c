"""Check-worthiness of sentences: the learned model's logit (trained on ClaimBuster debate
speech) plus a war-reporting domain adjustment from general features (figures, territorial
control, casualties, named places, tense; opinion, questions and predictions count against).

The adjustment's weights are tuned numbers: resources/tuned.toml, [claims.domain_weights].
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import config, nlp
from .lexicon import MONTHS, cue_in, place_regex
from .model import load_checkworthiness_model
from .quantities import quantities_in

# Log-odds added to the model's logit per feature of `domain_features`.
DOMAIN_WEIGHTS: dict[str, float] = {k: float(v) for k, v in config.tuned("claims")["domain_weights"].items()}


def domain_features(text: str, span=None) -> dict[str, float]:
    """War-reporting features of one sentence (0/1): from the text, and from the Doc span's
    entities and verbs when given.

    Parameters
    ----------
    text : str
        The sentence.
    span : spacy.tokens.Span, optional
        Its parse: entities give `date`, `named_place`, `named_actor`; the root's tense gives
        `past_or_present_event`. Without it, dates and places come from regexes.

    Returns
    -------
    dict of str to float
        Feature name (the keys of DOMAIN_WEIGHTS) -> 0.0 or 1.0.

    Examples
    --------
    >>> f = domain_features("Russian forces captured Kupyansk on May 6.")
    >>> f["control_verb"], f["named_place"], f["date"], f["question"]
    (1.0, 1.0, 1.0, 0.0)
    """
    text = text or ""
    feats = {
        "quantity": float(bool(quantities_in(text))),
        "control_verb": float(cue_in("control_verb", text)),
        "casualty": float(cue_in("casualty", text)),
        "military_action": float(cue_in("military_action", text)),
        "reporting": float(cue_in("reporting", text)),
        "opinion": float(cue_in("opinion", text)),
        "prediction": float(cue_in("prediction", text)),
        "first_person": float(cue_in("first_person", text)),
        "question": float(text.rstrip().rstrip("\"'”’)").endswith("?")),
        "date": 0.0, "named_place": 0.0, "named_actor": 0.0, "past_or_present_event": 0.0,
    }
    if span is not None:
        for ent in nlp.span_ents(span):
            if ent.label_ in ("DATE", "TIME") and re.search(r"\d|day|week|month", ent.text, re.IGNORECASE):
                feats["date"] = 1.0
            elif ent.label_ in ("GPE", "LOC", "FAC"):
                feats["named_place"] = 1.0
            elif ent.label_ in ("PERSON", "ORG", "NORP"):
                feats["named_actor"] = 1.0
        root = span.root
        # a finite verb in past or present, not conditional: an event that happened or holds
        if root.pos_ in ("VERB", "AUX") and root.tag_ in ("VBD", "VBZ", "VBP", "VBN") and not any(
                c.tag_ == "MD" for c in root.children):
            feats["past_or_present_event"] = 1.0
    else:
        if re.search(rf"\b(?:{MONTHS})\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{MONTHS})\b|\b(?:1[89]|20)\d\d\b",
                     text, re.IGNORECASE):
            feats["date"] = 1.0
        if place_regex().search(text):
            feats["named_place"] = 1.0
    return feats


def domain_adjustment(text: str, span=None) -> float:
    """Log-odds added to the model's logit for war reporting: the DOMAIN_WEIGHTS of the
    sentence's `domain_features`.

    Parameters
    ----------
    text : str
    span : spacy.tokens.Span, optional

    Returns
    -------
    float

    Examples
    --------
    >>> domain_adjustment("What will happen?") < 0 < domain_adjustment("14 civilians were killed.")
    True
    """
    return float(sum(DOMAIN_WEIGHTS.get(k, 0.0) * v for k, v in domain_features(text, span).items()))


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


def check_worthiness(sentences, spans: Sequence | None = None, domain: bool = True) -> pd.Series:
    """Scores in [0, 1] that each sentence is a check-worthy factual claim (>= 0.5: yes).

    Parameters
    ----------
    sentences : pandas.Series, list of str, str, or pandas.DataFrame
        Sentences, or a sentences DataFrame with a `text` column. Missing values score 0.
    spans : sequence of spacy.tokens.Span, optional
        Sentence Spans aligned with `sentences`: entities and tense add to the domain
        features (nothing is parsed here).
    domain : bool, default True
        False gives the ClaimBuster model alone, without the war-reporting adjustment.

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
    model, adjusted = checkworthy_scores(texts, spans if domain else None, domain=domain)
    return pd.Series(adjusted if domain else model, index=index, name="check_worthiness", dtype="float64")


def checkworthy_scores(texts: list[str], spans: Sequence | None, domain: bool = True,
                       logits: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The model-only and the domain-adjusted scores of sentence texts, rounded to 6 places.

    The model's features are hashed once for both (or not at all when its `logits` are
    given). Empty sentences score 0.

    Parameters
    ----------
    texts : list of str
    spans : sequence of spacy.tokens.Span or None
        Aligned with `texts`, for the domain features.
    domain : bool, default True
        False: the second array is the first.
    logits : numpy.ndarray, optional
        The model's `decision_function` of `texts`, when already computed.

    Returns
    -------
    tuple of numpy.ndarray
        (model scores, adjusted scores).

    Examples
    --------
    >>> model, adjusted = checkworthy_scores(["", "Troops captured the village of Krynky."], None)
    >>> float(model[0]), bool(adjusted[1] > model[1])
    (0.0, True)
    """
    z = load_checkworthiness_model().decision_function(texts) if logits is None else logits
    z_adjusted = z
    if domain:
        spans = list(spans) if spans is not None else [None] * len(texts)
        z_adjusted = z + np.array([domain_adjustment(t, s) for t, s in zip(texts, spans)])
    # empty strings carry no claim whatever the intercept says
    nonempty = np.array([bool(t.strip()) for t in texts])

    def probability(logit: np.ndarray) -> np.ndarray:
        return np.round(np.where(nonempty, 1.0 / (1.0 + np.exp(-logit)), 0.0), 6)

    return probability(z), probability(z_adjusted)
