"""Scoring presslens.claims against human annotation.

- ClaimBuster (`<datasets>/claimbuster/sentences.csv`): F1 of the check-worthy class on a
  fixed stratified 80/20 split (seed 0) and in 5-fold CV, for presslens' model (retrained on
  the training part: the shipped model has seen every sentence) scored as
  `check_worthiness(sentences)` scores bare sentences, the same with the news layer forced on
  (`domain=True`), and a plain TF-IDF + logistic regression baseline computed in the same run.
- Real-news dev gold (`shared/gold/realnews/*.json`, when present): claims precision and
  recall as `shared/tools/realnews_score.py` counts them (a claim is right when it overlaps a
  gold claim anchor), and the share of scored sentences marked as claims beside the share the
  gold marks.
- Seed article (`shared/gold/seed_article.json`): gold claims C1-C8 found as check-worthy
  with the right attribution, with presslens.sourcing (when it exists) and without; whether
  the claims of each gold claim group share one cluster and its figures sit side by side.
- Sample corpus (`data/sample/claims_truth.json`, when present): clustering quality as
  pairwise precision/recall and B-cubed over the truth members found as claims.
"""

from __future__ import annotations

import itertools
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .. import claims, config, nlp
from .common import PRF, locate_anchor

SEED = 0


# =========================================================================== ClaimBuster

def load_claimbuster(datasets_dir) -> pd.DataFrame | None:
    path = Path(datasets_dir) / "claimbuster" / "sentences.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path).dropna(subset=["text", "label"])
    df["text"] = df["text"].astype(str)
    df["label"] = df["label"].astype(int)
    return df.sort_values("sentence_id", kind="stable").reset_index(drop=True)


def baseline_pipeline():
    """The reference baseline: default TF-IDF + logistic regression, as a user would fit it."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=2000, random_state=SEED))


def baseline_scores(train: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
    clf = baseline_pipeline().fit(train["text"].tolist(), train["label"].to_numpy())
    return clf.predict_proba(test["text"].tolist())[:, 1]


def model_scores_both(train: pd.DataFrame, test: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Scores of presslens' model retrained on `train`, through `claims.checkworthy_scores` as
    `check_worthiness` gives them: for bare sentences (the default, the model alone) and with
    the news layer forced on (`domain=True`: each sentence parsed). One fit for both."""
    texts = test["text"].tolist()
    clf = claims.CheckWorthinessClassifier(seed=SEED).fit(train["text"].tolist(), train["label"].tolist())
    z = clf.decision_function(texts)
    plain, _ = claims.checkworthy_scores(texts, None, news=False, logits=z)
    spans = [doc[:] for doc in nlp.load_pipeline().pipe(texts)]
    _, news = claims.checkworthy_scores(texts, spans, logits=z)
    return plain, news


def _prf(labels, scores, threshold: float = claims.CHECKWORTHY_THRESHOLD) -> dict:
    labels = np.asarray(labels, dtype=bool)
    pred = np.asarray(scores) >= threshold
    return PRF(int((pred & labels).sum()), int((pred & ~labels).sum()), int((~pred & labels).sum())).as_dict()


def _f1_at_the_cut(estimator, texts, labels) -> float:
    """A scikit-learn scorer: F1 of the check-worthy class at CHECKWORTHY_THRESHOLD, rounded
    as the figures are."""
    return _prf(labels, estimator.predict_proba(texts)[:, 1])["f1"]


def claimbuster_figures(df: pd.DataFrame, folds: int = 5) -> dict:
    from sklearn.model_selection import StratifiedKFold, cross_validate, train_test_split

    train, test = train_test_split(df, test_size=0.2, stratify=df["label"], random_state=SEED)
    plain, with_news = model_scores_both(train, test)
    out: dict = {
        "n_sentences": len(df), "n_positive": int(df["label"].sum()),
        "heldout_20pct": {
            "model": _prf(test["label"], plain),
            "model_with_news_layer_forced": _prf(test["label"], with_news),
            "baseline_tfidf_lr": _prf(test["label"], baseline_scores(train, test)),
        },
    }
    if folds:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=SEED)
        texts, labels = df["text"].tolist(), df["label"].to_numpy()
        estimators = {"model": claims.CheckWorthinessClassifier(seed=SEED), "baseline_tfidf_lr": baseline_pipeline()}
        cv = {name: [float(f1) for f1 in cross_validate(estimator, texts, labels, cv=splitter, scoring=_f1_at_the_cut,
                                                        error_score="raise")["test_score"]]
              for name, estimator in estimators.items()}
        out[f"cv{folds}_f1_mean"] = {k: round(float(np.mean(v)), 3) for k, v in cv.items()}
        out[f"cv{folds}_f1_folds"] = cv
    return out


# =========================================================================== seed article

def _content_words(text: str | None) -> set[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = re.findall(r"[^\W\d_]+", (text or "").lower())
    return {w for w in words if w not in ENGLISH_STOP_WORDS and len(w) > 1}


def _same_source(predicted, gold: str | None) -> bool:
    if gold is None:
        return predicted is None or bool(pd.isna(predicted))
    if predicted is None or bool(pd.isna(predicted)):
        return False
    if str(predicted).strip().lower() == gold.strip().lower():
        return True
    # names made of stop words ("Go and See") are compared on all their words
    pw = _content_words(str(predicted)) or set(re.findall(r"[^\W\d_]+", str(predicted).lower()))
    gw = _content_words(gold) or set(re.findall(r"[^\W\d_]+", gold.lower()))
    return bool(pw & gw)


def seed_article() -> pd.DataFrame:
    record = json.loads(config.SEED_ARTICLE.read_text(encoding="utf-8").splitlines()[0])
    record["article_id"] = record.pop("id", None) or record.get("article_id") or "seed"
    return pd.DataFrame([record])


def _sourcing_attributions(articles: pd.DataFrame, docs: dict) -> pd.DataFrame | None:
    try:
        from .. import sourcing
    except ImportError:
        return None
    try:
        return sourcing.extract_attributions(articles, docs=docs)
    except TypeError:
        return sourcing.extract_attributions(articles)


def score_seed_claims(found: pd.DataFrame, gold: dict) -> dict:
    """Gold claims found (check-worthy, text covers the key) and with the right attribution."""
    per_claim = {}
    for item in gold["claims"]:
        hits = found[found["text"].str.contains(item["key"], regex=False)]
        row = hits.iloc[0] if len(hits) else None
        per_claim[item["id"]] = {
            "found": row is not None,
            "check_worthiness": None if row is None else round(float(row["check_worthiness"]), 3),
            "attributed_to": None if row is None or pd.isna(row["attributed_to"]) else row["attributed_to"],
            "gold_attributed_to": item.get("attributed_to"),
            "attribution_right": row is not None and _same_source(row["attributed_to"], item.get("attributed_to")),
        }
    n = len(per_claim)
    found_n = sum(v["found"] for v in per_claim.values())
    right_n = sum(v["found"] and v["attribution_right"] for v in per_claim.values())
    gold_sentences = [g["key"] for g in gold["claims"]] + [
        u["sentence_contains"] for u in gold.get("unattributed_assertions", [])]
    in_gold = found["text"].apply(lambda t: any(k in t for k in gold_sentences))
    return {
        "claims_found": f"{found_n}/{n}",
        "claims_found_with_right_attribution": f"{right_n}/{n}",
        "extracted_claims": len(found),
        "extracted_in_gold_claims_or_assertions": int(in_gold.sum()),
        "per_claim": per_claim,
    }


def score_seed_groups(clustered: pd.DataFrame, gold: dict, articles: pd.DataFrame) -> dict:
    keys = {c["id"]: c["key"] for c in gold["claims"]}
    freq = claims.claim_frequency(clustered, articles)
    out = {}
    for group in gold.get("claim_groups", []):
        members = [m for m in group["members"] if m in keys]
        clusters = set()
        for m in members:
            hit = clustered[clustered["text"].str.contains(keys[m], regex=False)]
            clusters.update(hit["cluster_id"].astype(str).tolist() or [f"missing-{m}"])
        entry: dict = {"members": members, "one_cluster": len(clusters) == 1 and not any(
            c.startswith("missing-") for c in clusters)}
        if group.get("also_in") and entry["one_cluster"]:
            cluster = next(iter(clusters))
            also = [a for a in group["also_in"] if clustered["text"].str.contains(a, regex=False).any()]
            entry["also_in_same_cluster"] = (
                f"{sum(bool((clustered['text'].str.contains(a, regex=False) & (clustered['cluster_id'] == cluster)).any()) for a in also)}"
                f"/{len(also)} (of the also_in sentences extracted as claims; titles are not in `text`)")
        if group.get("conflicting_figures") and len(clusters) == 1:
            figures = freq.loc[freq["cluster_id"] == next(iter(clusters)), "figures"]
            listed = [f.lower() for f in (figures.iloc[0] if len(figures) else [])]
            entry["figures"] = list(figures.iloc[0]) if len(figures) else []
            entry["all_figures_side_by_side"] = all(
                any(g.lower() in f or f in g.lower() for f in listed) for g in group["conflicting_figures"])
        out[group["topic"]] = entry
    return out


def seed_figures() -> dict:
    if not config.SEED_GOLD.exists() or not config.SEED_ARTICLE.exists():
        return {"skipped": "seed article or its gold annotation is absent"}
    gold = json.loads(config.SEED_GOLD.read_text(encoding="utf-8"))
    articles = seed_article()
    docs = dict(nlp.parse_articles(articles))
    empty_attr = pd.DataFrame(columns=["article_id"])
    out: dict = {}
    without = claims.extract_claims(articles, attributions=empty_attr, docs=docs)
    out["without_sourcing"] = score_seed_claims(without, gold)
    attributions = _sourcing_attributions(articles, docs)
    if attributions is None:
        out["with_sourcing"] = {"skipped": "presslens.sourcing is not available yet"}
        clustered = claims.cluster_claims(without)
    else:
        with_src = claims.extract_claims(articles, attributions=attributions, docs=docs)
        out["with_sourcing"] = score_seed_claims(with_src, gold)
        clustered = claims.cluster_claims(with_src)
    out["claim_groups"] = score_seed_groups(clustered, gold, articles)
    out["hedges"] = score_seed_hedges(articles["text"].iloc[0], gold)
    return out


def score_seed_hedges(text: str, gold: dict) -> dict:
    """Gold hedge phrases (language.hedges) that contain a cue of claims_hedges.txt, and cues
    found outside every gold phrase (not all of which are wrong: the gold list is short)."""
    phrases = gold.get("language", {}).get("hedges", [])
    spans = []
    for phrase in phrases:
        at = text.find(phrase)
        if at >= 0:
            spans.append((at, at + len(phrase)))
    cues = claims.find_hedges(text)
    found = sum(any(s <= c["start"] < e for c in cues) for s, e in spans)
    outside = [c["text"] for c in cues if not any(s <= c["start"] < e for s, e in spans)]
    return {"gold_phrases_with_a_cue": f"{found}/{len(spans)}", "cues_outside_gold_phrases": outside}


# =========================================================================== sample corpus

def _truth_clusters(truth) -> list[list[dict]]:
    """The truth file's clusters as lists of {article_id, sentence_contains}; tolerant of a
    top-level list or a {"clusters": [...]} object, members as dicts."""
    clusters = truth.get("clusters", truth.get("claims", [])) if isinstance(truth, dict) else truth
    out = []
    for cluster in clusters or []:
        members = cluster.get("members", []) if isinstance(cluster, dict) else cluster
        members = [m for m in members if isinstance(m, dict) and m.get("article_id") and m.get("sentence_contains")]
        if members:
            out.append(members)
    return out


def clustering_scores(clustered: pd.DataFrame, truth_clusters: list[list[dict]]) -> dict:
    """Pairwise P/R/F1 and B-cubed P/R/F1 over the truth members; a member that is not among
    the extracted claims counts as a singleton of its own (it costs recall)."""
    by_article = {aid: g for aid, g in clustered.groupby(clustered["article_id"].astype(str))}
    members: list[tuple[int, str]] = []  # (truth cluster, predicted cluster)
    missing = 0
    for t, cluster in enumerate(truth_clusters):
        for m in cluster:
            group = by_article.get(str(m["article_id"]))
            needle = m["sentence_contains"]
            hit = None if group is None else group[group["text"].str.contains(needle, regex=False)]
            if hit is None or len(hit) == 0:
                missing += 1
                members.append((t, f"missing-{t}-{len(members)}"))
            else:
                members.append((t, str(hit["cluster_id"].iloc[0])))
    tp = fp = fn = 0
    for (ta, pa), (tb, pb) in itertools.combinations(members, 2):
        same_t, same_p = ta == tb, pa == pb
        tp += same_t and same_p
        fp += same_p and not same_t
        fn += same_t and not same_p
    pairwise = PRF(tp, fp, fn).as_dict()
    precisions, recalls = [], []
    for t, p in members:
        same_p = [x for x in members if x[1] == p]
        same_t = [x for x in members if x[0] == t]
        both = sum(1 for x in same_p if x[0] == t)
        precisions.append(both / len(same_p))
        recalls.append(both / len(same_t))
    bp, br = float(np.mean(precisions)) if members else 0.0, float(np.mean(recalls)) if members else 0.0
    return {
        "truth_clusters": len(truth_clusters), "truth_members": len(members),
        "members_not_extracted_as_claims": missing,
        "pairwise": pairwise,
        "bcubed": {"precision": round(bp, 3), "recall": round(br, 3),
                   "f1": round(2 * bp * br / (bp + br), 3) if bp + br else 0.0},
    }


def sample_figures() -> dict:
    truth_path = config.DATA_DIR / "sample" / "claims_truth.json"
    if not config.SAMPLE_CORPUS.exists() or not truth_path.exists():
        return {"skipped": "data/sample/articles.jsonl or claims_truth.json is absent"}
    from .. import io as presslens_io

    articles = presslens_io.load_articles(config.SAMPLE_CORPUS)
    articles["article_id"] = articles["article_id"].astype(str)
    truth = _truth_clusters(json.loads(truth_path.read_text(encoding="utf-8")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = dict(nlp.parse_articles(articles))
        attributions = _sourcing_attributions(articles, docs)
        if attributions is None:
            attributions = pd.DataFrame(columns=["article_id"])
        found = claims.extract_claims(articles, attributions=attributions, docs=docs)
        clustered = claims.cluster_claims(found)
    freq = claims.claim_frequency(clustered, articles)
    return {
        "articles": len(articles), "claims": len(found), "clusters": int(clustered["cluster_id"].nunique()),
        "clusters_in_2plus_articles": int((freq["n_articles"] >= 2).sum()),
        "clustering": clustering_scores(clustered, truth),
    }


# =========================================================================== real-news gold

REALNEWS_GOLD_DIR = config.SHARED_DIR / "gold" / "realnews"




def realnews_claims_figures(gold_dir=None, datasets_dir=None) -> dict:
    """Claims on the real-news gold: precision and recall as the shared scorer counts them,
    and the share of scored sentences marked as claims beside the gold's share.

    The articles are loaded and scored as `analyze` scores them (page furniture blanked, the
    news layer); attributions are left out, which changes no claim, only `attributed_to`.
    """
    from .. import io as presslens_io

    folder = Path(gold_dir or REALNEWS_GOLD_DIR)
    gold_files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not gold_files:
        return {"skipped": f"no real-news gold in {folder}"}
    gold = [a for g in gold_files for a in json.loads(g.read_text(encoding="utf-8"))["articles"]]
    root = Path(datasets_dir or config.DATASETS_DIR)
    missing = [a["file"] for a in gold if not (root / a["file"]).exists()]
    if missing:
        return {"skipped": f"{len(missing)} gold articles not under {root} (e.g. {missing[0]})"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = []
        for a in gold:
            article = presslens_io.load_articles(root / a["file"]).assign(article_id=a["article_id"])
            article.attrs = {}
            frames.append(article)
        articles = pd.concat(frames, ignore_index=True)
        scored = claims.extract_claims(articles, attributions=pd.DataFrame(columns=["article_id"]), min_score=0.0)
    texts = dict(zip(articles["article_id"], articles["text"]))
    by_article = {k: g for k, g in scored.groupby("article_id")}
    n_gold = n_gold_hit = n_pred = n_pred_right = n_sentences = n_gold_sentences = 0
    for a in gold:
        spans = [s for c in a.get("claims", []) if (s := locate_anchor(texts[a["article_id"]], c["anchor"], c.get("occurrence", 0)))]
        rows = by_article.get(a["article_id"], scored.iloc[0:0])
        sentences = list(zip(rows["start"].astype(int), rows["end"].astype(int), rows["check_worthiness"] >= claims.CHECKWORTHY_THRESHOLD))
        predicted = [(s, e) for s, e, marked in sentences if marked]
        n_sentences += len(sentences)
        n_gold_sentences += sum(any(s < ge and gs < e for gs, ge in spans) for s, e, _ in sentences)
        n_pred += len(predicted)
        n_pred_right += sum(any(s < ge and gs < e for gs, ge in spans) for s, e in predicted)
        n_gold += len(spans)
        n_gold_hit += sum(any(s < ge and gs < e for s, e in predicted) for gs, ge in spans)
    return {
        "gold": [g.name for g in gold_files], "articles": len(gold), "sentences": n_sentences,
        "claim_precision": round(n_pred_right / n_pred, 3) if n_pred else 0.0,
        "claim_recall": round(n_gold_hit / n_gold, 3) if n_gold else 0.0,
        "share_marked": round(n_pred / n_sentences, 3) if n_sentences else 0.0,
        "gold_share": round(n_gold_sentences / n_sentences, 3) if n_sentences else 0.0,
        "counts": {"predicted": n_pred, "predicted_right": n_pred_right, "gold_anchors": n_gold,
                   "gold_anchors_found": n_gold_hit},
    }


# =========================================================================== entry point

def run(datasets_dir=None, folds: int = 5) -> dict:
    """Every claims figure whose gold data is present."""
    datasets_dir = Path(datasets_dir or config.DATASETS_DIR)
    figures: dict = {}
    cb = load_claimbuster(datasets_dir)
    figures["claimbuster"] = claimbuster_figures(cb, folds) if cb is not None else {
        "skipped": f"{datasets_dir}/claimbuster/sentences.csv is absent"}
    figures["seed"] = seed_figures()
    figures["sample"] = sample_figures()
    figures["realnews_claims"] = realnews_claims_figures(datasets_dir=datasets_dir)
    return figures
