"""Experiments behind the trainable frame model's recipe: F1 of `framing._train` settings in
5-fold cross-validation over several outer seeds and on the fixed held-out split of
`presslens.evaluate.framing` (MFC: semeval2023t3_en, micro-F1; generic: narrative_frames,
macro-F1).

    PRESSLENS_CACHE=... PYTHONPATH=lib python scripts/mfc_experiments.py \\
        --config base --config fused:e=grid,L=lr_unweighted

A config is `name[:key=value,...]`, keys: e (sentence embeddings, late-fused: "grid" tunes
the fusion weight, a number fixes it; absent: none), L (learners joined by +), w (indicator
weight), C, tm (threshold mode), fg / fc (fusion weight / embedding-model C grids, values
joined by /), ecw (none: unweighted embedding model), k (inner
folds), te (1: the first line's embedding beside the mean). Prints one JSON line per config."""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from presslens import config, framing, nlp
from presslens.evaluate import framing as ev


def parse_config(spec: str) -> tuple[str, dict]:
    name, _, rest = spec.partition(":")
    options: dict = {}
    for part in filter(None, rest.split(",")):
        key, _, value = part.partition("=")
        options[key] = value
    return name, options


def run_config(options: dict, data: dict, seeds: list[int], folds: int) -> dict:
    # Module-level grids and knobs of the fusion stage, set per config.
    framing.FUSION_WEIGHT_GRID = tuple(float(v) for v in options.get("fg", "0.2/0.35/0.5").split("/"))
    framing.FUSION_C_GRID = tuple(float(v) for v in options.get("fc", "1/3/10").split("/"))
    framing.FUSION_CLASS_WEIGHT = None if options.get("ecw") == "none" else "balanced"
    texts, ind, y, frames = data["texts"], data["ind"], data["y"], data["frames"]
    emb = data["emb"]
    if options.get("te") == "1":
        # The first chunk (the title line) beside the article mean.
        emb = np.hstack([emb, data["first_chunk"]])
    average = data["average"]
    e = options.get("e")
    use_emb = e is not None
    C = float(options["C"]) if "C" in options else None
    w = float(options["w"]) if "w" in options else None
    tm = options.get("tm", "global" if average == "micro" else "per_frame")
    learners = tuple(options.get("L", "lr").split("+"))

    def fit_predict(train, test, seed):
        model = framing._train([texts[i] for i in train], ind[train], y[train], frames,
                               data["scheme"], C, int(options.get("k", 5)), seed, w, average,
                               tm, learners=learners,
                               emb=emb[train] if use_emb else None,
                               fusion_weight=None if e in (None, "grid") else float(e))
        X = framing._design(model.vectorizer.transform([texts[i] for i in test]), ind[test],
                            model.indicator_weight, emb[test] if use_emb else None)
        proba = model._probabilities(X)
        pred = np.column_stack([proba[:, j] >= model.thresholds[f] for j, f in enumerate(frames)])
        return pred, model

    out: dict = {}
    position = {a: i for i, a in enumerate(data["ids"])}
    train_ids, test_ids = data["holdout"]
    train = np.array([position[a] for a in train_ids])
    test = np.array([position[a] for a in test_ids])
    pred, model = fit_predict(train, test, 0)
    out["heldout"] = round(framing._f1_multi(y[test], pred, average), 4)
    out["heldout_choice"] = {"C": model.C, "w": model.indicator_weight,
                             "fusion": model.metadata.get("fusion_weight"),
                             "C_emb": model.metadata.get("embedding_C"),
                             "inner": model.metadata.get("inner_cv_f1")}
    for seed in seeds:
        pred = np.zeros(y.shape, dtype=bool)
        for fold in framing._kfold(len(texts), folds, seed):
            rest = np.setdiff1d(np.arange(len(texts)), fold)
            pred[fold], _ = fit_predict(rest, fold, seed)
        out[f"cv_seed{seed}"] = round(framing._f1_multi(y, pred, average), 4)
    out["cv_mean"] = round(float(np.mean([out[f"cv_seed{s}"] for s in seeds])), 4)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", action="append", required=True)
    parser.add_argument("--scheme", default="mfc", choices=["mfc", "generic"])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    loader = ev.load_semeval if args.scheme == "mfc" else ev.load_narrative
    articles, labels = loader(config.DATASETS_DIR)
    frames = framing.SCHEME_FRAMES[args.scheme]
    ids = articles["article_id"].tolist()
    docs = dict(nlp.parse_articles(articles))
    texts = framing._model_texts(articles)
    data = {"scheme": args.scheme, "average": "micro" if args.scheme == "mfc" else "macro",
            "ids": ids, "texts": texts, "frames": frames,
            "ind": framing.indicator_features(articles, docs=docs),
            "emb": framing.text_embeddings(texts),
            "first_chunk": np.stack([m[0] if len(m) else np.zeros(framing.EMBEDDING_DIM)
                                     for m in framing.chunk_embeddings(texts)]),
            "y": framing._label_matrix(ids, labels, frames), "holdout": ev.holdout_split(ids)}
    seeds = [int(s) for s in args.seeds.split(",")]
    for spec in args.config:
        start = time.time()
        result = run_config(parse_config(spec)[1], data, seeds, args.folds)
        result.update({"scheme": args.scheme, "config": spec,
                       "seconds": round(time.time() - start)})
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
