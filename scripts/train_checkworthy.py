"""Train the check-worthiness model of presslens.claims on ClaimBuster and measure it.

Reads <datasets>/claimbuster/sentences.csv (sentence_id,screening,label,text), reports
F1 of the check-worthy class on a fixed stratified 80/20 split (seed 0) and in 5-fold CV,
for this model and for a plain TF-IDF + logistic regression baseline, then refits on all
sentences and writes lib/presslens/resources/claims_checkworthy_model.{npz,json}.

    .venv/bin/python scripts/train_checkworthy.py [--datasets DIR] [--no-save]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from presslens import claims, config

SEED = 0


def load_claimbuster(datasets_dir: Path) -> pd.DataFrame:
    path = Path(datasets_dir) / "claimbuster" / "sentences.csv"
    df = pd.read_csv(path)
    df = df.dropna(subset=["text", "label"])
    df["text"] = df["text"].astype(str)
    df["label"] = df["label"].astype(int)
    return df.sort_values("sentence_id", kind="stable").reset_index(drop=True)


def baseline_scores(train: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
    """The reference baseline: default TF-IDF + logistic regression, as a user would fit it."""
    vec = TfidfVectorizer()
    clf = LogisticRegression(max_iter=2000, random_state=SEED)
    clf.fit(vec.fit_transform(train["text"]), train["label"])
    return clf.predict_proba(vec.transform(test["text"]))[:, 1]


def model_scores(train: pd.DataFrame, test: pd.DataFrame, domain: bool) -> np.ndarray:
    model = claims.train_checkworthiness_model(train["text"].tolist(), train["label"].tolist(), seed=SEED)
    z = model.decision(test["text"].tolist())
    if domain:
        z = z + np.array([claims.domain_adjustment(t) for t in test["text"]])
    return 1 / (1 + np.exp(-z))


def prf(labels, scores, threshold: float = 0.5) -> dict:
    pred = np.asarray(scores) >= threshold
    return {"f1": round(f1_score(labels, pred), 3), "precision": round(precision_score(labels, pred), 3),
            "recall": round(recall_score(labels, pred), 3)}


def evaluate(df: pd.DataFrame, folds: int = 5) -> dict:
    train, test = train_test_split(df, test_size=0.2, stratify=df["label"], random_state=SEED)
    out = {
        "n_sentences": len(df), "n_positive": int(df["label"].sum()),
        "heldout_20pct": {
            "model": prf(test["label"], model_scores(train, test, domain=False)),
            "model_plus_domain": prf(test["label"], model_scores(train, test, domain=True)),
            "baseline_tfidf_lr": prf(test["label"], baseline_scores(train, test)),
        },
    }
    if folds:
        cv = {"model": [], "baseline_tfidf_lr": []}
        for tr_idx, te_idx in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(df, df["label"]):
            tr, te = df.iloc[tr_idx], df.iloc[te_idx]
            cv["model"].append(prf(te["label"], model_scores(tr, te, domain=False))["f1"])
            cv["baseline_tfidf_lr"].append(prf(te["label"], baseline_scores(tr, te))["f1"])
        out[f"cv{folds}_f1_mean"] = {k: round(float(np.mean(v)), 3) for k, v in cv.items()}
        out[f"cv{folds}_f1_folds"] = cv
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--no-save", action="store_true", help="measure only, keep the shipped model")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    df = load_claimbuster(Path(args.datasets))
    figures = evaluate(df, args.folds)
    print(json.dumps(figures, indent=2))
    if not args.no_save:
        model = claims.train_checkworthiness_model(df["text"].tolist(), df["label"].tolist(), seed=SEED)
        model.meta.update({"training_data": "ClaimBuster 2.5xNCS sentences.csv (all rows)",
                           "heldout_f1": figures["heldout_20pct"]["model"]["f1"]})
        model.save(config.RESOURCES_DIR / claims.MODEL_STEM)
        print(f"wrote {config.RESOURCES_DIR / claims.MODEL_STEM}.npz/.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
