"""The figures' shared style and helpers: the palette, category colours and hatches, "no data"
axes, joins of outlet and date columns, time periods, heatmaps and stacked share bars."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .. import schema

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
# Catch-all categories, outside the palette's colour sequence: what the text does not tell is a
# grey with dots; "other" (known values too rare to show one by one) a lighter plain grey, so the
# two never read as one group, in colour or in greyscale print.
NEUTRAL_COLOUR = "#BBBBBB"
OTHER_COLOUR = "#E4E4E4"
UNKNOWN_OUTLET = schema.UNKNOWN_OUTLET
NEUTRAL_CATEGORIES = {"unknown": (NEUTRAL_COLOUR, ".."), UNKNOWN_OUTLET: (NEUTRAL_COLOUR, ".."),
                      "other": (OTHER_COLOUR, "")}
SEQUENTIAL_CMAP = "cividis"
# Russian-style vs Ukrainian-style spellings: the two ends of the palette's blue/vermillion pair.
SPELLING_COLOURS = {"russian_style": PALETTE[3], "ukrainian_style": PALETTE[0]}
TITLE_SIZE = 12
LABEL_SIZE = 10
# Time axes: at most this many bins (days, weeks, months or years, chosen from the span), and
# no figure wider than MAX_WIDTH inches, whatever the dates.
MAX_PERIODS = 120
MAX_WIDTH = 16.0
# Publication dates before this are taken as errors (the loader's window starts there too).
PLAUSIBLE_SINCE = pd.Timestamp("1990-01-01", tz="UTC")



# ---------------------------------------------------------------------------------------------
# helpers


def category_colours(categories: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(colour, hatch) for each category, in order: PALETTE first, then PALETTE with hatches.
    Catch-all categories (`unknown`, `other`) are drawn in greys (NEUTRAL_CATEGORIES) so they
    do not take a colour that reads as a real group."""
    out = {}
    i = 0
    for category in categories:
        if str(category) in NEUTRAL_CATEGORIES:
            out[category] = NEUTRAL_CATEGORIES[str(category)]
            continue
        out[category] = (PALETTE[i % len(PALETTE)],
                         HATCHES[(i // len(PALETTE)) % len(HATCHES)])
        i += 1
    return out


def figure_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def no_data(ax: Axes | None, title: str, reason: str = "no data",
             figsize: tuple[float, float] = (6, 3)) -> Figure:
    fig, ax = figure_axes(ax, figsize)
    ax.text(0.5, 0.5, reason, ha="center", va="center", fontsize=LABEL_SIZE + 2, color="#555",
            transform=ax.transAxes)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


def usable(df: pd.DataFrame | None, columns: Sequence[str]) -> bool:
    return df is not None and len(df) > 0 and all(c in df.columns for c in columns)


def join_article_column(df: pd.DataFrame, articles: pd.DataFrame | None, column: str,
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


def with_outlets(df: pd.DataFrame, articles: pd.DataFrame | None, outlet_col: str,
             id_col: str) -> pd.DataFrame:
    out = join_article_column(df, articles, outlet_col, id_col)
    if outlet_col not in out.columns:
        out = out.assign(**{outlet_col: "all articles"})
    out = out.copy()
    out[outlet_col] = out[outlet_col].astype("string").fillna(UNKNOWN_OUTLET)
    return out


def period_starts(values: pd.Series, freq: str) -> pd.Series:
    """Period start (naive UTC) of each timestamp; NaT stays NaT."""
    stamps = pd.to_datetime(values, utc=True, errors="coerce").dt.tz_localize(None)
    return stamps.dt.to_period(freq).dt.start_time


def plausible_dates(values: pd.Series) -> tuple[pd.Series, int]:
    """The timestamps (UTC) of `values` with implausible ones (before PLAUSIBLE_SINCE or after
    tomorrow: typos, placeholder dates such as 1900-01-01, parse errors) as NaT, and how many
    were set aside. Mirrors the loader, which leaves such dates empty and reports them."""
    stamps = pd.to_datetime(values, utc=True, errors="coerce")
    if not isinstance(stamps, pd.Series):
        stamps = pd.Series(stamps, index=getattr(values, "index", None))
    until = pd.Timestamp.now(tz="UTC").normalize() + pd.Timedelta(days=2)
    flagged = stamps.notna() & ((stamps < PLAUSIBLE_SINCE) | (stamps >= until))
    return stamps.mask(flagged), int(flagged.sum())


def choose_freq(stamps: pd.Series, freq: str = "auto") -> str:
    """The time bin for a span of dates: `freq` itself unless it is "auto" or would make more
    than MAX_PERIODS bins; else day up to three months, week up to two years, month up to
    twelve years, and year beyond."""
    stamps = stamps.dropna()
    if stamps.empty:
        return "D" if freq == "auto" else freq
    span = (stamps.max() - stamps.min()).days + 1
    if freq != "auto":
        per = {"D": 1, "W": 7, "M": 30.4, "MS": 30.4, "ME": 30.4, "Y": 365.25}.get(freq.upper(), 1)
        if span / per <= MAX_PERIODS:
            return freq
    if span <= 92:
        return "D"
    if span <= 2 * 366:
        return "W"
    if span <= 12 * 366:
        return "M"
    return "Y"


def dated_periods(values: pd.Series, freq: str = "auto") -> tuple[pd.Series, str, str]:
    """(period start of each value, the bin chosen by `choose_freq`, a note on what was left
    out: undated values and implausible dates)."""
    stamps, n_implausible = plausible_dates(values)
    freq = choose_freq(stamps, freq)
    n_undated = int(stamps.isna().sum()) - n_implausible
    parts = []
    if n_undated:
        parts.append(f"{n_undated} undated")
    if n_implausible:
        parts.append(f"{n_implausible} with implausible dates")
    note = f" ({' and '.join(parts)} left out)" if parts else ""
    return period_starts(stamps, freq), freq, note


def date_labels(ax: Axes, periods: Sequence[pd.Timestamp], freq: str) -> None:
    fmt = ("%Y-%m" if freq.upper().startswith("M") else "%Y" if freq.upper().startswith("Y")
           else "%Y-%m-%d")
    labels = [pd.Timestamp(p).strftime(fmt) for p in periods]
    step = max(1, math.ceil(len(labels) / 14))
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels(labels[::step], rotation=45, ha="right", fontsize=LABEL_SIZE - 1)


def freq_word(freq: str) -> str:
    return {"D": "day", "W": "week", "M": "month", "MS": "month", "ME": "month",
            "Y": "year", "AUTO": "period"}.get(freq.upper(), freq)


def shorten(text: object, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def top_with_other(values: pd.Series, top: int, other: str = "other") -> pd.Series:
    """Keep the `top` most frequent values (ties by name); the rest become `other`."""
    counts = values.value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="mergesort")
    keep = set(counts.index[:top])
    return values.where(values.isin(keep), other)


def heatmap(ax: Axes, matrix: pd.DataFrame, fmt: str, colorbar_label: str,
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
    if fmt.endswith("d") or fmt == ".0f":  # counts: no tick at 0.5
        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
    bar.set_label(colorbar_label, fontsize=LABEL_SIZE)


def stacked_shares(table: pd.DataFrame, row_col: str, category_col: str, title: str,
                    category_name: str, ax: Axes | None, order: Sequence[str] | None = None
                    ) -> Figure:
    """Horizontal 100% stacked bars: share of each category per row (outlet)."""
    counts = pd.crosstab(table[row_col], table[category_col].astype("string").fillna("unknown"))
    if counts.empty:
        return no_data(ax, title)
    columns = sorted(counts.columns, key=lambda c: (order.index(c) if order and c in order
                                                   else len(order or ()), c))
    counts = counts[columns].sort_index(ascending=False)  # first outlet on top
    shares = counts.div(counts.sum(axis=1), axis=0)
    # Tall enough for the legend too, or constrained layout collapses a one-outlet figure.
    fig, ax = figure_axes(ax, (8, max(1.2 + 0.45 * len(shares), 0.9 + 0.27 * len(columns))))
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
                                                    NEUTRAL_COLOUR, OTHER_COLOUR)
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
