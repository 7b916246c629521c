"""How often each claim recurs: per cluster of claims, in how many articles and outlets, from
which sources, with which figures and when (`claim_frequency`, `claim_timeline`), and how much
of the claims no one is named for (`unattributed_share`); the corpus-level `claim_clusters`
component, which clusters the claims of a run and summarises each cluster.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import components, schema
from .cluster import cluster_members
from .events import cluster_events as cluster_claims
from .events import repeat_summary


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
    "repeat_kind": "string",     # single, syndication (copies of one text), independent, boilerplate
    "n_wordings": "Int64",       # articles that report it in their own words
    "cluster_method": "string",  # events+lexical or events+embeddings: which similarity ran
}


def claim_frequency(claims: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per cluster of claims: how often the assertion recurs and who makes it.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims table; clustered first (`cluster_claims`) when it has no `cluster_id`.
    articles : pandas.DataFrame, optional
        Gives `outlet` and `published` by `article_id` (over the claims' own columns).

    Returns
    -------
    pandas.DataFrame
        Columns FREQUENCY_COLUMNS, one row per cluster, sorted by n_articles, then n_claims
        (descending), then cluster_id; groups of nothing but page furniture last.
        `representative` is the earliest claim (published, then article_id, then offset);
        `sources` the distinct attributed sources; `figures` the distinct quantity texts of
        the members, side by side ("the majority", "over 80%"); `unattributed_share` the share
        of members with no attributed source; `repeat_kind` whether other articles repeat it
        in their own words (independent) or carry copies of one text (syndication), and
        `n_wordings` in how many own wordings.

    Examples
    --------
    >>> import pandas as pd
    >>> claims = pd.DataFrame({"article_id": ["a", "b"], "claim_id": ["a:0-1", "b:0-1"],
    ...     "start": [0, 0], "attributed_to": ["Ministry", None],
    ...     "published": pd.to_datetime(["2024-05-14", "2024-05-15"], utc=True),
    ...     "text": ["Russian forces control the majority of Vovchansk.",
    ...              "Russian troops now hold over 80% of Volchansk."]})
    >>> claims["quantities"] = [[{"text": "the majority"}], [{"text": "over 80%"}]]
    >>> row = claim_frequency(claims).iloc[0]
    >>> int(row["n_articles"]), row["figures"], row["sources"], row["repeat_kind"]
    (2, ['the majority', 'over 80%'], ['Ministry'], 'independent')
    """
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
    members_of = cluster_members(cluster_ids)
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
    out = pd.DataFrame(rows)
    if "repeat_kind" in claims.columns:
        out = out.merge(repeat_summary(claims).drop(columns=["n_articles"]), on="cluster_id", how="left")
    furniture = out["repeat_kind"].eq("boilerplate").fillna(False) if "repeat_kind" in out.columns \
        else pd.Series(False, index=out.index)
    out = out.assign(_furniture=furniture.astype(bool)).sort_values(
        ["_furniture", "n_articles", "n_claims", "cluster_id"], ascending=[True, False, False, True],
        kind="stable").drop(columns="_furniture")
    return schema.conform(out, FREQUENCY_COLUMNS)


def claim_timeline(claims: pd.DataFrame, articles: pd.DataFrame | None = None, freq: str = "D") -> pd.DataFrame:
    """How many claims of each cluster appear per period.

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims table; clustered first when it has no `cluster_id`.
    articles : pandas.DataFrame, optional
        Gives `published` (and `outlet`) by `article_id`.
    freq : str, default "D"
        A pandas period frequency ("D", "W", "M", ...).

    Returns
    -------
    pandas.DataFrame
        Long format: `cluster_id, period` (start of the period, UTC), `n_claims, n_articles`.
        Claims without a publication date are left out, with a warning.

    Examples
    --------
    >>> import pandas as pd
    >>> claims = pd.DataFrame({"article_id": ["a", "b"], "claim_id": ["a:0-1", "b:0-1"],
    ...     "start": [0, 0], "attributed_to": [None, None], "cluster_id": ["cl-1", "cl-1"],
    ...     "published": pd.to_datetime(["2024-05-01T10:00Z", "2024-05-01T18:00Z"]),
    ...     "text": ["x", "y"]})
    >>> claim_timeline(claims)[["n_claims", "n_articles"]].values.tolist()
    [[2, 2]]
    """
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
    """Share of claims with no attributed source, per outlet (or any other grouping).

    Parameters
    ----------
    claims : pandas.DataFrame
        A claims table (`article_id`, `attributed_to`).
    articles : pandas.DataFrame, optional
        Gives `outlet`, `published` and any `by` column by `article_id`.
    by : str, default "outlet"
        A column of the claims or the articles (`outlet`, `article_id`, ...); missing values
        group as "(unknown)", a missing outlet as schema.UNKNOWN_OUTLET ("(unknown outlet)").

    Returns
    -------
    pandas.DataFrame
        Columns `<by>, n_claims, n_unattributed, unattributed_share`, sorted by `<by>`.

    Raises
    ------
    ValueError
        When neither table has the column `by`.

    Examples
    --------
    >>> import pandas as pd
    >>> claims = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["Wire", "Wire", "Daily"],
    ...                        "attributed_to": ["Ministry", None, None]})
    >>> unattributed_share(claims)["unattributed_share"].tolist()
    [1.0, 0.5]
    """
    columns = {by: "string", "n_claims": "Int64", "n_unattributed": "Int64", "unattributed_share": "float64"}
    if claims is None or len(claims) == 0:
        return schema.conform(None, columns)
    df = _article_meta(claims, articles)
    if by not in df.columns and articles is not None and by in articles.columns:
        df[by] = df["article_id"].astype(str).map(articles.set_index(articles["article_id"].astype(str))[by])
    if by not in df.columns:
        raise ValueError(f"unattributed_share: no column {by!r} in the claims or articles")
    key = df[by].astype("string").str.strip()
    # an article without an outlet is named as in every other table and chart
    key = key.mask(key.isna() | (key == ""), schema.UNKNOWN_OUTLET if by == "outlet" else "(unknown)")
    unattributed = df["attributed_to"].isna()
    out = (pd.DataFrame({by: key, "u": unattributed}).groupby(by, sort=True)
           .agg(n_claims=("u", "size"), n_unattributed=("u", "sum")).reset_index())
    out["unattributed_share"] = out["n_unattributed"] / out["n_claims"]
    return schema.conform(out, columns)


def finalize_clusters(ctx: components.CorpusContext) -> dict[str, pd.DataFrame]:
    """The `claim_clusters` component's corpus-level step: clusters the corpus's claims
    (adding `cluster_id` to the claims table) and summarises each cluster.

    Parameters
    ----------
    ctx : presslens.components.CorpusContext
        The run's `claims` and `articles` tables.

    Returns
    -------
    dict of str to pandas.DataFrame
        `claims` (with `cluster_id`) and `claim_clusters` (`claim_frequency`).

    Examples
    --------
    >>> import pandas as pd
    >>> from presslens import components
    >>> articles = pd.DataFrame({"article_id": ["a"], "language": ["en"],
    ...     "text": ["More than 2,000 people were evacuated from Kupiansk."]})
    >>> tables = components.run(articles, ["claim_clusters"],
    ...                         given={"attributions": pd.DataFrame(columns=["article_id"])})
    >>> int(tables["claim_clusters"]["n_claims"].sum())
    1
    """
    clustered = cluster_claims(ctx.table("claims"))
    return {"claims": clustered, "claim_clusters": claim_frequency(clustered, ctx.articles)}


components.register("claim_clusters", assigns={"claim_clusters": FREQUENCY_COLUMNS},
                    requires=("claims", "articles"), finalize=finalize_clusters)
