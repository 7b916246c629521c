"""What the notebooks share: loading the corpus window (with a clear error when it is empty
or names what the corpus lacks), analysing it with its notices summarised, display defaults,
tables that are browsable in JupyterLab and clean static HTML when executed headless,
deterministic summaries for nbval, and figures saved and shown with a description. Keeps every
notebook a parameters cell, calls, tables and figures.
"""

from __future__ import annotations

import base64
import html
import io
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from . import config, schema
from .atomic import write_via

UNKNOWN_OUTLET = schema.UNKNOWN_OUTLET

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


class EmptySelection(ValueError):
    """The corpus window asked for holds no article (or names an outlet or article the
    corpus does not have); the message says what was asked and what exists."""


def _outlet_list(outlets) -> list[str]:
    if not outlets:
        return []
    if isinstance(outlets, str):
        outlets = outlets.split(",")
    return [str(o).strip() for o in outlets if str(o).strip()]


def _counted(values: pd.Series, limit: int = 12) -> str:
    counts = values.value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="mergesort")
    text = ", ".join(f"{name} ({n})" for name, n in counts.head(limit).items())
    return text + (f" and {len(counts) - limit} more" if len(counts) > limit else "")


def _date_span(articles: pd.DataFrame) -> str:
    if "published" not in articles.columns:
        return "none of them dated"
    dated = pd.to_datetime(articles["published"], utc=True, errors="coerce").dropna()
    undated = len(articles) - len(dated)
    if dated.empty:
        return "none of them dated"
    span = f"published {dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d}"
    return span + (f" ({undated} undated)" if undated else "")


def check_selection(articles: pd.DataFrame, outlets=None, since: str | None = "",
                    until: str | None = "", source: str = "the corpus") -> pd.DataFrame:
    """The articles of `outlets` published from `since` to `until` (inclusive ISO dates).
    Raises EmptySelection, saying what was asked and what `articles` holds, when an outlet
    asked for is not in it or the window is empty."""
    from .analysis import filter_articles

    wanted = _outlet_list(outlets)
    present = outlet_labels(articles)
    if len(articles) == 0:
        raise EmptySelection(f"{source} holds no loadable article (see the load report: "
                             "`presslens load CORPUS`)")
    unknown = [o for o in wanted if o not in set(present)]
    if unknown:
        raise EmptySelection(
            f"no outlet {', '.join(map(repr, unknown))} in {source}; its outlets: "
            f"{_counted(present)}")
    if wanted and UNKNOWN_OUTLET in wanted:
        window = articles[present.isin(wanted).to_numpy()].reset_index(drop=True)
        window = filter_articles(window, since=since or None, until=until or None)
    else:
        window = filter_articles(articles, outlets=wanted or None, since=since or None,
                                 until=until or None)
    if len(window) == 0:
        asked = []
        if wanted:
            asked.append(f"from {', '.join(wanted)}")
        if since or until:
            asked.append(f"published {since or 'any time'} to {until or 'now'}")
        raise EmptySelection(
            f"no article {' '.join(asked)} in {source}: it has {len(articles)} article(s), "
            f"{_date_span(articles)}")
    return window


def load_corpus(corpus: str | list | None = "", outlets=None, since: str | None = "",
                until: str | None = "", outlet: str | None = "") -> pd.DataFrame:
    """Load the corpus (with its load report in `.attrs["load_report"]`) and keep the
    outlets and date window asked for; EmptySelection when that leaves nothing (see
    `check_selection`). `outlet` names the outlet of every article (a folder of `.txt` files
    from one outlet). Loading notices are summarised, not shown one by one."""
    from .io import load_articles

    path = corpus_path(corpus)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        articles = load_articles(path, outlet=outlet or None, progress=False)
    report = articles.attrs.get("load_report")
    window = check_selection(articles, outlets, since, until,
                             source=f"the corpus {_short(path)}")
    window.attrs["load_report"] = report
    window.attrs["n_loaded"] = len(articles)
    _print_notices(caught, "loading")
    return window


def _short(path) -> str:
    if isinstance(path, list | tuple):
        return f"({len(path)} paths)"
    return Path(str(path)).name or str(path)


def _print_notices(caught: Sequence[warnings.WarningMessage], when: str) -> None:
    """Warnings raised while loading or analysing, as a few counted lines instead of one red
    box per warning: the same notice about many articles is said once, with the count."""
    if not caught:
        return
    kinds: Counter = Counter()
    for w in caught:
        text = re.sub(r"article '[^']*'", "article", str(w.message))
        kinds[re.sub(r"language '([^']*)'", r"language \1", text)] += 1
    print(f"Notices while {when}:")
    for text, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
        print(f"  {n} x {text}" if n > 1 else f"  {text}")
    if len(kinds) > 8:
        print(f"  ... and {len(kinds) - 8} other notices")


_SKIP_NOTICE = re.compile(r"nothing to analyse|rules and models are not meaningful")


def status_line(article_status: pd.DataFrame) -> str:
    """How many articles were analysed and how many skipped, by reason ("language ru", "empty
    text"), from the `article_status` table of an analysis.

    Examples
    --------
    >>> status = pd.DataFrame({"status": ["analysed", "skipped: language ru", "skipped: empty text"]})
    >>> status_line(status)
    '1 of 3 articles analysed; 2 skipped (empty text 1, language ru 1), left out of every table'
    """
    if article_status is None or "status" not in article_status.columns or article_status.empty:
        return "no article analysed"
    counts = status_counts(article_status["status"].astype(str))
    n = counts["articles"]
    line = f"{n - sum(counts['skipped'].values())} of {n} article{'s' if n != 1 else ''} analysed"
    if counts["skipped"]:
        reasons = ", ".join(f"{reason} {count}" for reason, count in counts["skipped"].items())
        line += f"; {sum(counts['skipped'].values())} skipped ({reasons}), left out of every table"
    return line


def status_counts(statuses: Iterable[str]) -> dict:
    """Articles, analysed and skipped by reason (sorted) from the `status` values of an
    `article_status` table ("analysed", "skipped: language ru", ...).

    Examples
    --------
    >>> status_counts(["analysed", "skipped: language ru"])
    {'articles': 2, 'analysed': 1, 'skipped': {'language ru': 1}}
    """
    statuses = list(statuses)
    skipped = Counter(s.removeprefix("skipped: ") for s in statuses if s.startswith("skipped"))
    return {"articles": len(statuses), "analysed": statuses.count("analysed"),
            "skipped": dict(sorted(skipped.items()))}


def analyze(articles: pd.DataFrame, **kwargs):
    """`presslens.analyze` with its per-article notices (empty or non-English texts)
    summarised in a few lines, and a line on articles it could not analyse."""
    from .analysis import analyze as run

    kwargs.setdefault("progress", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run(articles, **kwargs)
    print(status_line(result.article_status))
    # the skipped articles are counted in the status line; other notices are summarised
    _print_notices([w for w in caught if not _SKIP_NOTICE.search(str(w.message))], "analysing")
    if len(result.errors):
        print(f"{len(result.errors)} article(s) or step(s) could not be analysed: "
              f"{_counted(result.errors['stage'])} (the errors table, notebook 1)")
    return result


outlet_labels = schema.outlet_labels


def outlets_of(articles: pd.DataFrame) -> pd.DataFrame:
    """article_id and outlet (UNKNOWN_OUTLET where missing), to merge onto result tables."""
    return pd.DataFrame({"article_id": articles["article_id"].astype("string"),
                         "outlet": outlet_labels(articles)})


def describe_corpus(articles: pd.DataFrame) -> None:
    """One line on the window: articles, outlets (or why there are none), dates."""
    outlets = outlet_labels(articles)
    known = outlets[outlets != UNKNOWN_OUTLET]
    n = known.nunique()
    if n == 0:
        where = ("no outlet known (none in the records, URLs or folders; `--outlet NAME` or "
                 "the `outlet` parameter names one)")
    else:
        where = f"{n} outlet{'s' if n != 1 else ''}"
        if len(known) < len(outlets):
            where += f" ({len(outlets) - len(known)} article(s) of unknown outlet)"
    print(f"{len(articles)} article{'s' if len(articles) != 1 else ''} from {where}, "
          f"{_date_span(articles)}")


def choose_article(analysis, article_id: str = "") -> str:
    """`article_id` when the window has it (EmptySelection, with examples of ids, when not);
    without one, the article with the most attributions and claims."""
    from .lesson import default_article

    ids = analysis.articles["article_id"].astype(str)
    if not article_id:
        if ids.empty:
            raise EmptySelection("no article to show: the window is empty")
        return default_article(analysis)
    if str(article_id) not in set(ids):
        examples = ", ".join(repr(i) for i in sorted(ids)[:5])
        raise EmptySelection(f"no article {article_id!r} in the corpus window of {len(ids)} "
                             f"article(s); its ids include {examples}")
    return str(article_id)


def headless() -> bool:
    return bool(os.environ.get(HEADLESS_ENV))


def _cell(value) -> str:
    """A table cell as a reader should see it: missing is empty, lists joined, whitespace
    (newlines of the article text) collapsed."""
    if isinstance(value, list | tuple | set):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return " ".join(str(value).split())


def table_html(df: pd.DataFrame, max_rows: int | None = None) -> str:
    """`df` as a plain HTML table: no index column, empty cells for missing values, lists
    joined, whitespace collapsed, everything escaped."""
    shown = df if max_rows is None else df.head(max_rows)
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])
               for c in shown.columns]
    align = ['style="text-align:right"' if n else 'style="text-align:left"' for n in numeric]
    head = "".join(f"<th {a}>{html.escape(str(c))}</th>" for c, a in zip(shown.columns, align, strict=True))
    rows = []
    for record in shown.itertuples(index=False, name=None):
        cells = "".join(f"<td {a}>{html.escape(_cell(v))}</td>" for v, a in zip(record, align, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    more = (f'<p class="presslens-more">({len(df) - len(shown)} more rows)</p>'
            if len(shown) < len(df) else "")
    return (f'<table class="dataframe presslens-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{more}")


class Table:
    """A table for display: clean HTML (`table_html`) for reports and JupyterLab, and a
    deterministic text (`summary_text`) as its plain form, which nbval compares."""

    def __init__(self, df: pd.DataFrame, text: str, max_rows: int | None = None,
                 empty: str = "(no rows)") -> None:
        self.df, self.text, self.max_rows, self.empty = df, text, max_rows, empty

    def _repr_html_(self) -> str:
        if self.df.empty:
            return f"<p><em>{html.escape(self.empty)}</em></p>"
        return table_html(self.df, self.max_rows)

    def __repr__(self) -> str:
        return self.empty if self.df.empty else self.text


def show_table(df: pd.DataFrame, max_rows: int = 15, empty: str = "(no rows)") -> Table:
    """The first `max_rows` rows as a clean table (`table_html`); a sentence instead of an
    empty table."""
    return Table(df, df.head(max_rows).to_string(index=False), max_rows, empty)


def summary(df: pd.DataFrame, sort_by: list[str] | str | None = None, digits: int = 3,
            empty: str = "(no rows)") -> Table:
    """A checked summary: sorted, floats rounded, shown as a clean table whose plain text is
    `summary_text` (what nbval compares)."""
    out = _rounded(df, sort_by, digits)
    return Table(out, summary_text(out), None, empty)


def browse(df: pd.DataFrame, max_rows: int = 15, interactive: bool | None = None,
           empty: str = "(no rows)", **itables_options):
    """An itables table to sort, search and page through in JupyterLab; the first `max_rows`
    rows as a clean table when executed headless (reports, nbval) or without itables, and a
    sentence instead of an empty table."""
    from IPython.display import display

    interactive = (not headless()) if interactive is None else interactive
    if interactive and not df.empty:
        try:
            from itables import show

            return show(df, maxBytes=0, **itables_options)
        except ImportError:
            pass
    display(show_table(df, max_rows, empty))


def _rounded(df: pd.DataFrame, sort_by, digits: int) -> pd.DataFrame:
    out = df.copy()
    if sort_by is not None:
        out = out.sort_values(sort_by, kind="mergesort")
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(digits)
    return out


def summary_text(df: pd.DataFrame, sort_by: list[str] | str | None = None, digits: int = 3) -> str:
    """Deterministic text of a table for nbval-checked cells: sorted, floats rounded."""
    return _rounded(df, sort_by, digits).to_string(index=False)


def save_figure(fig, output_dir: str | Path | None, name: str) -> Path | None:
    """Save `fig` as PNG and SVG in `output_dir` (atomically); nothing when output_dir is empty."""
    if not output_dir:
        return None
    directory = Path(output_dir)
    directory.mkdir(parents=True, exist_ok=True)
    target = None
    for ext in ("png", "svg"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # layout notices: not the reader's
            target = write_via(directory / f"{name}.{ext}",
                               lambda tmp, ext=ext: fig.savefig(tmp, bbox_inches="tight", format=ext))
    return target


def describe_figure(fig) -> str:
    """Alternative text for a figure: its titles, axis labels and legend entries."""
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        parts.append(suptitle.get_text())
    for ax in fig.axes:
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        bits = [t for t in (ax.get_title(),) if t]
        axes = [f"{name}: {label}" for name, label in (("x", ax.get_xlabel()), ("y", ax.get_ylabel()))
                if label]
        if axes:
            bits.append("; ".join(axes))
        legend = ax.get_legend()
        if legend is not None:
            entries = [t.get_text() for t in legend.get_texts()][:10]
            if entries:
                bits.append("legend: " + ", ".join(entries))
        if not bits and ax.texts:
            bits.append(" ".join(t.get_text() for t in ax.texts[:3]))
        if bits:
            parts.append(". ".join(bits))
    return " | ".join(parts) or "A figure"


class Figure:
    """A rendered figure for display: an <img> with alternative text (nbconvert gives a bare
    PNG output a placeholder text), and the PNG itself."""

    def __init__(self, png: bytes, alt: str) -> None:
        self.png, self.alt = png, alt

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (f'<img class="presslens-figure" alt="{html.escape(self.alt, quote=True)}" '
                f'src="data:image/png;base64,{data}">')

    def __repr__(self) -> str:
        return f"[figure: {self.alt}]"


def show_figure(fig, output_dir: str | Path | None = None, name: str = "figure",
                alt: str | None = None) -> Figure:
    """Save `fig` in `output_dir` (PNG and SVG, when given), close it, and return it for
    display with its description as alternative text (`describe_figure`)."""
    import matplotlib.pyplot as plt

    save_figure(fig, output_dir, name)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # layout notices: not the reader's
        fig.savefig(buffer, format="png", bbox_inches="tight")
    description = alt or describe_figure(fig)
    plt.close(fig)
    return Figure(buffer.getvalue(), description)


def save_table(df: pd.DataFrame, output_dir: str | Path | None, name: str) -> Path | None:
    """Save a table as CSV in `output_dir` (atomically); nothing when output_dir is empty."""
    if not output_dir:
        return None
    return write_via(Path(output_dir) / f"{name}.csv", lambda tmp: df.to_csv(tmp, index=False))


def lesson_article(articles: pd.DataFrame, article_id: str = "") -> str:
    """The lesson's article: `article_id` when `articles` has it (EmptySelection when not);
    without one, the article with the most attributions and claims (analysing the window,
    which a report has cached already)."""
    if article_id:
        ids = articles["article_id"].astype(str)
        if str(article_id) not in set(ids):
            examples = ", ".join(repr(i) for i in sorted(ids)[:5])
            raise EmptySelection(f"no article {article_id!r} in the corpus window of {len(ids)} "
                                 f"article(s); its ids include {examples}")
        return str(article_id)
    if len(articles) == 1:
        return str(articles["article_id"].iloc[0])
    from .analysis import analyze as run

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # said by the analysis of the article itself
        return choose_article(run(articles, progress=False))


def comparing(outlets: Sequence[str]) -> None:
    """Say which outlets a comparison sets side by side, or that there is only one."""
    if len(outlets) == 1:
        print(f"Only one outlet in the window: {outlets[0]}. The measures describe it alone; "
              "a comparison needs two or more.")
    else:
        print("comparing:", ", ".join(outlets))


def answers(reveal: bool):
    """The lesson's `answer(show)`: with `reveal`, the tool's answer (`show()`, a table shown
    clean); without, a line for the student to write on."""

    def answer(show):
        if not reveal:
            print("Your answer: ____________________________________________")
            return None
        shown = show()
        if isinstance(shown, pd.DataFrame):
            return show_table(shown, max_rows=60, empty="(none in this article)")
        return shown

    return answer


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
