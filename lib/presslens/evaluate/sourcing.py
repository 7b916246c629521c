"""Scoring `presslens.sourcing` against human annotation.

Two gold sets:

- PolNeAR (Newell et al. 2018; `polnear/train`, brat standoff): every attribution relation of
  840 political news articles. One annotator file per article (the first by name); the whole
  `.txt` (title line included) is the text. A predicted attribution matches a gold relation
  when their cue spans overlap and their source spans overlap (or neither has a source),
  one-to-one, greedily in text order: relation P/R/F1. Cue P/R/F1 counts cue overlap only;
  content P/R/F1 counts cue overlap plus content overlap.
- The seed article's analyst gold (`config.SEED_GOLD`), with its own matching rule (see its
  "about"): required items found, with the right canonical source, type and affiliation, and
  false positives (matched to neither required nor optional items).

`python -m presslens.evaluate sourcing` scores the held-out PolNeAR split first (about 30 % of
the articles by `split_of`, never seen by the learned cue detector: the headline figure), then
all 840 articles (about 70 % of which trained the detector);
`python -m presslens.evaluate.sourcing --heldout` the held-out split only,
`python -m presslens.evaluate.sourcing --dev` a fixed 150-article development subset (the rules
were tuned on it; it overlaps both splits).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

from .. import config, nlp, sourcing
from ..components import DocContext
from .common import PRF, match_greedy, overlaps

Span = tuple[int, int]
_T_LINE = re.compile(r"^(T\d+)\t([\w-]+) ([\d ;]+)\t")
DEV_SIZE = 150


def _spans(field: str) -> list[Span]:
    return [tuple(int(x) for x in part.split()) for part in field.split(";") if part.strip()]


def read_ann(path: Path) -> list[dict]:
    """Attribution relations of one brat file: {cue, source, content} lists of spans
    (source empty when the annotator marked none)."""
    spans: dict[str, list[Span]] = {}
    events: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            m = _T_LINE.match(line)
            if m:
                spans[m.group(1)] = _spans(m.group(3))
            elif line.startswith("E"):
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 2:
                    continue
                args = dict(a.split(":", 1) for a in parts[1].split()[1:] if ":" in a)
                events.append(args)
    relations = []
    for args in events:
        if "Cue" not in args or args["Cue"] not in spans:
            continue
        relations.append({
            "cue": spans[args["Cue"]],
            "source": spans.get(args.get("Source", ""), []),
            "content": spans.get(args.get("Content", ""), []),
        })
    return relations


def load_polnear(datasets_dir: Path | str, names: list[str] | None = None) -> list[tuple[str, str, list[dict]]]:
    """(name, text, gold relations) per article, sorted by name."""
    root = Path(datasets_dir) / "polnear" / "train"
    files: dict[str, list[Path]] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        files.setdefault(name, []).append(ann)
    out = []
    for name in sorted(files):
        if names is not None and name not in names:
            continue
        txt = root / "text" / f"{name}.txt"
        if not txt.exists():
            continue
        text = txt.read_text(encoding="utf-8")
        out.append((name, text, read_ann(files[name][0])))
    return out


def all_names(datasets_dir: Path | str) -> list[str]:
    """Names of the PolNeAR articles with an annotation file, sorted."""
    root = Path(datasets_dir) / "polnear" / "train" / "attributions"
    return sorted({p.stem.rsplit("_", 1)[0] for p in root.glob("*.ann")})


def split_of(name: str) -> str:
    """"train" or "heldout": a fixed split by the SHA-256 of the article name (about 70/30).
    The learned cue detector (scripts/train_sourcing_cues.py) is trained on "train" only."""
    return "train" if int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % 10 < 7 else "heldout"


def dev_names(datasets_dir: Path | str) -> list[str]:
    """The fixed development subset: every fifth article by name, the first DEV_SIZE."""
    root = Path(datasets_dir) / "polnear" / "train" / "attributions"
    names = sorted({p.stem.rsplit("_", 1)[0] for p in root.glob("*.ann")})
    return names[::5][:DEV_SIZE]


def _pred_spans(row: dict, prefix: str) -> list[Span]:
    s, e = row.get(f"{prefix}_start"), row.get(f"{prefix}_end")
    if s is None or e is None:
        return []
    return [(int(s), int(e))]


def _any(a: list[Span], b: list[Span]) -> bool:
    return any(overlaps(x, y) for x in a for y in b)


def score_polnear(datasets_dir: Path | str, names: list[str] | None = None,
                  conventions: tuple[str, ...] = ("broad", "news")) -> dict:
    """Relation, cue and content P/R/F1 on PolNeAR articles, under each cue convention of
    presslens.sourcing.gate: "broad" is PolNeAR's own annotation convention (intentions and
    stances count as cues), the headline; "news" is the default of `analyze` (issue 13: only
    communication and cognition acts with a speaker). One parse serves both."""
    articles = load_polnear(datasets_dir, names)
    golds = {name: gold for name, _, gold in articles}
    items = ((name, text) for name, text, _ in articles)
    tallies = {c: {"rel": PRF(0, 0, 0), "cue": PRF(0, 0, 0), "content": PRF(0, 0, 0),
                   "by_kind": Counter(), "by_kind_tp": Counter()} for c in conventions}
    n_gold_nosource = 0

    def same_relation(p, g):
        if not _any(p["cue"], g["cue"]):
            return False
        if not g["source"] or not p["source"]:
            return not g["source"] and not p["source"]
        return _any(p["source"], g["source"])

    for name, doc in nlp.parse(items):
        gold = golds[name]
        n_gold_nosource += sum(1 for g in gold if not g["source"])
        for convention, t in tallies.items():
            rows = sourcing.from_doc(DocContext.of(name, doc, "sourcing", cue_convention=convention))["attributions"]
            preds = [{"cue": _pred_spans(r, "cue"), "source": _pred_spans(r, "source"),
                      "content": _pred_spans(r, "content"), "kind": r["cue_kind"]} for r in rows]
            t["rel"] += match_greedy(preds, gold, same_relation)
            t["cue"] += match_greedy(preds, gold, lambda p, g: _any(p["cue"], g["cue"]))
            t["content"] += match_greedy(preds, gold,
                                         lambda p, g: _any(p["cue"], g["cue"]) and _any(p["content"], g["content"]))
            for p in preds:
                t["by_kind"][p["kind"]] += 1
                if any(same_relation(p, g) for g in gold):
                    t["by_kind_tp"][p["kind"]] += 1
    out: dict = {"articles": len(articles), "gold_without_source": n_gold_nosource}
    for k, (convention, t) in enumerate(tallies.items()):
        figures = {
            "relation": t["rel"].as_dict(),
            "cue": t["cue"].as_dict(),
            "content": t["content"].as_dict(),
            "precision_by_cue_kind": {kind: round(t["by_kind_tp"][kind] / v, 3)
                                      for kind, v in sorted(t["by_kind"].items())},
        }
        if k == 0:
            out.update({"gold_relations": int(t["rel"].tp + t["rel"].fn), "cue_convention": convention, **figures})
        else:
            out[f"{convention}_convention"] = figures
    return out


_STOP = {"the", "a", "an", "of", "to", "in", "and", "on", "at", "for", "by", "with", "from", "under"}


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", sourcing.normalise(text or "")) if w not in _STOP and len(w) > 1}


def score_seed(gold_path: Path | str | None = None) -> dict:
    """The analyst's gold for the seed article: required attributions found (sentence and
    source word match), with canonical source, source type and affiliation right."""
    import pandas as pd

    gold_path = Path(gold_path or config.SEED_GOLD)
    if not gold_path.exists() or not config.SEED_ARTICLE.exists():
        return {"skipped": "seed gold or seed article missing"}
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    articles = pd.read_json(config.SEED_ARTICLE, lines=True, dtype={"id": str})
    if "article_id" not in articles.columns:
        articles = articles.rename(columns={"id": "article_id"})
    text = str(articles["text"].iloc[0])
    doc = nlp.parse_text(text)
    rows = sourcing.from_doc(DocContext.of("seed", doc, "sourcing"))["attributions"]
    sentences = {i: s for i, s in nlp.iter_sentences(doc)}

    def matches(row: dict, item: dict) -> bool:
        sent = sentences.get(row["sentence_index"])
        if sent is None or item["sentence_contains"] not in sent.text:
            return False
        if item.get("source_span") is None:
            return row["source_text"] is None
        return bool(_content_words(row["source_text"] or "") & _content_words(item["source_span"]))

    required = [a for a in gold["attributions"] if not a.get("optional")]
    optional = [a for a in gold["attributions"] if a.get("optional")]
    used: set[int] = set()
    report = {}
    for item in required:
        hit = next((i for i, r in enumerate(rows) if i not in used and matches(r, item)), None)
        if hit is None:
            report[item["id"]] = "missing"
            continue
        used.add(hit)
        r = rows[hit]
        checks = {
            "canonical": sourcing.normalise(r["source_canonical"] or "") == sourcing.normalise(item["canonical_source"]),
            "source_type": r["source_type"] == item["source_type"],
            "affiliation": r["affiliation"] == item["affiliation"],
            "named": r["named"] == item["named"],
            "quote_type": r["quote_type"] == item["quote_type"],
        }
        report[item["id"]] = {k: v for k, v in checks.items()}
    optional_hits = []
    for item in optional:
        hit = next((i for i, r in enumerate(rows) if i not in used and matches(r, item)), None)
        if hit is not None:
            used.add(hit)
            optional_hits.append(item["id"])
    false_pos = [f"{r['sentence_index']}:{r['cue_text']}:{r['source_text']}" for i, r in enumerate(rows) if i not in used]
    fully = [k for k, v in report.items() if isinstance(v, dict) and v["canonical"] and v["source_type"]
             and v["affiliation"]]
    return {
        "required": len(required),
        "found": sum(1 for v in report.values() if v != "missing"),
        "fully_right": len(fully),
        "optional_found": optional_hits,
        "false_positives": len(false_pos),
        "false_positive_items": false_pos,
        "items": report,
    }


def run(datasets_dir: Path | str | None = None, dev: bool = False, heldout_only: bool = False) -> dict:
    datasets_dir = Path(datasets_dir or config.DATASETS_DIR)
    out: dict = {"seed": score_seed()}
    if (datasets_dir / "polnear" / "train").exists():
        if dev:
            out["polnear_dev"] = score_polnear(datasets_dir, dev_names(datasets_dir))
        else:
            names = all_names(datasets_dir)
            # The headline: articles the learned cue detector was not trained on.
            out["polnear_heldout"] = score_polnear(datasets_dir, [n for n in names if split_of(n) == "heldout"])
            if not heldout_only:
                out["polnear_all"] = score_polnear(datasets_dir, names)
                out["polnear_all"]["note"] = ("all 840 articles; about 70 % of them (split_of == 'train') "
                                              "trained the learned cue detector")
    else:
        out["polnear"] = {"skipped": f"{datasets_dir / 'polnear'} not found"}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m presslens.evaluate.sourcing")
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--dev", action="store_true", help=f"the fixed {DEV_SIZE}-article subset")
    parser.add_argument("--heldout", action="store_true", help="only the held-out PolNeAR split")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.datasets, dev=args.dev, heldout_only=args.heldout), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
