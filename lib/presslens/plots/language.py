"""Wording figures: place-name spelling profiles and hedging per outlet."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .style import (
    LABEL_SIZE,
    SPELLING_COLOURS,
    TITLE_SIZE,
    category_colours,
    figure_axes,
    no_data,
    usable,
    with_outlets,
)


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
    if not usable(terms, [kind_col, category_col]):
        return no_data(ax, title)
    table = terms[terms[kind_col].astype("string") == "place_spelling"]
    table = table.assign(_style=table[category_col].map(_style_of)).dropna(subset=["_style"])
    if table.empty:
        return no_data(ax, title, "no place-name spellings found")
    table = with_outlets(table, articles, outlet_col, id_col)
    counts = pd.crosstab(table[outlet_col], table["_style"])
    counts = counts.reindex(columns=["russian_style", "ukrainian_style"], fill_value=0)
    counts = counts.sort_index(ascending=False)
    shares = counts.div(counts.sum(axis=1), axis=0)
    fig, ax = figure_axes(ax, (7.5, 1.4 + 0.45 * len(counts)))
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
    if not usable(articles, [id_col]) or terms is None or kind_col not in terms.columns:
        return no_data(ax, title)
    base = with_outlets(articles, None, outlet_col, id_col)
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
        return no_data(ax, title, "no word counts")
    fig, ax = figure_axes(ax, (7, 1.2 + 0.5 * len(rates)))
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
