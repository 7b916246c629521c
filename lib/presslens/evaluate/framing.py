"""Scoring `presslens.framing` against human frame annotation.

Corpora (development data beside the repository, `config.DATASETS_DIR`):
- `semeval2023t3_en`: the 14 Media Frames Corpus frames per article (multi-label). The file's
  frame names (`Security_and_defense`) map to the schema's snake_case (`security_and_defense`).
  The article text is the whole file (its first line is the title).
- `narrative_frames`: generic frames RE, HI, CO, MO, EC. RE ("resolution") is mapped to
  `responsibility` (Semetko & Valkenburg's attribution-of-responsibility frame, whose items ask
  for solutions and who can solve the problem), HI -> human_interest, CO -> conflict,
  MO -> morality, EC -> economic.

For each corpus: a fixed held-out split (25% test, seed 0) on which the trained FrameModel, a
plain TF-IDF + logistic-regression baseline and the no-training indicator default (thresholds
calibrated on the training part only, and the thresholds stored in the resource file) are
scored; then 5-fold cross-validation of the trained model with bootstrap intervals, repeated
with the outer seeds CV_SEEDS for the model and the balanced baseline (the mean is the
headline figure). Where the scheme's default recipe uses sentence embeddings, the recipe
without them is scored the same way beside it.
Also the seed-article check against the analyst's annotation (`config.SEED_GOLD`).

`python -m presslens.evaluate framing` prints the figures;
`python -m presslens.evaluate.framing --write-thresholds` stores the train-split calibrated
thresholds of the default path in the resource files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import config, framing, learn, nlp, schema
from ..framing import train as framing_train
from .common import PRF, bootstrap_ci

TEST_FRACTION = 0.25
SEED = 0
# Outer seeds of the repeated cross-validation: a recipe's gain must hold on every split.
CV_SEEDS = (0, 1, 2)
NARRATIVE_COLUMNS = {"RE": "responsibility", "HI": "human_interest", "CO": "conflict",
                     "MO": "morality", "EC": "economic"}
THRESHOLD_GRID = np.round(np.arange(0.02, 0.98, 0.01), 3)


# --------------------------------------------------------------------------- corpora

def load_semeval(datasets_dir: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles with a frames.tsv row, and their labels (article_id, frame)."""
    root = Path(datasets_dir) / "semeval2023t3_en"
    labels = []
    for line in (root / "frames.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        article_id, _, frames = line.partition("\t")
        for name in frames.split(","):
            if name.strip():
                labels.append({"article_id": article_id.strip(), "frame": name.strip().lower()})
    labels_df = pd.DataFrame(labels)
    rows = []
    for article_id in sorted(set(labels_df["article_id"])):
        path = root / "articles" / f"article{article_id}.txt"
        if path.exists():
            rows.append({"article_id": article_id, "text": path.read_text(encoding="utf-8")})
    articles = pd.DataFrame(rows)
    labels_df = labels_df[labels_df["article_id"].isin(articles["article_id"])]
    return articles, labels_df.reset_index(drop=True)


def load_narrative(datasets_dir: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = pd.read_csv(Path(datasets_dir) / "narrative_frames" / "articles.tsv", sep="\t", dtype=str)
    articles = pd.DataFrame({"article_id": "nf" + df["ID"].astype(str), "text": df["text"],
                             "outlet": df["source"]})
    labels = []
    for _, row in df.iterrows():
        for column, frame in NARRATIVE_COLUMNS.items():
            if str(row[column]).strip().lower() == "true":
                labels.append({"article_id": "nf" + str(row["ID"]), "frame": frame})
    return articles, pd.DataFrame(labels, columns=["article_id", "frame"])


def holdout_split(article_ids: list[str], test_fraction: float = TEST_FRACTION,
                  seed: int = SEED) -> tuple[list[str], list[str]]:
    ids = sorted(article_ids)
    order = np.random.RandomState(seed).permutation(len(ids))
    n_test = int(round(len(ids) * test_fraction))
    test = sorted(ids[i] for i in order[:n_test])
    train = sorted(ids[i] for i in order[n_test:])
    return train, test


def label_matrix(article_ids: list[str], labels: pd.DataFrame, frames: tuple[str, ...]) -> np.ndarray:
    return framing.label_matrix(article_ids, labels, frames).astype(bool)


# --------------------------------------------------------------------------- baseline

def tfidf_lr_baseline(train_texts: list[str], y_train: np.ndarray, test_texts: list[str],
                      balanced: bool) -> np.ndarray:
    """TF-IDF (sublinear tf, words) + one logistic regression per frame at 0.5: what a user
    gets from scikit-learn's defaults without presslens."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2)
    X_train = vectorizer.fit_transform(train_texts)
    X_test = vectorizer.transform(test_texts)
    pred = np.zeros((len(test_texts), y_train.shape[1]), dtype=bool)
    for j in range(y_train.shape[1]):
        if y_train[:, j].min() == y_train[:, j].max():
            pred[:, j] = bool(y_train[0, j])
            continue
        clf = LogisticRegression(class_weight="balanced" if balanced else None,
                                 solver="liblinear", random_state=SEED)
        clf.fit(X_train, y_train[:, j])
        pred[:, j] = clf.predict_proba(X_test)[:, 1] >= 0.5
    return pred


# --------------------------------------------------------------------------- default path

def default_scores(articles: pd.DataFrame, scheme: str, docs: dict) -> pd.DataFrame:
    """article x frame matrix of the indicator scores."""
    table = framing.detect_frames(articles, scheme=scheme, docs=docs)
    wide = table.pivot(index="article_id", columns="frame", values="score")
    return wide.reindex(index=articles["article_id"].tolist(),
                        columns=list(framing.SCHEME_FRAMES[scheme])).astype(float)


def calibrate_thresholds(scores: pd.DataFrame, y: np.ndarray) -> dict[str, float]:
    """Per frame, the score cut that maximises F1 (ties: the higher cut)."""
    return {frame: learn.best_cut(y[:, j], scores[frame].to_numpy(), THRESHOLD_GRID,
                                  ties="highest", tolerance=0.0)
            for j, frame in enumerate(scores.columns)}


def _apply(scores: pd.DataFrame, thresholds: dict[str, float]) -> np.ndarray:
    return np.column_stack([scores[f].to_numpy() >= thresholds[f] for f in scores.columns])


def _summary(report: dict) -> dict:
    """The headline figures of a multilabel report (per-frame F1 kept, details dropped)."""
    return {
        "micro_f1": report["micro"]["f1"], "micro_f1_ci95": report["micro"]["f1_ci95"],
        "micro_precision": report["micro"]["precision"], "micro_recall": report["micro"]["recall"],
        "macro_f1": report["macro_f1"], "macro_f1_ci95": report["macro_f1_ci95"],
        "per_frame_f1": {f: v["f1"] for f, v in report["per_frame"].items()},
    }


def model_method(model: framing.FrameModel) -> str:
    """A one-line description of a trained model's recipe, for the report."""
    meta = model.metadata
    learners = " + ".join({"lr": "balanced logistic regression",
                           "lr_unweighted": "logistic regression",
                           "ridge": "balanced ridge"}[name] for name in meta.get("learners", ["lr"]))
    title = int(meta.get("title_weight", 0))
    return (f"TF-IDF word 1-{meta.get('ngram_max', 1)}-grams (sublinear"
            f"{f', first line (title) counted {title + 1}x' if title else ''})"
            f"{', NB-scaled per frame' if meta.get('nb_scaling', True) else ''}"
            f" + indicator values x {model.indicator_weight}; {learners} per frame"
            f"{' (mean probability)' if len(meta.get('learners', ['lr'])) > 1 else ''}, C={model.C}"
            f"; {meta.get('threshold_mode')} threshold(s) tuned for {meta.get('tuning_objective')}"
            f" by {meta.get('inner_folds')}-fold inner CV"
            + (f"; late fusion (weight {meta.get('fusion_weight')}) with a balanced logistic"
               f" regression per frame (C={meta.get('embedding_C')}) on the mean"
               f" {meta['embeddings']['model']} embedding of the article's paragraphs"
               if meta.get("embeddings") else ""))


# --------------------------------------------------------------------------- scoring

def _prf_dict(gold: np.ndarray, got: np.ndarray) -> dict:
    gold, got = np.asarray(gold, dtype=bool), np.asarray(got, dtype=bool)
    return PRF(int((gold & got).sum()), int((got & ~gold).sum()),
               int((gold & ~got).sum())).as_dict()


def multilabel_report(y: np.ndarray, pred: np.ndarray, frames: tuple[str, ...],
                      n_boot: int = 1000, seed: int = 0) -> dict:
    """Per-frame precision/recall/F1 with 95% bootstrap intervals (over articles) and the
    micro and macro averages, for binary matrices articles x frames."""
    y = np.asarray(y, dtype=bool)
    pred = np.asarray(pred, dtype=bool)
    rows_y = [tuple(r) for r in y.tolist()]
    rows_p = [tuple(r) for r in pred.tolist()]

    def averaged(average: str):
        def metric(a, b) -> float:
            return learn.multilabel_f1(np.array(a, dtype=bool).reshape(-1, y.shape[1]),
                                       np.array(b, dtype=bool).reshape(-1, y.shape[1]), average)
        return metric

    per_frame = {}
    for j, frame in enumerate(frames):
        gold, got = y[:, j].astype(int).tolist(), pred[:, j].astype(int).tolist()
        figures = _prf_dict(y[:, j], pred[:, j])
        figures["support"] = int(sum(gold))
        figures["f1_ci95"] = [round(v, 3) for v in bootstrap_ci(
            gold, got, lambda a, b: learn.binary_f1(np.array(a), np.array(b)), n=n_boot,
            seed=seed)]
        per_frame[frame] = figures
    micro_ci = bootstrap_ci(rows_y, rows_p, averaged("micro"), n=n_boot, seed=seed)
    return {
        "n_articles": int(y.shape[0]),
        "micro": {**_prf_dict(y.ravel(), pred.ravel()), "f1_ci95": [round(v, 3) for v in micro_ci]},
        "macro_f1": round(learn.multilabel_f1(y, pred, "macro"), 3),
        "macro_f1_ci95": [round(v, 3) for v in bootstrap_ci(rows_y, rows_p, averaged("macro"),
                                                            n=n_boot, seed=seed)],
        "per_frame": per_frame,
    }


def cross_validate_frames(articles: pd.DataFrame, labels: pd.DataFrame, scheme: str = "mfc",
                          folds: int = 5, seed: int = 0, docs: Mapping[str, Any] | None = None,
                          indicator_weight: float | None = None, C: float | None = None,
                          inner_folds: int = 5, n_boot: int = 1000, average: str | None = None,
                          threshold_mode: str | None = None, ngram_max: int = 1,
                          nb_scaling: bool = True,
                          learners: tuple[str, ...] | None = None,
                          title_weight: int | None = None,
                          embeddings: bool | None = None) -> dict:
    """K-fold cross-validation of `framing.train_frame_model` (C, weights and thresholds
    re-tuned inside each training fold, the outer `seed` seeding the inner folds too):
    per-frame precision/recall/F1 with bootstrap intervals, micro and macro."""
    recipe = framing_train.frame_recipe(
        scheme, average=average, threshold_mode=threshold_mode, learners=learners,
        title_weight=title_weight, embeddings=embeddings, C=C, inner_folds=inner_folds,
        seed=seed, indicator_weight=indicator_weight, ngram_max=ngram_max,
        nb_scaling=nb_scaling)
    inputs, y = framing_train.training_data(articles, labels, scheme, recipe, docs=docs)
    pred = np.zeros(y.shape, dtype=bool)
    for test in learn.kfold(len(inputs), folds, seed):
        train = np.setdiff1d(np.arange(len(inputs)), test)
        model = framing_train.fit_frame_model(inputs.iloc[train], y[train], scheme, recipe)
        pred[test] = model.present(model.pipeline.predict_proba(inputs.iloc[test]))
    report = multilabel_report(y, pred, framing.SCHEME_FRAMES[scheme], n_boot=n_boot, seed=seed)
    report.update({"folds": folds, "seed": seed, "scheme": scheme})
    return report


# --------------------------------------------------------------------------- one corpus

def evaluate_corpus(articles: pd.DataFrame, labels: pd.DataFrame, scheme: str,
                    folds: int = 5, n_boot: int = 1000) -> dict:
    frames = framing.SCHEME_FRAMES[scheme]
    docs = dict(nlp.parse_articles(articles))
    train_ids, test_ids = holdout_split(articles["article_id"].tolist())
    by_id = articles.set_index("article_id", drop=False)
    train, test = by_id.loc[train_ids].reset_index(drop=True), by_id.loc[test_ids].reset_index(drop=True)
    y_train = label_matrix(train_ids, labels, frames)
    y_test = label_matrix(test_ids, labels, frames)
    out: dict = {"scheme": scheme, "n_articles": len(articles), "n_train": len(train_ids),
                 "n_test": len(test_ids), "split": f"{int(TEST_FRACTION * 100)}% test, seed {SEED}"}

    train_labels = labels[labels["article_id"].isin(train_ids)]
    start = time.perf_counter()
    model = framing.train_frame_model(train, train_labels, scheme=scheme, docs=docs, seed=SEED)
    train_seconds = time.perf_counter() - start
    scores = model.predict_proba(test, docs=docs)
    pred = np.column_stack([scores[f].to_numpy() >= model.thresholds[f] for f in frames])
    out["heldout_model"] = _summary(multilabel_report(y_test, pred, frames, n_boot, SEED))
    out["heldout_model"]["C"] = model.C
    out["heldout_model"]["indicator_weight"] = model.indicator_weight
    out["heldout_model"]["thresholds"] = model.thresholds
    out["heldout_model"]["method"] = model_method(model)
    out["heldout_model"]["train_seconds"] = round(train_seconds, 1)
    if model.uses_embeddings:
        plain = framing.train_frame_model(train, train_labels, scheme=scheme, docs=docs,
                                          seed=SEED, embeddings=False)
        scores = plain.predict_proba(test, docs=docs)
        pred = np.column_stack([scores[f].to_numpy() >= plain.thresholds[f] for f in frames])
        out["heldout_model_without_embeddings"] = _summary(
            multilabel_report(y_test, pred, frames, n_boot, SEED))
        out["heldout_model_without_embeddings"]["method"] = model_method(plain)

    texts_train, texts_test = train["text"].tolist(), test["text"].tolist()
    for name, balanced in (("heldout_baseline_tfidf_lr", False),
                           ("heldout_baseline_tfidf_lr_balanced", True)):
        base = tfidf_lr_baseline(texts_train, y_train.astype(int), texts_test, balanced)
        out[name] = _summary(multilabel_report(y_test, base, frames, n_boot, SEED))

    all_scores = default_scores(articles, scheme, docs)
    train_scores, test_scores = all_scores.loc[train_ids], all_scores.loc[test_ids]
    calibrated = calibrate_thresholds(train_scores, y_train)
    out["heldout_default_train_calibrated"] = _summary(multilabel_report(
        y_test, _apply(test_scores, calibrated), frames, n_boot, SEED))
    out["heldout_default_train_calibrated"]["thresholds"] = calibrated
    stored = framing.load_lexicon(scheme).thresholds
    out["heldout_default_resource_thresholds"] = _summary(multilabel_report(
        y_test, _apply(test_scores, stored), frames, n_boot, SEED))
    # Ranking quality of the raw indicator scores, free of any threshold.
    out["heldout_default_auc"] = _aucs(test_scores, y_test)

    cv = cross_validate_frames(articles, labels, scheme=scheme, folds=folds, seed=SEED,
                                       docs=docs, n_boot=n_boot)
    out[f"cv{folds}_model"] = _summary(cv)
    out[f"cv{folds}_model"]["per_frame"] = cv["per_frame"]
    ids = articles["article_id"].tolist()
    y_all = label_matrix(ids, labels, frames)
    texts = articles["text"].tolist()
    average = "micro" if scheme == "mfc" else "macro"

    def headline(report: dict) -> float:
        return report["micro"]["f1"] if average == "micro" else report["macro_f1"]

    def baseline_cv(seed: int) -> np.ndarray:
        base_pred = np.zeros((len(articles), len(frames)), dtype=bool)
        for fold in learn.kfold(len(ids), folds, seed):
            rest = np.setdiff1d(np.arange(len(ids)), fold)
            base_pred[fold] = tfidf_lr_baseline([texts[i] for i in rest],
                                                y_all[rest].astype(int),
                                                [texts[i] for i in fold], balanced=True)
        return base_pred

    base_preds = {seed: baseline_cv(seed) for seed in CV_SEEDS}
    out[f"cv{folds}_baseline_tfidf_lr_balanced"] = _summary(
        multilabel_report(y_all, base_preds[SEED], frames, n_boot, SEED))
    # The headline figure (micro-F1 for MFC, macro-F1 for generic) per outer seed and its mean.
    repeated: dict = {"metric": f"{average}_f1", "seeds": list(CV_SEEDS)}
    recipes = {"model": {}}
    if model.uses_embeddings:
        recipes["model_without_embeddings"] = {"embeddings": False}
    for name, options in recipes.items():
        figures = [headline(cv) if seed == SEED and not options else
                   # Only the point figure is read: one bootstrap draw instead of n_boot.
                   headline(cross_validate_frames(
                       articles, labels, scheme=scheme, folds=folds, seed=seed, docs=docs,
                       n_boot=1, **options))
                   for seed in CV_SEEDS]
        repeated[name] = {"by_seed": figures, "mean": round(float(np.mean(figures)), 4)}
    figures = [round(learn.multilabel_f1(y_all, base_preds[seed], average), 3)
               for seed in CV_SEEDS]
    repeated["baseline_tfidf_lr_balanced"] = {"by_seed": figures,
                                              "mean": round(float(np.mean(figures)), 4)}
    out[f"cv{folds}_repeated"] = repeated
    return out


def _aucs(scores: pd.DataFrame, y: np.ndarray) -> dict[str, float | None]:
    from sklearn.metrics import roc_auc_score

    out: dict[str, float | None] = {}
    for j, frame in enumerate(scores.columns):
        if y[:, j].min() == y[:, j].max():
            out[frame] = None
        else:
            out[frame] = round(float(roc_auc_score(y[:, j], scores[frame].to_numpy())), 3)
    return out


# --------------------------------------------------------------------------- seed check

LEVELS = {"low": 0, "medium": 1, "high": 2}


def seed_check() -> dict:
    """The default scores of the seed article beside the analyst's levels."""
    if not config.SEED_ARTICLE.exists():
        return {"skipped": f"{config.SEED_ARTICLE} missing"}
    record = pd.read_json(config.SEED_ARTICLE, lines=True)
    record = record.rename(columns={"id": "article_id"})
    docs = dict(nlp.parse_articles(record))
    generic = framing.detect_frames(record, scheme="generic", docs=docs)
    mfc = framing.detect_frames(record, scheme="mfc", docs=docs)
    g = dict(zip(generic["frame"], generic["score"].round(3)))
    m = dict(zip(mfc["frame"], mfc["score"].round(3)))
    out: dict = {"generic_scores": g, "mfc_top3": sorted(m.items(), key=lambda kv: -kv[1])[:3]}
    if config.SEED_GOLD.exists():
        gold = json.loads(config.SEED_GOLD.read_text(encoding="utf-8"))["frames"]
        levels = {k.replace("economic_consequences", "economic"): LEVELS[v]
                  for k, v in gold["generic_semetko_valkenburg"].items()}
        # Every frame the analyst rated higher must score higher.
        pairs = [(a, b) for a in levels for b in levels if levels[a] > levels[b]]
        ordered = [(a, b) for a, b in pairs if g[a] > g[b]]
        out["generic_level_pairs_in_order"] = f"{len(ordered)}/{len(pairs)}"
        out["generic_pairs_out_of_order"] = [f"{a}<={b}" for a, b in pairs if (a, b) not in ordered]
        out["mfc_top_is_gold_primary"] = max(m, key=m.get) == gold["media_frames_corpus_primary"]
    return out


# --------------------------------------------------------------------------- entry points

def run(datasets_dir: Path | str) -> dict:
    datasets_dir = Path(datasets_dir)
    results: dict = {"seed": seed_check()}
    if (datasets_dir / "semeval2023t3_en" / "frames.tsv").exists():
        articles, labels = load_semeval(datasets_dir)
        results["mfc_semeval2023t3_en"] = evaluate_corpus(articles, labels, "mfc")
    else:
        results["mfc_semeval2023t3_en"] = {"skipped": "semeval2023t3_en not found"}
    if (datasets_dir / "narrative_frames" / "articles.tsv").exists():
        articles, labels = load_narrative(datasets_dir)
        results["generic_narrative_frames"] = evaluate_corpus(articles, labels, "generic")
        results["generic_narrative_frames"]["label_mapping"] = NARRATIVE_COLUMNS
    else:
        results["generic_narrative_frames"] = {"skipped": "narrative_frames not found"}
    return results


def train_split_thresholds(datasets_dir: Path | str) -> dict[str, dict[str, float]]:
    """Default-path thresholds calibrated on each corpus's training part only."""
    out = {}
    for scheme, loader in (("mfc", load_semeval), ("generic", load_narrative)):
        articles, labels = loader(datasets_dir)
        docs = dict(nlp.parse_articles(articles))
        train_ids, _ = holdout_split(articles["article_id"].tolist())
        train = articles.set_index("article_id", drop=False).loc[train_ids].reset_index(drop=True)
        scores = default_scores(train, scheme, docs)
        out[scheme] = calibrate_thresholds(scores, label_matrix(train_ids, labels,
                                                                framing.SCHEME_FRAMES[scheme]))
    return out


def write_thresholds(thresholds: dict[str, dict[str, float]]) -> None:
    """Store thresholds in the resource files, editing only each frame's "threshold" value so
    the files keep their layout and provenance line."""
    for scheme, values in thresholds.items():
        path = config.resource(framing.SCHEMES[scheme])
        text = path.read_text(encoding="utf-8")
        for frame, value in values.items():
            pattern = re.compile(r'(\n    "' + re.escape(frame) + r'": \{.*?"threshold": )([0-9.]+)',
                                 re.S)
            text, n = pattern.subn(lambda m, v=value: m.group(1) + f"{v:.2f}", text, count=1)
            if n != 1:
                raise ValueError(f"no threshold line for {scheme}/{frame} in {path}")
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m presslens.evaluate.framing")
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--write-thresholds", action="store_true",
                        help="store train-split calibrated default thresholds in the resources")
    args = parser.parse_args(argv)
    if args.write_thresholds:
        thresholds = train_split_thresholds(args.datasets)
        write_thresholds(thresholds)
        print(json.dumps(thresholds, indent=2))
        return 0
    print(json.dumps(run(args.datasets), indent=2, default=str))
    return 0


# Referenced so that the schema's frame lists stay the single source of frame names.
assert set(NARRATIVE_COLUMNS.values()) == set(schema.GENERIC_FRAMES)

if __name__ == "__main__":
    sys.exit(main())
