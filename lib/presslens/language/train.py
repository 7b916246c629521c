"""Fitting the persuasion model of `presslens.language.persuasion_model` on span-annotated articles
(SemEval-2023 Task 3 English): paragraph labels from the gold spans, the text head and the
embedding head, and the choices made by inner cross-validation over articles (the fusion
weight and the probability threshold of each technique, per encoder).

A unit (paragraph) is positive for a technique when a gold span of that technique overlaps it.
Inner cross-validation: articles are dealt into `folds` groups in a fixed order (GroupKFold),
each group's units are scored by heads fitted on the other groups; on those out-of-fold scores
the fusion weight (from FUSION_GRID) and then the F1-optimal threshold are chosen per technique.
The shipped heads are then fitted on all units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .persuasion_model import (
    ENCODER_EMBEDDINGS,
    ENCODER_NGRAMS,
    N_CHAR_FEATURES,
    TECHNIQUES,
    WORD_NGRAMS,
    WORD_TOKEN_PATTERN,
    PersuasionModel,
    UnitBatch,
    article_means,
    char_counts,
    drop_neutral_uses,
    tfidf,
    units,
    word_counts,
)

TEXT_C = 1.0
EMB_C = 1.0
FUSION_GRID = (0.25, 0.5, 0.75)
INNER_FOLDS = 5
# Word n-grams seen in fewer units, or in more than this share of them, are left out.
WORD_MIN_DF = 2
WORD_MAX_DF = 0.5
CHAR_MIN_DF = 3


@dataclass
class TrainingUnits:
    """Units of the training articles with their labels."""

    article_ids: list[str]  # per unit
    starts: np.ndarray
    ends: np.ndarray
    batch: UnitBatch
    labels: np.ndarray  # (units, TECHNIQUES) of 0/1

    def __len__(self) -> int:
        return len(self.article_ids)

    def subset(self, rows: np.ndarray) -> TrainingUnits:
        b = self.batch
        # article numbers are renumbered so that article means stay per article
        _, groups = np.unique(b.groups[rows], return_inverse=True)
        batch = UnitBatch([b.texts[i] for i in rows], groups.astype(np.int64), b.first[rows],
                          b.lexicon[rows])
        return TrainingUnits([self.article_ids[i] for i in rows], self.starts[rows], self.ends[rows],
                             batch, self.labels[rows])


def training_units(articles: pd.DataFrame, gold: pd.DataFrame,
                   lexicon_spans: Mapping[str, Sequence[Mapping]],
                   sentences: Mapping[str, Sequence[tuple[int, int, int]]] | None = None) -> TrainingUnits:
    """Units of `articles` (article_id, text) labelled from `gold` (article_id, technique,
    start, end); `lexicon_spans` and `sentences` by article id, as the runtime receives them."""
    gold_by: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for row in gold.itertuples(index=False):
        gold_by.setdefault((str(row.article_id), row.technique), []).append((int(row.start), int(row.end)))
    documents, ids, starts, ends, labels = [], [], [], [], []
    for article_id, text in zip(articles["article_id"].astype(str), articles["text"]):
        text = str(text)
        sent = [(s, e) for _, s, e in (sentences or {}).get(article_id, ())]
        spans = units(text, sent)
        documents.append((text, spans, drop_neutral_uses(text, lexicon_spans.get(article_id, ()))))
        for start, end in spans:
            ids.append(article_id)
            starts.append(start)
            ends.append(end)
            labels.append([int(any(gs < end and start < ge for gs, ge in gold_by.get((article_id, t), ())))
                           for t in TECHNIQUES])
    return TrainingUnits(ids, np.asarray(starts), np.asarray(ends), UnitBatch.build(documents),
                         np.asarray(labels, dtype=np.int64).reshape(len(ids), len(TECHNIQUES)))


# --------------------------------------------------------------------------- heads

def _idf(counts, n: int) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    return np.log((1.0 + n) / (1.0 + df)) + 1.0  # scikit-learn's smooth_idf


def _vocabulary(texts: list[str]) -> list[str]:
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(ngram_range=WORD_NGRAMS, token_pattern=WORD_TOKEN_PATTERN, lowercase=True,
                          min_df=min(WORD_MIN_DF, len(texts)), max_df=WORD_MAX_DF if len(texts) >= 20 else 1.0)
    try:
        vec.fit(texts)
    except ValueError:  # no word survives min_df/max_df
        return []
    return sorted(vec.vocabulary_)


def _logistic(x, y: np.ndarray, C: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():
        return None
    model = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=2000,
                               random_state=seed)
    return model.fit(x, y)


@dataclass
class _TextHead:
    vocabulary: list[str]
    word_idf: np.ndarray
    char_index: np.ndarray
    char_idf: np.ndarray
    char_idf_unseen: float
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    word_coef: np.ndarray
    char_coef: np.ndarray
    dense_coef: np.ndarray
    intercept: np.ndarray


def _fit_text_head(data: TrainingUnits, C: float, seed: int) -> _TextHead:
    from scipy import sparse

    texts = data.batch.texts
    n = len(texts)
    vocabulary = _vocabulary(texts)
    index = {t: i for i, t in enumerate(vocabulary)}
    wc = word_counts(texts, index)
    word_idf = _idf(wc, n)
    cc = char_counts(texts)
    df = np.bincount(cc.indices, minlength=N_CHAR_FEATURES)
    char_index = np.flatnonzero(df >= min(CHAR_MIN_DF, n))
    char_idf_all = np.log((1.0 + n) / (1.0 + df)) + 1.0
    unseen = math.log(1.0 + n) + 1.0
    # columns outside char_index get the unseen idf and no weight, as at prediction time
    idf_full = np.full(N_CHAR_FEATURES, unseen)
    idf_full[char_index] = char_idf_all[char_index]
    keep = np.zeros(N_CHAR_FEATURES, dtype=bool)
    keep[char_index] = True
    chars = tfidf(cc, idf_full)[:, char_index]
    dense = data.batch.dense()
    mean, scale = dense.mean(axis=0), dense.std(axis=0)
    scale[scale == 0] = 1.0
    x = sparse.hstack([tfidf(wc, word_idf), chars, sparse.csr_matrix((dense - mean) / scale)]).tocsr()
    nw, nc = len(vocabulary), len(char_index)
    coef = np.zeros((len(TECHNIQUES), x.shape[1]))
    intercept = np.full(len(TECHNIQUES), -20.0)  # a technique never seen: never flagged
    for j in range(len(TECHNIQUES)):
        model = _logistic(x, data.labels[:, j], C, seed)
        if model is not None:
            coef[j], intercept[j] = model.coef_.ravel(), float(model.intercept_[0])
    return _TextHead(vocabulary, word_idf, char_index, char_idf_all[char_index], unseen, mean, scale,
                     coef[:, :nw], coef[:, nw:nw + nc], coef[:, nw + nc:], intercept)


def _fit_embedding_head(data: TrainingUnits, embeddings: np.ndarray, head: _TextHead,
                        C: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    x = _embedding_design(data, embeddings, head.dense_mean, head.dense_scale)
    coef = np.zeros((len(TECHNIQUES), x.shape[1]))
    intercept = np.full(len(TECHNIQUES), -20.0)
    for j in range(len(TECHNIQUES)):
        model = _logistic(x, data.labels[:, j], C, seed)
        if model is not None:
            coef[j], intercept[j] = model.coef_.ravel(), float(model.intercept_[0])
    return coef, intercept


def _embedding_design(data: TrainingUnits, embeddings: np.ndarray, mean, scale) -> np.ndarray:
    return np.hstack([embeddings, article_means(embeddings, data.batch.groups),
                      (data.batch.dense() - mean) / scale])


def _model(head: _TextHead, emb: tuple[np.ndarray, np.ndarray] | None, thresholds, fusion,
           meta) -> PersuasionModel:
    return PersuasionModel(
        vocabulary=head.vocabulary, word_idf=head.word_idf, char_index=head.char_index,
        char_idf=head.char_idf, char_idf_unseen=head.char_idf_unseen, dense_mean=head.dense_mean,
        dense_scale=head.dense_scale, word_coef=head.word_coef, char_coef=head.char_coef,
        dense_coef=head.dense_coef, text_intercept=head.intercept, thresholds=thresholds,
        emb_coef=None if emb is None else emb[0], emb_intercept=None if emb is None else emb[1],
        fusion=fusion, meta=meta)


# --------------------------------------------------------------------------- choices

def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) with the best F1 of the positive class when flagging p >= threshold;
    the threshold is the midpoint between the last flagged and the next score, so that ties
    and rounding cannot move it onto a score."""
    y = np.asarray(y, dtype=bool)
    if not y.any():
        return 1.0, 0.0
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    f1 = 2 * tp / (k + ys.sum())
    # only cut between distinct scores
    last = np.r_[ps[1:] != ps[:-1], True]
    f1 = np.where(last, f1, -1.0)
    i = int(np.argmax(f1))
    cut = (ps[i] + ps[i + 1]) / 2 if i + 1 < len(ps) else ps[i]
    return float(cut), float(f1[i])


def article_folds(article_ids: Sequence[str], folds: int) -> list[np.ndarray]:
    """Unit indices of each held-out fold, articles dealt round-robin in sorted order."""
    ids = sorted(set(article_ids))
    fold_of = {a: i % folds for i, a in enumerate(ids)}
    f = np.array([fold_of[a] for a in article_ids])
    return [np.flatnonzero(f == k) for k in range(folds)]


def out_of_fold(data: TrainingUnits, embeddings: np.ndarray | None, folds: int = INNER_FOLDS,
                text_C: float = TEXT_C, emb_C: float = EMB_C, seed: int = 0) -> dict[str, np.ndarray]:
    """Out-of-fold logits of the text head ("text") and, with embeddings, the embedding head
    ("embedding"): (units, TECHNIQUES) each."""
    out = {"text": np.zeros(data.labels.shape, dtype=np.float64)}
    if embeddings is not None:
        out["embedding"] = np.zeros(data.labels.shape, dtype=np.float64)
    every = np.arange(len(data))
    for held in article_folds(data.article_ids, folds):
        fit_rows = np.setdiff1d(every, held)
        part, test = data.subset(fit_rows), data.subset(held)
        head = _fit_text_head(part, text_C, seed)
        model = _model(head, None, {}, {}, {})
        out["text"][held] = model.text_logits(test.batch)
        if embeddings is not None:
            coef, intercept = _fit_embedding_head(part, embeddings[fit_rows], head, emb_C, seed)
            x = _embedding_design(test, embeddings[held], head.dense_mean, head.dense_scale)
            out["embedding"][held] = x @ coef.T + intercept
    return out


def choose(labels: np.ndarray, oof: Mapping[str, np.ndarray]) -> tuple[dict, dict, dict]:
    """(thresholds per encoder and technique, fusion weight per technique, inner-CV F1 per
    encoder and technique) from out-of-fold logits."""
    thresholds: dict[str, dict[str, float]] = {ENCODER_NGRAMS: {}}
    fusion: dict[str, float] = {}
    figures: dict[str, dict[str, float]] = {ENCODER_NGRAMS: {}}
    for j, technique in enumerate(TECHNIQUES):
        y = labels[:, j]
        cut, f1 = best_threshold(y, 1 / (1 + np.exp(-oof["text"][:, j])))
        thresholds[ENCODER_NGRAMS][technique], figures[ENCODER_NGRAMS][technique] = cut, round(f1, 4)
        if "embedding" in oof:
            best = None
            for w in FUSION_GRID:
                z = (1 - w) * oof["text"][:, j] + w * oof["embedding"][:, j]
                cut, f1 = best_threshold(y, 1 / (1 + np.exp(-z)))
                if best is None or f1 > best[2] + 1e-9:
                    best = (w, cut, f1)
            fusion[technique] = best[0]
            thresholds.setdefault(ENCODER_EMBEDDINGS, {})[technique] = best[1]
            figures.setdefault(ENCODER_EMBEDDINGS, {})[technique] = round(best[2], 4)
    return thresholds, fusion, figures


def fit_persuasion_model(data: TrainingUnits, embeddings: np.ndarray | None = None,
                         folds: int = INNER_FOLDS, text_C: float = TEXT_C, emb_C: float = EMB_C,
                         seed: int = 0, meta: Mapping | None = None) -> PersuasionModel:
    """The heads fitted on all of `data`, with the fusion weights and thresholds chosen by inner
    cross-validation (`out_of_fold`, `choose`). `embeddings` (units x 384, in unit order) adds
    the embedding head; without it the model has the n-gram encoder only."""
    oof = out_of_fold(data, embeddings, folds, text_C, emb_C, seed)
    thresholds, fusion, figures = choose(data.labels, oof)
    head = _fit_text_head(data, text_C, seed)
    emb = _fit_embedding_head(data, embeddings, head, emb_C, seed) if embeddings is not None else None
    info = dict(meta or {})
    info.update({"text_C": text_C, "embedding_C": emb_C if embeddings is not None else None,
                 "inner_folds": folds, "seed": seed, "inner_cv_f1": figures,
                 "n_units": len(data), "n_articles": len(set(data.article_ids)),
                 "positives": {t: int(data.labels[:, j].sum()) for j, t in enumerate(TECHNIQUES)}})
    return _model(head, emb, thresholds, fusion, info)
