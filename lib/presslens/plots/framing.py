"""Frame figures: frame profiles per outlet and frames over time."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .style import (
    LABEL_SIZE,
    TITLE_SIZE,
    category_colours,
    dated_periods,
    figure_axes,
    freq_word,
    heatmap,
    join_article_column,
    no_data,
    usable,
    with_outlets,
)


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
    if not usable(frames, [frame_col, value_col]):
        return no_data(ax, title)
    table = with_outlets(_scheme_rows(frames, scheme, scheme_col), articles, outlet_col, id_col)
    if table.empty:
        return no_data(ax, title)
    values = pd.to_numeric(table[value_col].astype("Float64"), errors="coerce")
    matrix = (table.assign(_v=values).groupby([outlet_col, frame_col])["_v"].mean()
              .unstack().sort_index())
    matrix = matrix[sorted(matrix.columns)].astype(float)
    # Many frames (the 14 of the MFC) read better as rows, with the long names horizontal.
    frames_as_rows = matrix.shape[1] > 8 and matrix.shape[1] > matrix.shape[0]
    if frames_as_rows:
        matrix = matrix.T
    # At least 2.6 inches high: with one outlet the colour bar still reads.
    fig, ax = figure_axes(ax, (3.5 + 1.0 * matrix.shape[1] + 1.5, max(2.6, 1.5 + 0.42 * matrix.shape[0])))
    bounded = value_col == "present" or bool(((matrix >= 0) & (matrix <= 1)).all().all())
    heatmap(ax, matrix, ".2f", "share of articles" if value_col == "present" else what,
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
    freq: str = "auto",
    ax: Axes | None = None,
) -> Figure:
    """Frames over time: one line per frame, the mean `value_col` per day, week, month or year
    (`freq`; "auto" picks from the span); marker shapes differ per frame so lines are told
    apart without colour. Implausible dates are left out."""
    title = f"Frames over time ({scheme or 'all schemes'}): mean {value_col}"
    if not usable(frames, [frame_col, value_col]):
        return no_data(ax, title)
    table = join_article_column(_scheme_rows(frames, scheme, scheme_col), articles, date_col, id_col)
    if date_col not in table.columns:
        return no_data(ax, title, "no publication dates")
    periods, freq, note = dated_periods(table[date_col], freq)
    title = f"{title} per {freq_word(freq)}"
    table = table.assign(period=periods,
                         _v=pd.to_numeric(table[value_col].astype("Float64"), errors="coerce"))
    table = table.dropna(subset=["period", "_v"])
    if table.empty:
        return no_data(ax, title, "no dated frame scores")
    matrix = table.groupby(["period", frame_col])["_v"].mean().unstack().sort_index()
    matrix = matrix[sorted(matrix.columns)]
    fig, ax = figure_axes(ax, (8, 4))
    markers = "osD^v<>ph*"
    colours = category_colours(list(matrix.columns))
    for i, frame in enumerate(matrix.columns):
        ax.plot(matrix.index, matrix[frame].to_numpy(dtype=float), marker=markers[i % len(markers)],
                color=colours[frame][0], linestyle=("-", "--", ":", "-.")[(i // 8) % 4],
                linewidth=1.5, markersize=4, label=str(frame))
    ax.set_ylabel(f"mean {value_col}", fontsize=LABEL_SIZE)
    ax.set_xlabel(f"{freq_word(freq)} (UTC)", fontsize=LABEL_SIZE)
    ax.set_title(title, fontsize=TITLE_SIZE)
    ax.legend(title="frame", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False,
              fontsize=LABEL_SIZE - 1)
    fig.autofmt_xdate()
    ax.grid(color="#EEEEEE")
    return fig
