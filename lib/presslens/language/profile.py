"""Per-article language summary: tone, hedging and boosting per 1,000 words, place spellings,
contested terms by how the writer uses them, persuasion spans by technique."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .extract import run_tables, sorted_table, summarize_spellings
from .tables import TECHNIQUES, TERMS, TONE


def language_profile(articles: pd.DataFrame, docs: Mapping | None = None,
                     tables: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per article summarising its language.

    Parameters
    ----------
    articles : DataFrame
        At least `article_id` and `text`.
    docs : Mapping, optional
        article_id -> parsed Doc.
    tables : Mapping, optional
        Already computed `terms` and `tone` tables (an Analysis's), so nothing is recomputed.

    Returns
    -------
    DataFrame
        Tone (mean, min, share of negative sentences), hedges and boosters per 1,000 words,
        place spellings, contested terms by category, persuasion spans by technique.

    Examples
    --------
    >>> presslens.language.language_profile(result.articles, tables=result.tables())  # doctest: +SKIP
    """
    if tables is None:
        raw = run_tables(articles, docs)
        tables = {"terms": sorted_table(raw["terms"], TERMS, ["article_id", "start"]),
                  "tone": sorted_table(raw["tone"], TONE, ["article_id", "sentence_index"])}
    terms, tone_table = tables["terms"], tables["tone"]
    ids = sorted(articles["article_id"].astype(str)) if articles is not None and len(articles) else []
    out = pd.DataFrame({"article_id": ids})
    if not ids:
        return out.astype({"article_id": "string"})
    n_words = dict(zip(articles["article_id"].astype(str),
                       articles["text"].fillna("").astype(str).str.split().str.len()))
    out["n_words"] = out["article_id"].map(n_words).astype("Int64")
    tone_by = tone_table.assign(article_id=tone_table["article_id"].astype(str)).groupby("article_id")["compound"]
    out["n_sentences"] = out["article_id"].map(tone_by.size()).fillna(0).astype("Int64")
    out["tone_mean"] = out["article_id"].map(tone_by.mean()).astype("float64")
    out["tone_min"] = out["article_id"].map(tone_by.min()).astype("float64")
    out["share_negative_sentences"] = out["article_id"].map(
        tone_by.apply(lambda s: float((s <= -0.05).mean()))).astype("float64")
    t = terms.assign(article_id=terms["article_id"].astype(str))
    per_1k = 1000 / out["n_words"].where(out["n_words"] > 0).astype("float64")
    for kind in ("hedge", "booster"):
        n = out["article_id"].map(t[t["kind"] == kind].groupby("article_id").size()).fillna(0)
        out[f"n_{kind}s"] = n.astype("Int64")
        out[f"{kind}s_per_1k_words"] = (n * per_1k).astype("float64")
    places = t[t["kind"] == "place_spelling"]
    spell = summarize_spellings(places[["article_id", "category"]], ids)
    out = out.merge(spell.assign(article_id=spell["article_id"].astype(str)), on="article_id", how="left")
    contested = t[t["kind"] == "contested_term"]
    for category in ("adopted", "distance", "source_quote"):
        n = contested[contested["category"] == category].groupby("article_id").size()
        out[f"n_contested_{category}"] = out["article_id"].map(n).fillna(0).astype("Int64")
    ru = contested[(contested["side"] == "RU") & (contested["category"] == "adopted")].groupby("article_id").size()
    out["n_ru_terms_adopted"] = out["article_id"].map(ru).fillna(0).astype("Int64")
    for technique in TECHNIQUES:
        n = t[t["kind"] == technique].groupby("article_id").size()
        out[f"n_{technique}"] = out["article_id"].map(n).fillna(0).astype("Int64")
    out["article_id"] = out["article_id"].astype("string")
    return out
