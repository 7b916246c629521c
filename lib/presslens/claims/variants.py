"""Variant figures: the members of a claim cluster that give different figures for one measure
("the majority" vs "over 80 %" of a town, 100,000 vs 127,000 troops), side by side with their
outlet, date, source and offsets (notebook 3)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import schema
from .cluster import cluster_members
from .frequency import claim_frequency
from .signatures import measures_of

VARIANT_COLUMNS = {
    "cluster_id": "string",
    "article_id": "string",
    "outlet": "string",
    "published": "datetime64[ns, UTC]",
    "attributed_to": "string",
    "measure": "string",
    "figures": "string",
    "start": "Int64",
    "end": "Int64",
    "text": "string",
}


def _quantity_list(quantities) -> list[dict]:
    """The quantity dicts of a claims table's `quantities` cell (a list, an array or missing)."""
    if not (isinstance(quantities, Sequence) or hasattr(quantities, "__array__")):
        return []
    return [q for q in quantities if isinstance(q, dict)]


def comparable_figures(quantities) -> dict[str, tuple[str, ...]]:
    """measure -> the figure texts of one claim that measure it, for the measures two claims
    can disagree on: shares ("share": 80 %, the majority, a third) and counts or amounts of a
    named thing ("count:troop", "money:usd"). A bare number names nothing it counts ("Nord
    Stream 1 and 2", "one of the two") and durations and distances are left out, as in
    claims.signatures.measures_of.

    >>> comparable_figures([{"text": "over 80%", "kind": "percent", "unit": "%"},
    ...                     {"text": "2", "kind": "count", "unit": ""}])
    {'share': ('over 80%',)}
    """
    out: dict[str, list[str]] = {}
    for q in _quantity_list(quantities):
        if not str(q.get("text") or "").strip():
            continue
        for measure in measures_of([q]):
            if measure.endswith(":"):
                continue
            out.setdefault(measure, [])
            text = " ".join(str(q["text"]).split())
            if text not in out[measure]:
                out[measure].append(text)
    return {m: tuple(texts) for m, texts in sorted(out.items())}


def _values(quantities, measure: str) -> frozenset:
    """What a claim says of one measure: its (operator, value) pairs, so that "about 1,200" and
    "some 1,200" agree; a quantity without a value counts by its words."""
    out = set()
    for q in _quantity_list(quantities):
        if measure in measures_of([q]):
            value = q.get("value")
            op = {"=": "~"}.get(q.get("op"), q.get("op"))
            out.add((op, round(float(value), 3)) if value is not None and not pd.isna(value)
                    else str(q.get("text", "")).lower())
    return frozenset(out)


def variant_figures(claims: pd.DataFrame, frequency: pd.DataFrame | None = None,
                    articles: pd.DataFrame | None = None, top: int = 10) -> pd.DataFrame:
    """Clusters whose members state different figures for one measure, one row per member that
    gives a figure of that measure.

    A cluster counts when two of its members with different wording both measure one thing
    (`comparable_figures`) and their figures for it differ in value ("about 1,200" and "some
    1,200" do not); copies of one sentence and members
    whose figures measure different things (a death toll and a distance) are not variants.
    Different figures are not necessarily contradictions (counts grow over days), which is why
    the date is shown; what a share is a share of is not compared.

    Parameters
    ----------
    claims : pandas.DataFrame
        A clustered claims table (`cluster_id`, `quantities`, `text`, `start`, `end`, ...).
    frequency : pandas.DataFrame, optional
        `claim_frequency(claims, articles)`, whose order ranks the clusters; computed when
        omitted.
    articles : pandas.DataFrame, optional
        Gives `outlet` and `published` by `article_id` when the claims lack them.
    top : int, default 10
        Clusters shown, in the frequency table's order.

    Returns
    -------
    pandas.DataFrame
        Columns VARIANT_COLUMNS, ordered by cluster (frequency order), then date, article and
        offset; `measure` names what the figures measure ("share", "count:troop").

    Examples
    --------
    >>> import pandas as pd
    >>> claims = pd.DataFrame({"article_id": ["a", "b", "c"], "cluster_id": ["k", "k", "k"],
    ...     "start": [0, 0, 0], "end": [40, 40, 40], "attributed_to": ["Ministry", None, None],
    ...     "text": ["Russia holds the majority of Vovchansk.", "Russia holds over 80% of Volchansk.",
    ...              "Vovchansk lies 5 km from the border."],
    ...     "quantities": [[{"text": "the majority", "kind": "vague_majority", "unit": ""}],
    ...                    [{"text": "over 80%", "kind": "percent", "unit": "%"}],
    ...                    [{"text": "5 km", "kind": "distance", "unit": "km"}]]})
    >>> variant_figures(claims)[["article_id", "measure", "figures"]].values.tolist()
    [['a', 'share', 'the majority'], ['b', 'share', 'over 80%']]
    """
    if claims is None or len(claims) == 0 or "cluster_id" not in claims.columns:
        return schema.conform(None, VARIANT_COLUMNS)
    df = claims.reset_index(drop=True)
    for column in ("outlet", "published"):
        if column not in df.columns:
            if articles is not None and column in articles.columns:
                by_id = dict(zip(articles["article_id"].astype(str), articles[column]))
                df[column] = df["article_id"].astype(str).map(by_id)
            else:
                df[column] = None
    quantities = df["quantities"].tolist() if "quantities" in df.columns else [None] * len(df)
    measured = [comparable_figures(q) for q in quantities]
    wording = [" ".join(str(t).lower().split()) for t in df["text"].tolist()]

    members = {str(cluster): [i for i in rows if measured[i]]
               for cluster, rows in cluster_members(df["cluster_id"].tolist()).items()}
    varying: dict[str, set[str]] = {}
    for cluster, rows in members.items():
        for a_pos, a in enumerate(rows):
            for b in rows[a_pos + 1:]:
                if wording[a] == wording[b]:
                    continue
                for measure in set(measured[a]) & set(measured[b]):
                    if _values(quantities[a], measure) != _values(quantities[b], measure):
                        varying.setdefault(cluster, set()).add(measure)
    if not varying:
        return schema.conform(None, VARIANT_COLUMNS)

    if frequency is None:
        frequency = claim_frequency(df, articles)
    ranked = [c for c in frequency["cluster_id"].astype(str).tolist() if c in varying][:top]
    rows = []
    for cluster in ranked:
        for i in members[cluster]:
            for measure in sorted(varying[cluster] & set(measured[i])):
                rows.append({
                    "cluster_id": cluster,
                    "article_id": str(df.at[i, "article_id"]),
                    "outlet": df.at[i, "outlet"],
                    "published": df.at[i, "published"],
                    "attributed_to": df.at[i, "attributed_to"] if "attributed_to" in df.columns else None,
                    "measure": measure,
                    "figures": ", ".join(measured[i][measure]),
                    "start": df.at[i, "start"],
                    "end": df.at[i, "end"],
                    "text": df.at[i, "text"],
                    "_rank": ranked.index(cluster),
                })
    out = pd.DataFrame(rows)
    out["published"] = pd.to_datetime(out["published"], utc=True, errors="coerce")
    out = out.sort_values(["_rank", "published", "article_id", "start", "measure"],
                          na_position="last", kind="mergesort").drop(columns="_rank")
    return schema.conform(out.reset_index(drop=True), VARIANT_COLUMNS)
