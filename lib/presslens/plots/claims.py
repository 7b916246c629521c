"""Claim figures: how far the most repeated claims spread, and when."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from .style import (
    LABEL_SIZE,
    MAX_WIDTH,
    PALETTE,
    TITLE_SIZE,
    date_labels,
    dated_periods,
    figure_axes,
    freq_word,
    heatmap,
    join_article_column,
    no_data,
    shorten,
    usable,
    with_outlets,
)


def _cluster_labels(table: pd.DataFrame, cluster_col: str, label_col: str) -> pd.Series:
    """A readable label per cluster: its shortest claim text (ties: alphabetical)."""
    if label_col not in table.columns:
        return pd.Series({c: str(c) for c in table[cluster_col].unique()})
    texts = table[[cluster_col, label_col]].dropna().astype({label_col: "string"})
    texts = texts.assign(_len=texts[label_col].str.len()).sort_values(
        [cluster_col, "_len", label_col])
    first = texts.drop_duplicates(cluster_col).set_index(cluster_col)[label_col]
    return first.map(lambda t: shorten(t, 55))


def claim_spread(
    claims: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    cluster_col: str = "cluster_id",
    outlet_col: str = "outlet",
    id_col: str = "article_id",
    label_col: str = "text",
    top: int = 15,
    ax: Axes | None = None,
) -> Figure:
    """Which claims travel: the `top` clusters repeated by most outlets (rows) x outlets
    (columns), cell = number of that outlet's articles carrying the claim."""
    title = "Claim spread: articles per outlet repeating each claim"
    if not usable(claims, [cluster_col, id_col]):
        return no_data(ax, title)
    table = with_outlets(claims.dropna(subset=[cluster_col]), articles, outlet_col, id_col)
    if table.empty:
        return no_data(ax, title)
    table[cluster_col] = table[cluster_col].astype("string")
    matrix = (table.drop_duplicates([cluster_col, id_col])
              .groupby([cluster_col, outlet_col]).size().unstack(fill_value=0))
    reach = pd.DataFrame({"outlets": (matrix > 0).sum(axis=1), "articles": matrix.sum(axis=1)})
    reach = reach.reset_index().sort_values(["outlets", "articles", cluster_col],
                                            ascending=[False, False, True]).head(top)
    matrix = matrix.loc[reach[cluster_col], sorted(matrix.columns)]
    labels = _cluster_labels(table, cluster_col, label_col)
    matrix.index = [f"{labels.get(c, c)} [{c}]" for c in matrix.index]
    fig, ax = figure_axes(ax, (2.5 + 0.8 * matrix.shape[1] + 3.5, 1.5 + 0.38 * matrix.shape[0]))
    heatmap(ax, matrix, ".0f", "articles", vmin=0)
    ax.set_xlabel("outlet", fontsize=LABEL_SIZE)
    ax.set_ylabel("claim cluster (shortest wording)", fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    return fig


def claim_timeline(
    claims: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    cluster_col: str = "cluster_id",
    date_col: str = "published",
    id_col: str = "article_id",
    label_col: str = "text",
    freq: str = "auto",
    top: int = 10,
    ax: Axes | None = None,
) -> Figure:
    """When claims appear: for the `top` most repeated clusters, one row each, a dot per
    day (or `freq` period) sized by the number of articles repeating it; the ring marks the
    first appearance."""
    title = "Claim timeline: articles repeating each claim"
    if not usable(claims, [cluster_col, id_col]):
        return no_data(ax, title)
    table = join_article_column(claims.dropna(subset=[cluster_col]), articles, date_col, id_col)
    if date_col not in table.columns:
        return no_data(ax, title, "no publication dates")
    period, freq, _ = dated_periods(table[date_col], freq)
    title = f"Claim timeline: articles per {freq_word(freq)} repeating each claim"
    table = table.assign(period=period).dropna(subset=["period"])
    if table.empty:
        return no_data(ax, title, "no dated claims")
    table[cluster_col] = table[cluster_col].astype("string")
    table = table.drop_duplicates([cluster_col, id_col])
    ranking = table.groupby(cluster_col).agg(n=(id_col, "size"), first=("period", "min"))
    ranking = ranking.reset_index().sort_values(["n", "first", cluster_col],
                                                ascending=[False, True, True]).head(top)
    clusters = list(ranking.sort_values(["first", cluster_col])[cluster_col])
    counts = table[table[cluster_col].isin(clusters)].groupby([cluster_col, "period"]).size()
    periods = pd.period_range(table["period"].min(), table["period"].max(), freq=freq).start_time
    x_of = {p: i for i, p in enumerate(periods)}
    labels = _cluster_labels(table, cluster_col, label_col)
    fig, ax = figure_axes(ax, (min(MAX_WIDTH, max(7, 0.35 * len(periods) + 5)),
                               1.4 + 0.42 * len(clusters)))
    biggest = float(counts.max())
    for row, cluster in enumerate(clusters):
        series = counts[cluster]
        xs = [x_of[p] for p in series.index]
        ax.plot([min(xs), max(xs)], [row, row], color="#999999", linewidth=0.8, zorder=1)
        ax.scatter(xs, [row] * len(xs), s=25 + 250 * series.to_numpy() / biggest,
                   color=PALETTE[0], alpha=0.85, zorder=2)
        ax.scatter([min(xs)], [row], s=25 + 250 * series.iloc[0] / biggest + 90,
                   facecolor="none", edgecolor=PALETTE[3], linewidth=1.5, zorder=3)
    ax.set_yticks(range(len(clusters)))
    ax.set_yticklabels([f"{labels.get(c, c)} [{c}]" for c in clusters], fontsize=LABEL_SIZE - 1)
    ax.invert_yaxis()
    date_labels(ax, periods, freq)
    ax.set_xlim(-0.7, len(periods) - 0.3)
    ax.set_xlabel(f"{freq_word(freq)} (UTC); dot size = articles, ring = first seen",
                  fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.grid(axis="x", color="#EEEEEE")
    return fig


def unattributed_by_outlet(
    table: pd.DataFrame,
    outlet_col: str = "outlet",
    share_col: str = "unattributed_share",
    n_col: str = "n_claims",
    ax: Axes | None = None,
) -> Figure:
    """Share of check-worthy claims asserted without a source, one bar per outlet (the table
    of `presslens.claims.unattributed_share`)."""
    title = "Claims asserted without a source, by outlet"
    if not usable(table, [outlet_col, share_col]):
        return no_data(ax, title, "no check-worthy claims")
    table = table.sort_values([share_col, outlet_col], kind="mergesort")
    fig, ax = figure_axes(ax, (8, 1.2 + 0.4 * len(table)))
    shares = table[share_col].astype(float).to_numpy()
    ax.barh(range(len(table)), shares, color=PALETTE[0])
    labels = [f"{o} (n={int(n)})" if n_col in table else str(o)
              for o, n in zip(table[outlet_col], table.get(n_col, table[outlet_col]), strict=True)]
    ax.set_yticks(range(len(table)))
    ax.set_yticklabels(labels, fontsize=LABEL_SIZE)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("share of check-worthy claims with no attributed source", fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    return fig
