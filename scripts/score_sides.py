"""Score the side resolver (`presslens.geo`) on the real-news gold, given the gold source phrase.

For every gold attribution whose side the article tells (side != unknown), the resolver reads
the gold `source` phrase (as a speech verb's subject, so "Warsaw said" counts), then the gold
`canonical` name (what a pronoun or description resolves to), and, as a second figure, the
sentence around the gold anchor as a last fallback. It prints the share of sides right and the
share left unknown: the ceiling the sourcing code reaches once it passes the right source phrase
and the right antecedent. Gold attributions with side unknown count the resolver's false
alarms. The dev set only measures: the gazetteers are general coverage, not fitted to it.

    .venv/bin/python scripts/score_sides.py                       # ../shared/gold/realnews/dev_*.json
    .venv/bin/python scripts/score_sides.py GOLD.json ... --errors  # every miss, with its evidence
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from collections import Counter
from pathlib import Path

from presslens.evaluate.common import locate_anchor

SIDE_ALIASES = {"international": "INT", "intl": "INT", "UK": "GB", "": "unknown"}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n+")


def gold_side(value) -> str:
    value = str(value or "").strip()
    return SIDE_ALIASES.get(value, value)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) that hold text[start:end]."""
    lo, hi = 0, len(text)
    for m in _BOUNDARY.finditer(text):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    return text[lo:hi]




def load(gold_files: list[Path], datasets: Path | None) -> list[tuple[dict, str, object]]:
    """(gold article, text, published date or None) for every article of the gold files."""
    import presslens

    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for g in gold_files:
            root = datasets or g.resolve().parents[2] / "datasets"
            for a in json.loads(g.read_text(encoding="utf-8"))["articles"]:
                path = root / a["file"]
                if not path.exists():
                    sys.exit(f"{path}: missing (pass --datasets)")
                df = presslens.load_articles(path)
                published = df["published"].iloc[0] if "published" in df else None
                out.append((a, df["text"].iloc[0], None if str(published) in ("NaT", "None", "<NA>") else published))
    return out


def main(argv: list[str] | None = None) -> int:
    from presslens import config, geo

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="*", type=Path)
    ap.add_argument("--datasets", type=Path, help="folder the gold 'file' paths are relative to")
    ap.add_argument("--errors", action="store_true", help="print every miss with its evidence")
    args = ap.parse_args(argv)
    gold_files = args.gold or sorted((config.SHARED_DIR / "gold" / "realnews").glob("dev_*.json"))
    if not gold_files:
        print(f"no gold files found under {config.SHARED_DIR / 'gold' / 'realnews'}", file=sys.stderr)
        return 2

    counts: Counter = Counter()
    types: Counter = Counter()
    misses: list[str] = []
    for a, text, published in load(gold_files, args.datasets):
        for att in a["attributions"]:
            gold = gold_side(att.get("side"))
            source, canonical = att.get("source") or "", att.get("canonical") or ""
            span = locate_anchor(text, att["anchor"], att.get("occurrence", 0))
            context = sentence_around(text, *span) if span else ""
            phrase, via = geo.resolve_side(source, canonical, date=published)
            article, _ = geo.resolve_side(source, canonical, date=published, article=text)
            full, full_via = geo.resolve_side(source, canonical, context, date=published, article=text)
            if gold == "unknown":
                counts["unknown_gold"] += 1
                counts["false_alarm_phrase"] += phrase is not None
                counts["false_alarm_article"] += article is not None
                counts["false_alarm_context"] += full is not None
                continue
            counts["n"] += 1
            alone = geo.country_of_phrase(source, metonym=True, date=published)
            counts["source_right"] += bool(alone and alone.code == gold)
            counts["source_unknown"] += alone is None
            counts["phrase_right"] += bool(phrase and phrase.code == gold)
            counts["phrase_unknown"] += phrase is None
            counts["article_right"] += bool(article and article.code == gold)
            counts["article_unknown"] += article is None
            counts["context_right"] += bool(full and full.code == gold)
            counts["context_unknown"] += full is None
            if phrase is not None and phrase.source_type:
                types["typed"] += 1
                types["type_right"] += phrase.source_type == att.get("type")
            if args.errors and not (full and full.code == gold):
                got = f"{full.code} by {full.rule} [{full.text}] via {full_via}" if full else "unknown"
                misses.append(f"  {a['article_id']}: gold {gold:7} got {got}\n"
                              f"      source={source!r} canonical={canonical!r}")

    n = counts["n"]
    if not n:
        print("no gold attribution with a known side")
        return 1

    def pct(k: str) -> str:
        return f"{counts[k] / n:.3f}"

    print(f"gold attributions with a known side: {n} (files: {', '.join(p.name for p in gold_files)})")
    print(f"source phrase alone:            side right {pct('source_right')}  unknown {pct('source_unknown')}")
    print(f"source, then canonical:         side right {pct('phrase_right')}  unknown {pct('phrase_unknown')}")
    print(f"... then the person's other mentions: side right {pct('article_right')}  unknown {pct('article_unknown')}")
    print(f"... then the sentence around:   side right {pct('context_right')}  unknown {pct('context_unknown')}")
    if counts["unknown_gold"]:
        u = counts["unknown_gold"]
        print(f"gold side unknown: {u}; resolver gave a side from source/canonical "
              f"{counts['false_alarm_phrase'] / u:.3f}, with other mentions {counts['false_alarm_article'] / u:.3f}, "
              f"with the sentence {counts['false_alarm_context'] / u:.3f}")
    if types["typed"]:
        print(f"source type hint (officeholder/institution) on {types['typed']} of {n}: "
              f"right {types['type_right'] / types['typed']:.3f}")
    if misses:
        print("misses (source, canonical and sentence tried):")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
