"""Scoring claim clustering on real war news: same-event sentence pairs and near-misses.

The truth (`truth/war_claim_pairs.json`, see its `_about` and `provenance`) holds pairs of
sentences from different articles of the SemEval-2025 Task 10 English war corpus, labelled
`same_event` (they report one happening and belong in one cluster) or `near_miss` (they share
words, actors, places or figures but report different events, or are site boilerplate; they
must stay apart). Each truth sentence is mapped to the claim rows that overlap it; a pair is
*clustered* when some claim of one sentence shares its cluster with some claim of the other.

- pairwise precision = clustered same-event pairs / all clustered truth pairs
- recall = clustered same-event pairs / all same-event pairs (a sentence that is not a claim,
  i.e. not check-worthy, costs recall); `recall_both_claims` counts only the pairs whose two
  sentences are claims, which is what the clustering itself can reach.

Pairs of one event are not independent draws (a story gives several pairs), so the intervals
(`interval_figures`, `--intervals`) resample whole events (`event_groups`: the articles that
same-event pairs join), and a learned scorer is cross-validated by the same groups.

`multi_article_clusters` lists every cluster spanning two or more articles of a corpus so that a
person can judge whether each is a genuine repeat (`print_clusters` prints them).

    python -m presslens.evaluate.claim_pairs [--method words|events] [--split dev|test|all]
                                             [--intervals] [--clusters] [--datasets DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from .. import config
from .common import PRF

TRUTH_PATH = Path(__file__).resolve().parent / "truth" / "war_claim_pairs.json"
CORPUS = "semeval2025t10_en_war/articles"
LABELS = ("same_event", "near_miss")
# the columns a clustering adds to the claims table (presslens.claims.cluster_events)
CLUSTER_COLUMNS = ("cluster_id", "repeat_kind", "event_anchors", "event_predicates", "boilerplate", "cluster_method")


def load_truth(path: str | Path = TRUTH_PATH) -> dict:
    """The truth file, each item checked: two different articles, a known label, spans."""
    truth = json.loads(Path(path).read_text(encoding="utf-8"))
    for item in truth["items"]:
        if item["label"] not in LABELS:
            raise ValueError(f"{path}: item {item.get('id')} has label {item['label']!r}")
        if item["a"]["article_id"] == item["b"]["article_id"]:
            raise ValueError(f"{path}: item {item.get('id')} pairs two sentences of one article")
        for side in ("a", "b"):
            if not 0 <= int(item[side]["start"]) < int(item[side]["end"]):
                raise ValueError(f"{path}: item {item.get('id')} has an empty span")
    return truth


def truth_items(truth: dict, split: str = "all") -> list[dict]:
    return [i for i in truth["items"] if split == "all" or i.get("split") == split]


def load_corpus(datasets_dir: str | Path | None = None) -> pd.DataFrame:
    """The war articles as presslens loads them (title line off, offsets into `text`)."""
    from .. import io as presslens_io

    folder = Path(datasets_dir or config.DATASETS_DIR) / CORPUS
    if not folder.exists():
        raise FileNotFoundError(f"the war corpus is not at {folder}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = presslens_io.load_articles(folder)
    articles["article_id"] = articles["article_id"].astype(str)
    return articles


def check_anchors(truth: dict, articles: pd.DataFrame) -> list[str]:
    """Truth items whose offsets no longer point at their anchor text (a changed reader)."""
    texts = dict(zip(articles["article_id"], articles["text"]))
    bad = []
    for item in truth["items"]:
        for side in ("a", "b"):
            span = item[side]
            text = texts.get(span["article_id"])
            if text is None or not text[int(span["start"]):].startswith(span["anchor"]):
                bad.append(f"{item['id']}{side}")
    return bad


def extract_claims(articles: pd.DataFrame, cache_dir: str | Path | None = None) -> pd.DataFrame:
    """presslens.analyze's claims of `articles` (parsed in a fresh temporary cache unless
    `cache_dir` is given), without their cluster column."""
    from .. import analysis

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if cache_dir is None:
            with tempfile.TemporaryDirectory(prefix="presslens-pairs-") as tmp:
                result = analysis.analyze(articles, cache_dir=tmp, progress=False)
        else:
            result = analysis.analyze(articles, cache_dir=cache_dir, progress=False)
    return result.claims.drop(columns=["cluster_id"], errors="ignore")


def _rows_of(claims: pd.DataFrame) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = {}
    for aid, start, end, cluster in zip(claims["article_id"].astype(str), claims["start"],
                                        claims["end"], claims["cluster_id"].astype(str)):
        out.setdefault(aid, []).append((int(start), int(end), cluster))
    return out


def _clusters_of(span: dict, rows: dict[str, list[tuple[int, int, str]]]) -> set[str]:
    s, e = int(span["start"]), int(span["end"])
    return {c for cs, ce, c in rows.get(span["article_id"], []) if cs < e and s < ce}


def event_groups(items: Iterable[dict]) -> list[int]:
    """Per item, the event it belongs to: the connected component of its first article in the
    graph of articles that same-event pairs join (as the dev/test split was drawn), numbered
    in the order the components are first met. Near-misses go with their first article."""
    items = list(items)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for item in items:
        a, b = find(item["a"]["article_id"]), find(item["b"]["article_id"])
        if item["label"] == "same_event" and a != b:
            parent[a] = b
    numbers: dict[str, int] = {}
    return [numbers.setdefault(find(item["a"]["article_id"]), len(numbers)) for item in items]


def pair_outcomes(clustered: pd.DataFrame, items: Iterable[dict]) -> list[bool]:
    """Per item: whether a claim of its one sentence shares a cluster with a claim of the other."""
    rows = _rows_of(clustered)
    return [bool(_clusters_of(i["a"], rows) & _clusters_of(i["b"], rows)) for i in items]


def interval_figures(labels: Sequence[str], together: Sequence[bool], groups: Sequence[int],
                     n: int = 1000, seed: int = 0, alpha: float = 0.05) -> dict:
    """Pairwise precision and recall with percentile bootstrap intervals that resample whole
    events (`groups`), not single pairs: {"precision": (value, low, high), "recall": ...}.
    A resample without a clustered pair has precision 0, as score_pairs counts it."""
    by_group: dict[int, list[tuple[bool, bool]]] = {}
    for label, t, g in zip(labels, together, groups):
        by_group.setdefault(g, []).append((label == "same_event", bool(t)))

    def figures(sample: list[int]) -> tuple[float, float]:
        pairs = [p for g in sample for p in by_group[g]]
        tp = sum(s and t for s, t in pairs)
        clustered = sum(t for _, t in pairs)
        same = sum(s for s, _ in pairs)
        return (tp / clustered if clustered else 0.0), (tp / same if same else 0.0)

    keys = sorted(by_group)
    if not keys:
        return {"precision": (0.0, 0.0, 0.0), "recall": (0.0, 0.0, 0.0)}
    rng = random.Random(seed)
    draws = list(zip(*(figures([rng.choice(keys) for _ in keys]) for _ in range(n))))
    point = figures(keys)
    out = {}
    for k, name in enumerate(("precision", "recall")):
        stats = sorted(draws[k])
        out[name] = (round(point[k], 3), round(stats[int(alpha / 2 * n)], 3),
                     round(stats[min(n - 1, int((1 - alpha / 2) * n))], 3))
    return out


def score_pairs(clustered: pd.DataFrame, items: Iterable[dict]) -> dict:
    """Pairwise figures of a clustered claims table (article_id, start, end, cluster_id) on
    truth items; `errors` lists the same-event pairs missed and the near-misses merged."""
    rows = _rows_of(clustered)
    items = list(items)
    counts = {"same_event": 0, "same_event_both_claims": 0, "same_event_clustered": 0,
              "near_miss": 0, "near_miss_both_claims": 0, "near_miss_clustered": 0}
    sentences: dict[tuple[str, int], bool] = {}
    errors = {"missed": [], "merged": []}
    for item in items:
        ca, cb = _clusters_of(item["a"], rows), _clusters_of(item["b"], rows)
        for side, found in (("a", ca), ("b", cb)):
            sentences[(item[side]["article_id"], int(item[side]["start"]))] = bool(found)
        label = item["label"]
        counts[label] += 1
        if ca and cb:
            counts[f"{label}_both_claims"] += 1
        together = bool(ca & cb)
        counts[f"{label}_clustered"] += together
        if label == "same_event" and not together:
            errors["missed"].append(item["id"] + ("" if ca and cb else " (not both claims)"))
        if label == "near_miss" and together:
            errors["merged"].append(item["id"])
    tp, fp = counts["same_event_clustered"], counts["near_miss_clustered"]
    pairwise = PRF(tp, fp, counts["same_event"] - tp).as_dict()
    both = counts["same_event_both_claims"]
    return {
        "items": len(items), **counts,
        "precision": pairwise["precision"], "recall": pairwise["recall"], "f1": pairwise["f1"],
        "recall_both_claims": round(tp / both, 3) if both else 0.0,
        "truth_sentences": len(sentences),
        "truth_sentences_not_claims": sum(not v for v in sentences.values()),
        "errors": errors,
    }


def multi_article_clusters(clustered: pd.DataFrame, min_articles: int = 2) -> pd.DataFrame:
    """One row per member claim of every cluster that spans `min_articles` or more articles:
    cluster_id, n_articles, article_id, start, text (plus repeat_kind when present)."""
    n = clustered.groupby("cluster_id")["article_id"].nunique()
    keep = n[n >= min_articles].index
    cols = [c for c in ("cluster_id", "article_id", "start", "text", "repeat_kind")
            if c in clustered.columns]
    out = clustered.loc[clustered["cluster_id"].isin(keep), cols].copy()
    out["n_articles"] = out["cluster_id"].map(n).astype(int)
    return out.sort_values(["n_articles", "cluster_id", "article_id", "start"],
                           ascending=[False, True, True, True]).reset_index(drop=True)


def print_clusters(members: pd.DataFrame, width: int = 160, file=None) -> None:
    file = file or sys.stdout
    for cluster_id, group in members.groupby("cluster_id", sort=False):
        kind = f" {group['repeat_kind'].iloc[0]}" if "repeat_kind" in group.columns else ""
        print(f"== {cluster_id} ({group['article_id'].nunique()} articles{kind})", file=file)
        for aid, start, text in zip(group["article_id"], group["start"], group["text"]):
            print(f"   {aid}:{start}  {' '.join(str(text).split())[:width]}", file=file)


def _sample_truth() -> list[list[dict]]:
    path = config.DATA_DIR / "sample" / "claims_truth.json"
    truth = json.loads(path.read_text(encoding="utf-8"))
    return [[m for m in c["members"] if m.get("article_id") and m.get("sentence_contains")]
            for c in truth.get("clusters", [])]


def regression_figures(method: str = "events") -> dict:
    """The figures a new clustering must not lose: the sample corpus truth (pairwise and
    B-cubed, as presslens.evaluate.claims scores it) and the seed article's claim groups
    (C2 and C7 in one cluster with both figures side by side)."""
    from .. import claims as claims_module
    from .. import io as presslens_io
    from .. import nlp
    from . import claims as claims_eval

    cluster = clusterer(method)
    out: dict = {"method": method}
    if config.SAMPLE_CORPUS.exists() and (config.DATA_DIR / "sample" / "claims_truth.json").exists():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            articles = presslens_io.load_articles(config.SAMPLE_CORPUS)
            articles["article_id"] = articles["article_id"].astype(str)
            docs = dict(nlp.parse_articles(articles))
            found = claims_module.extract_claims(articles, docs=docs)
            clustered = cluster(found)
        out["sample"] = claims_eval.clustering_scores(clustered, _sample_truth())
    if config.SEED_GOLD.exists() and config.SEED_ARTICLE.exists():
        gold = json.loads(config.SEED_GOLD.read_text(encoding="utf-8"))
        articles = claims_eval.seed_article()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            docs = dict(nlp.parse_articles(articles))
            found = claims_module.extract_claims(articles, docs=docs)
            out["seed"] = claims_eval.score_seed_groups(cluster(found), gold, articles)
    return out


def clusterer(method: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    if method in ("current", "words"):  # the word-overlap clustering, before events
        from ..claims import cluster_words

        return cluster_words
    if method == "events":
        from ..claims import cluster_events

        return cluster_events
    raise ValueError(f"unknown clustering method {method!r}: current or events")


def run(datasets_dir=None, method: str = "events", splits: tuple[str, ...] = ("dev", "test", "all"),
        claims: pd.DataFrame | None = None, intervals: bool = False) -> dict:
    """Figures per split for one clustering method. `claims`: an already extracted claims
    table of the truth's articles (else presslens.analyze runs in a fresh cache);
    `intervals`: add 95% intervals over events (interval_figures) to each split."""
    truth = load_truth()
    if not (Path(datasets_dir or config.DATASETS_DIR) / CORPUS).exists():
        return {"skipped": f"{CORPUS} is absent from {datasets_dir or config.DATASETS_DIR}"}
    articles = load_corpus(datasets_dir)
    bad = check_anchors(truth, articles)
    if bad:
        raise ValueError(f"truth offsets do not match the articles any more: {bad[:10]}")
    involved = {i[s]["article_id"] for i in truth["items"] for s in ("a", "b")}
    if claims is None:
        claims = extract_claims(articles[articles["article_id"].isin(involved)])
    # a claims table from analyze() carries its clustering's columns: drop them, or the method
    # that did not run would be reported (cluster_words keeps columns it does not make)
    clustered = clusterer(method)(claims.drop(columns=list(CLUSTER_COLUMNS), errors="ignore"))
    out: dict = {"method": method, "articles": len(involved)}
    if "cluster_method" in clustered.columns and len(clustered):
        out["cluster_method"] = str(clustered["cluster_method"].iloc[0])
    for split in splits:
        items = truth_items(truth, split)
        out[split] = score_pairs(clustered, items)
        if intervals:
            out[split]["intervals"] = interval_figures([i["label"] for i in items], pair_outcomes(clustered, items),
                                                       event_groups(items))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m presslens.evaluate.claim_pairs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--method", default="events", choices=("words", "events"))
    parser.add_argument("--split", default="all", choices=("dev", "test", "all"))
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--intervals", action="store_true",
                        help="add 95%% bootstrap intervals that resample whole events")
    parser.add_argument("--clusters", action="store_true",
                        help="instead: print every multi-article cluster of the whole corpus")
    args = parser.parse_args(argv)
    if args.clusters:
        articles = load_corpus(args.datasets)
        clustered = clusterer(args.method)(extract_claims(articles))
        members = multi_article_clusters(clustered)
        print(f"{members['cluster_id'].nunique()} clusters span 2+ articles "
              f"({len(clustered)} claims, {len(articles)} articles)")
        print_clusters(members)
        return 0
    figures = run(args.datasets, args.method, (args.split,), intervals=args.intervals)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
