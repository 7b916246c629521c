"""Score presslens.boilerplate on the real-news gold, and list what it flags elsewhere.

On the gold files (default: <shared>/gold/realnews/dev_*.json, format in FORMAT.md there):
- recall of the gold `boilerplate` anchors: an anchor is found when flagged spans cover more
  than half of its characters;
- the key figure, real news that would be deleted: gold attribution anchors and gold claim
  anchors that any flagged span touches (should be 0);
- flagged characters outside gold boilerplate, with every such span printed.
With --corpus, it also runs on every .txt article of a folder (title on the first line) except
the gold articles, prints every flagged span grouped by reason (to read for false positives)
and the time per article.

    .venv/bin/python scripts/score_boilerplate.py [GOLD.json ...] [--corpus DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import presslens
from presslens import boilerplate, config
from presslens.evaluate.common import locate_anchor

DEFAULT_GOLD = config.SHARED_DIR / "gold" / "realnews"
DEFAULT_CORPUS = config.DATASETS_DIR / "semeval2025t10_en_war" / "articles"
FOUND_SHARE = 0.5  # an anchor is found when more than this share of it is flagged




def load_one(path: Path) -> tuple[str, str | None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = presslens.load_articles(path)
    if len(df) != 1:
        raise SystemExit(f"{path}: loaded {len(df)} articles, expected 1")
    title = df["title"].iloc[0]
    return df["text"].iloc[0], title if isinstance(title, str) else None


def score_gold(gold_files: list[Path], datasets: Path | None, verbose: bool) -> dict:
    n = Counter()
    misses, deletions, outside = [], [], []
    for gold in gold_files:
        root = datasets or gold.resolve().parents[2] / "datasets"
        for a in json.loads(gold.read_text(encoding="utf-8"))["articles"]:
            aid = a["article_id"]
            text, title = load_one(root / a["file"])
            spans = boilerplate.find_boilerplate(text, title)
            index = boilerplate.BoilerplateIndex(spans)
            n["articles"] += 1
            gold_bp = []
            for g in a.get("boilerplate", []):
                where = locate_anchor(text, g["anchor"], g.get("occurrence", 0))
                if where is None:
                    n["bad_anchors"] += 1
                    continue
                gold_bp.append(where)
                n["bp_gold"] += 1
                if index.coverage(*where) > FOUND_SHARE:
                    n["bp_found"] += 1
                else:
                    misses.append(f"{aid} MISSED boilerplate: {g['anchor']!r}")
            for kind in ("attributions", "claims"):
                for g in a.get(kind, []):
                    where = locate_anchor(text, g["anchor"], g.get("occurrence", 0))
                    if where is None:
                        n["bad_anchors"] += 1
                        continue
                    n[f"{kind}_gold"] += 1
                    if index.covers(*where):
                        n[f"{kind}_flagged"] += 1
                        deletions.append(f"{aid} FLAGGED gold {kind[:-1]}: {g['anchor']!r}")
            gold_index = boilerplate.BoilerplateIndex(gold_bp)
            for b in spans:
                length = b.end - b.start
                inside = round(gold_index.coverage(b.start, b.end) * length)
                n["flagged_chars"] += length
                n["flagged_chars_outside_gold"] += length - inside
                if inside < length:
                    outside.append(f"{aid} OUTSIDE gold [{b.reason}/{b.rule}] {length - inside} chars: "
                                   f"{text[b.start:b.end][:140]!r}")
    figures = {
        "articles": n["articles"],
        "boilerplate_anchors": n["bp_gold"],
        "boilerplate_recall": round(n["bp_found"] / n["bp_gold"], 3) if n["bp_gold"] else None,
        "gold_attributions_flagged": n["attributions_flagged"],
        "gold_attributions": n["attributions_gold"],
        "gold_claims_flagged": n["claims_flagged"],
        "gold_claims": n["claims_gold"],
        "flagged_chars": n["flagged_chars"],
        "flagged_chars_outside_gold": n["flagged_chars_outside_gold"],
        "bad_anchors": n["bad_anchors"],
    }
    if verbose:
        print("\n".join(misses + deletions + outside))
        print()
    return figures


def list_corpus(folder: Path, exclude: set[str]) -> dict:
    by_reason: dict[str, list[str]] = defaultdict(list)
    rules = Counter()
    articles = 0
    cpu = 0.0
    for path in sorted(folder.glob("*.txt")):
        if path.stem in exclude:
            continue
        text, title = load_one(path)
        articles += 1
        t0 = time.process_time()
        spans = boilerplate.find_boilerplate(text, title)
        cpu += time.process_time() - t0
        for b in spans:
            rules[b.rule] += 1
            snippet = text[b.start:b.end].replace("\n", " / ")
            by_reason[b.reason].append(f"  {path.stem} [{b.rule}] {snippet[:160]}")
    for reason in sorted(by_reason):
        print(f"## {reason}: {len(by_reason[reason])}")
        print("\n".join(by_reason[reason]))
    print()
    return {"corpus_articles": articles, "corpus_spans": sum(rules.values()),
            "corpus_spans_by_reason": {r: len(v) for r, v in sorted(by_reason.items())},
            "corpus_spans_by_rule": dict(rules.most_common()),
            "ms_per_article": round(1000 * cpu / articles, 3) if articles else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", nargs="*", type=Path, help="real-news gold files (default: dev_*.json)")
    parser.add_argument("--datasets", type=Path, help="folder the gold 'file' paths are relative to")
    parser.add_argument("--corpus", type=Path, nargs="?", const=DEFAULT_CORPUS,
                        help=f"also list what is flagged in this folder of .txt articles (default {DEFAULT_CORPUS})")
    parser.add_argument("--quiet", action="store_true", help="figures only, no per-span lines")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    gold_files = args.gold or sorted(DEFAULT_GOLD.glob("dev_*.json"))
    if not gold_files:
        print(f"no gold files (looked in {DEFAULT_GOLD})", file=sys.stderr)
        return 1
    figures = score_gold(gold_files, args.datasets, verbose=not args.quiet)
    if args.corpus:
        gold_ids = {a["article_id"] for g in gold_files for a in json.loads(g.read_text(encoding="utf-8"))["articles"]}
        if args.quiet:
            import contextlib
            import io
            with contextlib.redirect_stdout(io.StringIO()):
                figures.update(list_corpus(args.corpus, gold_ids))
        else:
            figures.update(list_corpus(args.corpus, gold_ids))
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print(f"boilerplate {figures['articles']} gold articles: recall {figures['boilerplate_recall']} of "
          f"{figures['boilerplate_anchors']} anchors; flagged gold attributions {figures['gold_attributions_flagged']}/"
          f"{figures['gold_attributions']}, claims {figures['gold_claims_flagged']}/{figures['gold_claims']}; "
          f"{figures['flagged_chars_outside_gold']} of {figures['flagged_chars']} flagged chars outside gold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
