"""One article, read closely: the tables behind the article deep dive (notebook 5) and the
media-literacy lesson (notebook 7). Each function takes an Analysis and an article id and
returns a small table in the words a class would use, with the character offsets that
point at the evidence."""

from __future__ import annotations

import pandas as pd

from .analysis import Analysis


def _one(df: pd.DataFrame, article_id: str) -> pd.DataFrame:
    return df[df["article_id"].astype(str) == str(article_id)]


def default_article(analysis: Analysis) -> str:
    """The article with the most attributions and claims (ties: smallest id): a rich default
    for the deep dive when no id is given."""
    counts = (analysis.attributions.groupby("article_id").size()
              .add(analysis.claims.groupby("article_id").size(), fill_value=0))
    if counts.empty:
        return str(analysis.articles["article_id"].iloc[0])
    best = counts.max()
    return str(sorted(counts[counts == best].index.astype(str))[0])


def who_speaks(analysis: Analysis, article_id: str) -> pd.DataFrame:
    """Every attribution: who (as written and resolved), how (cue, quote type), what kind of
    source, whether named, whose side, and whether it is relayed second-hand."""
    att = _one(analysis.attributions, article_id)
    cols = {
        "sentence_index": "sentence", "source_text": "source as written",
        "source_canonical": "refers to", "cue_text": "cue", "quote_type": "how",
        "source_type": "type", "named": "named", "affiliation": "side",
        "second_hand": "second-hand", "source_start": "source_start", "source_end": "source_end",
    }
    out = att[[c for c in cols if c in att.columns]].rename(columns=cols)
    return out.sort_values(["sentence", "source_start"], kind="mergesort", na_position="last").reset_index(drop=True)


def claims_table(analysis: Analysis, article_id: str, unattributed_only: bool = False) -> pd.DataFrame:
    """Check-worthy claims with who they are attributed to, hedging and figures."""
    cl = _one(analysis.claims, article_id)
    if unattributed_only:
        cl = cl[cl["attributed_to"].isna()]
    out = pd.DataFrame({
        "sentence": cl["sentence_index"],
        "claim": cl["text"],
        "check-worthiness": cl["check_worthiness"].round(2),
        "attributed to": cl["attributed_to"].fillna("(nobody)"),
        "hedged": cl["hedged"],
        "figures": cl["quantities"].map(lambda qs: ", ".join(q["text"] for q in qs) if isinstance(qs, list) else ""),
        "start": cl["start"],
        "end": cl["end"],
    })
    return out.sort_values("sentence", kind="mergesort").reset_index(drop=True)


def repeated_claims(analysis: Analysis, article_id: str) -> pd.DataFrame:
    """Claims of this article that fall in one cluster with another claim of the same article
    (the same assertion made twice), with each version's source and figures side by side."""
    cl = _one(analysis.claims, article_id)
    if "cluster_id" not in cl or cl.empty:
        return pd.DataFrame(columns=["cluster_id", "sentence", "claim", "attributed to", "figures"])
    multi = cl.groupby("cluster_id").filter(lambda g: len(g) > 1)
    return pd.DataFrame({
        "cluster_id": multi["cluster_id"],
        "sentence": multi["sentence_index"],
        "claim": multi["text"],
        "attributed to": multi["attributed_to"].fillna("(nobody)"),
        "figures": multi["quantities"].map(lambda qs: ", ".join(q["text"] for q in qs) if isinstance(qs, list) else ""),
    }).sort_values(["cluster_id", "sentence"], kind="mergesort").reset_index(drop=True)


def terms_of(analysis: Analysis, article_id: str, kinds: tuple[str, ...]) -> pd.DataFrame:
    """Flagged terms of the given kinds (contested_term, place_spelling, hedge, booster,
    loaded_language, ...) with their category, whether quoted, and offsets."""
    terms = _one(analysis.terms, article_id)
    terms = terms[terms["kind"].isin(kinds)]
    cols = [c for c in ("sentence_index", "kind", "term", "category", "canonical", "quoted", "start", "end")
            if c in terms.columns]
    return terms[cols].sort_values(["start", "end"], kind="mergesort").reset_index(drop=True)


def spelling_summary(analysis: Analysis, article_id: str) -> pd.DataFrame:
    """Place names as spelled, their style and the Ukrainian-style form, with counts."""
    hits = terms_of(analysis, article_id, ("place_spelling",))
    if hits.empty:
        return pd.DataFrame(columns=["as written", "style", "Ukrainian-style form", "times"])
    out = (hits.groupby(["term", "category", "canonical"], observed=True).size()
           .reset_index(name="times")
           .rename(columns={"term": "as written", "category": "style", "canonical": "Ukrainian-style form"}))
    return out.sort_values(["style", "as written"], kind="mergesort").reset_index(drop=True)


def frame_scores(analysis: Analysis, article_id: str, scheme: str = "generic") -> pd.DataFrame:
    fr = _one(analysis.frames, article_id)
    fr = fr[fr["scheme"] == scheme][["frame", "score", "present"]]
    return fr.sort_values(["score", "frame"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def frame_examples(analysis: Analysis, article_id: str, scheme: str = "generic", per_frame: int = 2) -> pd.DataFrame:
    """For each frame present, the sentences with the most indicator evidence."""
    ev = _one(analysis.frame_evidence, article_id)
    if ev.empty:
        return pd.DataFrame(columns=["frame", "sentence", "evidence", "text"])
    ev = ev[ev["scheme"] == scheme]
    sents = _one(analysis.sentences, article_id).set_index("sentence_index")["text"]
    rows = []
    for frame, group in ev.groupby("frame", sort=True):
        best = (group.groupby("sentence_index")["text"].agg(lambda s: ", ".join(sorted(set(s))))
                .to_frame("evidence").assign(n=group.groupby("sentence_index").size())
                .sort_values(["n"], ascending=False, kind="mergesort").head(per_frame))
        for idx, row in best.iterrows():
            rows.append({"frame": frame, "sentence": int(idx), "evidence": row["evidence"],
                         "text": sents.get(idx, "")})
    return pd.DataFrame(rows)
