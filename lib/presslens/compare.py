"""Outlets side by side: one row per outlet with the sourcing, claim, framing and language
measures of its articles (notebook 6), each a mean or share over that outlet's articles."""

from __future__ import annotations

import pandas as pd

from . import schema
from .analysis import Analysis

# measure -> what it means, shown beside the comparison table.
MEASURES = {
    "n_articles": "articles in the window",
    "attributions_per_article": "attributions per article",
    "share_named": "attributions to a named source",
    "share_anonymous": "attributions to anonymous sources",
    "share_vague": "attributions with no one behind them (vague)",
    "share_second_hand": "attributions relayed second-hand",
    "source_diversity": "Shannon entropy (bits) of cited sources, mean per article",
    "claims_per_article": "check-worthy claims per article",
    "share_unattributed_claims": "check-worthy claims with no attributed source",
    "share_hedged_claims": "claims carrying a hedge",
    "share_russian_style": "Russian-style spellings among spelled place names",
    "contested_adopted": "contested terms used plainly (adopted), per article",
    "contested_distance": "contested terms in scare quotes (distance), per article",
    "hedges_per_1k_words": "hedges per 1,000 words",
    "boosters_per_1k_words": "boosters per 1,000 words",
    "persuasion_per_1k_words": "persuasion-technique spans per 1,000 words",
    "tone_mean": "mean VADER compound tone of sentences (see caveat)",
}


def _outlet_of(analysis: Analysis) -> pd.Series:
    arts = analysis.articles
    return pd.Series(schema.outlet_labels(arts).values, index=arts["article_id"].astype(str).values)


def _per_outlet(df: pd.DataFrame, outlet: pd.Series) -> pd.Series:
    return df["article_id"].astype(str).map(outlet)


def outlet_summary(analysis: Analysis, outlets: list[str] | None = None) -> pd.DataFrame:
    """One row per outlet (sorted by name) with the measures in MEASURES."""
    outlet = _outlet_of(analysis)
    arts = analysis.articles.assign(_outlet=outlet.values)
    words = arts.groupby("_outlet")["n_words"].sum() if "n_words" in arts else \
        arts.groupby("_outlet")["text"].apply(lambda s: s.str.split().str.len().sum())
    out = pd.DataFrame({"n_articles": arts.groupby("_outlet").size()})

    att = analysis.attributions.assign(_outlet=lambda d: _per_outlet(d, outlet))
    g = att.groupby("_outlet")
    out["attributions_per_article"] = g.size() / out["n_articles"]
    out["share_named"] = g["named"].apply(lambda s: s.fillna(False).astype(bool).mean())
    out["share_anonymous"] = g["source_type"].apply(lambda s: (s == "anonymous").mean())
    out["share_vague"] = g["source_type"].apply(lambda s: (s == "vague").mean())
    if "second_hand" in att:
        out["share_second_hand"] = g["second_hand"].apply(lambda s: s.fillna(False).astype(bool).mean())
    prof = analysis.source_profile
    if len(prof) and "source_entropy" in prof:
        prof = prof.assign(_outlet=lambda d: _per_outlet(d, outlet))
        out["source_diversity"] = prof.groupby("_outlet")["source_entropy"].mean()

    claims = analysis.claims.assign(_outlet=lambda d: _per_outlet(d, outlet))
    gc = claims.groupby("_outlet")
    out["claims_per_article"] = gc.size() / out["n_articles"]
    out["share_unattributed_claims"] = gc["attributed_to"].apply(lambda s: s.isna().mean())
    out["share_hedged_claims"] = gc["hedged"].apply(lambda s: s.fillna(False).astype(bool).mean())

    terms = analysis.terms
    if len(terms):
        terms = terms.assign(_outlet=lambda d: _per_outlet(d, outlet))
        spell = terms[terms["kind"] == "place_spelling"]
        ru = spell[spell["category"] == "russian_style"].groupby("_outlet").size()
        ua = spell[spell["category"] == "ukrainian_style"].groupby("_outlet").size()
        both = ru.add(ua, fill_value=0)
        out["share_russian_style"] = ru.reindex(both.index, fill_value=0) / both
        contested = terms[terms["kind"] == "contested_term"]
        for cat in ("adopted", "distance"):
            n = contested[contested["category"] == cat].groupby("_outlet").size()
            out[f"contested_{cat}"] = n.reindex(out.index, fill_value=0) / out["n_articles"]
        for kind, col in (("hedge", "hedges_per_1k_words"), ("booster", "boosters_per_1k_words")):
            n = terms[terms["kind"] == kind].groupby("_outlet").size()
            out[col] = 1000 * n.reindex(out.index, fill_value=0) / words
    pers = analysis.persuasion
    if len(pers):
        n = pers.assign(_outlet=lambda d: _per_outlet(d, outlet)).groupby("_outlet").size()
        out["persuasion_per_1k_words"] = 1000 * n.reindex(out.index, fill_value=0) / words
    tone = analysis.tone
    if len(tone) and "compound" in tone:
        out["tone_mean"] = tone.assign(_outlet=lambda d: _per_outlet(d, outlet)).groupby("_outlet")["compound"].mean()

    out = out.reindex(columns=[c for c in MEASURES if c in out.columns])
    out.index.name = "outlet"
    out = out.reset_index().sort_values("outlet", kind="mergesort").reset_index(drop=True)
    if outlets:
        out = out[out["outlet"].isin(outlets)].reset_index(drop=True)
    return out


def frame_means(analysis: Analysis, scheme: str = "generic") -> pd.DataFrame:
    """Mean frame score per outlet (rows) and frame (columns)."""
    outlet = _outlet_of(analysis)
    frames = analysis.frames[analysis.frames["scheme"] == scheme]
    frames = frames.assign(outlet=lambda d: _per_outlet(d, outlet))
    return frames.pivot_table(index="outlet", columns="frame", values="score", aggfunc="mean",
                              observed=True).sort_index()


def counts_by_outlet(rows: pd.DataFrame, articles: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows per outlet (one row each, schema.UNKNOWN_OUTLET for articles without one) and value of
    `column` (one column each), for the articles of `articles`; no rows when there are none."""
    outlet = pd.Series(schema.outlet_labels(articles).values, index=articles["article_id"].astype(str).values)
    if rows.empty or column not in rows.columns:
        return pd.DataFrame({"outlet": pd.Series(dtype="string")})
    table = rows.assign(outlet=_per_outlet(rows, outlet)).dropna(subset=["outlet"])
    counts = pd.crosstab(table["outlet"], table[column].astype("string").fillna("unknown"))
    counts.columns.name = None
    return counts.reset_index().sort_values("outlet", kind="mergesort").reset_index(drop=True)


def tone_by_outlet(analysis: Analysis) -> pd.DataFrame:
    """Sentence tone (VADER compound) per outlet: mean and quartiles."""
    outlet = _outlet_of(analysis)
    tone = analysis.tone
    if tone.empty:
        return pd.DataFrame(columns=["outlet", "sentences", "mean", "25%", "50%", "75%"])
    values = tone.assign(outlet=_per_outlet(tone, outlet))
    out = values.groupby("outlet")["compound"].describe()[["count", "mean", "25%", "50%", "75%"]]
    out = out.rename(columns={"count": "sentences"}).astype({"sentences": "int64"}).round(2)
    return out.reset_index().sort_values("outlet", kind="mergesort").reset_index(drop=True)


