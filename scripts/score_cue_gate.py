"""Measure the speech-cue gate (presslens.sourcing.gate) in its modes, on rows extracted without it.

The current pipeline runs as shipped; the gate then drops attributions whose cue token it
rejects, in one of these modes: `none` (the pipeline as is), `learned` (only cues the learned
detector added, i.e. absent when the sourcing analysis runs with learned_cues=False) or `all`
(rule cues too), each with the news convention of issue #13, and `learned_broad`, `all_broad`
with PolNeAR's broad convention (cue_gate.CONVENTIONS). Figures, each per mode:

- real-news dev (`--realnews GOLD.json ...`): attribution precision/recall/F1 with the matching
  rule of shared/tools/realnews_score.py (a predicted attribution matches a gold one when its
  cue span overlaps the gold anchor, one-to-one, the same cue text preferred);
- the labelled war candidates (resources/war_cue_labels.tsv): how many labelled cues and
  non-cues the gate keeps, and the precision of what is kept;
- PolNeAR held-out and the seed article (`--polnear`): presslens.evaluate.sourcing's own
  scoring (score_polnear, score_seed), with sourcing.from_doc wrapped by the gate (the seam
  where the gate is meant to be wired);
- `--coverage`: the share of PolNeAR train-split gold cue heads whose lemma the speech lexicon
  lists, and the share the gate passes in context (what the gate would cost in recall).
`--model PATH` swaps in a candidate cue model (scripts/train_sourcing_cues_war.py).

    PYTHONPATH=lib .venv/bin/python scripts/score_cue_gate.py --realnews ../shared/gold/realnews/dev_*.json \\
        --labels --polnear --coverage [--modes none,learned,all] [--model /tmp/model.json] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import warnings
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import presslens
from presslens import components, config, nlp, sourcing
from presslens.components import DocContext
from presslens.evaluate import sourcing as ev
from presslens.evaluate.common import locate_anchor
from presslens.sourcing import gate as cue_gate

MODES = ("none", "learned", "all", "learned_broad", "all_broad")
LABELS = config.RESOURCES_DIR / "war_cue_labels.tsv"


def cue_token(doc, start: int):
    """The token a cue span starts in."""
    for tok in doc:
        if tok.idx <= start < tok.idx + len(tok.text):
            return tok
    return None


def keep(row: dict, doc, learned_keys: set, mode: str) -> bool:
    """Whether the gate in `mode` keeps an attribution row."""
    if mode == "none":
        return True
    if mode.startswith("learned") and row["cue_start"] not in learned_keys:
        return True
    tok = cue_token(doc, int(row["cue_start"]))
    return tok is None or cue_gate.passes(tok, doc, "broad" if mode.endswith("broad") else "news")


def gated_rows(rows: list[dict], rule_rows: list[dict], doc, mode: str) -> list[dict]:
    rule_starts = {r["cue_start"] for r in rule_rows}
    learned_keys = {r["cue_start"] for r in rows if r["cue_start"] not in rule_starts}
    return [r for r in rows if keep(r, doc, learned_keys, mode)]


@contextmanager
def cue_model_from(path: str | None):
    """Use a candidate cue model file instead of the shipped one."""
    if not path:
        yield
        return
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    model = sourcing.CueModel(dict(data["weights"]), float(data["intercept"]), float(data["threshold"]),
                              float(data.get("sure", 0.0)), data.get("meta", {}))
    original = sourcing.cue_model
    sourcing.cue_model = lambda: model
    try:
        yield
    finally:
        sourcing.cue_model = original


# ----------------------------------------------------------------------------- real news


def realnews_articles(gold_paths: list[Path]) -> list[tuple[dict, pd.DataFrame]]:
    out = []
    for g in gold_paths:
        for a in json.loads(g.read_text(encoding="utf-8"))["articles"]:
            path = g.resolve().parents[2] / "datasets" / a["file"]
            df = presslens.load_articles(path).assign(article_id=a["article_id"])
            df.attrs = {}
            out.append((a, df))
    return out


def pipeline_rows(corpus: pd.DataFrame) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Docs (page furniture blanked, as analyze() parses them), the pipeline's attributions
    and the rules' alone."""
    inputs = {r.article_id: components.article_input(r.article_id, r.text, getattr(r, "title", None))
              for r in corpus.itertuples()}
    docs = dict(nlp.parse((a, i.parse_text) for a, i in inputs.items()))
    # ungated rows (cue_convention=None): each mode applies its own gate
    full = components.run(corpus, ["attributions"], docs=docs,
                          settings={"sourcing": {"cue_convention": None}})["attributions"]
    rules = components.run(corpus, ["attributions"], docs=docs,
                           settings={"sourcing": {"learned_cues": False, "cue_convention": None}})["attributions"]
    return docs, full, rules




def score_realnews(gold_paths: list[Path], modes: list[str], errors: bool = False) -> dict:
    articles = realnews_articles(gold_paths)
    corpus = pd.concat([df for _, df in articles], ignore_index=True)
    docs, full, rules = pipeline_rows(corpus)
    texts = dict(zip(corpus.article_id, corpus.text))
    out = {}
    for mode in modes:
        tp = n_pred = n_gold = 0
        misses, false = [], []
        by_origin: Counter = Counter()
        for a, _ in articles:
            aid, text = a["article_id"], texts[a["article_id"]]
            rows = full[full.article_id == aid].to_dict("records")
            rule_rows = rules[rules.article_id == aid].to_dict("records")
            preds = gated_rows(rows, rule_rows, docs[aid], mode)
            rule_starts = {r["cue_start"] for r in rule_rows}
            used: set[int] = set()
            for g in a.get("attributions", []):
                span = locate_anchor(text, g["anchor"], g.get("occurrence", 0))
                if span is None:
                    continue
                n_gold += 1
                cands = [i for i, p in enumerate(preds) if i not in used
                         and p["cue_start"] < span[1] and span[0] < p["cue_end"]]
                cands.sort(key=lambda i: str(preds[i]["cue_text"]).lower() != str(g.get("cue", "")).lower())
                if cands:
                    used.add(cands[0])
                    tp += 1
                else:
                    misses.append(f"{aid} MISSED {g['anchor']!r}")
            n_pred += len(preds)
            for i, p in enumerate(preds):
                origin = "rule" if p["cue_start"] in rule_starts else "learned"
                if i in used:
                    by_origin[origin + "_tp"] += 1
                else:
                    by_origin[origin + "_fp"] += 1
                    false.append(f"{aid} FALSE {origin} {p['cue_text']!r} ({p['source_text']!r})")
        p, r = tp / max(1, n_pred), tp / max(1, n_gold)
        out[mode] = {"precision": round(p, 3), "recall": round(r, 3),
                     "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "tp": tp, "pred": n_pred, "gold": n_gold,
                     "by_origin": dict(sorted(by_origin.items()))}
        if errors:
            out[mode]["errors"] = misses + false
    return out


# ----------------------------------------------------------------------------- labelled war candidates


def read_labels(path: Path = LABELS) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def score_labels(path: Path = LABELS, show: bool = False) -> dict:
    """The gate on every labelled candidate: kept cues and non-cues, by origin."""
    labels = read_labels(path)
    root = config.DATASETS_DIR / "semeval2025t10_en_war" / "articles"
    ids = sorted({r["article_id"] for r in labels})
    frames = []
    for aid in ids:
        df = presslens.load_articles(root / f"{aid}.txt").assign(article_id=aid)
        df.attrs = {}
        frames.append(df)
    corpus = pd.concat(frames, ignore_index=True)
    inputs = {r.article_id: components.article_input(r.article_id, r.text, getattr(r, "title", None))
              for r in corpus.itertuples()}
    docs = dict(nlp.parse((a, i.parse_text) for a, i in inputs.items()))
    counts: Counter = Counter()
    wrong = []
    for r in labels:
        doc = docs[r["article_id"]]
        tok = cue_token(doc, int(r["cue_start"]))
        ok, why = cue_gate.cue_verdict(tok, doc) if tok is not None else (True, "no token")
        gold = r["label"] == "cue"
        for origin in (r["origin"], "all"):
            counts[(origin, gold, ok)] += 1
        if ok != gold:
            wrong.append(f"{'KEPT' if ok else 'DROPPED'} {r['label']} {r['origin']} {r['cue_text']!r}: {why} | {r['reason']}")
    out = {}
    for origin in ("learned", "rule", "all"):
        pos, neg = counts[(origin, True, True)] + counts[(origin, True, False)], \
            counts[(origin, False, True)] + counts[(origin, False, False)]
        kept_pos, kept_neg = counts[(origin, True, True)], counts[(origin, False, True)]
        out[origin] = {"cues": pos, "non_cues": neg, "cues_kept": kept_pos, "non_cues_kept": kept_neg,
                       "precision_before": round(pos / max(1, pos + neg), 3),
                       "precision_after": round(kept_pos / max(1, kept_pos + kept_neg), 3),
                       "cue_recall_after": round(kept_pos / max(1, pos), 3)}
    if show:
        out["disagreements"] = wrong
    return out


# ----------------------------------------------------------------------------- PolNeAR and seed


@contextmanager
def gated_from_doc(mode: str):
    """sourcing.from_doc with the gate applied to its rows (what score_polnear and score_seed
    call)."""
    original = sourcing.from_doc

    def from_doc(ctx):
        rows = original(ctx)["attributions"]
        if mode == "none" or not rows:
            return {"attributions": rows}
        rule_rows = original(DocContext.of(ctx.article_id, ctx.doc, "sourcing", learned_cues=False,
                                           cue_convention=None))["attributions"]
        return {"attributions": gated_rows(rows, rule_rows, ctx.doc, mode)}

    sourcing.from_doc = from_doc
    try:
        yield
    finally:
        sourcing.from_doc = original


def score_polnear_seed(modes: list[str], datasets: Path) -> dict:
    names = [n for n in ev.all_names(datasets) if ev.split_of(n) == "heldout"]
    out = {}
    for mode in modes:
        with gated_from_doc(mode):
            pol = ev.score_polnear(datasets, names)
            seed = ev.score_seed()
        out[mode] = {"relation": pol["relation"], "cue": pol["cue"],
                     "seed": {k: seed.get(k) for k in ("required", "found", "fully_right", "false_positives")}}
    return out


def coverage(datasets: Path) -> dict:
    """PolNeAR train split: gold cue heads (as the cue model's training script reads them)
    whose lemma the lexicon lists, and that the gate passes in context."""
    lex = cue_gate.speech_lexicon()
    names = [n for n in ev.all_names(datasets) if ev.split_of(n) == "train"]
    articles = ev.load_polnear(datasets, names)
    golds = {name: gold for name, _, gold in articles}
    n = listed = passed = passed_broad = 0
    missing: Counter = Counter()
    rejected: Counter = Counter()
    for name, doc in nlp.parse((name, text) for name, text, _ in articles):
        for g in golds[name]:
            toks = [t for t in doc if any(t.idx < e and s < t.idx + len(t.text) for s, e in g["cue"])]
            if not toks:
                continue
            ids = {t.i for t in toks}
            head = [t for t in toks if t.head.i not in ids or t.head == t]
            tok = next((t for t in head if t.pos_ in sourcing.CANDIDATE_POS), head[0] if head else toks[0])
            n += 1
            lemma = tok.lemma_.lower()
            pos = "VERB" if tok.pos_ in ("AUX", "PROPN") else tok.pos_
            is_listed = tok.text == ":" or tok.lower_ == "according" or lex.entry(lemma, pos) is not None \
                or lemma in lex.never or (tok.pos_ == "AUX" and any(c.dep_ == "acomp" for c in tok.children))
            listed += is_listed
            if not is_listed:
                missing[f"{lemma}/{tok.pos_}"] += 1
            ok = cue_gate.passes(tok, doc)
            passed += ok
            passed_broad += cue_gate.passes(tok, doc, "broad")
            if not ok:
                rejected[f"{lemma}/{tok.pos_}"] += 1
    return {"gold_cue_heads": n, "lemma_listed": round(listed / max(1, n), 3),
            "gate_passes": round(passed / max(1, n), 3),
            "gate_passes_broad_convention": round(passed_broad / max(1, n), 3),
            "most_frequent_unlisted": dict(missing.most_common(25)),
            "most_frequent_rejected": dict(rejected.most_common(25))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--realnews", nargs="*", type=Path, default=[])
    parser.add_argument("--labels", action="store_true", help="score the labelled war candidates")
    parser.add_argument("--polnear", action="store_true", help="PolNeAR held-out and the seed article")
    parser.add_argument("--coverage", action="store_true", help="lexicon coverage of PolNeAR train gold cues")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--model", help="a candidate cue model JSON instead of the shipped one")
    parser.add_argument("--datasets", type=Path, default=config.DATASETS_DIR)
    parser.add_argument("--errors", action="store_true", help="list real-news errors and label disagreements")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    if set(modes) - set(MODES):
        parser.error(f"modes are {MODES}")
    report: dict = {"model": args.model or "shipped"}
    with warnings.catch_warnings(), cue_model_from(args.model):
        warnings.simplefilter("ignore")
        if args.realnews:
            report["realnews_dev"] = score_realnews(args.realnews, modes, args.errors)
        if args.labels:
            report["war_labels"] = score_labels(show=args.errors)
        if args.polnear:
            if not (args.datasets / "polnear").exists():
                print(f"no PolNeAR under {args.datasets}", file=sys.stderr)
                return 1
            report["polnear_heldout_and_seed"] = score_polnear_seed(modes, args.datasets)
        if args.coverage:
            report["polnear_train_coverage"] = coverage(args.datasets)
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
