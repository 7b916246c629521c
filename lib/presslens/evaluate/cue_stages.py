"""Where does an attribution of the real-news gold get lost? For every gold attribution (FORMAT.md
of `../shared/gold/realnews/`) one stage:

- `found`: an extracted row's cue lies inside the gold anchor (what the shared scorer counts);
- `not proposed`: neither the rules (`sourcing.rules.find_in_sentence`) nor the learned
  detector (`sourcing.learned.learned_found`) proposed a cue inside the anchor; the speech
  gate's verdict on the anchor's words is shown, to tell a missing rule from a missing entry;
- `gate`: a cue was proposed and the speech gate (`sourcing.gate.cue_verdict`) dropped it,
  with its reason;
- `after gate`: a cue passed the gate and a later filter of the extraction removed it (speech
  nested in another report, a request for anonymity, a hearsay noun read twice).

And for every extracted row that matches no gold anchor (a false attribution), the gate's
reason for keeping it. The stages are what `sourcing.extract` does, re-run in the same order
with the public functions of each step.

    python -m presslens.evaluate.cue_stages                    # every gold file, summary + misses
    python -m presslens.evaluate.cue_stages GOLD.json --all    # also the found ones
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from .. import components, config, io, nlp
from ..analysis import article_records
from ..sourcing import gate
from ..sourcing.extract import extract_attributions
from ..sourcing.learned import learned_found
from ..sourcing.lexicon import lexicon
from ..sourcing.quotes import Quotes, find_quotes
from ..sourcing.rules import find_in_sentence
from .common import locate_anchor
from .realnews import gold_files

STAGES = ("found", "after gate", "gate", "not proposed")
# Parts of speech whose words the gate is asked about when nothing was proposed.
_ASK_POS = ("VERB", "AUX", "NOUN", "ADJ", "ADP", "ADV", "PROPN")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def article_stages(article: pd.DataFrame, gold: list[dict], doc=None) -> tuple[list[dict], list[dict]]:
    """(one record per gold attribution with its stage, one record per false row) of one article.

    Parameters
    ----------
    article : pandas.DataFrame
        One row, the article as `presslens.load_articles` gives it with its gold `article_id`.
    gold : list of dict
        Its gold attributions (`anchor`, `occurrence`, `source`, `canonical`, `cue`).
    doc : spacy.tokens.Doc, optional
        The parse of `text`; parsed (uncached) when absent.
    """
    article_id, text = str(article.article_id.iloc[0]), str(article.text.iloc[0])
    if doc is None:
        # parsed as `presslens.analyze` parses it: page furniture blanked out
        record = article_records(article)[0]
        doc = nlp.parse_text(components.article_input(article_id, record["text"], record.get("title"),
                                                      marked=record.get("boilerplate")).parse_text)
    lex = lexicon()
    quotes = Quotes(find_quotes(text))
    sents = [s for _, s in nlp.iter_sentences(doc)]
    rule = [f for sidx, s in enumerate(sents) for f in find_in_sentence(s, sidx, doc, lex, quotes, text)]
    proposed = learned_found(doc, sents, lex, quotes, text, list(rule))
    learned_ids = {id(f) for f in proposed} - {id(f) for f in rule}
    token_at = {t.idx: t for t in doc}
    rows = extract_attributions(article, docs={article_id: doc})
    row_spans = [(int(r.cue_start), int(r.cue_end)) for r in rows.itertuples()]
    matched: set[int] = set()
    out = []
    for g in gold:
        span = locate_anchor(text, g["anchor"], g.get("occurrence", 0))
        if span is None:
            continue
        rec = {"article_id": article_id, "anchor": g["anchor"], "source": g.get("canonical") or g.get("source"),
               "cue": g.get("cue")}
        # one row per gold attribution, the one with the gold cue first (the scorer's matching)
        hits = sorted((i for i, s in enumerate(row_spans) if i not in matched and _overlaps(s, span)),
                      key=lambda i: str(rows.cue_text.iloc[i]).lower() != str(g.get("cue", "")).lower())
        if hits:
            matched.add(hits[0])
            rec.update(stage="found", detail=str(rows.cue_text.iloc[hits[0]]))
            out.append(rec)
            continue
        cands = [f for f in proposed if _overlaps((f.cue_start, f.cue_end), span)]
        if cands:
            verdicts = []
            for f in cands:
                tok = token_at.get(f.cue_start)
                ok, why = gate.cue_verdict(tok, doc) if tok is not None else (True, "no token")
                by = "learned" if id(f) in learned_ids else "rules"
                verdicts.append((ok, f"{text[f.cue_start:f.cue_end]!r} ({by}, {f.cue_kind}): {why}"))
            stage = "after gate" if any(ok for ok, _ in verdicts) else "gate"
            rec.update(stage=stage, detail="; ".join(v for _, v in verdicts))
        else:
            asked = [t for t in doc.char_span(*span, alignment_mode="expand") if t.pos_ in _ASK_POS]
            said = []
            for t in asked:
                ok, why = gate.cue_verdict(t, doc)
                if ok or "not in the speech lexicon" not in why:
                    said.append(f"{t.text!r}/{t.pos_}/{t.dep_}: {'pass' if ok else 'drop'} ({why})")
            rec.update(stage="not proposed", detail="; ".join(said) or "no word of the anchor is in the speech lexicon")
        out.append(rec)
    false = []
    for i, r in enumerate(rows.itertuples()):
        if i in matched:
            continue
        tok = token_at.get(int(r.cue_start))
        why = gate.cue_verdict(tok, doc)[1] if tok is not None else ""
        false.append({"article_id": article_id, "cue": r.cue_text, "source": r.source_text,
                      "cue_kind": r.cue_kind, "detail": why,
                      "context": text[max(0, int(r.cue_start) - 60): int(r.cue_end) + 60].replace("\n", " ")})
    return out, false


def run_gold(gold: list[Path], datasets_dir: Path | str | None = None) -> tuple[list[dict], list[dict]]:
    """Stages of every gold attribution and the false rows of every article of the `gold` files."""
    records, false = [], []
    for g in gold:
        root = Path(datasets_dir) if datasets_dir else g.resolve().parents[2] / "datasets"
        for a in json.loads(g.read_text(encoding="utf-8"))["articles"]:
            df = io.load_articles(root / a["file"]).assign(article_id=a["article_id"])
            r, f = article_stages(df, a.get("attributions", []))
            records += r
            false += f
    return records, false


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m presslens.evaluate.cue_stages",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="*", type=Path, help="gold files (default: every file of the gold folder)")
    parser.add_argument("--datasets", default=None, help="folder the gold 'file' paths are relative to")
    parser.add_argument("--all", action="store_true", help="also list the found attributions")
    args = parser.parse_args(argv)
    gold = args.gold or gold_files()
    if not gold:
        print(f"no gold files (looked in {config.SHARED_DIR / 'gold' / 'realnews'})")
        return 0
    records, false = run_gold(gold, args.datasets)
    for r in records:
        if args.all or r["stage"] != "found":
            print(f"{r['article_id']} [{r['stage']}] {r['anchor']!r} (source {r['source']}): {r['detail']}")
    for f in false:
        print(f"{f['article_id']} [false] {f['cue']!r} ({f['cue_kind']}, source {f['source']!r}): {f['detail']}"
              f"  | ...{f['context']}...")
    counts = Counter(r["stage"] for r in records)
    print(json.dumps({"gold": len(records), **{s: counts.get(s, 0) for s in STAGES}, "false": len(false)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
