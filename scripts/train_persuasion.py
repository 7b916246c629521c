"""Train the persuasion model shipped in lib/presslens/resources/persuasion_model.{npz,json}.

Training data: the SemEval-2023 Task 3 English articles OUTSIDE the held-out split of
presslens.evaluate.language (the held-out articles are never read here), their gold spans of the
four techniques, and the rule lexicon's spans. With the `embeddings` extra installed the model
gets its embedding head as well (the n-gram head is the same either way).

    .venv/bin/python scripts/train_persuasion.py              # train, then write the files
    .venv/bin/python scripts/train_persuasion.py --no-save    # inner-CV figures only
    .venv/bin/python scripts/train_persuasion.py --no-embeddings

Then score it on the held-out split: `python -m presslens.evaluate persuasion`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time

from presslens import config, nlp
from presslens.evaluate import language as semeval
from presslens.evaluate import persuasion as scorer
from presslens.language import persuasion_model
from presslens.language import train as persuasion_train


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--out", default=str(config.RESOURCES_DIR / persuasion_model.MODEL_STEM),
                        help="file stem to write (.npz and .json)")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--no-embeddings", action="store_true", help="n-gram head only")
    parser.add_argument("--folds", type=int, default=persuasion_train.INNER_FOLDS)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    articles, gold = semeval.load_semeval(args.datasets)
    train, _ = semeval.split(articles)  # the held-out part is not used at all
    gold = gold[gold["article_id"].isin(set(train["article_id"]))]
    docs = dict(nlp.parse_articles(train))
    lexicon = scorer.rule_spans(train, docs)
    sentences = scorer.sentence_offsets(docs)
    data = persuasion_train.training_units(train, gold, lexicon, sentences)
    embeddings = None
    if not args.no_embeddings:
        if persuasion_model.embeddings_available():
            embeddings = persuasion_model.embed_units(data.batch.texts)
        else:
            print("the `embeddings` extra is not installed: training the n-gram head only", file=sys.stderr)
    meta = {
        "trained": datetime.date.today().isoformat(),
        "training_data": ("SemEval-2023 Task 3 English (datasets/semeval2023t3_en), articles outside "
                          "the held-out split of presslens.evaluate.language (sha256(id) not in the "
                          f"lowest {semeval.HELDOUT_SHARE:.0%} of the hash range)"),
        "training_articles": sorted(map(str, train["article_id"])),
        "unit_label": "a paragraph is positive when a gold span of the technique overlaps it",
    }
    model = persuasion_train.fit_persuasion_model(data, embeddings, folds=args.folds, meta=meta)
    print(json.dumps({k: model.meta[k] for k in ("inner_cv_f1", "n_units", "n_articles", "positives")}
                     | {"fusion": model.fusion, "thresholds": model.thresholds}, indent=2))
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    if not args.no_save:
        stem = model.save(args.out)
        sizes = {p.name: p.stat().st_size for p in (stem.with_suffix(".npz"), stem.with_suffix(".json"))}
        print(f"wrote {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
