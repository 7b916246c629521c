"""Fit the news layer of presslens.claims on the hand-labelled war sentences and measure it.

Reads lib/presslens/resources/war_claim_labels.tsv and the articles it labels
(<datasets>/semeval2025t10_en_war/articles/), fits the news text model and the layer
(`presslens.claims.fit_news_layer`: grouped cross-validation by article, the cut by
out-of-fold F1), prints the cross-validated figures, and writes
lib/presslens/resources/claims_news_model.{npz,json} and claims_news_layer.json.
`--outer-folds N` adds an honest estimate: the whole fit (news model, layer, cut) repeated
inside N article-grouped folds, scored on the held-out articles (slow: N times the fit).

    .venv/bin/python scripts/train_news_layer.py [--datasets DIR] [--outer-folds 5] [--no-save]
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np
from presslens import claims, config
from presslens.claims import news


def outer_estimate(frame, spans, folds: int) -> dict:
    """The fit repeated on the training articles of each grouped fold, scored on the rest."""
    from sklearn.model_selection import GroupKFold

    labels = frame["label"].to_numpy()
    predicted = np.zeros(len(frame), dtype=bool)
    cuts = []
    for train, test in GroupKFold(folds).split(frame, labels, frame["article_id"]):
        fitted = claims.fit_news_layer(frame.iloc[train].reset_index(drop=True), [spans[i] for i in train])
        texts = frame["text"].iloc[test].tolist()
        test_spans = [spans[i] for i in test]
        z = claims.load_checkworthiness_model().decision_function(texts)
        logit = fitted.layer.decision_function(news.news_feature_matrix(test_spans, texts), z,
                                               fitted.news_model.decision_function(texts))
        predicted[test] = logit >= 0
        cuts.append(fitted.report["cut"])
    tp = int((predicted & (labels == 1)).sum())
    p, r = tp / max(int(predicted.sum()), 1), tp / max(int(labels.sum()), 1)
    return {"folds": folds, "cuts": cuts, "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "share_marked": round(float(predicted.mean()), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--outer-folds", type=int, default=0, help="also estimate on held-out articles")
    parser.add_argument("--no-save", action="store_true", help="measure only, keep the shipped files")
    args = parser.parse_args(argv)
    try:
        frame, spans = claims.labelled_sentences(args.datasets)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    labels = claims.load_labels()
    print(f"{len(frame)} of {len(labels)} labelled sentences matched, {frame['label'].mean():.3f} claims")
    fitted = claims.fit_news_layer(frame, spans)
    report = dict(fitted.report)
    if args.outer_folds:
        report["outer_cv"] = outer_estimate(frame, spans, args.outer_folds)
        fitted.layer.meta["outer_cv"] = report["outer_cv"]
    print(json.dumps(report, indent=2))
    if not args.no_save:
        fitted.news_model.save(config.RESOURCES_DIR / news.NEWS_MODEL_STEM)
        fitted.layer.save(config.RESOURCES_DIR / news.NEWS_LAYER_FILE)
        print(f"wrote {config.RESOURCES_DIR / news.NEWS_MODEL_STEM}.npz/.json and {news.NEWS_LAYER_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
