"""Can a learned pairwise scorer tell same-event claim pairs from near-misses? (issue #14 item 3)

An experiment, not shipped: docs/claim_events.md ("A learned pairwise scorer") has its figures
and why presslens.claims.cluster_events stays rule-based. For every truth pair of
presslens/evaluate/truth/war_claim_pairs.json whose two sentences are claims, it computes
features from the claims table alone (presslens.claims.signatures, TF-IDF, and the sentence
embedding cosine when the `embeddings` extra is installed), then:

- trains logistic regression and gradient boosting on the dev split only, with the threshold
  chosen by inner 5-fold-by-event cross-validation on dev (the highest recall at precision
  >= 0.9), and scores the test split;
- scores 5-fold-by-event cross-validation on all items (out-of-fold scores, the threshold
  chosen on each training fold's inner out-of-fold scores), with bootstrap intervals over events.

A truth pair whose sentences are not both claims is never accepted (it costs recall), as in
presslens.evaluate.claim_pairs.

    PYTHONPATH=lib .venv/bin/python scripts/claim_pair_scorer.py [--embeddings] [--claims PICKLE]
        [--train-extra lib/presslens/evaluate/truth/war_claim_pairs_train.json]
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings

import numpy as np
import pandas as pd
from presslens.claims import signatures
from presslens.evaluate import claim_pairs

TARGET_PRECISION = 0.9
FOLDS = 5


def _cosines(x, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(x[a].multiply(x[b]).sum(axis=1)).ravel()


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def pair_features(claims: pd.DataFrame, a: np.ndarray, b: np.ndarray, embeddings: bool) -> pd.DataFrame:
    """One row per claim pair (rows a[k], b[k] of `claims`): what a same-event judgement could
    rest on. Figures: equal, within 1.5x (signatures.figures_agree), or conflicting (both give
    a count of one unit and none agree); time: a shared date, years or days that disagree;
    names: shared anchors overall and outside the sources the claims are attributed to;
    places of the war's gazetteer shared or disjoint; happenings of one family, of different
    families, or unknown; the sides' roles swapped; the outlet shared (syndication)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    sig = signatures.event_signatures(claims)
    terms = [" ".join(t) or "<empty>" for t in sig["event_terms"]]
    words = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True).fit_transform(terms).tocsr()
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(terms).tocsr()
    copies = TfidfVectorizer(analyzer="char_wb", ngram_range=(5, 5)).fit_transform(
        [_norm(t) or "<empty>" for t in sig["event_text"]]).tocsr()
    anchors = [set(x) for x in sig["event_anchors"]]
    own = [x - set(s) for x, s in zip(anchors, sig["speaker_anchors"])]
    places = signatures.place_names()
    place_sets = [{t for t in ts if t in places} for ts in sig["event_terms"]]
    families = signatures.predicate_families()
    fams = [{families.get(c, c) for c in x} for x in sig["event_predicates"]]
    when = sig["event_when"].tolist()
    figures = sig["event_figures"].tolist()
    sides = sig["event_sides"].tolist()
    outlets = claims["outlet"].astype(object).tolist() if "outlet" in claims.columns else [None] * len(claims)
    rows = []
    for x, y in zip(a.tolist(), b.tolist()):
        fx, fy = figures[x], figures[y]
        units = {f.unit for f in fx} & {f.unit for f in fy}
        equal = bool({(f.value, f.unit) for f in fx} & {(f.value, f.unit) for f in fy})
        agree = bool(fx and fy and signatures.figures_agree(fx, fy))
        shared_anchors = len(anchors[x] & anchors[y])
        rows.append({
            "anchors_shared": shared_anchors,
            "anchors_jaccard": shared_anchors / max(1, len(anchors[x] | anchors[y])),
            "own_anchors_shared": len(own[x] & own[y]),
            "other_names": float(bool(own[x] - own[y]) and bool(own[y] - own[x])),
            "places_shared": float(bool(place_sets[x] & place_sets[y])),
            "places_disjoint": float(bool(place_sets[x] and place_sets[y] and not place_sets[x] & place_sets[y])),
            "figures_equal": float(equal),
            "figures_variant": float(agree and not equal),
            "figures_conflict": float(bool(units) and not agree),
            "date_shared": float(bool(when[x].dates & when[y].dates)),
            "time_conflict": float(when[x].conflicts(when[y])),
            "family_shared": float(bool(fams[x] & fams[y])),
            "family_differs": float(bool(fams[x] and fams[y] and not fams[x] & fams[y])),
            "family_unknown": float(not fams[x] or not fams[y]),
            "sides_swapped": float(len(sides[x]) == 2 and len(sides[y]) == 2 and sides[x] != sides[y]),
            "same_outlet": float(isinstance(outlets[x], str) and outlets[x] == outlets[y]),
            "min_terms": float(min(len(sig["event_terms"].iloc[x]), len(sig["event_terms"].iloc[y]))),
        })
    out = pd.DataFrame(rows)
    out["tfidf_words"] = _cosines(words, a, b)
    out["tfidf_chars"] = _cosines(chars, a, b)
    out["copy"] = _cosines(copies, a, b)
    if embeddings:
        from presslens.embeddings import text_embeddings

        vectors = text_embeddings(sig["event_text"].tolist())
        out["embedding"] = np.einsum("ij,ij->i", vectors[a], vectors[b])
    return out


def truth_features(claims: pd.DataFrame, items: list[dict], embeddings: bool) -> pd.DataFrame:
    """Per truth item whose two sentences are claims: the features of its claim pair with the
    highest similarity (embedding cosine when computed, else TF-IDF), indexed by item number."""
    claims = claims.reset_index(drop=True)
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for k, (aid, s, e) in enumerate(zip(claims["article_id"].astype(str), claims["start"], claims["end"])):
        spans.setdefault(aid, []).append((int(s), int(e), k))

    def rows_of(span: dict) -> list[int]:
        s, e = int(span["start"]), int(span["end"])
        return [k for cs, ce, k in spans.get(span["article_id"], []) if cs < e and s < ce]

    a, b, owner = [], [], []
    for n, item in enumerate(items):
        for x in rows_of(item["a"]):
            for y in rows_of(item["b"]):
                a.append(x)
                b.append(y)
                owner.append(n)
    x = pair_features(claims, np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64), embeddings)
    x["item"] = owner
    key = "embedding" if embeddings else "tfidf_words"
    return x.sort_values(key, ascending=False).drop_duplicates("item").set_index("item").sort_index()


def models() -> dict:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return {"logistic": make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=2000)),
            "boosting": HistGradientBoostingClassifier(max_depth=2, max_iter=100, learning_rate=0.05,
                                                       min_samples_leaf=5)}


def precision_threshold(scores: np.ndarray, y: np.ndarray, target: float = TARGET_PRECISION) -> float:
    """The lowest score threshold whose precision is >= target with the most true pairs
    accepted; +inf (accept nothing) when none reaches it."""
    best, best_tp = np.inf, 0
    for t in np.unique(scores):
        accepted = scores >= t
        tp = int((accepted & (y == 1)).sum())
        if tp and tp / accepted.sum() >= target and tp > best_tp:
            best, best_tp = float(t), tp
    return best


def out_of_fold(name: str, x: pd.DataFrame, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    scores = np.zeros(len(y))
    for train, test in GroupKFold(min(FOLDS, len(set(groups)))).split(x, y, groups):
        scores[test] = models()[name].fit(x.iloc[train], y[train]).predict_proba(x.iloc[test])[:, 1]
    return scores


def fit_with_threshold(name: str, x: pd.DataFrame, y: np.ndarray, groups: np.ndarray, judged: np.ndarray):
    """The model fitted on (x, y) and the threshold that its inner out-of-fold scores give on
    the `judged` rows (the main truth's pairs: extra training pairs train, they do not set
    the threshold, since their near-misses are mostly easy)."""
    scores = out_of_fold(name, x, y, groups)
    fit_with_threshold.inner_auc = _auc(y[judged], scores[judged])
    return models()[name].fit(x, y), precision_threshold(scores[judged], y[judged])


def _auc(y: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, scores)) if len(set(y.tolist())) == 2 else float("nan")


def accepted_figures(items: list[dict], accepted: dict[int, bool], groups: list[int]) -> dict:
    """Pairwise precision/recall of the accepted items (absent ones: not accepted), with
    bootstrap intervals over events."""
    labels = [i["label"] for i in items]
    together = [accepted.get(n, False) for n in range(len(items))]
    return claim_pairs.interval_figures(labels, together, groups)


def _articles(items: list[dict]) -> list[set[str]]:
    return [{i["a"]["article_id"], i["b"]["article_id"]} for i in items]


def main(argv: list[str] | None = None) -> int:
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embeddings", action="store_true", help="add the sentence-embedding cosine")
    parser.add_argument("--claims", help="a pickled claims table of the war corpus (else analyze() runs)")
    parser.add_argument("--train-extra", help="more training pairs (truth/war_claim_pairs_train.json), "
                                              "none from a test-split article")
    args = parser.parse_args(argv)
    items = claim_pairs.truth_items(claim_pairs.load_truth())
    extra = claim_pairs.truth_items(claim_pairs.load_truth(args.train_extra)) if args.train_extra else []
    if args.claims:
        claims = pd.read_pickle(args.claims)
    else:
        claims = claim_pairs.extract_claims(claim_pairs.load_corpus())
    n = len(items)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = truth_features(claims, items + extra, args.embeddings)
    index = x.index.to_numpy()
    everything = items + extra
    y = np.array([everything[k]["label"] == "same_event" for k in index], dtype=int)
    split = np.array([everything[k]["split"] for k in index])
    all_groups = claim_pairs.event_groups(items)
    extra_groups = [g + len(set(all_groups)) for g in claim_pairs.event_groups(extra)]
    groups = np.array([(all_groups + extra_groups)[k] for k in index])
    judged = index < n
    print(f"{judged.sum()} of {n} truth items have both sentences as claims ({y[judged].sum()} same_event); "
          f"{len(set(all_groups))} events; {(~judged).sum()} extra training pairs ({y[~judged].sum()} same_event); "
          f"features: {', '.join(x.columns)}")
    for column in x.columns:
        if x.loc[judged, column].nunique() > 1:
            print(f"  AUC on the truth {column:20s} {roc_auc_score(y[judged], x.loc[judged, column]):.3f}")
    train, test = (split == "dev") | (split == "train"), split == "test"
    test_numbers = [k for k in range(n) if items[k]["split"] == "test"]
    test_items = [items[k] for k in test_numbers]
    pair_articles = _articles(everything)
    similarity = "embedding" if args.embeddings else "tfidf_chars"
    for name, columns in [(m, list(x.columns)) for m in models()] + [("logistic", [similarity])]:
        print(f"{name} on {'all features' if len(columns) > 1 else columns[0] + ' alone'}")
        xc = x[columns]
        model, threshold = fit_with_threshold(name, xc[train], y[train], groups[train], judged[train])
        scores = model.predict_proba(xc[test])[:, 1]
        accepted = dict(zip(index[test].tolist(), (scores >= threshold).tolist()))
        figures = accepted_figures(test_items, {k: accepted.get(t, False) for k, t in enumerate(test_numbers)},
                                   claim_pairs.event_groups(test_items))
        print(f"   trained on dev{' + extra' if extra else ''} (inner out-of-fold AUC on dev "
              f"{fit_with_threshold.inner_auc:.3f}), threshold {threshold:.3f}; test AUC "
              f"{roc_auc_score(y[test], scores):.3f}, accepted {sum(accepted.values())} of {len(test_items)}, "
              f"P {figures['precision']}, R {figures['recall']}")
        # 5-fold by event on the truth: each fold's model and threshold from its training part
        # (plus the extra pairs that share no article with the held-out items)
        rows = np.flatnonzero(judged)
        oof, accepted_all = np.zeros(len(y)), {}
        for fold_train, held in GroupKFold(FOLDS).split(rows, y[rows], groups[rows]):
            held_rows = rows[held]
            held_articles = set().union(*(pair_articles[k] for k in index[held_rows]))
            extra_rows = [r for r in np.flatnonzero(~judged) if not pair_articles[index[r]] & held_articles]
            fit_rows = np.concatenate([rows[fold_train], np.asarray(extra_rows, dtype=np.int64)])
            fold_model, fold_threshold = fit_with_threshold(name, xc.iloc[fit_rows], y[fit_rows], groups[fit_rows],
                                                            judged[fit_rows])
            oof[held_rows] = fold_model.predict_proba(xc.iloc[held_rows])[:, 1]
            accepted_all.update(zip(index[held_rows].tolist(), (oof[held_rows] >= fold_threshold).tolist()))
        figures = accepted_figures(items, accepted_all, all_groups)
        oracle = precision_threshold(oof[rows], y[rows], 0.8)
        print(f"   5-fold by event: AUC {roc_auc_score(y[rows], oof[rows]):.3f}, accepted "
              f"{sum(accepted_all.values())} of {n}, P {figures['precision']}, "
              f"R {figures['recall']}; same-event pairs above the best out-of-fold threshold for "
              f"P >= 0.8: {int(((oof[rows] >= oracle) & (y[rows] == 1)).sum())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
