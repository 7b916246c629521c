"""Clustering claims: claims that make the same assertion in other words, within and across
articles, get one `cluster_id`.

`cluster_words(claims) -> claims with cluster_id` is this module's entry point; everything
else here serves it. The numbers that decide what is "the same claim" (thresholds, weights)
are tuned: resources/tuned.toml, section [claims].
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import pandas as pd

from .. import charhash, config, schema
from .extract import CLAIM_EXTRAS
from .lexicon import place_canon
from .terms import fallback_terms, places_in

_TUNED = config.tuned("claims")
# Average-linkage cut inside a candidate component (similarity, 0-1).
CLUSTER_THRESHOLD = _TUNED["cluster_threshold"]
# Similarity at which two claims become candidates of one component.
LINK_THRESHOLD = _TUNED["link_threshold"]
# Share of the word-term cosine in the similarity; the rest is the char n-gram cosine.
WORD_WEIGHT = _TUNED["word_weight"]
# Factor on the TF-IDF weight of place terms before the rows are re-normalised.
PLACE_WEIGHT = _TUNED["place_weight"]
# Memory bound: a component larger than this is split at a higher link threshold (a dense
# similarity matrix of 2,000 claims is 32 MB).
MAX_COMPONENT = 2000
# Blocking: each claim is compared with the claims sharing one of its 3 rarest terms.
MAX_BLOCK_KEYS = 3


def cluster_members(cluster_ids) -> dict:
    """cluster id -> the positions of its members, in order; missing ids belong to none.

    >>> cluster_members(["b", "a", None, "b"])
    {'b': [0, 3], 'a': [1]}
    """
    members: dict = {}
    for i, cluster_id in enumerate(cluster_ids):
        if not schema.is_missing(cluster_id):
            members.setdefault(cluster_id, []).append(i)
    return members


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


def claim_terms(claims: pd.DataFrame) -> list[str]:
    """The clustering terms of each claim, space-joined: its stored `core_terms` (from the
    parse), else `fallback_terms` of its text.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims table (`text`, optionally `core_terms`).

    Returns
    -------
    list of str
        One string per row.
    """
    if "core_terms" in claims.columns:
        stored = claims["core_terms"].astype(object).tolist()
    else:
        stored = [None] * len(claims)
    texts = [t if isinstance(t, str) else "" for t in claims["text"].astype(object).tolist()]
    fallback = {t: " ".join(fallback_terms(t)) for t in
                dict.fromkeys(t for s, t in zip(stored, texts) if not (isinstance(s, str) and s.strip()))}
    return [s if isinstance(s, str) and s.strip() else fallback[t] for s, t in zip(stored, texts)]


def blocks(term_lists: list[list[str]], max_block: int) -> list[np.ndarray]:
    """Blocking: the groups of items that are compared with each other.

    Each item joins the blocks of its MAX_BLOCK_KEYS rarest terms (seen at least twice).
    Blocks larger than `max_block` become overlapping windows over their items sorted by term
    string, which keeps near-identical copies next to each other.

    Parameters
    ----------
    term_lists : list of list of str
        The terms of each item.
    max_block : int
        The largest block.

    Returns
    -------
    list of numpy.ndarray
        Item indices per block, blocks of two or more items, in key order.
    """
    df: dict[str, int] = defaultdict(int)
    for terms in term_lists:
        for t in set(terms):
            if t != "<qty>":
                df[t] += 1
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, terms in enumerate(term_lists):
        keys = sorted({t for t in terms if t != "<qty>" and df[t] >= 2}, key=lambda t: (df[t], t))
        for key in keys[:MAX_BLOCK_KEYS]:
            by_key[key].append(i)
    sort_key = [" ".join(sorted(t)) for t in term_lists]
    out: list[np.ndarray] = []
    for key in sorted(by_key):
        members = by_key[key]
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
    for idx in blocks(term_lists, max_block):
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


def average_link(sim: np.ndarray, threshold: float) -> np.ndarray:
    """Average-linkage agglomeration of one candidate component. Unlike single link, a chain
    of pairwise-similar claims does not pull two different claims together.

    Parameters
    ----------
    sim : numpy.ndarray
        Square, symmetric similarities.
    threshold : float
        Clusters merge while their average similarity is above it.

    Returns
    -------
    numpy.ndarray
        Labels 0..k-1 (arbitrary order).

    Examples
    --------
    >>> labels = average_link(np.array([[1.0, 0.9, 0.0], [0.9, 1.0, 0.1], [0.0, 0.1, 1.0]]), 0.5)
    >>> bool(labels[0] == labels[1] != labels[2])
    True
    """
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
        sub = average_link(sim, threshold)
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


def cluster_words(claims: pd.DataFrame, threshold: float = CLUSTER_THRESHOLD,
                   link_threshold: float = LINK_THRESHOLD, max_block: int = 400,
                   max_component: int = MAX_COMPONENT) -> pd.DataFrame:
    """Add `cluster_id`: claims that make the same assertion in other words, within and
    across articles.

    Similarity = WORD_WEIGHT x cosine of TF-IDF over the claims' core terms (lemmas, places
    in one spelling and weighted PLACE_WEIGHT, synonyms folded, figures masked as <qty>) + the
    rest x cosine of character 3-5-grams of the same terms. Identical term strings (wire
    copies) are merged before any comparison; candidate pairs come from blocks of shared rare
    terms, so the work grows with the corpus, not with its square. Pairs at or above
    `link_threshold` form candidate components (never linking two claims that name disjoint
    places); each component is then clustered by average linkage at `threshold`; a component
    larger than `max_component` is first split at a higher link threshold.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims table (`extract_claims`): `claim_id`, `text`, and `core_terms` when the
        claims come from a parse (else terms are read off the text).
    threshold : float, default CLUSTER_THRESHOLD
        Average-linkage cut inside a component.
    link_threshold : float, default LINK_THRESHOLD
        Similarity at which two claims become candidates.
    max_block : int, default 400
        The largest block of claims compared densely.
    max_component : int, default MAX_COMPONENT

    Returns
    -------
    pandas.DataFrame
        A copy of `claims` (index reset) with `cluster_id` (string): "cl-" and a hash of the
        sorted member claim_ids, so the same input gives the same ids.

    Examples
    --------
    >>> import pandas as pd
    >>> claims = pd.DataFrame({"claim_id": ["a", "b", "c"], "text": [
    ...     "Russian forces control the majority of Vovchansk.",
    ...     "Russian troops now hold over 80% of Volchansk.",
    ...     "The central bank raised its key interest rate."]})
    >>> ids = cluster_words(claims)["cluster_id"].tolist()
    >>> ids[0] == ids[1] != ids[2]
    True
    """
    columns = {**schema.CLAIMS, **CLAIM_EXTRAS}
    if claims is None or len(claims) == 0:
        out = schema.conform(claims if claims is not None else None, columns)
        out["cluster_id"] = pd.Series(dtype="string")
        return out
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = claims.reset_index(drop=True).copy()
    terms = claim_terms(out)
    # wire copies: identical term strings are one item
    unique_terms: dict[str, int] = {}
    item_of = np.empty(len(out), dtype=np.int64)
    for i, t in enumerate(terms):
        item_of[i] = unique_terms.setdefault(t, len(unique_terms))
    items = list(unique_terms)
    labels = np.arange(len(items))
    if len(items) > 1:
        term_lists = [t.split() for t in items]
        places = [set(places_in(tl)) for tl in term_lists]
        analyzable = [t if t.strip() else "<empty>" for t in items]
        word_vec = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True)
        xw = _upweight(word_vec.fit_transform(analyzable).tocsr(), word_vec.vocabulary_,
                       set(place_canon().values()), PLACE_WEIGHT)
        # char_wb 3-5-grams, each distinct word's built once
        xc = TfidfVectorizer(analyzer=charhash.WordBoundedNgrams((3, 5)), sublinear_tf=True) \
            .fit_transform(analyzable).tocsr()
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
