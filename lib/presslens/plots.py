"""Publication figures for presslens tables: coverage, sourcing, claims, frames and wording.

Every function takes tidy DataFrames with explicit column arguments (defaults follow the
schema in presslens.schema), returns the matplotlib Figure (never calls plt.show()), accepts an
existing `ax` where it draws on one Axes, and draws an Axes saying "no data" when the input is
empty or lacks what it needs, instead of raising. Tables without an `outlet` or `published`
column get it from `articles` by `article_id`.

Colours: one palette for everything, `PALETTE` (Okabe & Ito 2008, safe for the common colour-
vision deficiencies); categories beyond eight repeat a colour with a hatch so they stay
distinct in greyscale print; heatmaps use `SEQUENTIAL_CMAP` ("cividis", designed to be read by
people with colour-vision deficiency) with the values written in the cells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

__all__ = [
    "PALETTE",
    "SEQUENTIAL_CMAP",
    "SPELLING_COLOURS",
    "affiliations_by_outlet",
    "anonymous_shares",
    "articles_per_day",
    "category_colours",
    "claim_spread",
    "claim_timeline",
    "frame_profile",
    "frames_over_time",
    "hedging_by_outlet",
    "source_network",
    "source_types_by_outlet",
    "spelling_profile",
    "top_sources",
]

# Okabe-Ito, ordered so the first colours are the most distinct from each other.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
HATCHES: tuple[str, ...] = ("", "//", "xx", "\\\\", "++")
# Catch-all categories: a neutral grey (with dots), outside the palette's colour sequence.
NEUTRAL_COLOUR = "#BBBBBB"
UNKNOWN_OUTLET = "(unknown outlet)"
NEUTRAL_CATEGORIES = frozenset({"unknown", "other", UNKNOWN_OUTLET})
SEQUENTIAL_CMAP = "cividis"
# Russian-style vs Ukrainian-style spellings: the two ends of the palette's blue/vermillion pair.
SPELLING_COLOURS = {"russian_style": PALETTE[3], "ukrainian_style": PALETTE[0]}
TITLE_SIZE = 12
LABEL_SIZE = 10


# ---------------------------------------------------------------------------------------------
# helpers


def category_colours(categories: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(colour, hatch) for each category, in order: PALETTE first, then PALETTE with hatches.
    Catch-all categories (`unknown`, `other`) are drawn in NEUTRAL_COLOUR so they do not
    take a colour that reads as a real group."""
    out = {}
    i = 0
    for category in categories:
        if str(category) in NEUTRAL_CATEGORIES:
            out[category] = (NEUTRAL_COLOUR, "..")
            continue
        out[category] = (PALETTE[i % len(PALETTE)],
                         HATCHES[(i // len(PALETTE)) % len(HATCHES)])
        i += 1
    return out


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def _no_data(ax: Axes | None, title: str, reason: str = "no data",
             figsize: tuple[float, float] = (6, 3)) -> Figure:
    fig, ax = _axes(ax, figsize)
    ax.text(0.5, 0.5, reason, ha="center", va="center", fontsize=LABEL_SIZE + 2, color="#555",
            transform=ax.transAxes)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


def _usable(df: pd.DataFrame | None, columns: Sequence[str]) -> bool:
    return df is not None and len(df) > 0 and all(c in df.columns for c in columns)


def _join(df: pd.DataFrame, articles: pd.DataFrame | None, column: str,
          id_col: str) -> pd.DataFrame:
    """df with `column` taken from `articles` (by id_col) when df lacks it."""
    if column in df.columns or articles is None or column not in articles.columns \
            or id_col not in df.columns or id_col not in articles.columns:
        return df
    lookup = articles[[id_col, column]].drop_duplicates(id_col)
    out = df.copy()
    out[id_col] = out[id_col].astype("string")
    lookup = lookup.assign(**{id_col: lookup[id_col].astype("string")})
    return out.merge(lookup, on=id_col, how="left")


def _outlets(df: pd.DataFrame, articles: pd.DataFrame | None, outlet_col: str,
             id_col: str) -> pd.DataFrame:
    out = _join(df, articles, outlet_col, id_col)
    if outlet_col not in out.columns:
        out = out.assign(**{outlet_col: "all articles"})
    out = out.copy()
    out[outlet_col] = out[outlet_col].astype("string").fillna(UNKNOWN_OUTLET)
    return out


def _periods(values: pd.Series, freq: str) -> pd.Series:
    """Period start (naive UTC) of each timestamp; NaT stays NaT."""
    stamps = pd.to_datetime(values, utc=True, errors="coerce").dt.tz_localize(None)
    return stamps.dt.to_period(freq).dt.start_time


def _date_labels(ax: Axes, periods: Sequence[pd.Timestamp], freq: str) -> None:
    fmt = "%Y-%m" if freq.upper().startswith("M") else "%Y-%m-%d"
    labels = [pd.Timestamp(p).strftime(fmt) for p in periods]
    step = max(1, math.ceil(len(labels) / 14))
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels(labels[::step], rotation=45, ha="right", fontsize=LABEL_SIZE - 1)


def _freq_word(freq: str) -> str:
    return {"D": "day", "W": "week", "M": "month", "MS": "month", "ME": "month"}.get(
        freq.upper(), freq)


def _shorten(text: object, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _top_with_other(values: pd.Series, top: int, other: str = "other") -> pd.Series:
    """Keep the `top` most frequent values (ties by name); the rest become `other`."""
    counts = values.value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="mergesort")
    keep = set(counts.index[:top])
    return values.where(values.isin(keep), other)


def _heatmap(ax: Axes, matrix: pd.DataFrame, fmt: str, colorbar_label: str,
             vmin: float | None = None, vmax: float | None = None) -> None:
    values = matrix.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    lo = vmin if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = vmax if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    if hi <= lo:
        hi = lo + 1.0
    image = ax.imshow(values, cmap=SEQUENTIAL_CMAP, vmin=lo, vmax=hi, aspect="auto")
    ax.set_xticks(range(matrix.shape[1]))
    ax.set_xticklabels([str(c) for c in matrix.columns], rotation=40, ha="right",
                       fontsize=LABEL_SIZE - 1)
    ax.set_yticks(range(matrix.shape[0]))
    ax.set_yticklabels([str(i) for i in matrix.index], fontsize=LABEL_SIZE - 1)
    for (row, col), value in np.ndenumerate(values):
        if not np.isfinite(value):
            continue
        # cividis is dark at the low end: light text there, dark text at the bright end.
        light = (value - lo) / (hi - lo) < 0.55
        ax.text(col, row, format(value, fmt), ha="center", va="center",
                fontsize=LABEL_SIZE - 2, color="white" if light else "black")
    bar = ax.figure.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(colorbar_label, fontsize=LABEL_SIZE)


def _stacked_shares(table: pd.DataFrame, row_col: str, category_col: str, title: str,
                    category_name: str, ax: Axes | None, order: Sequence[str] | None = None
                    ) -> Figure:
    """Horizontal 100% stacked bars: share of each category per row (outlet)."""
    counts = pd.crosstab(table[row_col], table[category_col].astype("string").fillna("unknown"))
    if counts.empty:
        return _no_data(ax, title)
    columns = sorted(counts.columns, key=lambda c: (order.index(c) if order and c in order
                                                   else len(order or ()), c))
    counts = counts[columns].sort_index(ascending=False)  # first outlet on top
    shares = counts.div(counts.sum(axis=1), axis=0)
    fig, ax = _axes(ax, (8, 1.2 + 0.45 * len(shares)))
    # Colours follow the full category order, so a category keeps its colour across figures
    # whatever else is present.
    colours = category_colours(list(order or ()) + [c for c in columns if c not in (order or ())])
    left = np.zeros(len(shares))
    for category in columns:
        colour, hatch = colours[category]
        widths = shares[category].to_numpy()
        ax.barh(range(len(shares)), widths, left=left, color=colour, hatch=hatch,
                edgecolor="white", linewidth=0.6, label=str(category))
        for i, (x, w) in enumerate(zip(left, widths, strict=True)):
            if w >= 0.07:
                ax.text(x + w / 2, i, f"{w:.0%}", ha="center", va="center",
                        fontsize=LABEL_SIZE - 2,
                        color="black" if colour in (PALETTE[6], PALETTE[4], PALETTE[1],
                                                    NEUTRAL_COLOUR)
                        else "white")
        left += widths
    totals = counts.sum(axis=1)
    ax.set_yticks(range(len(shares)))
    ax.set_yticklabels([f"{o} (n={int(totals[o])})" for o in shares.index], fontsize=LABEL_SIZE)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(f"share of attributions by {category_name}", fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.legend(title=category_name, bbox_to_anchor=(1.01, 1), loc="upper left",
              fontsize=LABEL_SIZE - 1, title_fontsize=LABEL_SIZE, frameon=False)
    return fig


# ---------------------------------------------------------------------------------------------
# coverage


def articles_per_day(
    articles: pd.DataFrame,
    date_col: str = "published",
    outlet_col: str = "outlet",
    freq: str = "D",
    small_multiples: bool = False,
    top: int = 8,
    ax: Axes | None = None,
) -> Figure:
    """Articles per outlet per day (or `freq` period): stacked bars, or one small panel per
    outlet with a shared y axis (`small_multiples=True`). Outlets beyond `top` are 'other'."""
    title = f"Articles per outlet per {_freq_word(freq)}"
    if not _usable(articles, [date_col]):
        return _no_data(ax, title)
    table = _outlets(articles, None, outlet_col, "article_id")
    table = table.assign(period=_periods(table[date_col], freq)).dropna(subset=["period"])
    if table.empty:
        return _no_data(ax, title, "no dated articles")
    undated = len(articles) - len(table)
    table[outlet_col] = _top_with_other(table[outlet_col], top)
    counts = pd.crosstab(table["period"], table[outlet_col])
    full = pd.period_range(counts.index.min(), counts.index.max(), freq=freq).start_time
    counts = counts.reindex(full, fill_value=0)
    outlets = sorted(counts.columns, key=lambda o: (o == "other", -counts[o].sum(), o))
    counts = counts[outlets]
    colours = category_colours(outlets)
    note = f" ({undated} undated left out)" if undated else ""
    if small_multiples:
        n = len(outlets)
        ncols = min(3, n)
        nrows = math.ceil(n / ncols)
        fig, axes = plt.subplots(nrows, ncols, figsize=(4 * ncols, 2.4 * nrows), sharex=True,
                                 sharey=True, layout="constrained", squeeze=False)
        for panel, outlet in zip(axes.flat, outlets, strict=False):
            colour, hatch = colours[outlet]
            panel.bar(range(len(counts)), counts[outlet].to_numpy(), color=colour, hatch=hatch)
            panel.set_title(f"{outlet} (n={int(counts[outlet].sum())})", fontsize=LABEL_SIZE)
            _date_labels(panel, counts.index, freq)
            panel.set_ylabel("articles", fontsize=LABEL_SIZE)
        for panel in list(axes.flat)[n:]:
            panel.set_visible(False)
        fig.suptitle(title + note, fontsize=TITLE_SIZE)
        fig.supxlabel(f"{_freq_word(freq)} (UTC)", fontsize=LABEL_SIZE)
        return fig
    fig, ax = _axes(ax, (max(6, 0.35 * len(counts) + 3), 4))
    bottom = np.zeros(len(counts))
    for outlet in outlets:
        colour, hatch = colours[outlet]
        values = counts[outlet].to_numpy()
        ax.bar(range(len(counts)), values, bottom=bottom, color=colour, hatch=hatch,
               edgecolor="white", linewidth=0.5, label=f"{outlet} ({int(values.sum())})")
        bottom += values
    _date_labels(ax, counts.index, freq)
    ax.set_ylabel("articles", fontsize=LABEL_SIZE)
    ax.set_xlabel(f"{_freq_word(freq)} (UTC)", fontsize=LABEL_SIZE)
    ax.set_title(title + note, fontsize=TITLE_SIZE)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(title="outlet", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False,
              fontsize=LABEL_SIZE - 1, title_fontsize=LABEL_SIZE)
    return fig


# ---------------------------------------------------------------------------------------------
# sourcing


def source_types_by_outlet(
    attributions: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    type_col: str = "source_type",
    outlet_col: str = "outlet",
    id_col: str = "article_id",
    ax: Axes | None = None,
) -> Figure:
    """Share of each source type among each outlet's attributions (100% stacked bars)."""
    from .schema import SOURCE_TYPES

    title = "Whom outlets rely on: source types"
    if not _usable(attributions, [type_col]):
        return _no_data(ax, title)
    table = _outlets(attributions, articles, outlet_col, id_col)
    return _stacked_shares(table, outlet_col, type_col, title, "source type", ax,
                           order=list(SOURCE_TYPES))


def affiliations_by_outlet(
    attributions: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    affiliation_col: str = "affiliation",
    outlet_col: str = "outlet",
    id_col: str = "article_id",
    ax: Axes | None = None,
) -> Figure:
    """Share of each source affiliation (RU, UA, US, ...) per outlet (100% stacked bars)."""
    from .schema import AFFILIATIONS

    title = "Whose side the sources are on: affiliations"
    if not _usable(attributions, [affiliation_col]):
        return _no_data(ax, title)
    table = _outlets(attributions, articles, outlet_col, id_col)
    return _stacked_shares(table, outlet_col, affiliation_col, title, "affiliation", ax,
                           order=list(AFFILIATIONS))


def anonymous_shares(
    attributions: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    type_col: str = "source_type",
    outlet_col: str = "outlet",
    id_col: str = "article_id",
    categories: Sequence[str] = ("anonymous", "vague"),
    ax: Axes | None = None,
) -> Figure:
    """Share of attributions to anonymous and to vague sources per outlet (grouped bars)."""
    title = "Unnamed sources: share of attributions"
    if not _usable(attributions, [type_col]):
        return _no_data(ax, title)
    table = _outlets(attributions, articles, outlet_col, id_col)
    types = table[type_col].astype("string")
    shares = pd.DataFrame({c: (types == c).fillna(False).groupby(table[outlet_col]).mean()
                           for c in categories}).sort_index(ascending=False)
    totals = table.groupby(outlet_col).size()
    fig, ax = _axes(ax, (7, 1.2 + 0.5 * len(shares) * max(1, len(categories)) / 2))
    height = 0.8 / max(1, len(categories))
    colours = category_colours(list(categories))
    for j, category in enumerate(categories):
        colour, hatch = colours[category]
        y = np.arange(len(shares)) - (j - (len(categories) - 1) / 2) * height
        values = shares[category].to_numpy(dtype=float)
        ax.barh(y, values, height=height, color=colour, hatch=hatch, label=category)
        for yi, v in zip(y, values, strict=True):
            ax.text(v + 0.005, yi, f"{v:.0%}", va="center", fontsize=LABEL_SIZE - 2)
    ax.set_yticks(range(len(shares)))
    ax.set_yticklabels([f"{o} (n={int(totals[o])})" for o in shares.index], fontsize=LABEL_SIZE)
    top = float(np.nanmax(shares.to_numpy(dtype=float))) if shares.size else 0.0
    ax.set_xlim(0, min(1.0, max(0.1, top * 1.25)))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("share of the outlet's attributions", fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.legend(title="source type", frameon=False, fontsize=LABEL_SIZE - 1, loc="lower right")
    return fig


def top_sources(
    attributions: pd.DataFrame,
    n: int = 15,
    source_col: str = "source_canonical",
    type_col: str = "source_type",
    ax: Axes | None = None,
) -> Figure:
    """The `n` most cited sources (horizontal bars), coloured by their source type."""
    from .schema import SOURCE_TYPES

    title = f"Most cited sources (top {n})"
    if not _usable(attributions, [source_col]):
        return _no_data(ax, title)
    table = attributions.copy()
    table[source_col] = table[source_col].astype("string").str.strip()
    table = table[table[source_col].fillna("") != ""]
    if table.empty:
        return _no_data(ax, title, "no named sources")
    if type_col in table.columns:
        table[type_col] = table[type_col].astype("string").fillna("unknown")
    else:
        table[type_col] = "unknown"
    counts = table.groupby(source_col).size()
    counts = counts.sort_index().sort_values(ascending=False, kind="mergesort").head(n)
    main_type = (table.groupby([source_col, type_col]).size().reset_index(name="k")
                 .sort_values([source_col, "k", type_col], ascending=[True, False, True])
                 .drop_duplicates(source_col).set_index(source_col)[type_col])
    order = list(SOURCE_TYPES)
    types = sorted(set(main_type[counts.index]),
                   key=lambda t: (order.index(t) if t in order else len(order), t))
    colours = category_colours(order + [t for t in types if t not in order])
    fig, ax = _axes(ax, (7, 1.2 + 0.32 * len(counts)))
    names = list(counts.index)[::-1]
    for i, name in enumerate(names):
        colour, hatch = colours[main_type[name]]
        ax.barh(i, counts[name], color=colour, hatch=hatch)
        ax.text(counts[name], i, f" {int(counts[name])}", va="center", fontsize=LABEL_SIZE - 2)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels([_shorten(s, 40) for s in names], fontsize=LABEL_SIZE - 1)
    ax.set_xlabel("attributions", fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    handles = [Patch(facecolor=colours[t][0], hatch=colours[t][1], label=t)
               for t in types]
    ax.legend(handles=handles, title="source type", frameon=False, fontsize=LABEL_SIZE - 1,
              loc="lower right")
    ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


def source_network(
    attributions: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    source_col: str = "source_canonical",
    outlet_col: str = "outlet",
    id_col: str = "article_id",
    type_col: str = "source_type",
    top: int = 15,
    ax: Axes | None = None,
) -> Figure:
    """Bipartite network: outlets (left) linked to the `top` sources (right) they cite; line
    width = number of attributions. Sources are ordered by the outlets citing them (barycentre)
    so lines cross less."""
    title = "Who cites whom: outlets and their most cited sources"
    if not _usable(attributions, [source_col]):
        return _no_data(ax, title)
    table = _outlets(attributions, articles, outlet_col, id_col)
    table[source_col] = table[source_col].astype("string").str.strip()
    table = table[table[source_col].fillna("") != ""]
    if table.empty:
        return _no_data(ax, title, "no named sources")
    totals = table.groupby(source_col).size()
    totals = totals.sort_index().sort_values(ascending=False, kind="mergesort").head(top)
    table = table[table[source_col].isin(totals.index)]
    edges = table.groupby([outlet_col, source_col]).size()
    outlets = sorted(table[outlet_col].unique())
    outlet_y = {o: i for i, o in enumerate(outlets)}
    # Barycentre of each source over the outlets that cite it, scaled to the outlet axis.
    centre = {s: np.average([outlet_y[o] for o, _ in edges[edges.index.get_level_values(1) == s]
                             .index], weights=edges[edges.index.get_level_values(1) == s]
                            .to_numpy()) for s in totals.index}
    sources = sorted(totals.index, key=lambda s: (centre[s], -totals[s], s))
    span = max(len(outlets), len(sources)) - 1 or 1
    oy = {o: (outlet_y[o] / max(1, len(outlets) - 1)) * span if len(outlets) > 1 else span / 2
          for o in outlets}
    sy = {s: (i / max(1, len(sources) - 1)) * span if len(sources) > 1 else span / 2
          for i, s in enumerate(sources)}
    fig, ax = _axes(ax, (8, 1.5 + 0.38 * (span + 1)))
    widest = float(edges.max())
    outlet_colours = category_colours(outlets)
    for (outlet, source), count in edges.sort_index().items():
        ax.plot([0, 1], [oy[outlet], sy[source]], color=outlet_colours[outlet][0],
                alpha=0.65, linewidth=0.8 + 5.0 * count / widest, solid_capstyle="round")
    for outlet in outlets:
        ax.scatter([0], [oy[outlet]], s=90, color=outlet_colours[outlet][0], zorder=3,
                   edgecolor="black", linewidth=0.5)
        ax.text(-0.03, oy[outlet], outlet, ha="right", va="center", fontsize=LABEL_SIZE)
    source_type = {}
    if type_col in table.columns:
        source_type = (table.assign(**{type_col: table[type_col].astype("string")
                                       .fillna("unknown")})
                       .groupby(source_col)[type_col]
                       .agg(lambda s: s.value_counts().sort_index().idxmax()).to_dict())
    for source in sources:
        ax.scatter([1], [sy[source]], s=40 + 160 * totals[source] / totals.max(), marker="s",
                   color="#BBBBBB", edgecolor="black", linewidth=0.5, zorder=3)
        kind = f" [{source_type[source]}]" if source in source_type else ""
        ax.text(1.03, sy[source], f"{_shorten(source, 34)}{kind} ({int(totals[source])})",
                ha="left", va="center", fontsize=LABEL_SIZE - 1)
    ax.set_xlim(-0.6, 1.8)
    ax.set_ylim(span + 0.8, -0.8)
    ax.axis("off")
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.text(0.5, 0.0, f"top {len(sources)} sources, as [source type] (attributions); "
            "line width = attributions", transform=ax.transAxes, ha="center", va="top",
            fontsize=LABEL_SIZE - 1, color="#444")
    return fig


# ---------------------------------------------------------------------------------------------
# claims


def _cluster_labels(table: pd.DataFrame, cluster_col: str, label_col: str) -> pd.Series:
    """A readable label per cluster: its shortest claim text (ties: alphabetical)."""
    if label_col not in table.columns:
        return pd.Series({c: str(c) for c in table[cluster_col].unique()})
    texts = table[[cluster_col, label_col]].dropna().astype({label_col: "string"})
    texts = texts.assign(_len=texts[label_col].str.len()).sort_values(
        [cluster_col, "_len", label_col])
    first = texts.drop_duplicates(cluster_col).set_index(cluster_col)[label_col]
    return first.map(lambda t: _shorten(t, 55))


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
    if not _usable(claims, [cluster_col, id_col]):
        return _no_data(ax, title)
    table = _outlets(claims.dropna(subset=[cluster_col]), articles, outlet_col, id_col)
    if table.empty:
        return _no_data(ax, title)
    table[cluster_col] = table[cluster_col].astype("string")
    matrix = (table.drop_duplicates([cluster_col, id_col])
              .groupby([cluster_col, outlet_col]).size().unstack(fill_value=0))
    reach = pd.DataFrame({"outlets": (matrix > 0).sum(axis=1), "articles": matrix.sum(axis=1)})
    reach = reach.reset_index().sort_values(["outlets", "articles", cluster_col],
                                            ascending=[False, False, True]).head(top)
    matrix = matrix.loc[reach[cluster_col], sorted(matrix.columns)]
    labels = _cluster_labels(table, cluster_col, label_col)
    matrix.index = [f"{labels.get(c, c)} [{c}]" for c in matrix.index]
    fig, ax = _axes(ax, (2.5 + 0.8 * matrix.shape[1] + 3.5, 1.5 + 0.38 * matrix.shape[0]))
    _heatmap(ax, matrix, ".0f", "articles", vmin=0)
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
    freq: str = "D",
    top: int = 10,
    ax: Axes | None = None,
) -> Figure:
    """When claims appear: for the `top` most repeated clusters, one row each, a dot per
    day (or `freq` period) sized by the number of articles repeating it; the ring marks the
    first appearance."""
    title = f"Claim timeline: articles per {_freq_word(freq)} repeating each claim"
    if not _usable(claims, [cluster_col, id_col]):
        return _no_data(ax, title)
    table = _join(claims.dropna(subset=[cluster_col]), articles, date_col, id_col)
    if date_col not in table.columns:
        return _no_data(ax, title, "no publication dates")
    table = table.assign(period=_periods(table[date_col], freq)).dropna(subset=["period"])
    if table.empty:
        return _no_data(ax, title, "no dated claims")
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
    fig, ax = _axes(ax, (max(7, 0.35 * len(periods) + 5), 1.4 + 0.42 * len(clusters)))
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
    _date_labels(ax, periods, freq)
    ax.set_xlim(-0.7, len(periods) - 0.3)
    ax.set_xlabel(f"{_freq_word(freq)} (UTC); dot size = articles, ring = first seen",
                  fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.grid(axis="x", color="#EEEEEE")
    return fig


# ---------------------------------------------------------------------------------------------
# frames


def _scheme_rows(frames: pd.DataFrame, scheme: str | None, scheme_col: str) -> pd.DataFrame:
    if scheme is None or scheme_col not in frames.columns:
        return frames
    return frames[frames[scheme_col].astype("string") == scheme]


def frame_profile(
    frames: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    scheme: str | None = "generic",
    frame_col: str = "frame",
    value_col: str = "score",
    outlet_col: str = "outlet",
    id_col: str = "article_id",
    scheme_col: str = "scheme",
    ax: Axes | None = None,
) -> Figure:
    """Frame profile per outlet: heatmap of the mean `value_col` (score, or `present` for the
    share of articles with the frame) of each frame, values written in the cells."""
    what = "share of articles with the frame" if value_col == "present" else f"mean {value_col}"
    title = f"Frame profile per outlet ({scheme or 'all schemes'}): {what}"
    if not _usable(frames, [frame_col, value_col]):
        return _no_data(ax, title)
    table = _outlets(_scheme_rows(frames, scheme, scheme_col), articles, outlet_col, id_col)
    if table.empty:
        return _no_data(ax, title)
    values = pd.to_numeric(table[value_col].astype("Float64"), errors="coerce")
    matrix = (table.assign(_v=values).groupby([outlet_col, frame_col])["_v"].mean()
              .unstack().sort_index())
    matrix = matrix[sorted(matrix.columns)].astype(float)
    # Many frames (the 14 of the MFC) read better as rows, with the long names horizontal.
    frames_as_rows = matrix.shape[1] > 8 and matrix.shape[1] > matrix.shape[0]
    if frames_as_rows:
        matrix = matrix.T
    fig, ax = _axes(ax, (3.5 + 1.0 * matrix.shape[1] + 1.5, 1.5 + 0.42 * matrix.shape[0]))
    bounded = value_col == "present" or bool(((matrix >= 0) & (matrix <= 1)).all().all())
    _heatmap(ax, matrix, ".2f", "share of articles" if value_col == "present" else what,
             vmin=0 if bounded else None, vmax=1 if bounded else None)
    ax.set_xlabel("outlet" if frames_as_rows else "frame", fontsize=LABEL_SIZE)
    ax.set_ylabel("frame" if frames_as_rows else "outlet", fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    return fig


def frames_over_time(
    frames: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    scheme: str | None = "generic",
    frame_col: str = "frame",
    value_col: str = "score",
    date_col: str = "published",
    id_col: str = "article_id",
    scheme_col: str = "scheme",
    freq: str = "D",
    ax: Axes | None = None,
) -> Figure:
    """Frames over time: one line per frame, the mean `value_col` per day (or `freq`); marker
    shapes differ per frame so lines are told apart without colour."""
    title = f"Frames over time ({scheme or 'all schemes'}): mean {value_col} per {_freq_word(freq)}"
    if not _usable(frames, [frame_col, value_col]):
        return _no_data(ax, title)
    table = _join(_scheme_rows(frames, scheme, scheme_col), articles, date_col, id_col)
    if date_col not in table.columns:
        return _no_data(ax, title, "no publication dates")
    table = table.assign(period=_periods(table[date_col], freq),
                         _v=pd.to_numeric(table[value_col].astype("Float64"), errors="coerce"))
    table = table.dropna(subset=["period", "_v"])
    if table.empty:
        return _no_data(ax, title, "no dated frame scores")
    matrix = table.groupby(["period", frame_col])["_v"].mean().unstack().sort_index()
    matrix = matrix[sorted(matrix.columns)]
    fig, ax = _axes(ax, (8, 4))
    markers = "osD^v<>ph*"
    colours = category_colours(list(matrix.columns))
    for i, frame in enumerate(matrix.columns):
        ax.plot(matrix.index, matrix[frame].to_numpy(dtype=float), marker=markers[i % len(markers)],
                color=colours[frame][0], linestyle=("-", "--", ":", "-.")[(i // 8) % 4],
                linewidth=1.5, markersize=4, label=str(frame))
    ax.set_ylabel(f"mean {value_col}", fontsize=LABEL_SIZE)
    ax.set_xlabel(f"{_freq_word(freq)} (UTC)", fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.legend(title="frame", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False,
              fontsize=LABEL_SIZE - 1)
    fig.autofmt_xdate()
    ax.grid(color="#EEEEEE")
    return fig


# ---------------------------------------------------------------------------------------------
# wording


def _style_of(category: object) -> str | None:
    text = str(category).lower()
    if "russian" in text:
        return "russian_style"
    if "ukrainian" in text:
        return "ukrainian_style"
    return None


def spelling_profile(
    terms: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    kind_col: str = "kind",
    category_col: str = "category",
    outlet_col: str = "outlet",
    id_col: str = "article_id",
    ax: Axes | None = None,
) -> Figure:
    """Place-name spellings per outlet, as diverging bars: share of Russian-style spellings
    (Kharkov, Kiev) to the left, Ukrainian-style (Kharkiv, Kyiv) to the right, counts written."""
    title = "Place-name spelling per outlet: Russian-style vs Ukrainian-style"
    if not _usable(terms, [kind_col, category_col]):
        return _no_data(ax, title)
    table = terms[terms[kind_col].astype("string") == "place_spelling"]
    table = table.assign(_style=table[category_col].map(_style_of)).dropna(subset=["_style"])
    if table.empty:
        return _no_data(ax, title, "no place-name spellings found")
    table = _outlets(table, articles, outlet_col, id_col)
    counts = pd.crosstab(table[outlet_col], table["_style"])
    counts = counts.reindex(columns=["russian_style", "ukrainian_style"], fill_value=0)
    counts = counts.sort_index(ascending=False)
    shares = counts.div(counts.sum(axis=1), axis=0)
    fig, ax = _axes(ax, (7.5, 1.4 + 0.45 * len(counts)))
    y = np.arange(len(counts))
    ru, ua = shares["russian_style"].to_numpy(), shares["ukrainian_style"].to_numpy()
    ax.barh(y, -ru, color=SPELLING_COLOURS["russian_style"], hatch="//", edgecolor="white",
            label="Russian-style (e.g. Kharkov)")
    ax.barh(y, ua, color=SPELLING_COLOURS["ukrainian_style"], edgecolor="white",
            label="Ukrainian-style (e.g. Kharkiv)")
    for i, outlet in enumerate(counts.index):
        n_ru, n_ua = int(counts.loc[outlet, "russian_style"]), int(counts.loc[outlet,
                                                                          "ukrainian_style"])
        ax.text(-ru[i] - 0.02, i, f"{ru[i]:.0%} ({n_ru})", ha="right", va="center",
                fontsize=LABEL_SIZE - 2)
        ax.text(ua[i] + 0.02, i, f"{ua[i]:.0%} ({n_ua})", ha="left", va="center",
                fontsize=LABEL_SIZE - 2)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-1.35, 1.35)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1])
    ax.set_xticklabels(["100%", "50%", "0", "50%", "100%"], fontsize=LABEL_SIZE - 1)
    ax.set_yticks(y)
    ax.set_yticklabels(counts.index, fontsize=LABEL_SIZE)
    ax.set_xlabel("share of the outlet's place-name spellings", fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    if ax.figure.get_layout_engine() is not None and len(ax.figure.axes) == 1:
        fig.legend(frameon=False, fontsize=LABEL_SIZE - 1, loc="outside lower center", ncols=2)
    else:
        ax.legend(frameon=False, fontsize=LABEL_SIZE - 1, loc="best")
    return fig


def hedging_by_outlet(
    terms: pd.DataFrame,
    articles: pd.DataFrame,
    kind_col: str = "kind",
    outlet_col: str = "outlet",
    id_col: str = "article_id",
    words_col: str = "n_words",
    kinds: Sequence[str] = ("hedge", "booster"),
    ax: Axes | None = None,
) -> Figure:
    """Hedges (may, reportedly) and boosters (clearly, undeniably) per 1,000 words per outlet
    (per article when `articles` has no word counts); outlets without any still show, at 0."""
    per_words = articles is not None and words_col in articles.columns
    unit = "per 1,000 words" if per_words else "per article"
    title = f"Hedging and boosting per outlet ({unit})"
    if not _usable(articles, [id_col]) or terms is None or kind_col not in terms.columns:
        return _no_data(ax, title)
    base = _outlets(articles, None, outlet_col, id_col)
    base[id_col] = base[id_col].astype("string")
    table = terms[terms[kind_col].astype("string").isin(kinds)]
    # The outlet always comes from `articles`, the table the rates are divided by.
    table = table.drop(columns=[outlet_col], errors="ignore")
    table = table.assign(**{id_col: table[id_col].astype("string")})
    table = table.merge(base[[id_col, outlet_col]], on=id_col, how="inner")
    counts = pd.crosstab(table[outlet_col], table[kind_col].astype("string")) \
        if len(table) else pd.DataFrame()
    counts = counts.reindex(index=sorted(base[outlet_col].unique()), columns=list(kinds),
                            fill_value=0)
    if per_words:
        words = pd.to_numeric(base[words_col], errors="coerce").fillna(0).groupby(
            base[outlet_col]).sum()
        denominator = (words / 1000.0).reindex(counts.index)
    else:
        denominator = base.groupby(outlet_col).size().reindex(counts.index).astype(float)
    rates = counts.div(denominator.replace(0, np.nan), axis=0).sort_index(ascending=False)
    if rates.isna().all().all():
        return _no_data(ax, title, "no word counts")
    fig, ax = _axes(ax, (7, 1.2 + 0.5 * len(rates)))
    height = 0.8 / max(1, len(kinds))
    colours = category_colours(list(kinds))
    for j, kind in enumerate(kinds):
        colour, hatch = colours[kind]
        y = np.arange(len(rates)) - (j - (len(kinds) - 1) / 2) * height
        values = rates[kind].to_numpy(dtype=float)
        ax.barh(y, np.nan_to_num(values), height=height, color=colour, hatch=hatch, label=kind)
        for yi, v in zip(y, values, strict=True):
            if np.isfinite(v):
                ax.text(v, yi, f" {v:.1f}", va="center", fontsize=LABEL_SIZE - 2)
    ax.set_yticks(range(len(rates)))
    ax.set_yticklabels(rates.index, fontsize=LABEL_SIZE)
    ax.set_xlabel(unit, fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.legend(frameon=False, fontsize=LABEL_SIZE - 1, loc="lower right")
    return fig
