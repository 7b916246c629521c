"""Fitting the news layer of check-worthiness (`presslens.claims.news`) on news sentences
labelled by hand (resources/war_claim_labels.tsv).

    frame, spans = labelled_sentences()                   # the labelled sentences, parsed
    fitted = fit_news_layer(frame, spans)                 # news text model, layer, report
    fitted.news_model.save(...); fitted.layer.save(...)   # what scripts/train_news_layer.py does

The steps: the news text model (`CheckWorthinessClassifier`, the ClaimBuster model's
architecture) gives out-of-fold logits by cross-validation grouped by article, so that the
layer learns how far to trust it on sentences it has not seen; the layer (a logistic
regression over NEWS_FEATURES, the ClaimBuster logit and that out-of-fold logit) is
cross-validated the same way, and its cut is the F1-optimal one of those out-of-fold
probabilities (F1 compared to two decimals: closer differences are within a fold's noise;
ties go to the middle of the tied cuts). The cut is folded into the intercept. Its settings are in
resources/tuned.toml [claims.news_layer].
"""

from __future__ import annotations

import csv
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import components, config, learn, nlp
from .extract import claim_sentences
from .model import CheckWorthinessModel, load_checkworthiness_model
from .news import LOGIT_FEATURES, NEWS_FEATURES, NewsLayer, news_feature_matrix
from .train import CheckWorthinessClassifier

LABELS_FILE = "war_claim_labels.tsv"
WAR_ARTICLES = Path("semeval2025t10_en_war") / "articles"
_TUNED = config.tuned("claims")["news_layer"]
LAYER_C = float(_TUNED["C"])
FOLDS = int(_TUNED["folds"])
CUT_GRID = np.round(np.arange(float(_TUNED["cut_min"]), float(_TUNED["cut_max"]) + 1e-9, 0.01), 2)
CUT_DECIMALS = int(_TUNED["cut_f1_decimals"])
CUT_TIES = str(_TUNED.get("cut_ties", "nearest_half"))


def load_labels(path=None) -> pd.DataFrame:
    """The labelled sentences: article_id, start, end, label (1 = claim), anchor.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A file in the format of resources/war_claim_labels.tsv (the default).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> labels = load_labels()
    >>> sorted(labels.columns), set(labels["label"]) == {0, 1}
    (['anchor', 'article_id', 'end', 'label', 'start'], True)
    """
    path = config.resource(LABELS_FILE) if path is None else Path(path)
    with path.open(encoding="utf-8") as fh:
        lines = (ln for ln in fh if ln.strip() and not ln.startswith("#"))
        frame = pd.DataFrame(list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)))
    for col in ("start", "end", "label"):
        frame[col] = frame[col].astype(int)
    return frame


def labelled_sentences(datasets_dir=None, labels: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list]:
    """The labelled sentences as the claims component sees them: each article loaded with
    `presslens.load_articles`, its page furniture blanked as the runner does, parsed, cut into
    sentences by `claim_sentences`; a label is matched to the sentence with its offsets (or,
    when segmentation has moved, to the sentence overlapping most of it).

    Parameters
    ----------
    datasets_dir : str or pathlib.Path, optional
        The folder holding semeval2025t10_en_war/ (default: config.DATASETS_DIR).
    labels : pandas.DataFrame, optional
        `load_labels()` by default.

    Returns
    -------
    tuple of (pandas.DataFrame, list of spacy.tokens.Span)
        One row per labelled sentence (article_id, start, end, text, label), and its Span.

    Raises
    ------
    FileNotFoundError
        When a labelled article is not under `datasets_dir`.
    """
    from .. import io as presslens_io

    root = Path(datasets_dir or config.DATASETS_DIR) / WAR_ARTICLES
    labels = load_labels() if labels is None else labels
    frames = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for article_id in dict.fromkeys(labels["article_id"]):
            path = root / f"{article_id}.txt"
            if not path.exists():
                raise FileNotFoundError(f"labelled article {path} is missing")
            article = presslens_io.load_articles(path).assign(article_id=article_id)
            article.attrs = {}
            frames.append(article)
    articles = pd.concat(frames, ignore_index=True)
    inputs = [components.article_input(a, t, title) for a, t, title in
              zip(articles["article_id"], articles["text"], articles["title"])]
    docs = dict(nlp.parse_articles(articles.assign(text=[i.parse_text for i in inputs])))
    rows, spans = [], []
    for article_id, group in labels.groupby("article_id", sort=False):
        sentences, leads, texts = claim_sentences(docs[article_id])
        found = [(sent.start_char + lead, sent.start_char + lead + len(text), text, sent)
                 for (_, sent), lead, text in zip(sentences, leads, texts) if text]
        for label in group.itertuples(index=False):
            best = max(found, key=lambda f: min(f[1], label.end) - max(f[0], label.start), default=None)
            if best is None or min(best[1], label.end) - max(best[0], label.start) <= 0:
                continue
            rows.append({"article_id": article_id, "start": best[0], "end": best[1], "text": best[2],
                         "label": int(label.label)})
            spans.append(best[3])
    return pd.DataFrame(rows), spans


@dataclass
class FittedNewsLayer:
    """What `fit_news_layer` returns: the news text model, the layer, and the figures."""

    news_model: CheckWorthinessModel
    layer: NewsLayer
    report: dict


def _prf(labels: np.ndarray, predicted: np.ndarray) -> dict:
    tp = int((predicted & (labels == 1)).sum())
    p = tp / max(int(predicted.sum()), 1)
    r = tp / max(int((labels == 1).sum()), 1)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "share_marked": round(float(predicted.mean()), 3)}


def fit_news_layer(frame: pd.DataFrame, spans: list, C: float = LAYER_C, folds: int = FOLDS,
                   seed: int = 0) -> FittedNewsLayer:
    """Fit the news text model and the news layer on labelled sentences.

    Parameters
    ----------
    frame : pandas.DataFrame
        `labelled_sentences` rows: article_id, text, label.
    spans : list of spacy.tokens.Span
        Their parses.
    C : float
        Inverse regularisation of the layer's logistic regression.
    folds : int
        Cross-validation folds, grouped by article.
    seed : int
        random_state of the models.

    Returns
    -------
    FittedNewsLayer
        `report` holds the cut and the cross-validated figures at it.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold, cross_val_predict

    texts = frame["text"].tolist()
    labels = frame["label"].to_numpy(dtype=int)
    groups = frame["article_id"].to_numpy()
    splitter = GroupKFold(folds)
    news_oof = cross_val_predict(CheckWorthinessClassifier(seed=seed), texts, labels, cv=splitter,
                                 groups=groups, method="decision_function")
    x = np.column_stack([news_feature_matrix(spans, texts), load_checkworthiness_model().decision_function(texts),
                         news_oof])
    layer_lr = LogisticRegression(C=C, max_iter=5000, random_state=seed)
    oof = cross_val_predict(layer_lr, x, labels, cv=splitter, groups=groups, method="predict_proba")[:, 1]
    cut = learn.best_cut(labels, oof, CUT_GRID, decimals=CUT_DECIMALS, ties=CUT_TIES)
    layer_lr.fit(x, labels)
    news_model = CheckWorthinessClassifier(seed=seed).fit(texts, labels.tolist()).model_
    report = {
        "n_train": len(texts), "positives": int(labels.sum()), "articles": int(len(set(groups))),
        "C": C, "folds": folds, "seed": seed, "cut": float(cut),
        "cv_at_cut": _prf(labels, oof >= cut), "cv_at_half": _prf(labels, oof >= 0.5),
        "cv_auc": round(float(roc_auc_score(labels, oof)), 3),
        "cv_auc_news_model_alone": round(float(roc_auc_score(labels, news_oof)), 3),
        "cv_auc_claimbuster_model_alone": round(float(roc_auc_score(labels, x[:, -2])), 3),
    }
    news_model.meta.update({"training_data": f"{LABELS_FILE}: {len(texts)} sentences of "
                            f"{report['articles']} war articles (semeval2025t10_en_war)"})
    layer = NewsLayer(coef=layer_lr.coef_.ravel().astype(np.float64),
                      intercept=float(layer_lr.intercept_[0]) - math.log(cut / (1.0 - cut)),
                      features=NEWS_FEATURES + LOGIT_FEATURES,
                      meta={**report, "training_data": news_model.meta["training_data"]})
    return FittedNewsLayer(news_model, layer, report)
