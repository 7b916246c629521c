"""Coverage over time: articles per outlet per day, week, month or year."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .style import (
    LABEL_SIZE,
    MAX_WIDTH,
    TITLE_SIZE,
    category_colours,
    date_labels,
    dated_periods,
    figure_axes,
    freq_word,
    no_data,
    top_with_other,
    usable,
    with_outlets,
)


def articles_per_day(
    articles: pd.DataFrame,
    date_col: str = "published",
    outlet_col: str = "outlet",
    freq: str = "auto",
    small_multiples: bool = False,
    top: int = 8,
    ax: Axes | None = None,
) -> Figure:
    """Articles per outlet per day, week, month or year (`freq`; "auto" picks from the span,
    see `style.choose_freq`): stacked bars, or one small panel per outlet with a shared y axis
    (`small_multiples=True`). Outlets beyond `top` are 'other'. Undated articles and
    implausible dates are left out, and the title says how many."""
    title = "Articles per outlet over time"
    if not usable(articles, [date_col]):
        return no_data(ax, title)
    table = with_outlets(articles, None, outlet_col, "article_id")
    periods, freq, note = dated_periods(table[date_col], freq)
    title = f"Articles per outlet per {freq_word(freq)}"
    table = table.assign(period=periods).dropna(subset=["period"])
    if table.empty:
        return no_data(ax, title, f"no dated articles{note}")
    table[outlet_col] = top_with_other(table[outlet_col], top)
    counts = pd.crosstab(table["period"], table[outlet_col])
    full = pd.period_range(counts.index.min(), counts.index.max(), freq=freq).start_time
    counts = counts.reindex(full, fill_value=0)
    outlets = sorted(counts.columns, key=lambda o: (o == "other", -counts[o].sum(), o))
    counts = counts[outlets]
    colours = category_colours(outlets)
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
    fig, ax = figure_axes(ax, (min(MAX_WIDTH, max(6, 0.35 * len(counts) + 3)), 4))
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
