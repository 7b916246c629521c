"""What the notebooks share: loading the corpus window, display defaults, tables that are
browsable in JupyterLab and static when executed headless, deterministic text summaries for
nbval, and saving figures. Keeps every notebook a parameters cell, calls, tables and figures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import config
from .atomic import write_via

# Set by `presslens report` and `make test`: no interactive widgets in executed copies.
HEADLESS_ENV = "PRESSLENS_HEADLESS"


def setup() -> None:
    """Display defaults: readable figures, stable pandas printing."""
    import matplotlib as mpl

    mpl.rcParams.update({
        "figure.dpi": 100, "savefig.dpi": 150, "figure.figsize": (9, 4.5),
        "axes.spines.top": False, "axes.spines.right": False,
        "svg.hashsalt": "presslens",  # stable SVG ids
    })
    pd.set_option("display.max_colwidth", 120)
    pd.set_option("display.width", 160)
    pd.set_option("display.precision", 3)


def corpus_path(corpus: str | list | None) -> str | list:
    """The corpus parameter of a notebook: "" (or None) means the bundled sample corpus."""
    return corpus if corpus else str(config.SAMPLE_CORPUS)


def load_corpus(corpus: str | list | None = "", outlets=None, since: str | None = "",
                until: str | None = "") -> pd.DataFrame:
    """Load the corpus (with its load report in `.attrs["load_report"]`) and keep the
    outlets and date window asked for."""
    from .analysis import filter_articles
    from .io import load_articles

    articles = load_articles(corpus_path(corpus))
    report = articles.attrs.get("load_report")
    window = filter_articles(articles, outlets=outlets or None, since=since or None,
                             until=until or None)
    window.attrs["load_report"] = report
    window.attrs["n_loaded"] = len(articles)
    return window


def headless() -> bool:
    return bool(os.environ.get(HEADLESS_ENV))


def browse(df: pd.DataFrame, max_rows: int = 15, interactive: bool | None = None, **itables_options):
    """An itables table to sort, search and page through in JupyterLab; the first `max_rows`
    rows as a plain table when executed headless (reports, nbval) or without itables."""
    from IPython.display import display

    interactive = (not headless()) if interactive is None else interactive
    if interactive:
        try:
            from itables import show

            return show(df, maxBytes=0, **itables_options)
        except ImportError:
            pass
    display(df.head(max_rows))
    if len(df) > max_rows:
        print(f"({len(df) - max_rows} more rows)")


def summary_text(df: pd.DataFrame, sort_by: list[str] | str | None = None, digits: int = 3) -> str:
    """Deterministic text of a table for nbval-checked cells: sorted, floats rounded."""
    out = df.copy()
    if sort_by is not None:
        out = out.sort_values(sort_by, kind="mergesort")
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(digits)
    return out.to_string(index=False)


def save_figure(fig, output_dir: str | Path | None, name: str) -> Path | None:
    """Save `fig` as PNG and SVG in `output_dir` (atomically); nothing when output_dir is empty."""
    if not output_dir:
        return None
    directory = Path(output_dir)
    directory.mkdir(parents=True, exist_ok=True)
    target = None
    for ext in ("png", "svg"):
        target = write_via(directory / f"{name}.{ext}",
                           lambda tmp, ext=ext: fig.savefig(tmp, bbox_inches="tight", format=ext))
    return target


def save_table(df: pd.DataFrame, output_dir: str | Path | None, name: str) -> Path | None:
    """Save a table as CSV in `output_dir` (atomically); nothing when output_dir is empty."""
    if not output_dir:
        return None
    return write_via(Path(output_dir) / f"{name}.csv", lambda tmp: df.to_csv(tmp, index=False))


def article_picker(analysis, render_kinds=None):
    """In JupyterLab: a dropdown of the corpus's articles (outlet, date, title) that shows the
    chosen one annotated. Executed headless (reports, nbval), it prints how to use it instead."""
    if headless():
        print("In JupyterLab this cell shows a dropdown to pick and annotate any article.")
        return None
    import ipywidgets as widgets
    from IPython.display import display

    from .render import view_article

    arts = analysis.articles.sort_values(["outlet", "published", "article_id"], kind="mergesort")
    options = [(f"{r.outlet} | {str(r.published)[:10]} | {r.title}"[:120], r.article_id)
               for r in arts.itertuples()]
    dropdown = widgets.Dropdown(options=options, description="article", layout={"width": "95%"})
    out = widgets.Output()

    def show(change=None):
        out.clear_output()
        with out:
            display(view_article(analysis, dropdown.value, kinds=render_kinds))

    dropdown.observe(show, names="value")
    show()
    return widgets.VBox([dropdown, out])
