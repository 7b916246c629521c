"""The news layer of check-worthiness: what makes a sentence of a news article a claim a
researcher would check, on top of the ClaimBuster model (debate speech).

A small logistic regression (`NewsLayer`) over three kinds of evidence about one parsed
sentence:

- the ClaimBuster model's logit (`model.load_checkworthiness_model`);
- the logit of the same kind of text model fitted on news sentences labelled by hand
  (resources/war_claim_labels.tsv; `load_news_text_model`);
- `news_features`: the form of the sentence from its parse: a question, a fragment without a
  verb, a short elliptical sentence, modality on the main predicate (future, obligation,
  possibility), an imperative, a stance verb heading it ("warned", "urged", "praised"),
  evaluative words, first and second person, quotation marks; and what checkable facts carry:
  a past event, figures, dates, named places and actors, war-event words.

Both models and the layer's weights are fitted by `presslens.claims.train_news`
(scripts/train_news_layer.py); the files are resources/claims_news_model.{npz,json} and
resources/claims_news_layer.json, their model card claims_news_model.md. The layer's decision
point is folded into its intercept, so that a score >= 0.5 (CHECKWORTHY_THRESHOLD) marks a
claim as everywhere else.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .. import config, nlp
from .lexicon import cue_in, read_tsv, reporting_lemmas, resource_hash
from .model import CheckWorthinessModel
from .quantities import quantities_in

NEWS_MODEL_STEM = "claims_news_model"
NEWS_LAYER_FILE = "claims_news_layer.json"
NEWS_CUES_FILE = "claims_news_cues.tsv"

# Features of `news_features`, in the layer's column order (the two logits come after them).
NEWS_FEATURES = (
    "question", "no_final_punct", "exclaim", "short", "length", "verbless",
    "main_future", "main_obligation", "main_possible", "any_modal", "imperative",
    "stance_root", "reporting_root", "past_event", "present_simple",
    "first_person", "second_person", "quote_mark", "evaluative", "adj_share", "opinion_cue",
    "quantity", "digit", "date", "named_place", "named_actor", "event_cue", "reporting",
    "pron_subject",
)
LOGIT_FEATURES = ("model_logit", "news_model_logit")

_FUTURE = frozenset({"will", "'ll", "’ll", "shall", "wo"})
_OBLIGATION = frozenset({"must", "should", "ought"})
_POSSIBLE = frozenset({"could", "might", "may", "would", "can", "ca"})
_FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our", "ours", "myself", "ourselves"})
_SECOND_PERSON = frozenset({"you", "your", "yours"})
_QUOTES = "\"“”«»„"
_NEEDS_TO = re.compile(r"\b(?:need|needs|have|has) to\b", re.IGNORECASE)
_GOING_TO = re.compile(r"\bgoing to\b", re.IGNORECASE)
_FINAL = re.compile(r"[.!?…:;]$")
_TIME_WORD = re.compile(r"\d|day|week|month|year", re.IGNORECASE)
# A sentence this short (in words) rarely states a fact of its own ("But Russia does.").
SHORT_WORDS = 6


@lru_cache(maxsize=1)
def news_cues() -> dict[str, frozenset[str]]:
    """The cue lemmas of claims_news_cues.tsv by category (`stance_verb`, `evaluative`).

    Returns
    -------
    dict of str to frozenset of str

    Examples
    --------
    >>> "warn" in news_cues()["stance_verb"]
    True
    """
    out: dict[str, set[str]] = {}
    for row in read_tsv(NEWS_CUES_FILE):
        out.setdefault(row["category"], set()).add(row["cue"].lower())
    return {k: frozenset(v) for k, v in out.items()}


def _content_head(root):
    """The predicate that carries what is asserted: the root, or the clause a reporting or
    stance verb introduces ("officials said [troops withdrew]")."""
    lemma = root.lemma_.lower()
    if lemma in reporting_lemmas() or lemma in news_cues()["stance_verb"]:
        for child in root.children:
            if child.dep_ in ("ccomp", "xcomp", "parataxis") and child.pos_ in ("VERB", "AUX"):
                return child
    return root


def news_features(span, text: str | None = None) -> dict[str, float]:
    """The form and content features of one parsed sentence (NEWS_FEATURES, each in [0, 1]).

    Parameters
    ----------
    span : spacy.tokens.Span
        The sentence; entities come from its Doc.
    text : str, optional
        The sentence text to read punctuation and cue words from (default: the span's text).

    Returns
    -------
    dict of str to float
        Feature name -> value, in NEWS_FEATURES order.

    Examples
    --------
    >>> doc = nlp.parse_text("Will Russia respond?")
    >>> f = news_features(doc[:])
    >>> f["question"], f["main_future"], f["past_event"]
    (1.0, 1.0, 0.0)
    """
    text = (nlp.span_text(span) if text is None else text).strip()
    tail = text.rstrip("\"'”’)»")
    # the sentence's non-space tokens read from the Doc's attribute lists, not as spaCy Tokens
    attrs = nlp.token_attrs(span.doc)
    tokens = [i for i in range(span.start, span.end) if not attrs.is_space[i]]
    pos = [attrs.pos[i] for i in tokens]
    n_words = sum(attrs.is_alpha[i] for i in tokens)
    root = span.root
    head = _content_head(root)
    modals = {c.lower_ for h in {root, head} for c in h.children if c.tag_ == "MD"}
    lower = {attrs.lower[i] for i in tokens}
    evaluative = news_cues()["evaluative"]
    feats = {
        "question": tail.endswith("?"),
        "no_final_punct": not _FINAL.search(tail),
        "exclaim": tail.endswith("!"),
        "short": n_words <= SHORT_WORDS,
        "length": min(n_words, 40) / 40,
        "verbless": not any(p in ("VERB", "AUX") for p in pos),
        "main_future": bool(modals & _FUTURE) or (bool(_GOING_TO.search(text)) and head.tag_ == "VB"),
        "main_obligation": bool(modals & _OBLIGATION) or bool(_NEEDS_TO.search(text)),
        "main_possible": bool(modals & _POSSIBLE),
        "any_modal": any(attrs.tag[i] == "MD" for i in tokens),
        "imperative": root.tag_ == "VB" and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in root.children),
        "stance_root": root.lemma_.lower() in news_cues()["stance_verb"],
        "reporting_root": root.lemma_.lower() in reporting_lemmas(),
        "past_event": head.tag_ == "VBD" or (head.tag_ == "VBN" and any(
            c.lemma_ in ("have", "be") for c in head.children)),
        "present_simple": head.tag_ in ("VBZ", "VBP") and not modals,
        "first_person": bool(lower & _FIRST_PERSON),
        "second_person": bool(lower & _SECOND_PERSON),
        "quote_mark": any(ch in text for ch in _QUOTES),
        "evaluative": any(attrs.lemma[i] in evaluative for i, p in zip(tokens, pos) if p in ("ADJ", "ADV")),
        "adj_share": sum(p == "ADJ" for p in pos) / max(n_words, 1),
        "opinion_cue": cue_in("opinion", text),
        "quantity": bool(quantities_in(text)),
        "digit": any(ch.isdigit() for ch in text),
        "date": False, "named_place": False, "named_actor": False,
        "event_cue": cue_in("control_verb", text) or cue_in("casualty", text) or cue_in("military_action", text),
        "reporting": cue_in("reporting", text),
        "pron_subject": any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON" for c in head.children),
    }
    for ent in nlp.span_ents(span):
        if ent.label_ in ("DATE", "TIME") and _TIME_WORD.search(ent.text):
            feats["date"] = True
        elif ent.label_ in ("GPE", "LOC", "FAC"):
            feats["named_place"] = True
        elif ent.label_ in ("PERSON", "ORG", "NORP"):
            feats["named_actor"] = True
    return {name: float(feats[name]) for name in NEWS_FEATURES}


def news_feature_matrix(spans: Sequence, texts: Sequence[str] | None = None) -> np.ndarray:
    """`news_features` of many sentences as one array.

    Parameters
    ----------
    spans : sequence of spacy.tokens.Span
    texts : sequence of str, optional
        The sentence texts (default: the spans' texts).

    Returns
    -------
    numpy.ndarray
        Shape (len(spans), len(NEWS_FEATURES)).

    Examples
    --------
    >>> doc = nlp.parse_text("Troops withdrew. Why?")
    >>> news_feature_matrix(list(doc.sents)).shape == (2, len(NEWS_FEATURES))
    True
    """
    texts = [None] * len(spans) if texts is None else texts
    rows = [list(news_features(s, t).values()) for s, t in zip(spans, texts)]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(NEWS_FEATURES))


@dataclass
class NewsLayer:
    """The fitted news layer: logistic-regression weights over NEWS_FEATURES and the two
    logits (LOGIT_FEATURES), with the decision point folded into the intercept.

    Parameters
    ----------
    coef : numpy.ndarray
        One weight per name of `features`.
    intercept : float
        Intercept minus the logit of the chosen cut: 0 on the decision scale is the cut.
    features : tuple of str
        NEWS_FEATURES + LOGIT_FEATURES, as fitted.
    meta : dict
        Training settings and figures (saved with the weights).

    Examples
    --------
    >>> layer = load_news_layer()
    >>> layer.features[-2:]
    ('model_logit', 'news_model_logit')
    """

    coef: np.ndarray
    intercept: float
    features: tuple[str, ...] = NEWS_FEATURES + LOGIT_FEATURES
    meta: dict = field(default_factory=dict)

    def decision_function(self, news: np.ndarray, model_logit: np.ndarray,
                          news_model_logit: np.ndarray) -> np.ndarray:
        """The layer's logit for each sentence (>= 0: a claim).

        Parameters
        ----------
        news : numpy.ndarray
            `news_feature_matrix` rows.
        model_logit, news_model_logit : numpy.ndarray
            The ClaimBuster model's and the news text model's logits.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> layer = NewsLayer(coef=np.r_[np.zeros(len(NEWS_FEATURES)), 1.0, 1.0], intercept=-1.0)
        >>> layer.decision_function(np.zeros((1, len(NEWS_FEATURES))), np.array([0.5]), np.array([1.5])).tolist()
        [1.0]
        """
        x = np.column_stack([np.asarray(news, dtype=np.float64).reshape(-1, len(NEWS_FEATURES)),
                             np.asarray(model_logit, dtype=np.float64), np.asarray(news_model_logit, dtype=np.float64)])
        return x @ self.coef + self.intercept

    def save(self, path) -> None:
        """Write the layer as JSON (weights by feature name, intercept, meta).

        Parameters
        ----------
        path : str or pathlib.Path

        Returns
        -------
        None

        Examples
        --------
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "layer.json"
        >>> load_news_layer().save(path)
        >>> NewsLayer.load(path).features == load_news_layer().features
        True
        """
        data = dict(self.meta, intercept=float(self.intercept),
                    coef={name: float(w) for name, w in zip(self.features, self.coef)},
                    features=list(self.features), cues_hash=resource_hash(NEWS_CUES_FILE))
        Path(path).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path) -> NewsLayer:
        """Read a layer written by `save`.

        Parameters
        ----------
        path : str or pathlib.Path

        Returns
        -------
        NewsLayer

        Raises
        ------
        ValueError
            When the file was fitted on other features (retrain).

        Warns
        -----
        UserWarning
            When claims_news_cues.tsv changed since fitting.

        Examples
        --------
        >>> NewsLayer.load(config.RESOURCES_DIR / NEWS_LAYER_FILE).meta["n_train"] > 1000
        True
        """
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        features = tuple(data.get("features", ()))
        if features != NEWS_FEATURES + LOGIT_FEATURES:
            raise ValueError(f"{path}: fitted on other features; retrain with scripts/train_news_layer.py")
        if data.get("cues_hash") != resource_hash(NEWS_CUES_FILE):
            warnings.warn(f"{NEWS_CUES_FILE} changed since the news layer was fitted; "
                          "retrain with scripts/train_news_layer.py", stacklevel=2)
        coef = np.array([data["coef"][name] for name in features], dtype=np.float64)
        meta = {k: v for k, v in data.items() if k not in ("coef", "intercept", "features", "cues_hash")}
        return cls(coef=coef, intercept=float(data["intercept"]), features=features, meta=meta)


@lru_cache(maxsize=1)
def load_news_layer() -> NewsLayer:
    """The news layer shipped in resources/claims_news_layer.json, loaded once.

    Returns
    -------
    NewsLayer

    Examples
    --------
    >>> load_news_layer().coef.shape == (len(NEWS_FEATURES) + len(LOGIT_FEATURES),)
    True
    """
    return NewsLayer.load(config.resource(NEWS_LAYER_FILE))


@lru_cache(maxsize=1)
def load_news_text_model() -> CheckWorthinessModel:
    """The text model fitted on the labelled news sentences (resources/claims_news_model.*),
    loaded once: the ClaimBuster model's architecture, other training data.

    Returns
    -------
    CheckWorthinessModel

    Examples
    --------
    >>> load_news_text_model().meta["training_data"].startswith("war_claim_labels.tsv")
    True
    """
    config.resource(NEWS_MODEL_STEM + ".npz")
    return CheckWorthinessModel.load(config.RESOURCES_DIR / NEWS_MODEL_STEM)


def news_logits(texts: Sequence[str], spans: Sequence, model_logit: np.ndarray,
                news_model_logit: np.ndarray | None = None) -> np.ndarray:
    """The news layer's logits of parsed sentences.

    Parameters
    ----------
    texts : sequence of str
        The sentence texts (as the models read them).
    spans : sequence of spacy.tokens.Span
        Their parses, aligned with `texts`.
    model_logit : numpy.ndarray
        The ClaimBuster model's logits of `texts`.
    news_model_logit : numpy.ndarray, optional
        The news text model's logits, when already computed.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> from presslens.claims.model import load_checkworthiness_model
    >>> doc = nlp.parse_text("Shelling killed 14 civilians in Kharkiv on Sunday. What now?")
    >>> spans = list(doc.sents)
    >>> texts = [s.text for s in spans]
    >>> z = news_logits(texts, spans, load_checkworthiness_model().decision_function(texts))
    >>> bool(z[0] > 0 > z[1])
    True
    """
    texts = list(texts)
    if news_model_logit is None:
        news_model_logit = load_news_text_model().decision_function(texts) if texts else np.zeros(0)
    return load_news_layer().decision_function(news_feature_matrix(spans, texts), model_logit, news_model_logit)
