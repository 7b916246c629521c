"""Claim frequency: what is asserted, how often, by whom, and with which figures.

A claim is a check-worthy sentence of an article's `text` (a learned ClaimBuster model,
adjusted for war reporting by general, data-driven features), with its attribution (the
source whose reported content covers it, from `presslens.sourcing`), its hedges and its
quantities normalised ("over 80%" -> op ">" 80 %). Claims that say the same thing in other
words, within and across articles, are clustered, and `claim_frequency` tells how often each
assertion recurs, in how many outlets, from which sources, and which figures travel with it.

Rules are data: resources/claims_*.{tsv,txt} (cues, hedges, quantity lexicon, domain
weights, synonyms) and the model files claims_checkworthy_model.{npz,json}
(retrain with scripts/train_checkworthy.py; see claims_checkworthy_model.md).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from . import components, config, nlp, schema
from .regexscan import alternation

CHECKWORTHY_THRESHOLD = 0.5
MODEL_STEM = "claims_checkworthy_model"
N_HASH_FEATURES = 2**18
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
WORD_TOKEN_PATTERN = r"(?u)\b\w+\b|%|\$"

# Hand features of the check-worthiness model, in the model's column order. The cue
# categories come from claims_cues.tsv; the model records that file's hash so that a change
# to the cues without retraining is noticed.
HAND_FEATURES = (
    "has_digit", "has_percent", "has_year", "has_magnitude", "is_question", "opinion",
    "prediction", "first_person", "capitalised_words", "length", "reporting",
)

# Extra columns of the claims table beyond schema.CLAIMS.
CLAIM_EXTRAS = {
    "hedge_cues": "object",        # list[dict]: text, start, end
    "attribution_type": "string",  # source_type of the attribution
    "outlet": "string",
    "published": "datetime64[ns, UTC]",
    "model_score": "float64",      # the ClaimBuster model alone, before the domain adjustment
    "core_terms": "string",        # normalised content lemmas used by clustering
    "core_places": "string",       # canonical place names in the claim, '|'-joined
}


# =========================================================================== resources

def _read_tsv(name: str) -> list[dict]:
    with config.resource(name).open(encoding="utf-8") as fh:
        lines = (ln for ln in fh if ln.strip() and not ln.startswith("#"))
        return [{k: (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(lines, delimiter="\t")]


def _resource_hash(*names: str) -> str:
    h = hashlib.sha256()
    for name in names:
        h.update(config.resource(name).read_bytes())
    return h.hexdigest()[:16]


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern:
    """One case-insensitive alternation, longest phrase first, on word boundaries."""
    alts = sorted({p.lower() for p in phrases if p}, key=lambda p: (-len(p), p))
    body = alternation(alts, ignore_case=True, space=r"\s+")
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _cues() -> dict[str, re.Pattern]:
    by_category: dict[str, list[str]] = defaultdict(list)
    for row in _read_tsv("claims_cues.tsv"):
        by_category[row["category"]].append(row["cue"])
    return {cat: _phrase_regex(cues) for cat, cues in sorted(by_category.items())}


@lru_cache(maxsize=1)
def _hedge_regex() -> re.Pattern:
    with config.resource("claims_hedges.txt").open(encoding="utf-8") as fh:
        cues = [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]
    return _phrase_regex(cues)


@lru_cache(maxsize=1)
def _domain_weights() -> dict[str, float]:
    return {row["feature"]: float(row["weight"]) for row in _read_tsv("claims_domain_weights.tsv")}


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    return {row["term"].lower(): row["canonical"].lower() for row in _read_tsv("claims_synonyms.tsv")}


@lru_cache(maxsize=1)
def _place_canon() -> dict[str, str]:
    """Every spelling of a place (lowercased) -> its Ukrainian-style name, lowercased."""
    out: dict[str, str] = {}
    for row in _read_tsv("place_spellings.tsv"):
        canon = row.get("ukrainian_style", "").lower()
        if not canon:
            continue
        for col in ("russian_style", "ukrainian_style", "variants"):
            for name in (row.get(col) or "").split("|"):
                if name.strip():
                    out[name.strip().lower()] = canon
    return out


# =========================================================================== quantities

@dataclass(frozen=True)
class _QuantityLexicon:
    regex: re.Pattern
    modifiers: dict[str, str]
    vague: dict[str, dict]
    numbers: dict[str, float]
    multipliers: dict[str, float]
    units: dict[str, tuple[str, str]]


_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATE_BEFORE = re.compile(rf"(?:{_MONTHS})\.?\s+$", re.IGNORECASE)
_DATE_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_UNIT_STOP = frozenset(
    "of the a an and or in on at to from for by with as than that which who per is are was were "
    "be been has have had will would could may might this these those it its their".split())


def _norm_phrase(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


@lru_cache(maxsize=1)
def _quantity_lexicon() -> _QuantityLexicon:
    rows = _read_tsv("claims_quantities.tsv")
    modifiers = {_norm_phrase(r["phrase"]): r["op"] for r in rows if r["type"] == "modifier"}
    vague = {_norm_phrase(r["phrase"]): r for r in rows if r["type"] in ("vague", "fraction")}
    numbers = {_norm_phrase(r["phrase"]): float(r["value"]) for r in rows if r["type"] == "number"}
    multipliers = {_norm_phrase(r["phrase"]): float(r["value"]) for r in rows if r["type"] == "multiplier"}
    units = {_norm_phrase(r["phrase"]): (r["unit"], r["kind"]) for r in rows if r["type"] == "unit"}

    def alt(phrases: Iterable[str]) -> str:
        ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
        return alternation(ordered, ignore_case=True, space=r"\s+")

    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    pattern = (
        rf"(?<![\w.,-])(?:(?P<mod>{alt(modifiers)})\s+)?"
        rf"(?:(?P<vague>{alt(vague)})"
        rf"|(?P<cur>[$€£])?(?P<num>{digits}|{alt(numbers)})"
        rf"(?:\s*(?P<mult>{alt(multipliers)}))?"
        rf"(?:\s*(?P<unit>%|{alt(u for u in units if u != '%')}))?)"
        r"(?![\w])"
    )
    return _QuantityLexicon(re.compile(pattern, re.IGNORECASE), modifiers, vague, numbers,
                            multipliers, units)


def extract_quantities(text: str, offset: int = 0) -> list[dict]:
    """Quantities in `text`, normalised: dicts {text, start, end, op, value, unit, kind}.

    Offsets are `offset` + index in `text` (pass a sentence's start_char to get article
    offsets). Dates ("November 20", "20 November") and bare years are not quantities."""
    if not text:
        return []
    return [dict(q, start=q["start"] + offset, end=q["end"] + offset) for q in _quantities_in(text)]


@lru_cache(maxsize=4096)
def _quantities_in(text: str) -> tuple[dict, ...]:
    """extract_quantities at offset 0, cached: a claim's sentence is read for the
    check-worthiness features and again for the claims table. Callers copy the dicts."""
    lex = _quantity_lexicon()
    out: list[dict] = []
    offset = 0
    for m in lex.regex.finditer(text):
        mod = _norm_phrase(m.group("mod") or "")
        op = lex.modifiers.get(mod, "=") if mod else None
        start, end = m.start(), m.end()
        if m.group("vague"):
            entry = lex.vague[_norm_phrase(m.group("vague"))]
            value = float(entry["value"])
            unit, kind = entry["unit"] or None, entry["kind"]
            # "dozens of civilians": the counted noun is the unit when it is given
            if kind == "vague_count":
                unit = _counted_noun(text, end) or unit
            op = op or entry["op"] or "="
            if mod and entry["op"] in (">", ">=") and op in ("~", "="):
                op = entry["op"]
            out.append(_quantity(text, start, end, offset, op, value, unit, kind))
            continue
        raw = _norm_phrase(m.group("num"))
        is_word = raw in lex.numbers
        value = lex.numbers[raw] if is_word else float(raw.replace(",", ""))
        mult = _norm_phrase(m.group("mult") or "")
        if mult:
            value *= lex.multipliers[mult]
        unit_raw = _norm_phrase(m.group("unit") or "")
        unit, kind = lex.units.get(unit_raw, (None, None)) if unit_raw else (None, None)
        if m.group("cur"):
            unit, kind = {"$": "USD", "€": "EUR", "£": "GBP"}[m.group("cur")], "money"
        if not is_word and not mod and not unit_raw and not mult and not m.group("cur"):
            # dates and years are not quantities
            if _DATE_BEFORE.search(text[max(0, start - 12):start]) or _DATE_AFTER.match(text[end:end + 14]):
                continue
            if re.fullmatch(r"(1[89]|20)\d\d", raw):
                continue
        if kind is None:
            kind = "count"
            unit = _counted_noun(text, end)
        out.append(_quantity(text, start, end, offset, op or "=", value, unit, kind))
    return tuple(out)


_WORDS_AFTER = re.compile(r"\s*(?:of\s+(?:the\s+|these\s+|those\s+)?)?([A-Za-z][A-Za-z-]*)(?:\s+([A-Za-z][A-Za-z-]*))?")


_ADJECTIVE_ENDING = re.compile(r"(?:ed|ing|al|ive|ous|ic|ful|less|ary|ern|ian)$")


def _counted_noun(text: str, end: int) -> str | None:
    """What a number counts: "1,200 people", "dozens of civilians", "several populated areas"
    -> people, civilians, areas. The first word after the number (or after "of"), or the
    second when the first looks like a modifier (capitalised, or an adjective's ending)."""
    m = _WORDS_AFTER.match(text, end)
    if not m:
        return None
    first, second = m.group(1), m.group(2)
    if first.lower() in _UNIT_STOP:
        return None
    second_ok = bool(second) and second.islower() and second.lower() not in _UNIT_STOP
    if second_ok and (first[0].isupper() or _ADJECTIVE_ENDING.search(first.lower())):
        return second.lower()
    if first[0].isupper():
        return None
    return first.lower()


def _quantity(text, start, end, offset, op, value, unit, kind) -> dict:
    return {"text": text[start:end], "start": offset + start, "end": offset + end, "op": op,
            "value": None if value is None else round(float(value), 3), "unit": unit, "kind": kind}


# =========================================================================== hedges

def find_hedges(text: str, offset: int = 0) -> list[dict]:
    """Hedging cues in `text` (claims_hedges.txt) as dicts {text, start, end}."""
    if not text:
        return []
    return [{"text": m.group(0), "start": offset + m.start(), "end": offset + m.end()}
            for m in _hedge_regex().finditer(text)]


# =========================================================================== check-worthiness

@lru_cache(maxsize=16384)
def _cue_in(category: str, text: str) -> bool:
    """Whether a claims_cues.tsv category occurs in a sentence, cached: the model's hand
    features and the war-reporting features ask about the same sentences."""
    return _cues()[category].search(text) is not None


def hand_features(texts: Sequence[str]) -> np.ndarray:
    """Cheap text features of the check-worthiness model (HAND_FEATURES order), in [0, 1]."""
    rows = np.zeros((len(texts), len(HAND_FEATURES)), dtype=np.float64)
    for i, text in enumerate(texts):
        text = text or ""
        lower = text.lower()
        n_words = len(text.split())
        rows[i] = (
            bool(re.search(r"\d", text)),
            bool(re.search(r"%|\bper\s?cent\b", lower)),
            bool(re.search(r"\b(1[89]|20)\d\d\b", text)),
            bool(re.search(r"\b(?:million|billion|thousand|hundreds?|dozens?|majority|half)\b", lower)),
            text.rstrip().rstrip("\"'”’)").endswith("?"),
            _cue_in("opinion", text),
            _cue_in("prediction", text),
            _cue_in("first_person", text),
            min(len(re.findall(r"(?<=\s)[A-Z][a-z]+", text)), 5) / 5,
            min(n_words, 60) / 60,
            _cue_in("reporting", text),
        )
    return rows


@dataclass
class CheckWorthinessModel:
    """An ensemble of two logistic regressions, stored as plain arrays (no pickle):

    - the TF-IDF model: hashed word 1-2-grams and char 2-5-grams (sublinear TF x IDF, L2 per
      block) + hand features; stored are the weights of the features seen in training, their
      IDF, and the IDF of unseen features;
    - the NB model (Wang & Manning 2012): binary word 1-2-grams scaled by their naive-Bayes
      log-count ratio r + hand features; stored is r x weight per seen feature.

    The probability is the mean of the two models' probabilities, shifted on the logit scale
    by `threshold_logit` (0 unless training chose a cut by inner cross-validation, which then
    sits at CHECKWORTHY_THRESHOLD, 0.5)."""

    word_index: np.ndarray
    word_idf: np.ndarray
    word_coef: np.ndarray
    word_idf_unseen: float
    char_index: np.ndarray
    char_idf: np.ndarray
    char_coef: np.ndarray
    char_idf_unseen: float
    hand_coef: np.ndarray
    intercept: float
    nb_index: np.ndarray
    nb_weight: np.ndarray
    nb_hand_coef: np.ndarray
    nb_intercept: float
    threshold_logit: float
    meta: dict

    def __post_init__(self) -> None:
        # dense lookup tables over the hash space (a few MB): scoring is then array indexing
        def dense(index, values, fill=0.0):
            full = np.full(N_HASH_FEATURES, fill, dtype=np.float64)
            full[np.asarray(index, dtype=np.int64)] = values
            return full

        self._word_idf = dense(self.word_index, self.word_idf, self.word_idf_unseen)
        self._word_coef = dense(self.word_index, self.word_coef)
        self._char_idf = dense(self.char_index, self.char_idf, self.char_idf_unseen)
        self._char_coef = dense(self.char_index, self.char_coef)
        self._nb_weight = dense(self.nb_index, self.nb_weight)

    @staticmethod
    def vectorizers():
        from sklearn.feature_extraction.text import HashingVectorizer

        word = HashingVectorizer(analyzer="word", ngram_range=WORD_NGRAMS, n_features=N_HASH_FEATURES,
                                 token_pattern=WORD_TOKEN_PATTERN, alternate_sign=False, norm=None)
        char = HashingVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, n_features=N_HASH_FEATURES,
                                 alternate_sign=False, norm=None)
        return word, char

    @staticmethod
    def _tfidf_dot(counts, idf: np.ndarray, coef: np.ndarray) -> np.ndarray:
        """Per row: <L2-normalised sublinear TF x IDF, coef>, without building the matrix."""
        counts = counts.tocsr()
        weights = (1.0 + np.log(counts.data.astype(np.float64))) * idf[counts.indices]
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        dot = np.bincount(rows, weights * coef[counts.indices], minlength=counts.shape[0])
        norm = np.sqrt(np.bincount(rows, weights * weights, minlength=counts.shape[0]))
        return np.divide(dot, norm, out=np.zeros_like(dot), where=norm > 0)

    def decision_parts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Logits of the TF-IDF model and of the NB model."""
        word_vec, _ = self.vectorizers()
        texts = [t or "" for t in texts]
        cw = word_vec.transform(texts).tocsr()
        cc = _char_counts(texts)
        hand = hand_features(texts)
        z_tfidf = (self._tfidf_dot(cw, self._word_idf, self._word_coef)
                   + self._tfidf_dot(cc, self._char_idf, self._char_coef)
                   + hand @ self.hand_coef + self.intercept)
        rows = np.repeat(np.arange(cw.shape[0]), np.diff(cw.indptr))
        z_nb = (np.bincount(rows, self._nb_weight[cw.indices], minlength=cw.shape[0])
                + hand @ self.nb_hand_coef + self.nb_intercept)
        return z_tfidf, z_nb

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """Logit of the ensemble probability, shifted so that 0 is the decision point."""
        if len(texts) == 0:
            return np.zeros(0)
        z_tfidf, z_nb = self.decision_parts(texts)
        return _ensemble_logit(z_tfidf, z_nb) - self.threshold_logit

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(texts)))

    # ---- persistence
    def save(self, stem_path) -> None:
        from pathlib import Path

        stem = Path(stem_path)
        np.savez_compressed(
            stem.with_suffix(".npz"),
            word_index=self.word_index.astype(np.int32), word_idf=self.word_idf.astype(np.float32),
            word_coef=self.word_coef.astype(np.float32),
            char_index=self.char_index.astype(np.int32), char_idf=self.char_idf.astype(np.float32),
            char_coef=self.char_coef.astype(np.float32), hand_coef=self.hand_coef.astype(np.float64),
            nb_index=self.nb_index.astype(np.int32), nb_weight=self.nb_weight.astype(np.float32),
            nb_hand_coef=self.nb_hand_coef.astype(np.float64))
        meta = dict(self.meta, intercept=float(self.intercept), word_idf_unseen=float(self.word_idf_unseen),
                    char_idf_unseen=float(self.char_idf_unseen), nb_intercept=float(self.nb_intercept),
                    threshold_logit=float(self.threshold_logit), hand_features=list(HAND_FEATURES),
                    n_hash_features=N_HASH_FEATURES, word_ngrams=list(WORD_NGRAMS),
                    char_ngrams=list(CHAR_NGRAMS), cues_hash=_resource_hash("claims_cues.tsv"))
        stem.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, stem_path) -> CheckWorthinessModel:
        from pathlib import Path

        stem = Path(stem_path)
        meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        arrays = np.load(stem.with_suffix(".npz"))
        if (meta.get("hand_features") != list(HAND_FEATURES) or meta.get("n_hash_features") != N_HASH_FEATURES
                or "nb_weight" not in arrays.files):
            raise ValueError(f"{stem}: model features differ from this code; retrain with scripts/train_checkworthy.py")
        if meta.get("cues_hash") != _resource_hash("claims_cues.tsv"):
            warnings.warn("claims_cues.tsv changed since the check-worthiness model was trained; "
                          "retrain with scripts/train_checkworthy.py", stacklevel=2)
        return cls(
            word_index=arrays["word_index"].astype(np.int64), word_idf=arrays["word_idf"].astype(np.float64),
            word_coef=arrays["word_coef"].astype(np.float64), word_idf_unseen=meta["word_idf_unseen"],
            char_index=arrays["char_index"].astype(np.int64), char_idf=arrays["char_idf"].astype(np.float64),
            char_coef=arrays["char_coef"].astype(np.float64), char_idf_unseen=meta["char_idf_unseen"],
            hand_coef=arrays["hand_coef"].astype(np.float64), intercept=meta["intercept"],
            nb_index=arrays["nb_index"].astype(np.int64), nb_weight=arrays["nb_weight"].astype(np.float64),
            nb_hand_coef=arrays["nb_hand_coef"].astype(np.float64), nb_intercept=meta["nb_intercept"],
            threshold_logit=meta["threshold_logit"], meta=meta)


def _char_counts(texts: list[str]):
    """The char_wb HashingVectorizer's counts for `texts`, built as (text x word) @ (word x
    feature): char_wb n-grams never cross a word boundary, so a text's counts are the sum of
    its words' counts, and each distinct word is hashed once (a corpus repeats most of its
    words). Equal to `CheckWorthinessModel.vectorizers()[1].transform(texts)`
    (tests/test_claims.py)."""
    from scipy.sparse import csr_matrix

    _, char_vec = CheckWorthinessModel.vectorizers()
    vocabulary: dict[str, int] = {}
    columns: list[int] = []
    indptr = [0]
    for text in texts:
        # the vectorizer lower-cases, then char_wb splits on whitespace
        columns.extend(vocabulary.setdefault(word, len(vocabulary)) for word in text.lower().split())
        indptr.append(len(columns))
    per_word = char_vec.transform(list(vocabulary)) if vocabulary else \
        csr_matrix((0, N_HASH_FEATURES), dtype=np.float64)
    text_words = csr_matrix((np.ones(len(columns)), columns, indptr), shape=(len(texts), len(vocabulary)))
    out = (text_words @ per_word).tocsr()
    out.sum_duplicates()
    out.sort_indices()
    return out


def _ensemble_logit(z_a: np.ndarray, z_b: np.ndarray) -> np.ndarray:
    """logit of the mean of two probabilities given as logits, stable for large |z|."""
    p = 0.5 / (1.0 + np.exp(-z_a)) + 0.5 / (1.0 + np.exp(-z_b))
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p) - np.log1p(-p)


def _fit_checkworthiness(texts: list[str], labels: np.ndarray, C: float, nb_C: float, seed: int,
                         nb_alpha: float = 1.0) -> CheckWorthinessModel:
    """Both logistic regressions of the ensemble, fitted on `texts`, threshold_logit 0."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    word_vec, char_vec = CheckWorthinessModel.vectorizers()
    cw, cc = word_vec.transform(texts).tocsr(), char_vec.transform(texts)
    hand = hand_features(texts)
    tw, tc = TfidfTransformer(sublinear_tf=True), TfidfTransformer(sublinear_tf=True)
    x = hstack([tw.fit_transform(cw), tc.fit_transform(cc), hand]).tocsr()
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced", random_state=seed)
    clf.fit(x, labels)
    coef = clf.coef_.ravel()
    # NB log-count ratio on binary word n-grams (Wang & Manning 2012), smoothed by nb_alpha
    binary = csr_matrix((np.ones_like(cw.data, dtype=np.float64), cw.indices, cw.indptr), shape=cw.shape)
    pos = nb_alpha + np.asarray(binary[labels == 1].sum(axis=0)).ravel()
    neg = nb_alpha + np.asarray(binary[labels == 0].sum(axis=0)).ravel()
    ratio = np.log(pos / pos.sum()) - np.log(neg / neg.sum())
    nb_clf = LogisticRegression(C=nb_C, max_iter=5000, class_weight="balanced", random_state=seed)
    nb_clf.fit(hstack([binary.multiply(ratio).tocsr(), hand]).tocsr(), labels)
    nb_coef = nb_clf.coef_.ravel()
    n = len(texts)
    unseen_idf = math.log((1 + n) / 1) + 1.0  # smooth_idf formula with document frequency 0
    w_idx, c_idx = np.unique(cw.indices), np.unique(cc.indices)
    return CheckWorthinessModel(
        word_index=w_idx, word_idf=tw.idf_[w_idx], word_coef=coef[:N_HASH_FEATURES][w_idx],
        word_idf_unseen=unseen_idf,
        char_index=c_idx, char_idf=tc.idf_[c_idx], char_coef=coef[N_HASH_FEATURES:2 * N_HASH_FEATURES][c_idx],
        char_idf_unseen=unseen_idf,
        hand_coef=coef[2 * N_HASH_FEATURES:], intercept=float(clf.intercept_[0]),
        nb_index=w_idx, nb_weight=ratio[w_idx] * nb_coef[:N_HASH_FEATURES][w_idx],
        nb_hand_coef=nb_coef[N_HASH_FEATURES:], nb_intercept=float(nb_clf.intercept_[0]),
        threshold_logit=0.0,
        meta={"n_train": n, "C": C, "nb_C": nb_C, "nb_alpha": nb_alpha, "seed": seed,
              "positives": int(labels.sum())})


def f1_optimal_threshold(labels: np.ndarray, scores: np.ndarray,
                         grid: np.ndarray | None = None) -> float:
    """The cut on `scores` (from `grid`, default 0.30..0.70 by 0.01) with the best F1 of the
    positive class; ties go to the cut nearest 0.5."""
    grid = np.round(np.arange(0.30, 0.7001, 0.01), 2) if grid is None else grid
    labels = np.asarray(labels, dtype=bool)
    best, best_key = 0.5, (-1.0, 0.0)
    for t in grid:
        pred = scores >= t
        tp, fp, fn = (pred & labels).sum(), (pred & ~labels).sum(), (~pred & labels).sum()
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        key = (round(float(f1), 6), -abs(float(t) - 0.5))
        if key > best_key:
            best, best_key = float(t), key
    return best


def train_checkworthiness_model(texts: Sequence[str], labels: Sequence[int], C: float = 3.0,
                                nb_C: float = 0.1, seed: int = 0,
                                inner_folds: int = 0) -> CheckWorthinessModel:
    """Fit the ensemble on labelled sentences (1 = check-worthy). Class-balanced weights put
    each model's decision point near 0.5. With `inner_folds` >= 2, cross-validation on these
    same sentences picks the F1-optimal cut of the ensemble, which `threshold_logit` moves to
    0.5; off by default: on ClaimBuster it chose cuts of 0.44-0.47 and lowered 5-fold F1 on
    the training part (0.778 against 0.780 at the plain 0.5), see claims_checkworthy_model.md."""
    from sklearn.model_selection import StratifiedKFold

    texts = [t or "" for t in texts]
    y = np.asarray(labels, dtype=int)
    model = _fit_checkworthiness(texts, y, C, nb_C, seed)
    cut = 0.5
    if inner_folds and inner_folds > 1:
        oof = np.zeros(len(texts))
        splitter = StratifiedKFold(inner_folds, shuffle=True, random_state=seed)
        for tr, te in splitter.split(np.zeros(len(y)), y):
            inner = _fit_checkworthiness([texts[i] for i in tr], y[tr], C, nb_C, seed)
            oof[te] = 1.0 / (1.0 + np.exp(-inner.decision([texts[i] for i in te])))
        cut = f1_optimal_threshold(y, oof)
    model.threshold_logit = math.log(cut / (1.0 - cut))
    model.meta.update({"inner_folds": inner_folds, "inner_cv_cut": cut})
    return model


@lru_cache(maxsize=1)
def load_checkworthiness_model() -> CheckWorthinessModel:
    """The model shipped in resources/ (claims_checkworthy_model.npz + .json)."""
    config.resource(MODEL_STEM + ".npz")
    return CheckWorthinessModel.load(config.RESOURCES_DIR / MODEL_STEM)


@lru_cache(maxsize=1)
def _place_regex() -> re.Pattern:
    return _phrase_regex(_place_canon())


def domain_features(text: str, span=None) -> dict[str, float]:
    """War-reporting features of one sentence (0/1): from the text, and from the Doc span's
    entities and verbs when given. Names match claims_domain_weights.tsv."""
    text = text or ""
    feats = {
        "quantity": float(bool(_quantities_in(text))),
        "control_verb": float(_cue_in("control_verb", text)),
        "casualty": float(_cue_in("casualty", text)),
        "military_action": float(_cue_in("military_action", text)),
        "reporting": float(_cue_in("reporting", text)),
        "opinion": float(_cue_in("opinion", text)),
        "prediction": float(_cue_in("prediction", text)),
        "first_person": float(_cue_in("first_person", text)),
        "question": float(text.rstrip().rstrip("\"'”’)").endswith("?")),
        "date": 0.0, "named_place": 0.0, "named_actor": 0.0, "past_or_present_event": 0.0,
    }
    if span is not None:
        for ent in nlp.span_ents(span):
            if ent.label_ in ("DATE", "TIME") and re.search(r"\d|day|week|month", ent.text, re.IGNORECASE):
                feats["date"] = 1.0
            elif ent.label_ in ("GPE", "LOC", "FAC"):
                feats["named_place"] = 1.0
            elif ent.label_ in ("PERSON", "ORG", "NORP"):
                feats["named_actor"] = 1.0
        root = span.root
        # a finite verb in past or present, not conditional: an event that happened or holds
        if root.pos_ in ("VERB", "AUX") and root.tag_ in ("VBD", "VBZ", "VBP", "VBN") and not any(
                c.tag_ == "MD" for c in root.children):
            feats["past_or_present_event"] = 1.0
    else:
        if re.search(rf"\b(?:{_MONTHS})\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b(?:1[89]|20)\d\d\b",
                     text, re.IGNORECASE):
            feats["date"] = 1.0
        if _place_regex().search(text):
            feats["named_place"] = 1.0
    return feats


def domain_adjustment(text: str, span=None) -> float:
    """Log-odds added to the model's logit for war reporting (claims_domain_weights.tsv)."""
    weights = _domain_weights()
    return float(sum(weights.get(k, 0.0) * v for k, v in domain_features(text, span).items()))


def _sentence_texts(sentences) -> tuple[list[str], pd.Index | None]:
    if isinstance(sentences, pd.DataFrame):
        if "text" not in sentences.columns:
            raise ValueError("a sentences DataFrame needs a `text` column")
        return sentences["text"].fillna("").astype(str).tolist(), sentences.index
    if isinstance(sentences, pd.Series):
        return sentences.fillna("").astype(str).tolist(), sentences.index
    if isinstance(sentences, str):
        return [sentences], None
    return ["" if s is None or (isinstance(s, float) and math.isnan(s)) else str(s) for s in sentences], None


def check_worthiness(sentences, spans: Sequence | None = None, domain: bool = True) -> pd.Series:
    """Scores in [0, 1] that each sentence is a check-worthy factual claim (>= 0.5: yes).

    `sentences`: a Series or list of strings, or a sentences DataFrame with `text`.
    `spans`: optional spaCy sentence Spans aligned with `sentences` (entities and tense add
    to the domain features; nothing is parsed here). `domain=False` gives the ClaimBuster
    model alone."""
    texts, index = _sentence_texts(sentences)
    if not texts:
        return pd.Series([], dtype="float64", index=index, name="check_worthiness")
    model, adjusted = _checkworthy_scores(texts, spans if domain else None, domain=domain)
    return pd.Series(adjusted if domain else model, index=index, name="check_worthiness", dtype="float64")


def _checkworthy_scores(texts: list[str], spans: Sequence | None, domain: bool = True,
                        logits: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(model-only scores, domain-adjusted scores) of sentence texts, rounded to 6 places: the
    model's features are hashed once for both (or not at all when its `logits` are given)."""
    z = load_checkworthiness_model().decision(texts) if logits is None else logits
    z_adjusted = z
    if domain:
        spans = list(spans) if spans is not None else [None] * len(texts)
        z_adjusted = z + np.array([domain_adjustment(t, s) for t, s in zip(texts, spans)])
    # empty strings carry no claim whatever the intercept says
    nonempty = np.array([bool(t.strip()) for t in texts])

    def probability(logit: np.ndarray) -> np.ndarray:
        return np.round(np.where(nonempty, 1.0 / (1.0 + np.exp(-logit)), 0.0), 6)

    return probability(z), probability(z_adjusted)


# =========================================================================== claim extraction

_STOP_POS = {"PUNCT", "SPACE", "SYM", "DET", "ADP", "CCONJ", "SCONJ", "PART", "PRON", "AUX", "INTJ"}
# appositions, relative clauses and parentheticals describe or attribute; they are not what
# is asserted ("Volchansk, a strategic city located ...", "it says")
_DROP_DEPS = {"appos", "relcl", "parataxis"}
_TIME_ENTS = {"DATE", "TIME"}


@lru_cache(maxsize=1)
def _reporting_lemmas() -> frozenset[str]:
    return frozenset(row["cue"].lower() for row in _read_tsv("claims_cues.tsv")
                     if row["category"] == "reporting_lemma")


def _core_tokens(sent, exclude: list[tuple[int, int]]) -> list[int]:
    """The indices of the tokens that carry the assertion of a sentence, for clustering:
    without the source and cue spans of its attribution, the reporting verb and its subject
    ("X claims that"), "according to X", appositions, relative clauses, parentheticals and
    dates (the same claim is dated differently by every outlet)."""
    reporting = _reporting_lemmas()
    attrs = nlp.token_attrs(sent.doc)
    tree = nlp.tree(sent.doc)
    dep, head, children = attrs.dep, attrs.head, tree.children
    drop: set[int] = set()
    span = range(sent.start, sent.end)
    for i in span:
        if i in drop:
            continue
        if dep[i] in _DROP_DEPS and head[i] != i:
            drop.update(tree.subtree(i))
        elif attrs.lower[i] == "according" and dep[i] == "prep":
            drop.update(tree.subtree(i))
        elif attrs.lemma[i] in reporting and any(dep[c] == "ccomp" for c in children[i]):
            drop.add(i)
            for c in children[i]:
                if dep[c] in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "npadvmod"):
                    drop.update(tree.subtree(c))
        if attrs.ent_type[i] in _TIME_ENTS:
            drop.add(i)
    idx = attrs.idx
    kept = [i for i in span if i not in drop and not any(s <= idx[i] < e for s, e in exclude)]
    # a core stripped to almost nothing is worse than the whole sentence
    return kept if sum(attrs.is_alpha[i] for i in kept) >= 3 else list(span)


def core_terms_of(sent, exclude: list[tuple[int, int]], quantities: Sequence[Mapping]) -> list[str]:
    """Clustering terms of a sentence Span: its core tokens normalised, each quantity span
    replaced by one <qty> so that differing figures do not keep claims apart."""
    spans = [(int(q["start"]), int(q["end"])) for q in quantities]
    attrs = nlp.token_attrs(sent.doc)
    text = nlp.doc_text(sent.doc)
    triples: list[tuple[str, str, bool]] = []
    in_quantity: set[int] = set()
    for i in _core_tokens(sent, exclude):
        idx = attrs.idx[i]
        hit = next((k for k, (s, e) in enumerate(spans) if s <= idx < e), None)
        if hit is not None:
            if hit not in in_quantity:
                in_quantity.add(hit)
                triples.append(("<qty>", "NUM", True))
            continue
        triples.append((attrs.lemma_exact[i] or text[idx:idx + attrs.length[i]], attrs.pos[i], attrs.like_num[i]))
    return normalise_terms(triples)


@lru_cache(maxsize=1)
def _quantity_words() -> frozenset[str]:
    """Words of the quantity lexicon's vague quantifiers, fractions and number words."""
    lex = _quantity_lexicon()
    words = {w for phrase in list(lex.vague) + list(lex.numbers) for w in re.split(r"[\s-]+", phrase)
             if w not in ("the", "a", "an", "of")}
    return frozenset(words | {"percent", "%", "per", "cent"})


def normalise_terms(words: Iterable[tuple[str, str, bool]]) -> list[str]:
    """(lemma, pos, like_num) triples -> clustering terms: places in one spelling, synonyms
    folded, numbers and vague quantities masked so figures never block a match."""
    places, synonyms, vague = _place_canon(), _synonyms(), _quantity_words()
    out = []
    for lemma, pos, like_num in words:
        low = lemma.lower().strip()
        if not low or pos in _STOP_POS:
            continue
        if like_num or re.fullmatch(r"[\d.,%]+", low) or low in vague:
            out.append("<qty>")
            continue
        if low in places:
            out.append(places[low])
            continue
        if len(low) < 2 or not re.search(r"\w", low):
            continue
        out.append(synonyms.get(low, low))
    return out


@lru_cache(maxsize=1)
def _attribution_clause_regex() -> re.Pattern:
    """Attribution clauses at the edges of a sentence ("..., the ministry said on Monday.",
    "According to X, ...", "X claimed that ..."), from the reporting cues of claims_cues.tsv."""
    verbs = sorted({row["cue"] for row in _read_tsv("claims_cues.tsv")
                    if row["category"] == "reporting" and " " not in row["cue"]}, key=len, reverse=True)
    verb = "|".join(map(re.escape, verbs))
    return re.compile(
        rf"(?:^according to [^,]{{1,80}},\s*"
        rf"|,\s*according to [^,.;]{{1,80}}(?=[.;]?\s*$)"
        rf"|,\s*(?:[^,.;]{{1,60}}\s)?(?:{verb})\b[^,.;]{{0,40}}(?=[.;]?\s*$)"
        rf"|^[^,.;]{{1,60}}\s(?:{verb})\s+(?:that\s+)?)",
        re.IGNORECASE)


def _fallback_terms(text: str) -> list[str]:
    """Terms for claims that come without a Doc: the sentence without its attribution
    clause, regex tokens, a crude plural strip."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    text = _attribution_clause_regex().sub(" ", (text or "").strip())
    triples = []
    for tok in re.findall(r"\d[\d.,]*%?|%|[^\W\d_][\w'’-]*", text):
        low = tok.lower()
        if low in ENGLISH_STOP_WORDS:
            continue
        if low not in _place_canon() and len(low) > 4 and low.endswith("s") and not low.endswith("ss"):
            low = low[:-1]
        triples.append((low, "X", bool(re.match(r"\d", tok))))
    return normalise_terms(triples)


def _places_in(terms: Iterable[str]) -> list[str]:
    canon = set(_place_canon().values())
    return sorted({t for t in terms if t in canon})


def _attribution_for(span_start: int, span_end: int, sentence_index: int,
                     attributions: Sequence[Mapping]) -> Mapping | None:
    """The attribution whose content covers the claim most; else one in the same sentence
    (whose content is not elsewhere)."""
    best, best_overlap = None, 0
    same_sentence = []
    for att in attributions:
        cs, ce = att.get("content_start"), att.get("content_end")
        if cs is not None and ce is not None and not pd.isna(cs) and not pd.isna(ce):
            overlap = min(int(ce), span_end) - max(int(cs), span_start)
            if overlap > best_overlap:
                best, best_overlap = att, overlap
        elif att.get("sentence_index") is not None and not pd.isna(att.get("sentence_index")) \
                and int(att["sentence_index"]) == sentence_index:
            same_sentence.append(att)
    if best is not None:
        return best
    return same_sentence[0] if same_sentence else None


_DATELINE = re.compile(
    r"^[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:, [A-Z][\w.' -]{1,30})*,?\s*"
    r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}\s*)?(?:\([^)]{1,40}\))?\s*[-–—]+\s+")
_LEADING_JUNK = re.compile(r"\s*(?:[\"“”'’]\s*\n\s*)?")


def _claim_inputs(doc) -> tuple[list, list[int], list[str]]:
    """(sentences, leading junk length, claim text) of a Doc's sentences: a closing quote left
    over from the previous paragraph is not part of the sentence."""
    sentences = nlp.sentences(doc)
    sentence_texts = [nlp.span_text(s) for _, s in sentences]
    leads = [_LEADING_JUNK.match(t).end() for t in sentence_texts]
    return sentences, leads, [t[lead:].rstrip() for t, lead in zip(sentence_texts, leads)]


def _logits_of(doc) -> np.ndarray:
    return load_checkworthiness_model().decision(nlp.memoized(doc, "claims.inputs", _claim_inputs)[2])


def prepare_docs(docs: Iterable) -> None:
    """Run the check-worthiness model once over the sentences of several Docs (the streaming
    `analyze` passes each parse batch): the vectorizers' per-call cost and the hashing of
    words the articles share are paid once. `from_doc` then reads the Docs' logits; without
    this it computes them itself (the result is the same: the model scores rows alone)."""
    docs = [d for d in docs if d is not None and "claims.logits" not in nlp.doc_memo(d)]
    inputs = [nlp.memoized(d, "claims.inputs", _claim_inputs)[2] for d in docs]
    texts = [t for doc_texts in inputs for t in doc_texts]
    logits = load_checkworthiness_model().decision(texts) if texts else np.zeros(0)
    k = 0
    for doc, doc_texts in zip(docs, inputs):
        nlp.doc_memo(doc)["claims.logits"] = logits[k:k + len(doc_texts)]
        k += len(doc_texts)


def from_doc(ctx: components.DocContext) -> dict[str, list[dict]]:
    """Claims of one parsed article: {"claims": [rows]} for its check-worthy sentences
    (score >= the setting `min_score`), attributed through the article's attribution rows."""
    doc, article_id = ctx.doc, ctx.article_id
    if doc is None or not ctx.text.strip():
        return {"claims": []}
    min_score = ctx.settings["min_score"]
    attributions = [a for a in ctx.rows("attributions")
                    if str(a.get("article_id", article_id)) == str(article_id)]
    article = ctx.article
    sentences, leads, texts = nlp.memoized(doc, "claims.inputs", _claim_inputs)
    if not sentences:
        return {"claims": []}
    model_scores, adjusted = _checkworthy_scores(texts, [s for _, s in sentences],
                                                 logits=nlp.memoized(doc, "claims.logits", _logits_of))
    outlet = article.get("outlet")
    published = article.get("published")
    rows = []
    for (index, sent), lead, text, model_score, score in zip(sentences, leads, texts, model_scores, adjusted):
        if score < min_score or not text:
            continue
        start = sent.start_char + lead
        end = start + len(text)
        att = _attribution_for(start, end, index, attributions)
        exclude = []
        if att is not None:
            for prefix in ("source_", "cue_"):
                s, e = att.get(prefix + "start"), att.get(prefix + "end")
                if not schema.is_missing(s) and not schema.is_missing(e):
                    exclude.append((int(s), int(e)))
        dateline = _DATELINE.match(text)
        if dateline:  # "KYIV, May 6 (Wire) - ": where the copy was filed, not what it claims
            exclude.append((start, start + dateline.end()))
        quantities = extract_quantities(text, start)
        terms = core_terms_of(sent, exclude, quantities)
        source = None if att is None or schema.is_missing(att.get("source_canonical")) else att.get("source_canonical")
        if att is not None and source is None and not schema.is_missing(att.get("source_text")):
            source = att.get("source_text")
        hedges = find_hedges(text, start)
        rows.append({
            "article_id": str(article_id),
            "claim_id": f"{article_id}:{start}-{end}",
            "sentence_index": index,
            "start": start,
            "end": end,
            "text": text,
            "check_worthiness": float(score),
            "attributed_to": source,
            "hedged": bool(hedges),
            "quantities": quantities,
            "hedge_cues": hedges,
            "attribution_type": None if att is None or schema.is_missing(att.get("source_type")) else att.get("source_type"),
            "outlet": None if schema.is_missing(outlet) else outlet,
            "published": None if schema.is_missing(published) else published,
            "model_score": float(model_score),
            "core_terms": " ".join(terms),
            "core_places": "|".join(_places_in(terms)),
        })
    return {"claims": rows}



components.register("claims", assigns={"claims": {**schema.CLAIMS, **CLAIM_EXTRAS}},
                    requires=("attributions",), from_doc=from_doc, prepare=prepare_docs,
                    defaults={"min_score": CHECKWORTHY_THRESHOLD})


def extract_claims(articles: pd.DataFrame, attributions: pd.DataFrame | None = None,
                   docs: Mapping[str, object] | None = None,
                   min_score: float = CHECKWORTHY_THRESHOLD) -> pd.DataFrame:
    """One row per check-worthy claim of each article (schema.CLAIMS + CLAIM_EXTRAS).

    `attributions`: the table of presslens.sourcing.extract_attributions; when None it is
    computed. `docs`: article_id -> Doc; when None the articles are parsed through the disk
    cache."""
    columns = {**schema.CLAIMS, **CLAIM_EXTRAS}
    if articles is None or len(articles) == 0:
        return schema.conform(None, columns)
    return components.run(articles.reset_index(drop=True), ["claims"], docs=docs,
                          given={"attributions": attributions},
                          settings={"claims": {"min_score": min_score}})["claims"]


# =========================================================================== clustering

CLUSTER_THRESHOLD = 0.2
LINK_THRESHOLD = 0.15
MAX_COMPONENT = 2000
WORD_WEIGHT = 0.6
PLACE_WEIGHT = 1.5
MAX_BLOCK_KEYS = 3


def _upweight(x, vocabulary: dict[str, int], terms: set[str], factor: float):
    """Scale the columns of `terms` by `factor` and re-normalise the rows: a shared place says
    more about two claims being the same than a shared common word."""
    from sklearn.preprocessing import normalize

    cols = [vocabulary[t] for t in terms if t in vocabulary]
    if factor == 1.0 or not cols:
        return x
    scale = np.ones(x.shape[1])
    scale[cols] = factor
    return normalize(x.multiply(scale).tocsr())


def _claim_terms(claims: pd.DataFrame) -> list[str]:
    if "core_terms" in claims.columns:
        stored = claims["core_terms"].astype(object).tolist()
    else:
        stored = [None] * len(claims)
    texts = claims["text"].astype(object).tolist()
    return [s if isinstance(s, str) and s.strip() else " ".join(_fallback_terms(t if isinstance(t, str) else ""))
            for s, t in zip(stored, texts)]


def _blocks(term_lists: list[list[str]], max_block: int) -> list[np.ndarray]:
    """Blocking: each item joins the blocks of its MAX_BLOCK_KEYS rarest terms (seen at least
    twice). Blocks larger than `max_block` become overlapping windows over their items sorted
    by term string, which keeps near-identical copies next to each other."""
    df: dict[str, int] = defaultdict(int)
    for terms in term_lists:
        for t in set(terms):
            if t != "<qty>":
                df[t] += 1
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, terms in enumerate(term_lists):
        keys = sorted({t for t in terms if t != "<qty>" and df[t] >= 2}, key=lambda t: (df[t], t))
        for key in keys[:MAX_BLOCK_KEYS]:
            blocks[key].append(i)
    sort_key = [" ".join(sorted(t)) for t in term_lists]
    out: list[np.ndarray] = []
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) < 2:
            continue
        if len(members) <= max_block:
            out.append(np.array(members))
            continue
        members = sorted(members, key=lambda i: (sort_key[i], i))
        step = max(1, max_block // 2)
        for j in range(0, len(members) - step, step):
            out.append(np.array(members[j:j + max_block]))
    return out


def _similar_pairs(term_lists: list[list[str]], xw, xc, max_block: int,
                   min_sim: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, similarity) with a < b for the candidate pairs at or above `min_sim`, computed
    block by block as small dense products (memory bounded by max_block squared)."""
    n = len(term_lists)
    codes: list[np.ndarray] = []
    values: list[np.ndarray] = []

    def compare(batch: list[np.ndarray]) -> None:
        # Most blocks are a handful of claims: one product over the union of several blocks
        # costs what one block's did, and each block reads its own square out of it.
        union = np.unique(np.concatenate(batch))
        union_sim = WORD_WEIGHT * (xw[union] @ xw[union].T).toarray() \
            + (1 - WORD_WEIGHT) * (xc[union] @ xc[union].T).toarray()
        for idx in batch:
            at = np.searchsorted(union, idx)
            sim = union_sim[np.ix_(at, at)]
            x, y = np.nonzero(np.triu(sim >= min_sim, k=1))
            if len(x) == 0:
                continue
            a, b = idx[x], idx[y]
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            codes.append(lo.astype(np.int64) * n + hi)
            values.append(sim[x, y])

    batch: list[np.ndarray] = []
    batch_size = 0
    for idx in _blocks(term_lists, max_block):
        if batch and batch_size + len(idx) > max_block:
            compare(batch)
            batch, batch_size = [], 0
        batch.append(idx)
        batch_size += len(idx)
    if batch:
        compare(batch)
    if not codes:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    code = np.concatenate(codes)
    value = np.concatenate(values)
    code, first = np.unique(code, return_index=True)
    return code // n, code % n, value[first]


def _average_link(sim: np.ndarray, threshold: float) -> np.ndarray:
    """Average-linkage agglomeration of one candidate component: labels 0..k-1. Unlike single
    link, a chain of pairwise-similar claims does not pull two different claims together."""
    n = sim.shape[0]
    if n <= 2:
        return np.zeros(n, dtype=np.int64) if n < 2 or sim[0, 1] >= threshold else np.arange(n)
    from scipy.cluster.hierarchy import linkage

    distance = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    # What scikit-learn's AgglomerativeClustering(linkage="average", metric="precomputed",
    # distance_threshold=1 - threshold) computes, without its per-call validation (a
    # component is often three claims, and that overhead was most of the clustering time):
    # scipy's average-linkage tree of the same condensed distances, then the merges below
    # the threshold applied in order (tests/test_claims.py compares the two).
    upper = np.triu_indices(n, k=1)
    tree = linkage(distance[upper], method="average")
    n_merges = n - 1 - int(np.count_nonzero(tree[:, 2] >= 1.0 - threshold))
    members: dict[int, list[int]] = {k: [k] for k in range(n)}
    for step in range(n_merges):
        members[n + step] = members.pop(int(tree[step, 0])) + members.pop(int(tree[step, 1]))
    labels = np.empty(n, dtype=np.int64)
    for label, items in enumerate(members.values()):
        labels[items] = label
    return labels


def _disjoint_places(place_sets: list[set[str]]) -> np.ndarray:
    """Boolean matrix: both claims name places and share none."""
    vocab = {p: k for k, p in enumerate(sorted(set().union(*place_sets)))} if place_sets else {}
    m = np.zeros((len(place_sets), max(1, len(vocab))), dtype=np.int32)
    for row, ps in enumerate(place_sets):
        for p in ps:
            m[row, vocab[p]] = 1
    has = m.any(axis=1)
    return np.outer(has, has) & ((m @ m.T) == 0)


def _components(nodes: np.ndarray, a: np.ndarray, b: np.ndarray, n_items: int) -> list[np.ndarray]:
    """Connected components of `nodes` under the edges (a, b), ordered by smallest member."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n_items, n_items))
    _, component = connected_components(graph, directed=False)
    comp_of_nodes = component[nodes]
    order = np.lexsort((nodes, comp_of_nodes))
    nodes_sorted, comps_sorted = nodes[order], comp_of_nodes[order]
    cuts = np.flatnonzero(np.diff(comps_sorted)) + 1
    groups = np.split(nodes_sorted, cuts)
    return sorted(groups, key=lambda g: int(g.min()))


def _cluster_components(nodes, a, b, sims, link: float, threshold: float, xw, xc, places,
                        max_component: int) -> np.ndarray:
    """Labels (an item index per item) for `nodes`: components of the pairs at >= `link`,
    each clustered by average linkage at `threshold`. A component too large for a dense
    matrix is split again at a higher link threshold, so that one loose chain of wire copies
    and paraphrases never becomes one cluster."""
    labels = np.arange(xw.shape[0])  # every item of the corpus; only `nodes` are set here
    node_set = np.zeros(len(labels), dtype=bool)
    node_set[nodes] = True
    inside = node_set[a] & node_set[b] & (sims >= link)
    a, b, sims = a[inside], b[inside], sims[inside]
    dense: list[np.ndarray] = []  # components small enough for a dense similarity matrix
    for members in _components(nodes, a, b, len(labels)):
        if len(members) == 1:
            continue
        if len(members) > max_component and link < 0.95:
            sub = _cluster_components(members, a, b, sims, min(0.95, link + 0.1), threshold,
                                      xw, xc, places, max_component)
            labels[members] = sub[members]
            continue
        if len(members) > max_component:
            labels[members] = members.min()
            continue
        dense.append(members)
    for members, sim in _similarity_blocks(dense, xw, xc, 400):
        sim[_disjoint_places([places[i] for i in members])] = 0.0
        sub = _average_link(sim, threshold)
        for lab in np.unique(sub):
            group = members[sub == lab]
            labels[group] = group.min()
    return labels


def _similarity_blocks(groups: list[np.ndarray], xw, xc, max_rows: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(group, its dense similarity matrix) for each group of item indices, computing one
    product over the union of several small groups of at most `max_rows` rows together (a
    group reads its square out of it; each entry is the same dot product either way)."""
    batch: list[np.ndarray] = []
    size = 0

    def flush() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        union = np.unique(np.concatenate(batch))
        union_sim = WORD_WEIGHT * (xw[union] @ xw[union].T).toarray() \
            + (1 - WORD_WEIGHT) * (xc[union] @ xc[union].T).toarray()
        for members in batch:
            at = np.searchsorted(union, members)
            yield members, union_sim[np.ix_(at, at)]

    for members in groups:
        if batch and size + len(members) > max_rows:
            yield from flush()
            batch, size = [], 0
        batch.append(members)
        size += len(members)
    if batch:
        yield from flush()


def cluster_claims(claims: pd.DataFrame, threshold: float = CLUSTER_THRESHOLD,
                   link_threshold: float = LINK_THRESHOLD, max_block: int = 400,
                   max_component: int = MAX_COMPONENT) -> pd.DataFrame:
    """Add `cluster_id`: claims that make the same assertion in other words, within and
    across articles.

    Similarity = WORD_WEIGHT x cosine of TF-IDF over the claims' core terms (lemmas, places
    in one spelling, synonyms folded, figures masked as <qty>) + the rest x cosine of
    character 3-5-grams of the same terms. Identical term strings (wire copies) are merged
    before any comparison; candidate pairs come from blocks of shared rare terms, so the work
    grows with the corpus, not with its square. Pairs at or above `link_threshold` form
    candidate components (never linking two claims that name disjoint places); each component
    is then clustered by average linkage at `threshold`; a component larger than
    `max_component` is first split at a higher link threshold. The id is a hash of the
    sorted member claim_ids: the same input gives the same ids."""
    columns = {**schema.CLAIMS, **CLAIM_EXTRAS}
    if claims is None or len(claims) == 0:
        out = schema.conform(claims if claims is not None else None, columns)
        out["cluster_id"] = pd.Series(dtype="string")
        return out
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = claims.reset_index(drop=True).copy()
    terms = _claim_terms(out)
    # wire copies: identical term strings are one item
    unique_terms: dict[str, int] = {}
    item_of = np.empty(len(out), dtype=np.int64)
    for i, t in enumerate(terms):
        item_of[i] = unique_terms.setdefault(t, len(unique_terms))
    items = list(unique_terms)
    labels = np.arange(len(items))
    if len(items) > 1:
        term_lists = [t.split() for t in items]
        places = [set(_places_in(tl)) for tl in term_lists]
        analyzable = [t if t.strip() else "<empty>" for t in items]
        word_vec = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True)
        xw = _upweight(word_vec.fit_transform(analyzable).tocsr(), word_vec.vocabulary_,
                       set(_place_canon().values()), PLACE_WEIGHT)
        xc = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(analyzable).tocsr()
        a, b, sims = _similar_pairs(term_lists, xw, xc, max_block, link_threshold)
        # the place rule: claims that name disjoint places are never linked
        keep = np.array([not (places[i] and places[j] and not places[i] & places[j])
                         for i, j in zip(a, b)], dtype=bool)
        a, b, sims = a[keep], b[keep], sims[keep]
        labels = _cluster_components(np.arange(len(items)), a, b, sims, link_threshold, threshold,
                                     xw, xc, places, max_component)
    claim_ids = out["claim_id"].astype(str).to_numpy()
    groups: dict[int, list[str]] = defaultdict(list)
    row_label = labels[item_of]
    for lab, cid in zip(row_label, claim_ids):
        groups[int(lab)].append(cid)
    ids = {lab: "cl-" + hashlib.sha1("\n".join(sorted(m)).encode("utf-8")).hexdigest()[:12]
           for lab, m in groups.items()}
    out["cluster_id"] = pd.array([ids[int(lab)] for lab in row_label], dtype="string")
    return out


# =========================================================================== frequency

def _article_meta(claims: pd.DataFrame, articles: pd.DataFrame | None) -> pd.DataFrame:
    """claims with outlet and published taken from the articles table where it has them."""
    out = claims.copy()
    if articles is not None and len(articles) and "article_id" in articles.columns:
        meta = articles[[c for c in ("article_id", "outlet", "published") if c in articles.columns]].copy()
        meta["article_id"] = meta["article_id"].astype(str)
        meta = meta.drop_duplicates("article_id").set_index("article_id")
        ids = out["article_id"].astype(str)
        for col in ("outlet", "published"):
            if col in meta.columns:
                mapped = ids.map(meta[col])
                out[col] = mapped if col not in out.columns else mapped.where(mapped.notna(), out[col])
    for col in ("outlet", "published"):
        if col not in out.columns:
            out[col] = pd.NA
    out["published"] = pd.to_datetime(out["published"], utc=True, errors="coerce")
    return out


FREQUENCY_COLUMNS = {
    "cluster_id": "string",
    "representative": "string",
    "n_claims": "Int64",
    "n_articles": "Int64",
    "n_outlets": "Int64",
    "first_seen": "datetime64[ns, UTC]",
    "last_seen": "datetime64[ns, UTC]",
    "sources": "object",
    "figures": "object",
    "article_ids": "object",
    "unattributed_share": "float64",
}


def claim_frequency(claims: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per cluster of claims: how often the assertion recurs and who makes it.

    `representative` is the earliest claim (published, then article_id, then offset);
    `sources` the distinct attributed sources; `figures` the distinct quantity texts of the
    members, side by side ("the majority", "over 80%"). Sorted by n_articles, descending."""
    if claims is None or len(claims) == 0:
        return schema.conform(None, FREQUENCY_COLUMNS)
    if "cluster_id" not in claims.columns:
        claims = cluster_claims(claims)
    df = _article_meta(claims, articles)
    df = df.sort_values(["published", "article_id", "start"], na_position="last", kind="stable")
    # Plain column lists grouped by cluster in one pass: a pandas group per cluster costs
    # more than everything computed on it.
    cluster_ids = df["cluster_id"].tolist()
    texts, article_ids = df["text"].tolist(), df["article_id"].astype(str).tolist()
    attributed, outlets_col = df["attributed_to"].tolist(), df["outlet"].tolist()
    published = df["published"].tolist()
    quantities = df["quantities"].tolist() if "quantities" in df.columns else [None] * len(df)
    members_of: dict[str, list[int]] = {}
    for i, cluster_id in enumerate(cluster_ids):
        if not schema.is_missing(cluster_id):
            members_of.setdefault(cluster_id, []).append(i)
    rows = []
    for cluster_id in sorted(members_of):
        members = members_of[cluster_id]
        sources = sorted({str(attributed[i]) for i in members if not schema.is_missing(attributed[i])})
        figures: list[str] = []
        for i in members:
            qs = quantities[i]
            for q in (qs if isinstance(qs, (list, tuple, np.ndarray)) else []):
                text = q.get("text") if isinstance(q, Mapping) else None
                if text and text.lower() not in {f.lower() for f in figures}:
                    figures.append(text)
        outlets = {str(outlets_col[i]) for i in members if not schema.is_missing(outlets_col[i])}
        dates = [published[i] for i in members if not pd.isna(published[i])]
        ids = sorted({article_ids[i] for i in members})
        rows.append({
            "cluster_id": cluster_id,
            "representative": texts[members[0]],
            "n_claims": len(members),
            "n_articles": len(ids),
            "n_outlets": len(outlets),
            "first_seen": min(dates) if dates else pd.NaT,
            "last_seen": max(dates) if dates else pd.NaT,
            "sources": sources,
            "figures": figures,
            "article_ids": ids,
            "unattributed_share": sum(schema.is_missing(attributed[i]) for i in members) / len(members),
        })
    out = pd.DataFrame(rows).sort_values(["n_articles", "n_claims", "cluster_id"],
                                         ascending=[False, False, True], kind="stable")
    return schema.conform(out, FREQUENCY_COLUMNS)


def claim_timeline(claims: pd.DataFrame, articles: pd.DataFrame | None = None, freq: str = "D") -> pd.DataFrame:
    """Long format: cluster_id, period (start of the `freq` period, UTC), n_claims, n_articles.
    Claims without a publication date are left out (with a warning)."""
    columns = {"cluster_id": "string", "period": "datetime64[ns, UTC]", "n_claims": "Int64", "n_articles": "Int64"}
    if claims is None or len(claims) == 0:
        return schema.conform(None, columns)
    if "cluster_id" not in claims.columns:
        claims = cluster_claims(claims)
    df = _article_meta(claims, articles)
    undated = df["published"].isna()
    if undated.any():
        warnings.warn(f"{int(undated.sum())} claims have no publication date and are not in the timeline",
                      stacklevel=2)
        df = df[~undated]
    if df.empty:
        return schema.conform(None, columns)
    df = df.assign(period=df["published"].dt.tz_convert("UTC").dt.tz_localize(None)
                   .dt.to_period(freq).dt.start_time.dt.tz_localize("UTC"))
    out = (df.groupby(["cluster_id", "period"], sort=True)
           .agg(n_claims=("claim_id", "size"), n_articles=("article_id", "nunique")).reset_index())
    return schema.conform(out, columns)


def unattributed_share(claims: pd.DataFrame, articles: pd.DataFrame | None = None, by: str = "outlet") -> pd.DataFrame:
    """Share of claims with no attributed source, per `by` (outlet, article_id, or any column
    of the claims or articles): columns <by>, n_claims, n_unattributed, unattributed_share."""
    columns = {by: "string", "n_claims": "Int64", "n_unattributed": "Int64", "unattributed_share": "float64"}
    if claims is None or len(claims) == 0:
        return schema.conform(None, columns)
    df = _article_meta(claims, articles)
    if by not in df.columns and articles is not None and by in articles.columns:
        df[by] = df["article_id"].astype(str).map(articles.set_index(articles["article_id"].astype(str))[by])
    if by not in df.columns:
        raise ValueError(f"unattributed_share: no column {by!r} in the claims or articles")
    key = df[by].astype("string").fillna("(unknown)")
    unattributed = df["attributed_to"].isna()
    out = (pd.DataFrame({by: key, "u": unattributed}).groupby(by, sort=True)
           .agg(n_claims=("u", "size"), n_unattributed=("u", "sum")).reset_index())
    out["unattributed_share"] = out["n_unattributed"] / out["n_claims"]
    return schema.conform(out, columns)


def _finalize(ctx: components.CorpusContext) -> dict[str, pd.DataFrame]:
    """Clusters the corpus's claims (adding `cluster_id` to the claims table) and summarises
    each cluster."""
    clustered = cluster_claims(ctx.table("claims"))
    return {"claims": clustered, "claim_clusters": claim_frequency(clustered, ctx.articles)}


components.register("claim_clusters", assigns={"claim_clusters": FREQUENCY_COLUMNS},
                    requires=("claims", "articles"), finalize=_finalize)
