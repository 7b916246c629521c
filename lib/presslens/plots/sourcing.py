"""Sourcing figures: source types and sides per outlet, anonymous shares, top sources, the
outlet-to-source network."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from ..geo import bloc_of
from ..profiles import TOP_SIDES, top_sides
from ..schema import BLOCS, SOURCE_TYPES
from .style import (
    LABEL_SIZE,
    TITLE_SIZE,
    category_colours,
    figure_axes,
    no_data,
    shorten,
    stacked_shares,
    usable,
    with_outlets,
)


def source_types_by_outlet(
    attributions: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    type_col: str = "source_type",
    outlet_col: str = "outlet",
    id_col: str = "article_id",
    ax: Axes | None = None,
) -> Figure:
    """Share of each source type among each outlet's attributions (100% stacked bars)."""

    title = "Whom outlets rely on: source types"
    if not usable(attributions, [type_col]):
        return no_data(ax, title)
    table = with_outlets(attributions, articles, outlet_col, id_col)
    return stacked_shares(table, outlet_col, type_col, title, "source type", ax,
                           order=list(SOURCE_TYPES))


def affiliations_by_outlet(
    attributions: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    affiliation_col: str = "affiliation",
    outlet_col: str = "outlet",
    id_col: str = "article_id",
    ax: Axes | None = None,
    top: int = TOP_SIDES,
    by: str = "country",
) -> Figure:
    """Share of the sources' countries per outlet (100% stacked bars): the `top` countries or
    blocs most cited in the whole table, the rest as "other", then unknown; `by="bloc"` shows
    the coarse blocs instead (Russia, Ukraine, West, international, other)."""
    if by not in ("country", "bloc"):
        raise ValueError("by must be 'country' or 'bloc'")
    title = "Where the sources come from: " + ("countries" if by == "country" else "blocs")
    if not usable(attributions, [affiliation_col]):
        return no_data(ax, title)
    table = with_outlets(attributions, articles, outlet_col, id_col)
    codes = table[affiliation_col].astype("string").fillna("unknown")
    if by == "bloc":
        table = table.assign(side=codes.map(bloc_of))
        order = list(BLOCS)
    else:
        labels = top_sides(codes, top)
        table = table.assign(side=codes.map(labels))
        order = [c for c in dict.fromkeys(labels.values()) if c not in ("other", "unknown")]
        order += ["other", "unknown"]
    return stacked_shares(table, outlet_col, "side", title, by, ax, order=order)


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
    if not usable(attributions, [type_col]):
        return no_data(ax, title)
    table = with_outlets(attributions, articles, outlet_col, id_col)
    types = table[type_col].astype("string")
    shares = pd.DataFrame({c: (types == c).fillna(False).groupby(table[outlet_col]).mean()
                           for c in categories}).sort_index(ascending=False)
    totals = table.groupby(outlet_col).size()
    fig, ax = figure_axes(ax, (7, 1.2 + 0.5 * len(shares) * max(1, len(categories)) / 2))
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

    title = f"Most cited sources (top {n})"
    if not usable(attributions, [source_col]):
        return no_data(ax, title)
    table = attributions.copy()
    table[source_col] = table[source_col].astype("string").str.strip()
    table = table[table[source_col].fillna("") != ""]
    if table.empty:
        return no_data(ax, title, "no named sources")
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
    fig, ax = figure_axes(ax, (7, 1.2 + 0.32 * len(counts)))
    names = list(counts.index)[::-1]
    for i, name in enumerate(names):
        colour, hatch = colours[main_type[name]]
        ax.barh(i, counts[name], color=colour, hatch=hatch)
        ax.text(counts[name], i, f" {int(counts[name])}", va="center", fontsize=LABEL_SIZE - 2)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels([shorten(s, 40) for s in names], fontsize=LABEL_SIZE - 1)
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
    if not usable(attributions, [source_col]):
        return no_data(ax, title)
    table = with_outlets(attributions, articles, outlet_col, id_col)
    table[source_col] = table[source_col].astype("string").str.strip()
    table = table[table[source_col].fillna("") != ""]
    if table.empty:
        return no_data(ax, title, "no named sources")
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
    fig, ax = figure_axes(ax, (8, 1.5 + 0.38 * (span + 1)))
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
        ax.text(1.03, sy[source], f"{shorten(source, 34)}{kind} ({int(totals[source])})",
                ha="left", va="center", fontsize=LABEL_SIZE - 1)
    ax.set_xlim(-0.6, 1.8)
    ax.set_ylim(span + 0.8, -0.8)
    ax.axis("off")
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.text(0.5, 0.0, f"top {len(sources)} sources, as [source type] (attributions); "
            "line width = attributions", transform=ax.transAxes, ha="center", va="top",
            fontsize=LABEL_SIZE - 1, color="#444")
    return fig
