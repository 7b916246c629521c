"""The trained persuasion-technique detector: which paragraphs use loaded_language,
name_calling, doubt or appeal_to_fear, and the words that show it.

A paragraph (a non-blank line of the text; a very long one is cut at sentence boundaries) is
the unit the model decides on. Per technique, a logistic regression reads

- word 1-2-gram TF-IDF and char_wb 2-5-gram TF-IDF (hashed) of the paragraph;
- a few dense values: its length, how many lexicon cues of each technique the rule layer of
  `presslens.language` found in it (after `drop_neutral_uses`), whether it is the first
  paragraph (the title), and whether it has a question mark, an exclamation mark or quotation
  marks;

and, where the optional `embeddings` extra is installed, a second logistic regression reads the
paragraph's all-MiniLM-L6-v2 sentence embedding, the mean embedding of its article and the same
dense values; the two are fused on the logit scale. A paragraph is flagged when the probability
reaches the technique's threshold (chosen by inner cross-validation at training,
`presslens.language.train`). Which encoder ran is named in every row (`model`).

The rule lexicon stays the explanation: a flagged paragraph's rows are the lexicon spans of
that technique inside it; where the lexicon found none, one row spans the word n-gram (or, for
the sentence-level techniques, the sentence) that contributed most to the decision. `drivers`
lists the paragraph's strongest words for the technique either way.

The shipped model (`resources/persuasion_model.{npz,json}`, card `docs/persuasion_model.md`) is plain
arrays, no pickle: loading runs no code and does not depend on the scikit-learn version.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import json
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .. import charhash, config, nlp
from ..atomic import write_bytes
from .tables import PERSUASION, TECHNIQUES, WORD_LEVEL_TECHNIQUES

MODEL_STEM = "persuasion_model"
NEUTRAL_USES = "persuasion_neutral.tsv"
# Resources whose content the model's features depend on (hashed into the model file).
LEXICON_FILES = ("persuasion_lexicon.tsv", "persuasion_derived.tsv", "contested_terms.tsv", NEUTRAL_USES)

# The `model` column: which features decided.
ENCODER_NGRAMS = "ngrams"
ENCODER_EMBEDDINGS = "ngrams+all-MiniLM-L6-v2"
ENCODERS = (ENCODER_NGRAMS, ENCODER_EMBEDDINGS)

WORD_NGRAMS = (1, 2)
WORD_TOKEN_PATTERN = r"(?u)\b\w[\w'’-]*\b"
CHAR_NGRAMS = (2, 5)
N_CHAR_FEATURES = 2 ** 18

# A line longer than this is cut into units of about UNIT_TARGET_CHARS at sentence boundaries:
# text without line breaks must not become one unit (99 % of SemEval paragraphs are shorter).
MAX_UNIT_CHARS = 1500
UNIT_TARGET_CHARS = 600
# Words listed as a flagged paragraph's drivers.
N_DRIVERS = 5

DENSE_FEATURES = ("log_words",) + tuple(f"lexicon_{t}" for t in TECHNIQUES) + (
    "first_unit", "question_mark", "exclamation_mark", "quotation_marks")

# The columns of a row of `predict_documents` (the language PERSUASION table without article_id).
PERSUASION_ROWS = {k: v for k, v in PERSUASION.items() if k != "article_id"}


# --------------------------------------------------------------------------- units

def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the non-blank lines of `text`, stripped of surrounding whitespace."""
    out, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            out.append((start, start + len(stripped)))
        pos += len(line) + 1
    return out


def units(text: str, sentences: Sequence[tuple[int, int]] = (),
          paragraphs: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The spans the model decides on: the paragraphs (`paragraph_spans` unless given), a
    paragraph over MAX_UNIT_CHARS cut at the sentence boundaries inside it into pieces of about
    UNIT_TARGET_CHARS (left whole when no sentence offsets are given)."""
    paragraphs = paragraph_spans(text) if paragraphs is None else list(paragraphs)
    bounds = sorted({e for _, e in sentences})
    out: list[tuple[int, int]] = []
    for start, end in paragraphs:
        if end - start <= MAX_UNIT_CHARS or not bounds:
            out.append((start, end))
            continue
        piece = start
        cuts = [b for b in bounds[bisect.bisect_right(bounds, start):bisect.bisect_left(bounds, end)]]
        for b in cuts:
            if b - piece >= UNIT_TARGET_CHARS and end - b >= UNIT_TARGET_CHARS // 3:
                s, e = _strip(text, piece, b)
                if e > s:
                    out.append((s, e))
                piece = b
        s, e = _strip(text, piece, end)
        if e > s:
            out.append((s, e))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------- neutral uses

@dataclass(frozen=True)
class NeutralUse:
    technique: str
    regex: re.Pattern


@lru_cache(maxsize=1)
def neutral_uses() -> tuple[NeutralUse, ...]:
    """The descriptive collocations of `persuasion_neutral.tsv` in which a lexicon word is not
    persuasive by itself ("explosive device", "the Second World War")."""
    out = []
    with config.resource(NEUTRAL_USES).open(encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        technique, pattern = row["technique"].strip(), row["pattern"].strip()
        if technique in TECHNIQUES and pattern:
            out.append(NeutralUse(technique, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)))
    return tuple(out)


def _cue_words(cue: str) -> list[str]:
    words = []
    for part in str(cue or "").split("+"):
        part = part.strip().lower()
        if part and not part.startswith("contested:") and part != "rhetorical question":
            words.append(part)
    return words


def is_neutral_use(text: str, span: Mapping) -> bool:
    """True when every occurrence of the span's cue word(s) inside the span stands in a neutral
    collocation of its technique (span: technique, start, end, cue as the rule layer gives)."""
    technique, start, end = span["technique"], int(span["start"]), int(span["end"])
    patterns = [n.regex for n in neutral_uses() if n.technique == technique]
    if not patterns:
        return False
    # Look a little beyond the span: "explosive" is the span, "explosive device" the collocation.
    lo, hi = max(0, start - 40), min(len(text), end + 40)
    window = text[lo:hi]
    neutral = [(m.start() + lo, m.end() + lo) for p in patterns for m in p.finditer(window)]
    if not neutral:
        return False
    words = _cue_words(span.get("cue", ""))
    found = []
    for word in words:
        stem = re.escape(word[:-1] if len(word) > 4 else word)  # lemma -> inflected forms
        found += [(m.start() + start, m.end() + start)
                  for m in re.finditer(rf"(?<!\w){stem}\w*", text[start:end], re.IGNORECASE)]
    if not found:
        # the cue is not spelled out in the span (a lemma of another form): judge the span
        found = [(start, end)]
    return all(any(ns <= s and e <= ne for ns, ne in neutral) for s, e in found)


def drop_neutral_uses(text: str, spans: Iterable[Mapping]) -> list[dict]:
    """The lexicon spans that are not neutral uses (see `is_neutral_use`)."""
    return [dict(s) for s in spans if not is_neutral_use(text, s)]


# --------------------------------------------------------------------------- features

def lexicon_hash() -> str:
    digest = hashlib.sha256()
    for name in LEXICON_FILES:
        path = config.RESOURCES_DIR / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def dense_features(unit_texts: Sequence[str], lexicon_counts: np.ndarray,
                   first: Sequence[bool]) -> np.ndarray:
    """DENSE_FEATURES per unit (raw; the model standardises them)."""
    rows = np.zeros((len(unit_texts), len(DENSE_FEATURES)), dtype=np.float64)
    for i, text in enumerate(unit_texts):
        rows[i, 0] = math.log1p(len(text.split()))
        rows[i, 1:1 + len(TECHNIQUES)] = np.log1p(lexicon_counts[i])
        rows[i, 5] = float(bool(first[i]))
        rows[i, 6] = float("?" in text)
        rows[i, 7] = float("!" in text)
        rows[i, 8] = float(any(q in text for q in "\"“”«»"))
    return rows


def lexicon_counts(spans_by_unit: Sequence[Sequence[Mapping]]) -> np.ndarray:
    out = np.zeros((len(spans_by_unit), len(TECHNIQUES)), dtype=np.float64)
    index = {t: k for k, t in enumerate(TECHNIQUES)}
    for i, spans in enumerate(spans_by_unit):
        for span in spans:
            k = index.get(span["technique"])
            if k is not None:
                out[i, k] += 1
    return out


def word_vectorizer(vocabulary: Mapping[str, int]):
    """The word 1-2-gram counter over a fixed vocabulary (fitted once: scikit-learn checks a
    given vocabulary on every transform of an unfitted vectorizer)."""
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(ngram_range=WORD_NGRAMS, token_pattern=WORD_TOKEN_PATTERN,
                          lowercase=True, vocabulary=vocabulary, dtype=np.float64)
    return vec.fit([]) if vocabulary else vec


def word_counts(texts: Sequence[str], vocabulary: Mapping[str, int], vectorizer=None):
    vec = vectorizer if vectorizer is not None else word_vectorizer(vocabulary)
    return vec.transform(list(texts)).tocsr()


def char_counts(texts: Sequence[str]):
    """The char_wb HashingVectorizer's counts, each distinct word hashed once per process
    (the check-worthiness model has hashed most of them already: presslens.charhash)."""
    return charhash.char_counts(list(texts), CHAR_NGRAMS, N_CHAR_FEATURES)


def tfidf(counts, idf: np.ndarray):
    """Sublinear TF x IDF, rows L2-normalised (scikit-learn's TfidfTransformer with
    sublinear_tf=True and a given idf)."""
    counts = counts.tocsr().astype(np.float64)
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    counts.data /= np.repeat(norms, np.diff(counts.indptr))
    return counts


def embed_units(unit_texts: Sequence[str]) -> np.ndarray:
    """all-MiniLM-L6-v2 embeddings of the units (the `embeddings` extra; disk-cached)."""
    from .. import embeddings  # imported only where the extra is used

    return embeddings.text_embeddings(list(unit_texts)).astype(np.float64)


def embeddings_available() -> bool:
    from .. import embeddings

    return embeddings.embeddings_available()


def article_means(embeddings: np.ndarray, groups: Sequence[int]) -> np.ndarray:
    """Per row, the mean embedding of the rows of its group (its article)."""
    groups = np.asarray(groups, dtype=np.int64)
    if len(groups) == 0:
        return np.zeros_like(embeddings)
    sums = np.zeros((groups.max() + 1, embeddings.shape[1]))
    np.add.at(sums, groups, embeddings)
    counts = np.bincount(groups).astype(np.float64)
    return (sums / np.maximum(counts, 1)[:, None])[groups]


@dataclass
class UnitBatch:
    """Units of one or more articles and what the model needs of them."""

    texts: list[str]
    groups: np.ndarray  # article number of each unit
    first: np.ndarray  # first unit of its article
    lexicon: np.ndarray  # lexicon counts per technique (TECHNIQUES order)

    @classmethod
    def build(cls, documents: Sequence[tuple[str, Sequence[tuple[int, int]], Sequence[Mapping]]]) -> UnitBatch:
        """documents: (text, unit spans, lexicon spans) per article."""
        texts, groups, first, spans_by_unit = [], [], [], []
        for g, (text, spans, lexicon_spans) in enumerate(documents):
            for k, (start, end) in enumerate(spans):
                texts.append(text[start:end])
                groups.append(g)
                first.append(k == 0)
                spans_by_unit.append([s for s in lexicon_spans
                                      if int(s["start"]) < end and start < int(s["end"])])
        return cls(texts, np.asarray(groups, dtype=np.int64), np.asarray(first, dtype=bool),
                   lexicon_counts(spans_by_unit))

    def dense(self) -> np.ndarray:
        return dense_features(self.texts, self.lexicon, self.first)


# --------------------------------------------------------------------------- the model

def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


@dataclass
class PersuasionModel:
    """Per technique: a text head (word + char TF-IDF + dense values) and, optionally, an
    embedding head (paragraph and article embeddings + dense values), fused on the logit scale
    with weight `fusion[t]` on the embedding head. Thresholds are on the probability, one per
    encoder and technique."""

    vocabulary: list[str]
    word_idf: np.ndarray
    char_index: np.ndarray  # hashed char columns seen in training
    char_idf: np.ndarray
    char_idf_unseen: float
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    word_coef: np.ndarray  # (techniques, vocabulary)
    char_coef: np.ndarray  # (techniques, len(char_index))
    dense_coef: np.ndarray  # (techniques, dense)
    text_intercept: np.ndarray  # (techniques,)
    thresholds: dict[str, dict[str, float]]  # encoder -> technique -> probability
    emb_coef: np.ndarray | None = None  # (techniques, 2 * 384 + dense)
    emb_intercept: np.ndarray | None = None
    fusion: dict[str, float] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._vocab_index = {term: i for i, term in enumerate(self.vocabulary)}
        self._word_vectorizer = word_vectorizer(self._vocab_index)
        self._char_idf = np.full(N_CHAR_FEATURES, self.char_idf_unseen)
        self._char_idf[self.char_index] = self.char_idf
        # coefficients as (features, techniques), C-ordered: a sparse matrix times a transposed
        # view copied the 2**18-row array on every call
        self._char_coef_t = np.zeros((N_CHAR_FEATURES, len(TECHNIQUES)))
        self._char_coef_t[self.char_index, :] = self.char_coef.T
        self._word_coef_t = np.ascontiguousarray(self.word_coef.T)

    @property
    def has_embeddings(self) -> bool:
        return self.emb_coef is not None

    def encoder(self, requested: str | None = None) -> str:
        """The encoder to run: `requested` (an ENCODERS name), else the embedding variant when
        this model has one and the extra is installed, else the n-gram variant."""
        if requested is not None:
            if requested not in ENCODERS:
                raise ValueError(f"encoder must be one of {ENCODERS}, not {requested!r}")
            if requested == ENCODER_EMBEDDINGS and not self.has_embeddings:
                raise ValueError("this persuasion model has no embedding head")
            return requested
        if self.has_embeddings and embeddings_available():
            return ENCODER_EMBEDDINGS
        return ENCODER_NGRAMS

    # ---- scoring
    def _dense(self, batch: UnitBatch) -> np.ndarray:
        return (batch.dense() - self.dense_mean) / self.dense_scale

    def text_parts(self, batch: UnitBatch):
        """(word TF-IDF, char TF-IDF, standardised dense values) of the units."""
        words = tfidf(word_counts(batch.texts, self._vocab_index, self._word_vectorizer), self.word_idf)
        chars = tfidf(char_counts(batch.texts), self._char_idf)
        return words, chars, self._dense(batch)

    def text_logits(self, batch: UnitBatch, parts=None) -> np.ndarray:
        words, chars, dense = parts if parts is not None else self.text_parts(batch)
        z = (words @ self._word_coef_t) + (chars @ self._char_coef_t) + dense @ self.dense_coef.T
        return np.asarray(z) + self.text_intercept

    def embedding_logits(self, batch: UnitBatch, embeddings: np.ndarray | None = None) -> np.ndarray:
        if not self.has_embeddings:
            raise ValueError("this persuasion model has no embedding head")
        emb = embed_units(batch.texts) if embeddings is None else embeddings
        x = np.hstack([emb, article_means(emb, batch.groups), self._dense(batch)])
        return x @ self.emb_coef.T + self.emb_intercept

    def probabilities(self, batch: UnitBatch, encoder: str | None = None,
                      embeddings: np.ndarray | None = None, parts=None) -> tuple[np.ndarray, str]:
        """(units x TECHNIQUES probabilities, the encoder that ran)."""
        encoder = self.encoder(encoder)
        if not batch.texts:
            return np.zeros((0, len(TECHNIQUES))), encoder
        z = self.text_logits(batch, parts)
        if encoder == ENCODER_EMBEDDINGS:
            w = np.array([self.fusion.get(t, 0.5) for t in TECHNIQUES])
            z = (1 - w) * z + w * self.embedding_logits(batch, embeddings)
        return _sigmoid(z), encoder

    def drivers(self, words, k: int, technique: int, n: int = N_DRIVERS) -> list[str]:
        """The unit's word n-grams with the largest positive contribution to the technique,
        leaving out n-grams of stop words only ("he said", "this is"): they weigh in the
        decision but explain nothing to a reader."""
        row = words.getrow(k)
        contrib = row.data * self.word_coef[technique, row.indices]
        order = np.argsort(-contrib, kind="stable")
        out = []
        for j in order:
            if contrib[j] <= 0 or len(out) == n:
                break
            term = self.vocabulary[row.indices[j]]
            if not _stop_words().issuperset(term.split()):
                out.append(term)
        return out

    # ---- documents
    def predict_documents(self, documents: Sequence[Mapping], encoder: str | None = None,
                          neutral_uses_dropped: bool = False) -> list[list[dict]]:
        """Persuasion rows (PERSUASION_ROWS) per document. Each document is
        a mapping with `text`, `lexicon_spans` (technique, start, end, cue from the rule
        layer), and optionally `sentences` ((index, start, end) in text order) and `paragraphs`
        ((start, end)); see `predict_document`. `neutral_uses_dropped`: the lexicon spans have
        been through `drop_neutral_uses` already."""
        prepared = []
        for doc in documents:
            text = str(doc.get("text") or "")
            sentences = [(int(i), int(s), int(e)) for i, s, e in doc.get("sentences") or ()]
            spans = units(text, [(s, e) for _, s, e in sentences], doc.get("paragraphs"))
            lexicon_spans = [dict(x) for x in doc.get("lexicon_spans") or ()]
            if not neutral_uses_dropped:
                lexicon_spans = drop_neutral_uses(text, lexicon_spans)
            prepared.append((text, spans, lexicon_spans, sentences))
        batch = UnitBatch.build([(t, s, lx) for t, s, lx, _ in prepared])
        parts = self.text_parts(batch) if batch.texts else None
        proba, encoder = self.probabilities(batch, encoder, parts=parts)
        thresholds = self.thresholds[encoder]
        out: list[list[dict]] = []
        k = 0
        for text, spans, lexicon_spans, sentences in prepared:
            rows: list[dict] = []
            for start, end in spans:
                for j, technique in enumerate(TECHNIQUES):
                    score = float(proba[k, j])
                    if score >= thresholds[technique]:
                        drivers = self.drivers(parts[0], k, j)
                        rows += _evidence_rows(text, start, end, technique, score, drivers,
                                               lexicon_spans, sentences, encoder)
                k += 1
            rows.sort(key=lambda r: (r["start"], r["end"], r["technique"]))
            out.append(rows)
        return out

    def predict_document(self, text: str, lexicon_spans: Sequence[Mapping],
                         sentences: Sequence[tuple[int, int, int]] = (),
                         paragraphs: Sequence[tuple[int, int]] | None = None,
                         encoder: str | None = None, neutral_uses_dropped: bool = False) -> list[dict]:
        """Persuasion rows of one article (see `predict_documents`)."""
        return self.predict_documents([{"text": text, "lexicon_spans": lexicon_spans,
                                        "sentences": sentences, "paragraphs": paragraphs}],
                                      encoder, neutral_uses_dropped)[0]

    # ---- persistence
    def save(self, stem_path: Path | str) -> Path:
        """Write `<stem>.npz` (arrays) and `<stem>.json` (vocabulary, thresholds, metadata),
        each atomically."""
        import io

        stem = Path(stem_path)
        arrays = {"word_idf": self.word_idf.astype(np.float32),
                  "char_index": self.char_index.astype(np.int32),
                  "char_idf": self.char_idf.astype(np.float32),
                  "dense_mean": self.dense_mean, "dense_scale": self.dense_scale,
                  "word_coef": self.word_coef.astype(np.float32),
                  "char_coef": self.char_coef.astype(np.float32),
                  "dense_coef": self.dense_coef, "text_intercept": self.text_intercept}
        if self.has_embeddings:
            arrays.update(emb_coef=self.emb_coef.astype(np.float32), emb_intercept=self.emb_intercept)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        write_bytes(stem.with_suffix(".npz"), buffer.getvalue())
        meta = dict(self.meta, techniques=list(TECHNIQUES), dense_features=list(DENSE_FEATURES),
                    word_ngrams=list(WORD_NGRAMS), word_token_pattern=WORD_TOKEN_PATTERN,
                    char_ngrams=list(CHAR_NGRAMS), n_char_features=N_CHAR_FEATURES,
                    char_idf_unseen=self.char_idf_unseen, thresholds=self.thresholds,
                    fusion=self.fusion, lexicon_hash=lexicon_hash())
        meta["vocabulary"] = list(self.vocabulary)
        write_bytes(stem.with_suffix(".json"),
                    (json.dumps(meta, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
        return stem

    @classmethod
    def load(cls, stem_path: Path | str) -> PersuasionModel:
        stem = Path(stem_path)
        meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        expected = {"techniques": list(TECHNIQUES), "dense_features": list(DENSE_FEATURES),
                    "word_ngrams": list(WORD_NGRAMS), "word_token_pattern": WORD_TOKEN_PATTERN,
                    "char_ngrams": list(CHAR_NGRAMS), "n_char_features": N_CHAR_FEATURES}
        if any(meta.get(k) != v for k, v in expected.items()):
            raise ValueError(f"{stem}: the model's features differ from this code; retrain with "
                             "scripts/train_persuasion.py")
        if meta.get("lexicon_hash") != lexicon_hash():
            warnings.warn("the persuasion lexicons changed since the persuasion model was trained; "
                          "its lexicon features differ, retrain with scripts/train_persuasion.py",
                          stacklevel=2)
        with np.load(stem.with_suffix(".npz")) as arrays:
            a = {k: arrays[k] for k in arrays.files}
        vocabulary = meta.pop("vocabulary")
        return cls(vocabulary=vocabulary, word_idf=a["word_idf"].astype(np.float64),
                   char_index=a["char_index"].astype(np.int64), char_idf=a["char_idf"].astype(np.float64),
                   char_idf_unseen=float(meta["char_idf_unseen"]),
                   dense_mean=a["dense_mean"], dense_scale=a["dense_scale"],
                   word_coef=a["word_coef"].astype(np.float64), char_coef=a["char_coef"].astype(np.float64),
                   dense_coef=a["dense_coef"], text_intercept=a["text_intercept"],
                   thresholds=meta["thresholds"],
                   emb_coef=a["emb_coef"].astype(np.float64) if "emb_coef" in a else None,
                   emb_intercept=a.get("emb_intercept"), fusion=meta.get("fusion", {}), meta=meta)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "’s", "'s"}


def _evidence_rows(text: str, start: int, end: int, technique: str, score: float,
                   drivers: list[str], lexicon_spans: Sequence[Mapping],
                   sentences: Sequence[tuple[int, int, int]], encoder: str) -> list[dict]:
    """The rows of one flagged unit: its lexicon spans of the technique, else one span on the
    strongest driver (word-level techniques) or its sentence (sentence-level ones), else the
    unit."""
    common = {"technique": technique, "score": round(score, 6), "paragraph_start": start,
              "paragraph_end": end, "drivers": "; ".join(drivers), "model": encoder}
    rows = []
    for span in lexicon_spans:
        s, e = int(span["start"]), int(span["end"])
        if span["technique"] == technique and start <= s and e <= end + 1:
            s, e = max(s, start), min(e, end)
            rows.append({**common, "start": s, "end": e, "cue": str(span.get("cue", "")),
                         "evidence": "lexicon"})
    if not rows:
        s, e = start, end
        located = _locate(text, start, end, drivers[0]) if drivers else None
        if located is not None:
            s, e = located
            if technique not in WORD_LEVEL_TECHNIQUES:
                s, e = _enclosing_sentence(sentences, s, e, start, end)
        rows.append({**common, "start": s, "end": e, "cue": drivers[0] if drivers else "",
                     "evidence": "model"})
    for row in rows:
        row["text"] = text[row["start"]:row["end"]]
        row["sentence_index"] = _sentence_index(sentences, row["start"])
    return rows


def _locate(text: str, start: int, end: int, ngram: str) -> tuple[int, int] | None:
    words = [re.escape(w) for w in ngram.split()]
    if not words:
        return None
    m = re.search(r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)", text[start:end], re.IGNORECASE)
    return (start + m.start(), start + m.end()) if m else None


def _enclosing_sentence(sentences: Sequence[tuple[int, int, int]], s: int, e: int,
                        lo: int, hi: int) -> tuple[int, int]:
    for _, ss, se in sentences:
        if ss <= s < se:
            return max(ss, lo), min(max(se, e), hi)
    return lo, hi


def _sentence_index(sentences: Sequence[tuple[int, int, int]], char: int):
    for index, ss, se in sentences:
        if ss <= char < se:
            return index
    return None


def detect_in_doc(text: str, doc=None, lexicon_spans: Sequence[Mapping] = (),
                  sentences: Sequence[tuple[int, int, int]] | None = None,
                  paragraphs: Sequence[tuple[int, int]] | None = None, *,
                  model: PersuasionModel | None = None, encoder: str | None = None,
                  neutral_uses_dropped: bool = False) -> list[dict]:
    """The per-document step for `presslens.language`: persuasion rows (PERSUASION_ROWS) of one article from its text, the rule layer's lexicon spans
    (technique, start, end, cue) and its sentences ((index, start, end); read from the spaCy
    `doc` when not given). `model` defaults to the shipped one, `encoder` to the embedding
    variant where the extra is installed (`PersuasionModel.encoder`)."""
    if sentences is None:
        sentences = []
        if doc is not None:
            sentences = [(i, s.start_char, s.end_char) for i, s in nlp.iter_sentences(doc)]
    model = model or load_persuasion_model()
    return model.predict_document(text, lexicon_spans, sentences, paragraphs, encoder, neutral_uses_dropped)


@lru_cache(maxsize=1)
def load_persuasion_model() -> PersuasionModel:
    """The model shipped in resources/ (persuasion_model.npz + .json), trained on the
    non-held-out SemEval-2023 Task 3 English articles only (see docs/persuasion_model.md)."""
    config.resource(MODEL_STEM + ".npz")
    return PersuasionModel.load(config.RESOURCES_DIR / MODEL_STEM)
