"""Train the learned cue detector of presslens.sourcing on the training part of PolNeAR.

PolNeAR articles are split by the SHA-256 of their name (`presslens.evaluate.sourcing.split_of`):
about 70 % train, 30 % held out; this script reads only the train part, parses it and hands it
to `presslens.sourcing.train` (labels, cross-validated threshold, fit; settings from the
`[sourcing]` section of resources/tuned.toml). It prints the cross-validation report and writes
lib/presslens/resources/sourcing_cue_model.json. Held-out figures:
`python -m presslens.evaluate sourcing`.

    .venv/bin/python scripts/train_sourcing_cues.py [--datasets DIR] [--C 0.3] [--no-save]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from presslens import config, nlp
from presslens.evaluate import sourcing as ev
from presslens.sourcing import CUE_MODEL_NAME, train


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--C", type=float, default=None, help="default: cue_C of resources/tuned.toml")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    datasets_dir = Path(args.datasets)
    if not (datasets_dir / "polnear" / "train").exists():
        print(f"no PolNeAR under {datasets_dir}", file=sys.stderr)
        return 1
    names = [n for n in ev.all_names(datasets_dir) if ev.split_of(n) == "train"]
    articles = ev.load_polnear(datasets_dir, names)
    golds = {name: gold for name, _, gold in articles}
    parsed = ((name, doc, golds[name]) for name, doc in nlp.parse((name, text) for name, text, _ in articles))
    detector, report = train.train_cue_detector(train.training_set(parsed), folds=args.folds, C=args.C)
    print(json.dumps({**report, "threshold": detector.threshold}, indent=2))
    if args.no_save:
        return 0
    path = config.RESOURCES_DIR / CUE_MODEL_NAME
    detector.save(path, meta={"training_data": "PolNeAR train split, articles with split_of(name) == 'train'",
                              **report})
    print(f"wrote {path} ({len(detector.weights_)} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
