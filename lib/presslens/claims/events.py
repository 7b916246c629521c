"""Repeated claims that are really repeats: claims clustered by the event they report.

Word overlap alone (presslens.claims.cluster.cluster_words) groups "drones struck Odesa" on Monday with
"drones struck Odesa" on Friday, and two statements of one spokesman. Here two claims link
only on evidence that they report one event (presslens.claims.signatures reads it
from the claims table), strongest first:

- agreeing figures: counts of one thing within 1.5x (100,000 vs 127,000 troops) under one class
  of happening (deployment, strike, casualties, legal, ...: resources/claim_events_predicates.tsv);
- a shared date (February 2022, 24 February);
- a shared specific name (a person, place, organisation or other proper noun, not one of the
  names every war story carries: resources/claim_events_generic.txt) and something done in
  common (a class of happening or another content term);
- RARE_SHARED rare content terms;
- or nothing but the wording;

each with its own similarity threshold (LinkRule), raised when the happenings are of different
families or one claim names none, and when each claim names someone the other does not (the
sources they are attributed to left out). Nothing links across a conflict: different years or
days, disjoint places of the war's gazetteer, or the sides' roles swapped ("Russian drones hit
Ukrainian plants" vs "Ukrainian drones hit a Russian refinery").

Undated claims of different articles, or claims published more than TIME_WINDOW days apart,
need LEXICAL_RULE's evidence: a shared name, date or figure alone never links them. Within one
article or one news cycle, claims
link under the looser CYCLE_RULE, and the pairs that the word-overlap clustering puts together
stay together unless evidence speaks against one event (the fallback that keeps running stories,
such as the sample corpus, grouped as before). The similarity is TF-IDF over the claims' core
terms (words and character n-grams, as cluster_words computes it); when the optional
`embeddings` extra is installed, a pair may also link on the cosine of all-MiniLM-L6-v2
sentence embeddings under EMBEDDING_RULE (paraphrases that share few words), and the
`cluster_method` column says which ran.

Figures never keep claims apart: variants of one figure stay side by side in one cluster.
Near-identical text in different articles is linked and reported as *syndication*
(`repeat_kind`), apart from independent repetition; site boilerplate is cut from claims, and a
claim that is nothing but boilerplate never joins a group. Candidate pairs come from blocks of
shared names, dates, figure magnitudes, rare terms and word-overlap clusters (each block
capped), compared block by block in small dense products, so the work grows with the corpus,
not its square; linked pairs form components, each cut by average linkage so that a chain of
links does not make one cluster of different events.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import charhash
from ..embeddings import embeddings_available, text_embeddings
from . import signatures
from .cluster import cluster_members, cluster_words

SYNDICATION = 0.90          # character 5-gram similarity of the whole texts: a copy of one text
CLUSTER_LINK = 0.15         # average linkage: mean link strength inside a cluster
FIGURE_STRENGTH = 0.5       # strength of a link by agreeing figures, whatever the wording
EMBEDDING_SCALE = 0.5       # embedding cosines run higher than TF-IDF ones for the same pair
WORD_WEIGHT = 0.6           # word vs character n-gram TF-IDF in the lexical similarity
PLACE_WEIGHT = 1.5          # a shared place counts more than a shared common word
MAX_BLOCK = 200             # claims compared together in one block
RARE_KEYS = 3               # rarest terms per claim used as blocking keys
MAX_COMPONENT = 400         # larger linked components first lose their weakest links
MIN_WORDING_TERMS = 2       # content terms a claim needs for its wording alone to link it
TIME_WINDOW = 30.0          # days: claims published closer than this may link on the fallback
FALLBACK_WORDING = 0.6      # similarity at which the fallback keeps a pair whatever it shares

REPEAT_KINDS = ("single", "syndication", "independent", "boilerplate")
BY_FIGURES, BY_DATE, BY_NAMES, BY_TERMS, BY_WORDING = 0, 1, 2, 3, 4
RARE_SHARE = 0.02           # a term in at most this share of the claims (and at least 2) is rare
RARE_SHARED = 2             # rare terms two claims must share for BY_TERMS


@dataclass(frozen=True)
class LinkRule:
    """The similarity two claims need to be linked, by the strongest evidence they share that
    they report one event: agreeing figures, a date, a specific name, RARE_SHARED rare content
    terms, or the wording alone. The threshold rises when their happenings are of different
    families (`mismatch`) or one names none (`unknown`), and, for the wording alone, when each
    names someone or something the other does not (`other_names`)."""
    figures: float
    date: float
    names: float
    terms: float
    wording: float
    mismatch: float = 0.2
    unknown: float = 0.1
    other_names: float = 0.2


# Tuned on the dev half of evaluate/truth/war_claim_pairs.json, under the constraint that the
# sample corpus truth (data/sample/claims_truth.json) keeps its B-cubed F1; among settings
# equal on the dev pairs, the one that leaves fewest multi-article groups on the whole war
# corpus (docs/claim_events.md).
LEXICAL_RULE = LinkRule(figures=0.0, date=0.35, names=0.6, terms=0.65, wording=0.75)
# Claims published within TIME_WINDOW days of each other (one news cycle) link more easily.
CYCLE_RULE = LinkRule(figures=0.0, date=0.15, names=0.4, terms=0.5, wording=0.6, unknown=0.0)
EMBEDDING_RULE = LinkRule(figures=0.5, date=0.6, names=0.75, terms=0.75, wording=0.9)


# =========================================================================== similarity

def _embeddings(texts: list[str]) -> np.ndarray:
    return text_embeddings(texts)


def _row_dots(x, a: np.ndarray, b: np.ndarray, chunk: int = 100_000) -> np.ndarray:
    """x[a[k]] . x[b[k]] for every k (sparse rows multiplied element-wise), in chunks."""
    out = np.zeros(len(a))
    for s in range(0, len(a), chunk):
        out[s:s + chunk] = np.asarray(x[a[s:s + chunk]].multiply(x[b[s:s + chunk]]).sum(axis=1)).ravel()
    return out


def _incidence(sets: list, vocabulary: dict | None = None):
    """A binary sparse item x value matrix of per-item sets."""
    from scipy.sparse import csr_matrix

    vocabulary = vocabulary if vocabulary is not None else {}
    indptr, indices = [0], []
    for values in sets:
        indices.extend(vocabulary.setdefault(v, len(vocabulary)) for v in values)
        indptr.append(len(indices))
    return csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                      shape=(len(sets), max(1, len(vocabulary))))


# the per-pair counts of shared values, in the order pair features read them
_SHARED = ("anchors", "own_anchors", "content", "content_not_anchor", "rare", "places", "years", "days",
           "dates", "classes", "families")


class Items:
    """The distinct claims of a table (identical normalised texts are one item, compared
    once) with everything a pair of them is judged on, as sparse item x value matrices so that
    pairs are compared in bulk."""

    def __init__(self, sig: pd.DataFrame, use_embeddings: bool, word_clusters: Sequence | None = None,
                 published: Sequence | None = None, articles: Sequence | None = None):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        boiler = sig["boilerplate"].to_numpy()
        norm = [" ".join(re.findall(r"\w+", t.lower())) for t in sig["event_text"]]
        self.item_of = np.empty(len(norm), dtype=np.int64)
        first: dict[str, int] = {}
        rows: list[int] = []
        for i, key in enumerate(norm):
            key = f"\0{i}" if boiler[i] else key
            if key not in first:
                first[key] = len(rows)
                rows.append(i)
            self.item_of[i] = first[key]
        self.rows = np.asarray(rows, dtype=np.int64)
        self.n = len(rows)
        # the word-overlap clusters of presslens.claims.cluster.cluster_words, as integer labels
        labels = pd.factorize(pd.Series(list(word_clusters) if word_clusters is not None else range(len(norm))))[0]
        self.word_cluster = np.asarray(labels, dtype=np.int64)[self.rows]
        # publication time in days (NaN when unknown), of the first claim of each item
        when = pd.to_datetime(pd.Series(list(published) if published is not None else [None] * len(norm)),
                              utc=True, errors="coerce")
        days = (when - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds().to_numpy(dtype=float) / 86400.0
        self.day = days[self.rows]
        article_codes = pd.factorize(pd.Series(list(articles) if articles is not None else range(len(norm))))[0]
        self.article = np.asarray(article_codes, dtype=np.int64)[self.rows]
        self.usable = ~boiler[self.rows]
        self.norm = [norm[r] for r in rows]
        pick = lambda col: list(sig[col].to_numpy()[self.rows])  # noqa: E731
        self.anchors = [set(x) for x in pick("event_anchors")]
        # the names a claim reports about, not the source it is attributed to
        own = [a - set(x) for a, x in zip(self.anchors, pick("speaker_anchors"))]
        self.classes = [set(x) for x in pick("event_predicates")]
        families = signatures.predicate_families()
        self.families = [{families.get(c, c) for c in x} for x in self.classes]
        self.when = pick("event_when")
        # 1 when a claim names Russia's side before Ukraine's, -1 the reverse, 0 otherwise
        self.side_order = np.array([(1 if x == ("RU", "UA") else -1) if len(x) == 2 else 0
                                    for x in pick("event_sides")], dtype=np.int8)
        self.figures = pick("event_figures")
        self.terms = pick("event_terms")
        self.n_terms = np.array([len(set(t)) for t in self.terms])
        df: Counter = Counter()
        for t in self.terms:
            df.update(set(t))
        rare_max = max(2, int(RARE_SHARE * self.n))
        self.rare = [{t for t in terms if df[t] <= rare_max} for terms in self.terms]
        generic = signatures.generic_names()
        content = [{t for t in terms if t not in generic} for terms in self.terms]
        places = signatures.place_names()
        # places of what the claims assert (their core terms): a place named in an apposition
        # or an attribution ("in the Kharkiv region", "the mayor of Odesa said") is no conflict
        self.places = [{t for t in terms if t in places} for terms in self.terms]
        years = [w.years for w in self.when]
        day_dates = [{d for d in w.dates if len(d) == 5} for w in self.when]
        dates = [w.dates for w in self.when]
        value_sets = {"anchors": self.anchors, "own_anchors": own, "content": content,
                      "content_not_anchor": [c - a for c, a in zip(content, self.anchors)],
                      "rare": self.rare, "places": self.places, "years": years, "days": day_dates,
                      "dates": dates, "classes": self.classes, "families": self.families}
        self.incidence = {k: _incidence(v) for k, v in value_sets.items()}
        self.sizes = {k: np.array([len(x) for x in v]) for k, v in value_sets.items()}
        docs = [" ".join(t) if t else "<empty>" for t in self.terms]
        word_vec = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True)
        self.xw = word_vec.fit_transform(docs).tocsr()
        place_cols = [j for term, j in word_vec.vocabulary_.items() if term in places]
        if place_cols:
            scale = np.ones(self.xw.shape[1])
            scale[place_cols] = PLACE_WEIGHT
            self.xw = normalize(self.xw.multiply(scale).tocsr())
        # char_wb n-grams, each distinct word's built once
        self.xc = TfidfVectorizer(analyzer=charhash.WordBoundedNgrams((3, 5)), sublinear_tf=True) \
            .fit_transform(docs).tocsr()
        self.xs = TfidfVectorizer(analyzer=charhash.WordBoundedNgrams((5, 5))).fit_transform(
            [t or "<empty>" for t in self.norm]).tocsr()
        texts = sig["event_text"].tolist()
        self.emb = _embeddings([texts[r] for r in rows]) if use_embeddings else None


# =========================================================================== pairs

@dataclass
class PairFeatures:
    """Item pairs (a, b) and what they share."""
    a: np.ndarray
    b: np.ndarray
    similarity: np.ndarray        # lexical
    embedding: np.ndarray | None  # sentence-embedding cosine, when the encoder ran
    evidence: np.ndarray          # BY_FIGURES, BY_DATE, BY_NAMES, BY_TERMS or BY_WORDING
    predicate: np.ndarray         # 1 a shared family, 0 one claim names none, -1 different families
    conflict: np.ndarray          # years, days, places or the sides' roles that disagree
    syndicated: np.ndarray        # near-identical texts
    other_names: np.ndarray       # each names someone or something the other does not (sources
                                  # they are attributed to left out)
    word_cluster: np.ndarray      # both in one cluster of presslens.claims.cluster.cluster_words
    shared_content: np.ndarray    # content terms in common other than generic names
    shared_place: np.ndarray      # a place of the war's gazetteer in both claims' core terms
    close: np.ndarray             # one article, or published within TIME_WINDOW days of each other
    short: np.ndarray             # one claim has fewer than MIN_WORDING_TERMS content terms


def _features(items: Items, a: np.ndarray, b: np.ndarray, shared: dict[str, np.ndarray],
              sims: tuple[np.ndarray, np.ndarray, np.ndarray]) -> PairFeatures:
    """Pair features from the counts of values each pair shares (`shared`, keyed as _SHARED)
    and its word, character and text-copy similarities."""
    it, size = items, items.sizes
    both = lambda key: (size[key][a] > 0) & (size[key][b] > 0)  # noqa: E731
    predicate = np.where(both("families"), np.where(shared["families"] > 0, 1, -1), 0).astype(np.int8)
    evidence = np.full(len(a), BY_WORDING, dtype=np.int8)
    evidence[shared["rare"] >= RARE_SHARED] = BY_TERMS
    names = (shared["anchors"] > 0) & ((predicate > 0) | (shared["content_not_anchor"] > 0))
    evidence[names] = BY_NAMES  # the same actors or places, and something they do in common
    evidence[shared["dates"] > 0] = BY_DATE
    maybe = np.flatnonzero((shared["classes"] > 0) & (size["classes"][a] > 0))
    agree = [k for k in maybe if it.figures[a[k]] and it.figures[b[k]]
             and signatures.figures_agree(it.figures[a[k]], it.figures[b[k]])]
    evidence[np.asarray(agree, dtype=np.int64)] = BY_FIGURES
    # different years or days, disjoint places, or the sides swapped (Russian drones on
    # Ukrainian plants vs Ukrainian drones on a Russian refinery)
    conflict = ((both("years") & (shared["years"] == 0)) | (both("days") & (shared["days"] == 0))
                | (both("places") & (shared["places"] == 0)) | (it.side_order[a] * it.side_order[b] < 0))
    word, char, copy = sims
    usable = it.usable[a] & it.usable[b]
    with np.errstate(invalid="ignore"):
        close = (np.abs(it.day[a] - it.day[b]) <= TIME_WINDOW) | (it.article[a] == it.article[b])
    return PairFeatures(
        a, b, WORD_WEIGHT * word + (1 - WORD_WEIGHT) * char,
        None if it.emb is None else np.einsum("ij,ij->i", it.emb[a], it.emb[b]),
        evidence, predicate, conflict, (copy >= SYNDICATION) & usable,
        (size["own_anchors"][a] > shared["own_anchors"]) & (size["own_anchors"][b] > shared["own_anchors"]),
        (it.word_cluster[a] == it.word_cluster[b]) & usable,
        shared["content"].astype(np.int64), shared["places"] > 0, close,
        np.minimum(it.n_terms[a], it.n_terms[b]) < MIN_WORDING_TERMS)


def pair_features(items: Items, a: np.ndarray, b: np.ndarray) -> PairFeatures:
    """What the item pairs (a, b) share (any pairs; candidate pairs go through the faster
    block products of candidate_features)."""
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    shared = {k: _row_dots(items.incidence[k], a, b) for k in _SHARED}
    sims = (_row_dots(items.xw, a, b), _row_dots(items.xc, a, b), _row_dots(items.xs, a, b))
    return _features(items, a, b, shared, sims)


def _linked(f: PairFeatures, similarity: np.ndarray, rule: LinkRule) -> np.ndarray:
    thresholds = np.array([rule.figures, rule.date, rule.names, rule.terms, rule.wording])[f.evidence]
    thresholds = thresholds + np.where(f.predicate < 0, rule.mismatch, np.where(f.predicate == 0, rule.unknown, 0.0))
    thresholds = thresholds + np.where(f.other_names & (f.evidence >= BY_NAMES), rule.other_names, 0.0)
    # a word or two in common ("peace", "crisis") is no evidence of one event
    return ~f.conflict & (similarity >= thresholds) & ~(f.short & (f.evidence == BY_WORDING))


def link_strength(f: PairFeatures, rule: LinkRule = LEXICAL_RULE,
                  embedding_rule: LinkRule | None = EMBEDDING_RULE, cycle_rule: LinkRule = CYCLE_RULE) -> np.ndarray:
    """Per pair: its similarity when it links (at least FIGURE_STRENGTH for agreeing figures,
    1 for a near-identical copy), else 0. A pair links under the lexical rule (`cycle_rule`
    when both claims were published within TIME_WINDOW days), or, when embeddings were computed, under the embedding rule (strength: the
    larger of its lexical similarity and its embedding cosine times EMBEDDING_SCALE)."""
    linked = np.where(f.close, _linked(f, f.similarity, cycle_rule), _linked(f, f.similarity, rule))
    strength = f.similarity
    # Within one news cycle (both published within TIME_WINDOW days) the pairs of the
    # word-overlap clustering (presslens.claims.cluster.cluster_words, the fallback) keep their
    # similarity, unless something speaks against one event: a conflict, happenings of
    # different families or not both a happening, different people or places, or nothing but
    # generic names in common. Outside it, or undated, only the rules above link.
    strong = f.similarity >= FALLBACK_WORDING
    kept = f.close & f.word_cluster & ~f.conflict & (f.predicate >= 0) & (
        (f.evidence < BY_WORDING) | (f.shared_content >= 1) | strong) & (
        ~f.other_names | strong | (f.evidence <= BY_DATE)) & (
        (f.predicate > 0) | (f.evidence <= BY_DATE) | strong | f.shared_place)
    linked = linked | kept
    strength = np.where(kept, np.maximum(strength, CLUSTER_LINK), strength)
    if f.embedding is not None and embedding_rule is not None:
        linked = linked | _linked(f, f.embedding, embedding_rule)
        strength = np.maximum(strength, EMBEDDING_SCALE * f.embedding)
    strength = np.where(f.evidence == BY_FIGURES, np.maximum(strength, FIGURE_STRENGTH), strength)
    strength = np.where(linked, np.minimum(strength, 1.0), 0.0)
    return np.where(f.syndicated, 1.0, strength)


def _figure_keys(figures: Sequence[signatures.Figure]) -> set[str]:
    """Overlapping magnitude buckets (a third of a decade wide) per unit, so that variants
    of one figure share a key."""
    keys = set()
    for f in figures:
        if f.value >= 100:
            x = math.log10(f.value) * 3
            keys |= {f"{f.unit}:{math.floor(x)}", f"{f.unit}:{math.floor(x + 0.5)}h"}
    return keys


def _blocks(items: Items) -> list[np.ndarray]:
    """Groups of items to compare: those sharing a name, a date, a figure bucket, one of
    their RARE_KEYS rarest terms, or a word-overlap cluster. A block over MAX_BLOCK items
    becomes overlapping windows over its items sorted by text, so that the work stays linear
    in the corpus."""
    df: Counter = Counter()
    for t in items.terms:
        df.update(set(t))
    blocks: dict[str, list[int]] = defaultdict(list)
    for k in range(items.n):
        if not items.usable[k]:
            continue
        keys = {"a:" + a for a in items.anchors[k]} | {"d:" + d for d in items.when[k].dates}
        keys |= {"f:" + f for f in _figure_keys(items.figures[k])}
        rare = sorted({t for t in items.terms[k] if df[t] >= 2}, key=lambda t: (df[t], t))[:RARE_KEYS]
        keys |= {"t:" + t for t in rare}
        keys.add(f"w:{items.word_cluster[k]}")
        for key in keys:
            blocks[key].append(k)
    out: list[np.ndarray] = []
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK:
            out.append(np.asarray(members, dtype=np.int64))
            continue
        members = sorted(members, key=lambda i: (items.norm[i], i))
        step = max(1, MAX_BLOCK // 2)
        out.extend(np.asarray(members[s:s + MAX_BLOCK], dtype=np.int64)
                   for s in range(0, len(members) - step, step))
    return out


def _batches(blocks: list[np.ndarray], max_rows: int) -> list[list[np.ndarray]]:
    """Consecutive blocks grouped so that each group's union stays within about `max_rows`."""
    out: list[list[np.ndarray]] = []
    batch: list[np.ndarray] = []
    size = 0
    for members in blocks:
        if batch and size + len(members) > max_rows:
            out.append(batch)
            batch, size = [], 0
        batch.append(members)
        size += len(members)
    if batch:
        out.append(batch)
    return out


def _packed_incidence(items: Items) -> list[tuple[object, object, dict[str, tuple[int, int]]]]:
    """The shared-value counts of every _SHARED key from one integer product per group of
    keys, (scaled, binary): the keys' 0/1 matrices side by side, in `scaled` each key's entries
    set to the lowest bit of its own field of an int64 (wide enough for the largest set of that
    key, which bounds any pair's count). Integer sums are exact, so each field of
    scaled @ binary.T is the count that key's own product gives."""
    from scipy.sparse import csr_matrix, hstack

    groups: list[tuple[list, list, dict[str, tuple[int, int]]]] = []
    shift = 63
    for key in _SHARED:
        x = items.incidence[key]
        bits = max(1, int(items.sizes[key].max(initial=0)).bit_length())
        if shift + bits > 62:
            groups.append(([], [], {}))
            shift = 0
        scaled = csr_matrix((np.full(x.nnz, 1 << shift, dtype=np.int64), x.indices, x.indptr), shape=x.shape)
        groups[-1][0].append(scaled)
        groups[-1][1].append(x.astype(np.int64))
        groups[-1][2][key] = (shift, (1 << bits) - 1)
        shift += bits
    return [(hstack(scaled, format="csr"), hstack(binary, format="csr"), fields) for scaled, binary, fields in groups]


def _block_codes(members: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, code): the positions of every pair of a block's members (x < y) and the pair's
    code lo * n + hi."""
    x, y = np.triu_indices(len(members), k=1)
    return x, y, np.minimum(members[x], members[y]) * n + np.maximum(members[x], members[y])


def candidate_features(items: Items) -> PairFeatures:
    """The features of every candidate pair (a < b, each once): pairs of items that share a
    block (_blocks). Several small blocks are compared in one dense product over the union
    of their items (at most 2 x MAX_BLOCK rows), as presslens.claims.cluster.cluster_words does.
    A pair is read from the first block that has it; the codes of the pairs seen so far are
    kept sorted, so that memory grows with the distinct pairs, not with their repeats."""
    n = items.n
    floats = {"word": items.xw, "char": items.xc, "copy": items.xs}
    packed = _packed_incidence(items)
    codes: list[np.ndarray] = []
    values: dict[str, list[np.ndarray]] = {k: [] for k in (*floats, *_SHARED)}
    seen = np.zeros(0, dtype=np.int64)
    for batch in _batches(_blocks(items), 2 * MAX_BLOCK):
        pairs = [_block_codes(members, n) for members in batch]
        batch_codes = np.concatenate([code for _, _, code in pairs])
        new, at_first = np.unique(batch_codes, return_index=True)
        if len(seen):
            where = np.searchsorted(seen, new)
            fresh = (where == len(seen)) | (seen[np.minimum(where, len(seen) - 1)] != new)
            new, at_first, where = new[fresh], at_first[fresh], where[fresh]
            seen = np.insert(seen, where, new)
        else:
            seen = new
        if len(new) == 0:
            continue
        first = np.zeros(len(batch_codes), dtype=bool)
        first[at_first] = True
        union = np.unique(np.concatenate(batch))
        dense = {k: (m[union] @ m[union].T).toarray() for k, m in floats.items()}
        counts = [((scaled[union] @ binary[union].T).toarray(), fields) for scaled, binary, fields in packed]
        offset = 0
        for members, (x, y, code) in zip(batch, pairs):
            keep = first[offset:offset + len(code)]
            offset += len(code)
            if not keep.any():
                continue
            at = np.searchsorted(union, members)
            ax, ay = at[x[keep]], at[y[keep]]
            codes.append(code[keep])
            for k, d in dense.items():
                values[k].append(d[ax, ay])
            for d, fields in counts:
                cell = d[ax, ay]
                for k, (shift, mask) in fields.items():
                    values[k].append(((cell >> shift) & mask).astype(np.min_scalar_type(mask)))
    if not codes:
        empty = np.zeros(0, dtype=np.int64)
        return _features(items, empty, empty, {k: np.zeros(0) for k in _SHARED}, (np.zeros(0),) * 3)
    code = np.concatenate(codes)
    del codes
    order = np.argsort(code)
    code = code[order]
    picked = {k: np.concatenate(values.pop(k))[order] for k in list(values)}  # the parts freed one by one
    del order
    return _features(items, code // n, code % n, {k: picked[k] for k in _SHARED},
                     (picked["word"], picked["char"], picked["copy"]))


# =========================================================================== clustering

def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _average_link(sim: np.ndarray, threshold: float) -> np.ndarray:
    """Average-linkage labels of a dense similarity matrix: a group joins another only when
    the mean strength of the pairs between them reaches `threshold`."""
    from scipy.cluster.hierarchy import fcluster, linkage

    k = sim.shape[0]
    if k == 2:
        return np.zeros(2, dtype=np.int64) if sim[0, 1] >= threshold else np.arange(2)
    tree = linkage(1.0 - sim[np.triu_indices(k, k=1)], method="average")
    return fcluster(tree, t=1.0 - threshold + 1e-9, criterion="distance") - 1


def cluster_items(items: Items, rule: LinkRule, embedding_rule: LinkRule | None,
                  threshold: float = CLUSTER_LINK) -> tuple[np.ndarray, PairFeatures]:
    """Item labels (the smallest item of each cluster) and the candidate pairs' features.
    Components of the linked candidate pairs (a component over MAX_COMPONENT items first
    loses its weakest links) are each clustered by average linkage over their links."""
    f = candidate_features(items)
    strength = link_strength(f, rule, embedding_rule)
    keep = strength > 0
    la, lb, ls = f.a[keep], f.b[keep], strength[keep]
    labels = np.arange(items.n)
    component = _components(items.n, la, lb)
    for cut in (0.3, 0.4, 0.5, 0.6, 0.8, 1.0):
        sizes = np.bincount(component, minlength=items.n)
        if sizes.max() <= MAX_COMPONENT:
            break
        drop = (sizes[component[la]] > MAX_COMPONENT) & (ls < cut)
        la, lb, ls = la[~drop], lb[~drop], ls[~drop]
        component = _components(items.n, la, lb)
    # average linkage inside each component over its candidate pairs (an absent pair counts 0)
    order = np.argsort(component[la], kind="stable")
    la, lb, ls = la[order], lb[order], ls[order]
    bounds = np.flatnonzero(np.diff(component[la])) + 1
    for x, y, w in zip(np.split(la, bounds), np.split(lb, bounds), np.split(ls, bounds)):
        if len(x) == 0:
            continue
        members = np.unique(np.concatenate([x, y]))
        sim = np.zeros((len(members), len(members)))
        xi, yi = np.searchsorted(members, x), np.searchsorted(members, y)
        sim[xi, yi] = sim[yi, xi] = w
        sub = _average_link(sim, threshold)
        for lab in np.unique(sub):
            group = members[sub == lab]
            labels[group] = group.min()
    return labels, f


def cluster_events(claims: pd.DataFrame, embeddings: bool | None = None, rule: LinkRule | None = None,
                   embedding_rule: LinkRule | None = None, threshold: float = CLUSTER_LINK) -> pd.DataFrame:
    """The claims table with `cluster_id` (claims that report one event, within and across
    articles) and the evidence for it: `repeat_kind` (single | syndication | independent |
    boilerplate), `event_anchors`, `event_predicates`, `boilerplate`, and `cluster_method`
    (events+embeddings or events+lexical: which similarity ran).

    `embeddings`: None uses sentence embeddings when the `embeddings` extra is installed,
    True requires them, False never uses them. `rule`, `embedding_rule`: link thresholds
    (LEXICAL_RULE, EMBEDDING_RULE). The id is a hash of the sorted member claim_ids: the
    same input gives the same ids."""
    out = claims.reset_index(drop=True).copy()
    use_embeddings = embeddings_available() if embeddings is None else bool(embeddings)
    if len(out) == 0:
        for col, dtype in (("cluster_id", "string"), ("repeat_kind", "string"), ("event_anchors", "object"),
                           ("event_predicates", "object"), ("boilerplate", "bool"), ("cluster_method", "string")):
            out[col] = pd.Series(dtype=dtype)
        return out
    sig = signatures.event_signatures(out)
    word_clusters = cluster_words(out.drop(columns=["cluster_id"], errors="ignore"))["cluster_id"].tolist()
    items = Items(sig, use_embeddings, word_clusters, out["published"] if "published" in out.columns else None,
                   out["article_id"].astype(str))
    labels, f = cluster_items(items, rule or LEXICAL_RULE, (embedding_rule or EMBEDDING_RULE) if use_embeddings else None,
                              threshold)
    row_label = labels[items.item_of]
    claim_ids = out["claim_id"].astype(str).tolist() if "claim_id" in out.columns else [str(i) for i in range(len(out))]
    members: dict[int, list[str]] = defaultdict(list)
    for lab, cid in zip(row_label.tolist(), claim_ids):
        members[lab].append(cid)
    ids = {lab: "cl-" + hashlib.sha1("\n".join(sorted(m)).encode("utf-8")).hexdigest()[:12] for lab, m in members.items()}
    out["cluster_id"] = pd.array([ids[lab] for lab in row_label.tolist()], dtype="string")
    out["repeat_kind"] = pd.array(_repeat_kinds(out["article_id"].astype(str).tolist(), row_label, items, f),
                                  dtype="string")
    out["event_anchors"] = sig["event_anchors"].to_numpy()
    out["event_predicates"] = sig["event_predicates"].to_numpy()
    out["boilerplate"] = sig["boilerplate"].to_numpy()
    out["cluster_method"] = pd.array(["events+embeddings" if use_embeddings else "events+lexical"] * len(out),
                                     dtype="string")
    out.attrs["claim_events"] = {"items": items.n, "candidate_pairs": len(f.a)}
    return out


def _repeat_kinds(articles: list[str], row_label: np.ndarray, items: Items, f: PairFeatures) -> list[str]:
    """Per claim: boilerplate; single (its cluster has one article); syndication (its text
    is a copy of a member's in another article); independent (its own wording of an event
    that other articles also report)."""
    cluster_articles: dict[int, set[str]] = defaultdict(set)
    for lab, aid in zip(row_label.tolist(), articles):
        cluster_articles[lab].add(aid)
    copy_of = _components(items.n, f.a[f.syndicated], f.b[f.syndicated])
    copy_articles: dict[int, set[str]] = defaultdict(set)
    for item, aid in zip(items.item_of.tolist(), articles):
        copy_articles[int(copy_of[item])].add(aid)
    kinds = []
    for lab, item, aid in zip(row_label.tolist(), items.item_of.tolist(), articles):
        if not items.usable[item]:
            kinds.append("boilerplate")
        elif len(cluster_articles[lab]) < 2:
            kinds.append("single")
        elif copy_articles[int(copy_of[item])] - {aid}:
            kinds.append("syndication")
        else:
            kinds.append("independent")
    return kinds


def repeat_summary(clustered: pd.DataFrame) -> pd.DataFrame:
    """Per cluster of cluster_events' output: cluster_id, repeat_kind (single: one article;
    syndication: two or more articles, all carrying copies of one text; independent: at least
    two articles in their own words), n_articles, n_wordings (articles whose wording is their
    own), cluster_method."""
    columns = {"cluster_id": "string", "repeat_kind": "string", "n_articles": "Int64",
               "n_wordings": "Int64", "cluster_method": "string"}
    if clustered is None or len(clustered) == 0:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    # plain column lists grouped in one pass: a pandas group per cluster costs more than
    # everything computed on it
    cluster_ids = clustered["cluster_id"].tolist()
    kinds_col = [k if isinstance(k, str) else None for k in clustered["repeat_kind"].tolist()]
    articles = clustered["article_id"].tolist()
    methods = clustered["cluster_method"].tolist() if "cluster_method" in clustered.columns else None
    members_of = cluster_members(cluster_ids)
    rows = []
    for cluster_id in sorted(members_of):
        members = members_of[cluster_id]
        kinds = {kinds_col[i] for i in members}
        n_articles = len({articles[i] for i in members if not pd.isna(articles[i])})
        own = len({articles[i] for i in members if kinds_col[i] == "independent" and not pd.isna(articles[i])})
        copies = len({articles[i] for i in members if kinds_col[i] == "syndication" and not pd.isna(articles[i])})
        if kinds == {"boilerplate"}:
            kind = "boilerplate"
        elif n_articles < 2:
            kind = "single"
        elif own >= 2 or (own >= 1 and copies >= 1):
            kind = "independent"
        else:
            kind = "syndication"
        rows.append({"cluster_id": cluster_id, "repeat_kind": kind, "n_articles": n_articles,
                     "n_wordings": own + (1 if copies else 0),
                     "cluster_method": methods[members[0]] if methods is not None else pd.NA})
    return pd.DataFrame(rows).astype(columns)
