"""Scoring of presslens.language against gold: persuasion spans on SemEval-2023 Task 3 (English)
against a paragraph-level TF-IDF + logistic-regression baseline, and the seed article's analyst
annotation (contested terms, place spellings, hedges).

Persuasion split: articles whose SHA-256(article id) falls in the lowest HELDOUT_SHARE of the hash
range form the held-out split; the rules are scored only there, and the baseline is trained only
on the other articles. Texts are the whole article files (title on the first line), as the gold
offsets count from there.

Three span metrics, the same for the rules and the baseline, per technique:
- partial-credit span overlap (the primary figure; SemEval-2020 Task 11 span-identification
  scorer, Da San Martino et al. 2020): precision = mean over predicted spans s of
  sum_t |s & t| / |s| over gold spans t of the same technique and article, recall = mean over
  gold spans t of sum_s |s & t| / |t| (each capped at 1);
- loose span overlap (as SemEval's span-identification scorer counts a hit loosely): precision = share
  of predicted spans that overlap at least one gold span of the same technique in the same
  article; recall = share of gold spans overlapped by at least one predicted span;
- character level (partial credit): precision = share of predicted characters inside gold spans of
  the same technique, recall = share of gold characters covered by predictions (spans of one
  article and technique are merged first, so overlapping predictions do not count twice).
The loose metric rewards long predictions (a whole paragraph overlaps a gold span easily); the
partial-credit and character metrics do not. All three are reported so none flatters one method.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config, language
from ..language.persuasion_model import paragraph_spans
from .common import PRF, bootstrap_ci, overlaps

HELDOUT_SHARE = 0.3
SEMEVAL_DIR = "semeval2023t3_en"


# --------------------------------------------------------------------------- data

def load_semeval(datasets_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles with article_id, text; gold spans with article_id, technique, start, end) for
    the four techniques presslens detects."""
    root = Path(datasets_dir) / SEMEVAL_DIR
    articles, gold = [], []
    for path in sorted((root / "articles").glob("article*.txt")):
        article_id = path.stem.removeprefix("article")
        articles.append({"article_id": article_id, "text": path.read_text(encoding="utf-8")})
    for path in sorted((root / "spans").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 4 and parts[1] in language.SEMEVAL_TECHNIQUES:
                gold.append({"article_id": parts[0], "technique": language.SEMEVAL_TECHNIQUES[parts[1]],
                             "start": int(parts[2]), "end": int(parts[3])})
    return pd.DataFrame(articles), pd.DataFrame(gold, columns=["article_id", "technique", "start", "end"])


def is_heldout(article_id: str) -> bool:
    digest = int(hashlib.sha256(str(article_id).encode()).hexdigest()[:8], 16)
    return digest / 0xFFFFFFFF < HELDOUT_SHARE


def split(articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    mask = articles["article_id"].map(is_heldout)
    return articles[~mask].reset_index(drop=True), articles[mask].reset_index(drop=True)


# --------------------------------------------------------------------------- metrics

def _by_key(spans: pd.DataFrame) -> dict[tuple[str, str], list[tuple[int, int]]]:
    out: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for row in spans.itertuples(index=False):
        out[(str(row.article_id), row.technique)].append((int(row.start), int(row.end)))
    return out


def span_overlap_prf(pred: pd.DataFrame, gold: pd.DataFrame, technique: str) -> SpanOverlap:
    """Span-overlap counts for one technique (see the module docstring)."""
    p_by, g_by = _by_key(pred[pred["technique"] == technique]), _by_key(gold[gold["technique"] == technique])
    tp_pred = sum(any(overlaps(p, g) for g in g_by.get(k, [])) for k, ps in p_by.items() for p in ps)
    n_pred = sum(len(v) for v in p_by.values())
    hit_gold = sum(any(overlaps(g, p) for p in p_by.get(k, [])) for k, gs in g_by.items() for g in gs)
    n_gold = sum(len(v) for v in g_by.values())
    return SpanOverlap(tp_pred, n_pred, hit_gold, n_gold)


@dataclass(frozen=True)
class SpanOverlap:
    """Span-overlap scores: precision from predicted spans that hit a gold span, recall from gold
    spans that are hit (the two counts differ when spans overlap several others)."""

    pred_hit: int
    n_pred: int
    gold_hit: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.pred_hit / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.gold_hit / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "n_pred": self.n_pred, "n_gold": self.n_gold}


def partial_credit_prf(pred: pd.DataFrame, gold: pd.DataFrame, technique: str) -> dict:
    """SemEval-2020 Task 11 partial-credit precision/recall/F1 for one technique."""
    p_by, g_by = _by_key(pred[pred["technique"] == technique]), _by_key(gold[gold["technique"] == technique])

    def credit(spans_a, spans_b) -> float:
        total = 0.0
        for a in spans_a:
            length = max(1, a[1] - a[0])
            total += min(1.0, sum(max(0, min(a[1], b[1]) - max(a[0], b[0])) for b in spans_b) / length)
        return total

    n_pred = sum(len(v) for v in p_by.values())
    n_gold = sum(len(v) for v in g_by.values())
    p = sum(credit(ps, g_by.get(k, [])) for k, ps in p_by.items()) / n_pred if n_pred else 0.0
    r = sum(credit(gs, p_by.get(k, [])) for k, gs in g_by.items()) / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def char_prf(pred: pd.DataFrame, gold: pd.DataFrame, technique: str) -> PRF:
    """Character-level counts for one technique (see the module docstring)."""
    p_by, g_by = _by_key(pred[pred["technique"] == technique]), _by_key(gold[gold["technique"] == technique])
    tp = fp = fn = 0
    for key in set(p_by) | set(g_by):
        ps, gs = _merge(p_by.get(key, [])), _merge(g_by.get(key, []))
        inter = sum(max(0, min(pe, ge) - max(ps_, gs_)) for ps_, pe in ps for gs_, ge in gs)
        n_p, n_g = sum(e - s for s, e in ps), sum(e - s for s, e in gs)
        tp, fp, fn = tp + inter, fp + n_p - inter, fn + n_g - inter
    return PRF(tp, fp, fn)


def score(pred: pd.DataFrame, gold: pd.DataFrame) -> dict:
    out = {}
    for technique in language.TECHNIQUES:
        so = span_overlap_prf(pred, gold, technique).as_dict()
        ch = char_prf(pred, gold, technique)
        out[technique] = {"partial_credit": partial_credit_prf(pred, gold, technique),
                          "span_overlap": so,
                          "char": {"precision": round(ch.precision, 3), "recall": round(ch.recall, 3),
                                   "f1": round(ch.f1, 3)}}
    for metric in ("partial_credit", "span_overlap", "char"):
        out.setdefault("macro_f1", {})[metric] = round(
            sum(out[t][metric]["f1"] for t in language.TECHNIQUES) / len(language.TECHNIQUES), 3)
    return out


# --------------------------------------------------------------------------- baseline

def baseline_predict(train: pd.DataFrame, train_gold: pd.DataFrame, test: pd.DataFrame,
                     seed: int = 0) -> pd.DataFrame:
    """Paragraph-level TF-IDF + logistic regression, one classifier per technique: a paragraph is
    positive when a gold span of the technique overlaps it; a positive prediction is the whole
    paragraph as the span."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    def units(frame):
        rows = []
        for article_id, text in zip(frame["article_id"].astype(str), frame["text"]):
            for s, e in paragraph_spans(text):
                rows.append((article_id, s, e, text[s:e]))
        return rows

    train_units, test_units = units(train), units(test)
    gold_by = _by_key(train_gold)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)
    x_train = vectorizer.fit_transform([u[3] for u in train_units])
    x_test = vectorizer.transform([u[3] for u in test_units])
    preds = []
    for technique in language.TECHNIQUES:
        y = [int(any(overlaps((s, e), g) for g in gold_by.get((a, technique), [])))
             for a, s, e, _ in train_units]
        if len(set(y)) < 2:
            continue
        model = LogisticRegression(max_iter=2000, class_weight="balanced", random_state=seed)
        model.fit(x_train, y)
        for (a, s, e, _), label in zip(test_units, model.predict(x_test)):
            if label:
                preds.append({"article_id": a, "technique": technique, "start": s, "end": e})
    return pd.DataFrame(preds, columns=["article_id", "technique", "start", "end"])


# --------------------------------------------------------------------------- seed checks

def _seed_checks() -> dict:
    if not config.SEED_GOLD.exists() or not config.SEED_ARTICLE.exists():
        return {"skipped": "seed gold or seed record missing"}
    gold = json.loads(config.SEED_GOLD.read_text(encoding="utf-8"))["language"]
    seed = pd.read_json(config.SEED_ARTICLE, lines=True, dtype=False)
    if "article_id" not in seed.columns:
        seed["article_id"] = seed["id"]
    text = seed["text"].iloc[0]
    terms = language.extract_terms(seed)
    out: dict = {}

    def located(fragment: str) -> tuple[int, int] | None:
        i = text.find(fragment)
        return (i, i + len(fragment)) if i >= 0 else None

    contested = terms[terms["kind"] == "contested_term"]
    checks = {}
    for item in gold["contested_terms"]:
        span = located(item["text"])
        hit = None
        if span is not None:
            rows = terms[(terms["start"] < span[1]) & (terms["end"] > span[0])
                         & terms["kind"].isin(["contested_term", "place_spelling"])]
            hit = rows.iloc[0].to_dict() if len(rows) else None
        checks[item["text"]] = None if hit is None else f"{hit['kind']}:{hit['category']}"
    out["contested_terms"] = checks
    out["contested_expected_ok"] = (
        checks.get("‘liberated.’") == "contested_term:distance"
        and checks.get("The liberation of Kupyansk") == "contested_term:adopted")
    out["contested_all_found"] = {"n": len(contested), "distance": int((contested["category"] == "distance").sum())}
    places = terms[terms["kind"] == "place_spelling"]
    found = {(r.term, r.category) for r in places.itertuples()}
    expected = {(f, s) for s in ("russian_style", "ukrainian_style")
                for f in gold["toponym_spellings"][s]}
    equivalents = gold["toponym_spellings"]["ukrainian_equivalents"]
    canon = {r.term: r.canonical for r in places.itertuples()}
    out["spellings"] = {
        "expected": len(expected), "found": len(expected & found),
        "missing": sorted(f"{f} ({s})" for f, s in expected - found),
        "extra": sorted(f"{f} ({s})" for f, s in found - expected),
        "canonical_ok": sum(canon.get(k) == v for k, v in equivalents.items()),
        "canonical_expected": len(equivalents),
    }
    hedges = terms[terms["kind"] == "hedge"]
    hit = [h for h in gold["hedges"]
           if (span := located(h)) and bool(((hedges["start"] < span[1]) & (hedges["end"] > span[0])).any())]
    out["hedges"] = {"gold": len(gold["hedges"]), "found": len(hit),
                     "recall": round(len(hit) / len(gold["hedges"]), 3),
                     "missed": sorted(set(gold["hedges"]) - set(hit)), "n_predicted": len(hedges)}
    loaded = terms[terms["kind"] == "loaded_language"]
    hit = [h for h in gold["loaded_language"]
           if (span := located(h)) and bool(((loaded["start"] < span[1]) & (loaded["end"] > span[0])).any())]
    out["loaded_language"] = {"gold": len(gold["loaded_language"]), "found": len(hit),
                              "n_predicted": len(loaded),
                              "note": "the lexicon holds general war-reporting idioms; not an "
                                      "independent test (the SemEval held-out split is)"}
    return out


def _bad_input_checks() -> dict:
    """Empty, huge, non-English and odd-quote texts must give results or warnings, never raise."""
    huge = ("Russian forces ‘liberated’ the village of Kurilovka, officials said. " * 2900)[:200_000]
    cases = {
        "empty": {"article_id": "empty", "text": "", "language": "en"},
        "huge_200k": {"article_id": "huge", "text": huge, "language": "en"},
        "non_english": {"article_id": "de", "language": "de",
                        "text": "Die russischen Truppen haben Kupjansk angeblich „befreit“."},
        "odd_quotes": {"article_id": "quotes", "language": "en",
                       "text": "He said “the so-called ‘liberation of Kiev is a \"sham. It's over’’"},
    }
    out = {}
    for name, record in cases.items():
        frame = pd.DataFrame([record])
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                terms = language.extract_terms(frame)
            out[name] = {"ok": True, "n_terms": len(terms), "n_warnings": len(caught)}
        except Exception as exc:  # the check reports failures instead of stopping the run
            out[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return out


# --------------------------------------------------------------------------- run

def _article_counts(pred: pd.DataFrame, gold: pd.DataFrame, article_id: str) -> dict:
    """Per technique and metric, the four additive counts of one article: (credit of predicted
    spans, n predicted, credit of gold spans, n gold); both metrics are sums of these."""
    p, g = pred[pred["article_id"] == article_id], gold[gold["article_id"] == article_id]
    out = {}
    for technique in language.TECHNIQUES:
        ps = [(int(r.start), int(r.end)) for r in p[p["technique"] == technique].itertuples()]
        gs = [(int(r.start), int(r.end)) for r in g[g["technique"] == technique].itertuples()]

        def partial(spans_a, spans_b):
            return sum(min(1.0, sum(max(0, min(a[1], b[1]) - max(a[0], b[0])) for b in spans_b)
                           / max(1, a[1] - a[0])) for a in spans_a)

        out[(technique, "partial_credit")] = (partial(ps, gs), len(ps), partial(gs, ps), len(gs))
        out[(technique, "span_overlap")] = (sum(any(overlaps(x, y) for y in gs) for x in ps), len(ps),
                                            sum(any(overlaps(y, x) for x in ps) for y in gs), len(gs))
    return out


def _macro_from_counts(per_article: list[dict], metric: str) -> float:
    f1s = []
    for technique in language.TECHNIQUES:
        cp, n_p, cg, n_g = (sum(c[(technique, metric)][i] for c in per_article) for i in range(4))
        precision, recall = (cp / n_p if n_p else 0.0), (cg / n_g if n_g else 0.0)
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(f1s) / len(f1s)


def _difference_ci(rules: pd.DataFrame, baseline: pd.DataFrame, gold: pd.DataFrame,
                   article_ids: list[str], n: int = 1000) -> dict:
    """Macro-F1 of the rules minus the baseline's, with a 95% percentile bootstrap interval
    over held-out articles (articles resampled with replacement, seed 0)."""
    rules_counts = [_article_counts(rules, gold, a) for a in article_ids]
    base_counts = [_article_counts(baseline, gold, a) for a in article_ids]
    out = {}
    for metric in ("partial_credit", "span_overlap"):
        def diff(r_sample, b_sample, metric=metric):
            return _macro_from_counts(r_sample, metric) - _macro_from_counts(b_sample, metric)

        point = diff(rules_counts, base_counts)
        lo, hi = bootstrap_ci(rules_counts, base_counts, diff, n=n, seed=0)
        out[metric] = {"difference": round(point, 3), "ci95": [round(lo, 3), round(hi, 3)]}
    return out


def run(datasets_dir: str | Path = config.DATASETS_DIR) -> dict:
    figures: dict = {"places_in_table": len({f.place for f in language.place_forms().values()}),
                     "place_forms": len(language.place_forms())}
    figures["seed"] = _seed_checks()
    semeval = Path(datasets_dir) / SEMEVAL_DIR
    if semeval.exists():
        articles, gold = load_semeval(datasets_dir)
        train, heldout = split(articles)
        heldout_gold = gold[gold["article_id"].isin(set(heldout["article_id"]))]
        train_gold = gold[gold["article_id"].isin(set(train["article_id"]))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rules = language.lexicon_persuasion(heldout)  # the trained model: evaluate.persuasion
        baseline = baseline_predict(train, train_gold, heldout)
        figures["persuasion"] = {
            "split": {"train_articles": len(train), "heldout_articles": len(heldout),
                      "heldout_gold_spans": {t: int((heldout_gold["technique"] == t).sum())
                                             for t in language.TECHNIQUES}},
            "rules": score(rules, heldout_gold),
            "baseline_paragraph_tfidf_lr": score(baseline, heldout_gold),
            "rules_minus_baseline_macro_f1": _difference_ci(rules, baseline, heldout_gold,
                                                           list(heldout["article_id"])),
        }
    else:
        figures["persuasion"] = {"skipped": f"{semeval} not found"}
    figures["bad_input"] = _bad_input_checks()
    return figures


# --------------------------------------------------------------------------- lexicon derivation

DERIVED_LEXICON = "persuasion_derived.tsv"
# An entry must be inside a gold span this often, in this many different articles, with this
# precision (occurrences inside spans / all occurrences in the train split, add-one smoothed):
# the article spread keeps one article's topic words (its "plague", its party) out.
DERIVE_MIN_IN_SPAN = 2
DERIVE_MIN_ARTICLES = 2
DERIVE_MIN_PRECISION = 0.4
# Word-level techniques only: for the sentence-level ones (doubt, appeal_to_fear) the train split
# is too small to yield anything but topic words.
DERIVED_TECHNIQUES = ("loaded_language", "name_calling")
# Hand-built cues that fire this often on the train split with a precision below this are dropped.
PRUNE_MIN_USES = 5
PRUNE_MAX_PRECISION = 0.1
# Candidates reviewed by hand and rejected as topic words of single stories, names or parse
# artefacts (one a line, technique<TAB>lemma): they stay in the file with use = no.
DERIVED_EXCLUDED = "persuasion_derived_excluded.tsv"


def derive_lexicon(datasets_dir: str | Path = config.DATASETS_DIR, out: Path | None = None) -> Path:
    """Write `persuasion_derived.tsv`: lemmas that gold spans of the TRAIN split contain reliably
    (never the held-out split, on which `run` scores). Word-level techniques (loaded_language,
    name_calling) count tokens inside spans; sentence-level ones (doubt, appeal_to_fear) count
    sentences that overlap a span."""
    from .. import nlp

    articles, gold = load_semeval(datasets_dir)
    train, _ = split(articles)
    gold_by = _by_key(gold[gold["article_id"].isin(set(train["article_id"]))])
    counts: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0, set(), defaultdict(int)])
    for article_id, doc in nlp.parse_articles(train):
        for technique in DERIVED_TECHNIQUES:
            spans = gold_by.get((article_id, technique), [])
            for _, s_start, s_end, sent in nlp.sentence_index(doc):
                sent_hit = any(overlaps((s_start, s_end), g) for g in spans)
                for tok in sent:
                    if not tok.is_alpha or tok.is_stop or len(tok.text) < 3 or tok.pos_ == "PROPN":
                        continue
                    key = tok.lemma_.lower()
                    inside = sent_hit and any(
                        overlaps((tok.idx, tok.idx + len(tok.text)), g) for g in spans)
                    entry = counts[(technique, key)]
                    entry[1] += 1
                    entry[3][tok.pos_] += 1
                    if inside:
                        entry[0] += 1
                        entry[2].add(article_id)
    excluded = set()
    excluded_path = config.RESOURCES_DIR / DERIVED_EXCLUDED
    if excluded_path.exists():
        for line in excluded_path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                technique, _, lemma = line.partition("\t")
                excluded.add((technique.strip(), lemma.strip()))
    rows = []
    for (technique, key), (n_in, n_all, arts, pos) in counts.items():
        precision = n_in / (n_all + 1)
        if n_in >= DERIVE_MIN_IN_SPAN and len(arts) >= DERIVE_MIN_ARTICLES and precision >= DERIVE_MIN_PRECISION:
            top_pos = max(sorted(pos), key=lambda p: pos[p])
            use = "no" if (technique, key) in excluded else "yes"
            rows.append((technique, key, top_pos, n_in, n_all, len(arts), round(precision, 3), use))
    rows.sort()
    out = out or config.RESOURCES_DIR / DERIVED_LEXICON
    _write_derived(out, rows)
    # Second pass: how often each cue of the (unpruned) lexicon lands on a gold span of its
    # technique in the train split; cues that almost never do are marked `drop`.
    language.persuasion_lexicon.cache_clear()
    lexicon = language.persuasion_lexicon(pruned=False)
    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for article_id, doc in nlp.parse_articles(train):
        for span in language.persuasion_spans(doc, nlp.sentence_index(doc), lexicon):
            inside = any(overlaps((span["start"], span["end"]), g)
                         for g in gold_by.get((article_id, span["technique"]), []))
            for cue in span["cue"].split("+"):
                hits[(span["technique"], cue)][0] += int(inside)
                hits[(span["technique"], cue)][1] += 1
    derived_keys = {(r[0], r[1]) for r in rows}
    for (technique, cue), (n_in, n_all) in sorted(hits.items()):
        if (n_all >= PRUNE_MIN_USES and n_in / n_all < PRUNE_MAX_PRECISION
                and (technique, cue) not in derived_keys and cue != "rhetorical question"):
            rows.append((technique, cue, "", n_in, n_all, "", round(n_in / n_all, 3), "drop"))
    rows.sort()
    _write_derived(out, rows)
    language.persuasion_lexicon.cache_clear()
    return out


def _write_derived(out: Path, rows: list[tuple]) -> None:
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(
            "# Persuasion cue lemmas derived by frequency from the TRAIN split of SemEval-2023 Task 3 English\n"
            f"# (articles with sha256(id) outside the lowest {HELDOUT_SHARE:.0%} of the hash range; the rest is the\n"
            "# held-out split presslens is scored on). Written by `python -m presslens.evaluate.language --derive`:\n"
            f"# use = yes: inside gold spans >= {DERIVE_MIN_IN_SPAN} times in >= {DERIVE_MIN_ARTICLES} articles with\n"
            f"# precision n_in_span/(n_total+1) >= {DERIVE_MIN_PRECISION} (word-level techniques only); use = no: such a\n"
            f"# candidate rejected on review as a single story's topic word, a name or a parse artefact ({DERIVED_EXCLUDED});\n"
            f"# use = drop: a cue of persuasion_lexicon.tsv that fired >= {PRUNE_MIN_USES} times on the train split with\n"
            f"# precision < {PRUNE_MAX_PRECISION} (n_in_span/n_total = predicted spans on a gold span / all): removed.\n"
            "# pos: the lemma's most frequent part of speech.\n")
        fh.write("technique\tlemma\tpos\tn_in_span\tn_total\tn_articles\tprecision\tuse\n")
        for row in rows:
            fh.write("\t".join(map(str, row)) + "\n")


if __name__ == "__main__":
    import sys

    if "--derive" in sys.argv:
        print(derive_lexicon())
    else:
        print(json.dumps(run(), indent=2, ensure_ascii=False, default=str))
