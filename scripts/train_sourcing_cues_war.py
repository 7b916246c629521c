"""Retrain the learned cue detector of presslens.sourcing with war-news examples added: a
candidate model for comparison, written outside resources/ (the shipped model is untouched).

Training data: the candidate tokens of PolNeAR's train split exactly as
scripts/train_sourcing_cues.py reads them (`extract`), plus the hand-labelled war-news cue
candidates of resources/war_cue_labels.tsv (their cue token's `sourcing.cue_features`, label
cue/not_cue, rule flag from the label's origin), weighted `--war-weight` times a PolNeAR token.
Only labelled war tokens are used: the other tokens of those articles were never read by a
person. Cross-validation folds are by article over both sets; the decision threshold is chosen,
as in the base script, on the out-of-fold PolNeAR tokens (token-level cue F1 of rules plus
model), and the out-of-fold precision and recall of the model's own proposals (tokens no rule
found) on the war labels are printed beside it. Then the model is refitted on everything and
written to `--out`. Measure it with

    PYTHONPATH=lib .venv/bin/python scripts/score_cue_gate.py --model OUT --realnews ... --labels --polnear

    PYTHONPATH=lib .venv/bin/python scripts/train_sourcing_cues_war.py --out /tmp/cue_model_war.json \\
        [--war-weight 5] [--C 0.3] [--features /tmp/cue_features.pkl]
`--features` keeps the extracted features between runs (extraction takes minutes; fitting seconds).
"""

from __future__ import annotations

import argparse
import csv
import json
import pickle
import sys
from pathlib import Path

import numpy as np
from presslens import components, config, nlp, sourcing

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_sourcing_cues as base  # noqa: E402  (the base recipe: extract, vectorise, best_threshold)

LABELS = config.RESOURCES_DIR / "war_cue_labels.tsv"
SEED = 0


def war_examples(labels_path: Path = LABELS) -> tuple[list[list[str]], np.ndarray, np.ndarray, list[str]]:
    """Features, labels, rule flags and article ids of the labelled war cue candidates."""
    import presslens

    with labels_path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader([ln for ln in fh if ln.strip() and not ln.startswith("#")], delimiter="\t"))
    by_article: dict[str, list[dict]] = {}
    for r in rows:
        by_article.setdefault(r["article_id"], []).append(r)
    root = config.DATASETS_DIR / "semeval2025t10_en_war" / "articles"
    texts = {}
    for aid in sorted(by_article):
        df = presslens.load_articles(root / f"{aid}.txt")
        title = df["title"].iloc[0] if "title" in df.columns else None
        texts[aid] = components.article_input(aid, str(df["text"].iloc[0]), title).parse_text
    feats: list[list[str]] = []
    labels: list[int] = []
    rule: list[int] = []
    groups: list[str] = []
    for aid, doc in nlp.parse(texts.items()):
        cands = dict(sourcing.cue_features(doc))
        seen: set[int] = set()
        for r in by_article[aid]:
            start = int(r["cue_start"])
            tok = next((t for t in doc if t.idx <= start < t.idx + len(t.text)), None)
            if tok is None or tok.i not in cands or tok.i in seen:
                continue  # not a candidate of the detector (":", "according"), or listed twice
            seen.add(tok.i)
            feats.append(cands[tok.i])
            labels.append(int(r["label"] == "cue"))
            rule.append(int(r["origin"] == "rule"))
            groups.append(aid)
    return feats, np.array(labels), np.array(rule), groups


def fit(X, y, C: float, weight: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=3000, random_state=SEED).fit(X, y, sample_weight=weight)


def load_features(path: str | None, datasets: Path):
    if path and Path(path).exists():
        with open(path, "rb") as fh:
            return pickle.load(fh)
    pol = base.extract(datasets)
    war = war_examples()
    if path:
        with open(path, "wb") as fh:
            pickle.dump((pol, war), fh)
    return pol, war


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="where to write the candidate model (not resources/)")
    parser.add_argument("--war-weight", type=float, default=5.0)
    parser.add_argument("--C", type=float, default=0.3)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--features", help="pickle file caching the extracted features")
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    if out.parent == config.RESOURCES_DIR.resolve():
        parser.error("write the candidate model outside resources/")
    (pf, py, prule, pgroups, unreachable), (wf, wy, wrule, wgroups) = load_features(args.features, Path(args.datasets))
    war_ids = {a: i for i, a in enumerate(sorted(set(wgroups)))}
    feats = pf + wf
    y = np.concatenate([py, wy])
    rule = np.concatenate([prule, wrule])
    is_war = np.concatenate([np.zeros(len(py), bool), np.ones(len(wy), bool)])
    groups = np.concatenate([pgroups, np.array([war_ids[a] for a in wgroups]) + int(pgroups.max()) + 1])
    weight = np.where(is_war, args.war_weight, 1.0)
    oof = np.zeros(len(y))
    fold = groups % args.folds
    for k in range(args.folds):
        tr, te = fold != k, fold == k
        X_tr, vocab = base.vectorise([feats[i] for i in np.flatnonzero(tr)])
        X_te, _ = base.vectorise([feats[i] for i in np.flatnonzero(te)], vocab)
        oof[te] = fit(X_tr, y[tr], args.C, weight[tr]).predict_proba(X_te)[:, 1]
    pol = ~is_war
    th, combined = base.best_threshold(oof[pol], y[pol], rule[pol])
    learned = is_war & (rule == 0)
    proposed = learned & (oof >= th)
    report = {
        "polnear_train_articles": int(pgroups.max() + 1), "war_labelled_tokens": int(is_war.sum()),
        "war_weight": args.war_weight, "C": args.C, "threshold": th,
        "cv_polnear_token_f1_rules_plus_model": combined,
        "cv_war_model_proposals": {
            "labelled_non_rule_tokens": int(learned.sum()), "of_which_cues": int(y[learned].sum()),
            "proposed": int(proposed.sum()), "proposed_cues": int(y[proposed].sum()),
            "precision": round(float(y[proposed].mean()), 3) if proposed.any() else None,
            "recall": round(float(y[proposed].sum() / max(1, y[learned].sum())), 3)},
    }
    print(json.dumps(report, indent=2))
    X, vocab = base.vectorise(feats)
    clf = fit(X, y, args.C, weight)
    weights = {f: round(float(clf.coef_[0][j]), 5) for f, j in sorted(vocab.items())
               if abs(clf.coef_[0][j]) >= base.MIN_WEIGHT}
    model = {
        "about": "Candidate cue detector with war-news examples; written by scripts/train_sourcing_cues_war.py.",
        "intercept": round(float(clf.intercept_[0]), 5), "threshold": th, "sure": base.SURE,
        "meta": {"training_data": "PolNeAR train split plus resources/war_cue_labels.tsv",
                 "gold_cue_heads_not_candidates": unreachable, **report},
        "weights": weights,
    }
    out.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(weights)} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
