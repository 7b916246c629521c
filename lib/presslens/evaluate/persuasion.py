"""Scoring the trained persuasion model (`presslens.language.persuasion_model`) on the held-out SemEval-2023
Task 3 English articles, side by side with a paragraph TF-IDF + logistic-regression baseline
trained in the same run on the other articles, and with the rule lexicon alone.

Split: the one of `presslens.evaluate.language` (`is_heldout`: SHA-256 of the article id in the
lowest 30 % of the hash range), so the figures compare with earlier ones. The shipped model must
have been trained on the other articles only: its metadata lists its training articles, and the
run refuses to score a model that saw a held-out one.

Paragraph-level F1 (the headline measure), the same code for every system: the paragraphs are the
non-blank lines of an article (`evaluate.language.paragraphs`); a paragraph is gold-positive for
a technique when a gold span of that technique overlaps it, and predicted-positive when a span the
system predicts for that technique overlaps it (the model predicts spans only inside the
paragraphs it flags; the baseline's spans are whole paragraphs). F1 of the positive class over
all held-out paragraphs, per technique.

Span level: the SemEval-2020 Task 11 partial-credit F1 (`evaluate.language.partial_credit_prf`).

Intervals: 95 % percentile bootstrap over held-out articles (1,000 resamples, seed 0), for each
figure and for the difference model minus baseline (paired: the same resampled articles).

`python -m presslens.evaluate persuasion` prints the figures; `--table` a Markdown table.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config, nlp
from ..language import persuasion_model
from ..language.persuasion_model import (
    ENCODER_EMBEDDINGS,
    ENCODER_NGRAMS,
    TECHNIQUES,
    paragraph_spans,
)
from .common import overlaps
from .language import (
    SEMEVAL_DIR,
    baseline_predict,
    load_semeval,
    partial_credit_prf,
    split,
)

N_BOOTSTRAP = 1000
# The targets of presslens issue #16 (held-out paragraph F1).
TARGETS = {"loaded_language": 0.60, "name_calling": 0.50, "doubt": 0.40, "appeal_to_fear": 0.40}
TARGET_MARGIN_OVER_BASELINE = 0.05


# --------------------------------------------------------------------------- inputs

def rule_spans(articles: pd.DataFrame, docs: Mapping) -> dict[str, list[dict]]:
    """The rule lexicon's persuasion spans per article (technique, start, end, cue)."""
    from .. import language

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = language.lexicon_persuasion(articles, docs)
    out: dict[str, list[dict]] = {str(a): [] for a in articles["article_id"]}
    for row in table.itertuples(index=False):
        out.setdefault(str(row.article_id), []).append(
            {"technique": row.technique, "start": int(row.start), "end": int(row.end), "cue": row.cue})
    return out


def sentence_offsets(docs: Mapping) -> dict[str, list[tuple[int, int, int]]]:
    return {a: [(i, s.start_char, s.end_char) for i, s in nlp.iter_sentences(doc)]
            for a, doc in docs.items()}


def model_predictions(model: persuasion_model.PersuasionModel, articles: pd.DataFrame, docs: Mapping,
                      lexicon: Mapping[str, list[dict]], encoder: str) -> pd.DataFrame:
    sentences = sentence_offsets(docs)
    ids = [str(a) for a in articles["article_id"]]
    documents = [{"text": str(t), "lexicon_spans": lexicon.get(a, []), "sentences": sentences.get(a, [])}
                 for a, t in zip(ids, articles["text"])]
    rows = []
    for article_id, found in zip(ids, model.predict_documents(documents, encoder=encoder)):
        rows += [{"article_id": article_id, **r} for r in found]
    return pd.DataFrame(rows, columns=["article_id", *persuasion_model.PERSUASION_ROWS])


# --------------------------------------------------------------------------- paragraph F1

def paragraph_counts(articles: pd.DataFrame, spans: pd.DataFrame, gold: pd.DataFrame) -> np.ndarray:
    """(articles, TECHNIQUES, 3) counts of tp, fp, fn paragraphs (see the module docstring)."""
    def by_key(frame):
        out: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for row in frame.itertuples(index=False):
            out.setdefault((str(row.article_id), row.technique), []).append((int(row.start), int(row.end)))
        return out

    pred_by, gold_by = by_key(spans), by_key(gold)
    counts = np.zeros((len(articles), len(TECHNIQUES), 3), dtype=np.int64)
    for i, (article_id, text) in enumerate(zip(articles["article_id"].astype(str), articles["text"])):
        for start, end in paragraph_spans(str(text)):
            for j, technique in enumerate(TECHNIQUES):
                g = any(overlaps((start, end), s) for s in gold_by.get((article_id, technique), ()))
                p = any(overlaps((start, end), s) for s in pred_by.get((article_id, technique), ()))
                counts[i, j] += (g and p, p and not g, g and not p)
    return counts


def _f1(counts: np.ndarray) -> np.ndarray:
    """F1 per technique from summed (..., TECHNIQUES, 3) counts."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    denom = 2 * tp + fp + fn
    return np.divide(2 * tp, denom, out=np.zeros(tp.shape, dtype=np.float64), where=denom > 0)


def _resamples(n_articles: int, n: int = N_BOOTSTRAP, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, n_articles, size=(n, n_articles))


def _interval(values: np.ndarray) -> list[float]:
    lo, hi = np.percentile(values, [2.5, 97.5], axis=0)
    return [round(float(lo), 3), round(float(hi), 3)]


def paragraph_scores(counts: np.ndarray, samples: np.ndarray) -> dict:
    """Per technique: F1, precision, recall and the bootstrap interval of F1."""
    total = counts.sum(axis=0)
    f1 = _f1(total)
    boot = _f1(counts[samples].sum(axis=1))  # (resamples, TECHNIQUES)
    out = {}
    for j, technique in enumerate(TECHNIQUES):
        tp, fp, fn = (int(x) for x in total[j])
        out[technique] = {"f1": round(float(f1[j]), 3),
                          "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
                          "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
                          "ci95": _interval(boot[:, j]), "tp": tp, "fp": fp, "fn": fn}
    out["macro_f1"] = round(float(f1.mean()), 3)
    return out


def paragraph_difference(counts_a: np.ndarray, counts_b: np.ndarray, samples: np.ndarray) -> dict:
    """Per technique: F1 of a minus F1 of b with a paired bootstrap interval."""
    point = _f1(counts_a.sum(axis=0)) - _f1(counts_b.sum(axis=0))
    boot = _f1(counts_a[samples].sum(axis=1)) - _f1(counts_b[samples].sum(axis=1))
    return {t: {"difference": round(float(point[j]), 3), "ci95": _interval(boot[:, j])}
            for j, t in enumerate(TECHNIQUES)}


def span_scores(spans: pd.DataFrame, gold: pd.DataFrame) -> dict:
    out = {t: partial_credit_prf(spans, gold, t) for t in TECHNIQUES}
    out["macro_f1"] = round(sum(out[t]["f1"] for t in TECHNIQUES) / len(TECHNIQUES), 3)
    return out


def span_partial_credit_ci(spans: pd.DataFrame, gold: pd.DataFrame, article_ids: list[str],
                           samples: np.ndarray) -> list[float]:
    """Bootstrap interval of the partial-credit macro-F1 (articles resampled)."""
    per_article = []
    for article_id in article_ids:
        p, g = spans[spans["article_id"] == article_id], gold[gold["article_id"] == article_id]
        row = []
        for technique in TECHNIQUES:
            ps = [(int(r.start), int(r.end)) for r in p[p["technique"] == technique].itertuples()]
            gs = [(int(r.start), int(r.end)) for r in g[g["technique"] == technique].itertuples()]
            row.append((_credit(ps, gs), len(ps), _credit(gs, ps), len(gs)))
        per_article.append(row)
    arr = np.asarray(per_article, dtype=np.float64).reshape(len(article_ids), len(TECHNIQUES), 4)
    s = arr[samples].sum(axis=1)  # (resamples, TECHNIQUES, 4)
    precision = np.divide(s[..., 0], s[..., 1], out=np.zeros(s.shape[:2]), where=s[..., 1] > 0)
    recall = np.divide(s[..., 2], s[..., 3], out=np.zeros(s.shape[:2]), where=s[..., 3] > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros(s.shape[:2]),
                   where=precision + recall > 0)
    return _interval(f1.mean(axis=1))


def _credit(spans_a: list[tuple[int, int]], spans_b: list[tuple[int, int]]) -> float:
    return sum(min(1.0, sum(max(0, min(a[1], b[1]) - max(a[0], b[0])) for b in spans_b) / max(1, a[1] - a[0]))
               for a in spans_a)


# --------------------------------------------------------------------------- run

def _check_training_split(model: persuasion_model.PersuasionModel, heldout_ids: set[str]) -> dict:
    trained_on = set(map(str, model.meta.get("training_articles", [])))
    if not trained_on:
        return {"ok": False, "reason": "the model does not list its training articles"}
    seen = sorted(trained_on & heldout_ids)
    return {"ok": not seen, "n_training_articles": len(trained_on), "heldout_articles_seen": seen}


def run(datasets_dir: str | Path = config.DATASETS_DIR, model_path: str | Path | None = None) -> dict:
    root = Path(datasets_dir) / SEMEVAL_DIR
    if not root.exists():
        return {"skipped": f"{root} not found"}
    model = (persuasion_model.PersuasionModel.load(model_path) if model_path
             else persuasion_model.load_persuasion_model())
    articles, gold = load_semeval(datasets_dir)
    train, heldout = split(articles)
    heldout_ids = [str(a) for a in heldout["article_id"]]
    heldout_gold = gold[gold["article_id"].isin(set(heldout_ids))]
    train_gold = gold[gold["article_id"].isin(set(train["article_id"]))]
    figures: dict = {
        "split": {"train_articles": len(train), "heldout_articles": len(heldout),
                  "heldout_paragraphs": sum(len(paragraph_spans(str(t))) for t in heldout["text"])},
        "training_split_check": _check_training_split(model, set(heldout_ids)),
    }
    if not figures["training_split_check"]["ok"]:
        figures["skipped"] = "the model was not trained on the training split only"
        return figures
    docs = dict(nlp.parse_articles(heldout))
    lexicon = rule_spans(heldout, docs)
    systems: dict[str, pd.DataFrame] = {}
    encoders = [ENCODER_NGRAMS]
    if model.has_embeddings and persuasion_model.embeddings_available():
        encoders.append(ENCODER_EMBEDDINGS)
    else:
        figures["embeddings"] = ("not measured: the `embeddings` extra is not installed"
                                 if model.has_embeddings else "the model has no embedding head")
    for encoder in encoders:
        systems[f"presslens[{encoder}]"] = model_predictions(model, heldout, docs, lexicon, encoder)
    systems["baseline_tfidf_lr"] = baseline_predict(train, train_gold, heldout)
    systems["rules_lexicon_only"] = pd.DataFrame(
        [{"article_id": a, **s} for a, spans in lexicon.items() for s in spans],
        columns=["article_id", "technique", "start", "end", "cue"])
    samples = _resamples(len(heldout))
    counts = {name: paragraph_counts(heldout, spans, heldout_gold) for name, spans in systems.items()}
    figures["paragraph_f1"] = {name: paragraph_scores(c, samples) for name, c in counts.items()}
    base = counts["baseline_tfidf_lr"]
    figures["paragraph_f1_minus_baseline"] = {
        name: paragraph_difference(c, base, samples) for name, c in counts.items() if name.startswith("presslens")}
    figures["span_partial_credit"] = {}
    for name, spans in systems.items():
        scores = span_scores(spans, heldout_gold)
        scores["macro_f1_ci95"] = span_partial_credit_ci(spans, heldout_gold, heldout_ids, samples)
        figures["span_partial_credit"][name] = scores
    figures["targets"] = {
        name: {t: {"target": TARGETS[t],
                   "met": bool(figures["paragraph_f1"][name][t]["f1"] >= TARGETS[t]
                               and figures["paragraph_f1_minus_baseline"][name][t]["difference"]
                               >= TARGET_MARGIN_OVER_BASELINE)}
               for t in TECHNIQUES}
        for name in figures["paragraph_f1_minus_baseline"]}
    figures["model"] = {k: model.meta.get(k) for k in ("trained", "training_data", "inner_cv_f1", "fusion")}
    return figures


def markdown_table(figures: dict) -> str:
    """The paragraph-F1 and partial-credit figures as one Markdown table."""
    pf, sc = figures["paragraph_f1"], figures["span_partial_credit"]
    names = list(pf)
    lines = ["| technique | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for t in TECHNIQUES:
        cells = [f"{pf[n][t]['f1']:.3f} [{pf[n][t]['ci95'][0]:.2f}, {pf[n][t]['ci95'][1]:.2f}]" for n in names]
        lines.append(f"| {t} (paragraph F1) | " + " | ".join(cells) + " |")
    lines.append("| macro paragraph F1 | " + " | ".join(f"{pf[n]['macro_f1']:.3f}" for n in names) + " |")
    lines.append("| span partial-credit macro-F1 | " + " | ".join(
        f"{sc[n]['macro_f1']:.3f} [{sc[n]['macro_f1_ci95'][0]:.2f}, {sc[n]['macro_f1_ci95'][1]:.2f}]"
        for n in names) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    result = run()
    if "--table" in sys.argv and "paragraph_f1" in result:
        print(markdown_table(result))
    else:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
