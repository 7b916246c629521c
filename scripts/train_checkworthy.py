"""Train the check-worthiness model of presslens.claims on ClaimBuster and measure it.

Reads <datasets>/claimbuster/sentences.csv (sentence_id,screening,label,text), prints F1 of
the check-worthy class on a fixed stratified 80/20 split (seed 0) and in 5-fold CV, for this
model (`presslens.claims.CheckWorthinessClassifier`: the soft vote of a TF-IDF word+char
pipeline and an NB-scaled word pipeline) and for a plain TF-IDF + logistic regression
baseline (presslens.evaluate.claims), then refits on all sentences and writes the compiled
model to lib/presslens/resources/claims_checkworthy_model.{npz,json}.

    .venv/bin/python scripts/train_checkworthy.py [--datasets DIR] [--folds 5] [--no-save]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from presslens import claims, config
from presslens.evaluate import claims as evaluate_claims


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--no-save", action="store_true", help="measure only, keep the shipped model")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    df = evaluate_claims.load_claimbuster(Path(args.datasets))
    if df is None:
        print(f"no ClaimBuster data under {args.datasets}", file=sys.stderr)
        return 1
    figures = evaluate_claims.claimbuster_figures(df, args.folds)
    print(json.dumps(figures, indent=2))
    if not args.no_save:
        model = claims.CheckWorthinessClassifier(seed=evaluate_claims.SEED).fit(
            df["text"].tolist(), df["label"].tolist()).model_
        model.meta.update({
            "training_data": "ClaimBuster 2.5xNCS, datasets/claimbuster/sentences.csv, all rows",
            "heldout_20pct_f1": figures["heldout_20pct"]["model"]["f1"],
            "heldout_20pct_precision": figures["heldout_20pct"]["model"]["precision"],
            "heldout_20pct_recall": figures["heldout_20pct"]["model"]["recall"],
            "baseline_heldout_20pct_f1": figures["heldout_20pct"]["baseline_tfidf_lr"]["f1"],
            **({f"cv{args.folds}_f1_mean": figures[f"cv{args.folds}_f1_mean"]["model"]} if args.folds else {}),
        })
        model.save(config.RESOURCES_DIR / claims.MODEL_STEM)
        print(f"wrote {config.RESOURCES_DIR / claims.MODEL_STEM}.npz and .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
