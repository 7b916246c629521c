"""Coverage over time: articles per outlet per day, week or month."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .style import (
    LABEL_SIZE,
    TITLE_SIZE,
    category_colours,
    date_labels,
    figure_axes,
    freq_word,
    no_data,
    period_starts,
    top_with_other,
    usable,
    with_outlets,
)


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
    title = f"Articles per outlet per {freq_word(freq)}"
    if not usable(articles, [date_col]):
        return no_data(ax, title)
    table = with_outlets(articles, None, outlet_col, "article_id")
    table = table.assign(period=period_starts(table[date_col], freq)).dropna(subset=["period"])
    if table.empty:
        return no_data(ax, title, "no dated articles")
    undated = len(articles) - len(table)
    table[outlet_col] = top_with_other(table[outlet_col], top)
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
            date_labels(panel, counts.index, freq)
            panel.set_ylabel("articles", fontsize=LABEL_SIZE)
        for panel in list(axes.flat)[n:]:
            panel.set_visible(False)
        fig.suptitle(title + note, fontsize=TITLE_SIZE)
        fig.supxlabel(f"{freq_word(freq)} (UTC)", fontsize=LABEL_SIZE)
        return fig
    fig, ax = figure_axes(ax, (max(6, 0.35 * len(counts) + 3), 4))
    bottom = np.zeros(len(counts))
    for outlet in outlets:
        colour, hatch = colours[outlet]
        values = counts[outlet].to_numpy()
        ax.bar(range(len(counts)), values, bottom=bottom, color=colour, hatch=hatch,
               edgecolor="white", linewidth=0.5, label=f"{outlet} ({int(values.sum())})")
        bottom += values
    date_labels(ax, counts.index, freq)
    ax.set_ylabel("articles", fontsize=LABEL_SIZE)
    ax.set_xlabel(f"{freq_word(freq)} (UTC)", fontsize=LABEL_SIZE)
    ax.set_title(title + note, fontsize=TITLE_SIZE)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(title="outlet", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False,
              fontsize=LABEL_SIZE - 1, title_fontsize=LABEL_SIZE)
    return fig
