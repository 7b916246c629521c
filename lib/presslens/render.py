"""Annotated article HTML: who speaks, what is claimed, which words persuade, shown in the text.

`article_spans()` turns the analysis tables (attributions, claims, terms, persuasion, frame
evidence) into one span table `kind, start, end, label, tooltip, table`; `render_article()`
turns an article text plus such a span table into self-contained HTML; `ArticleView` shows it in
a notebook (`_repr_html_`) and saves it as a standalone page.

Safety and fidelity come first, because the text is untrusted (scraped news):
- every piece of article text and every attribute value is passed through `html.escape`, so an
  article containing `<script>` shows those characters and never runs them;
- overlapping and nested spans all survive: the text is cut at every span boundary into
  segments, and each segment is wrapped in one nested <span> per active kind, so a claim that
  contains a source and a hedge shows all three;
- styles are inline `style=` attributes (no <style> block a sanitiser could strip), drawn from
  the Okabe-Ito colour-blind-safe palette, and every kind also has its own non-colour cue
  (full or half highlight, box, double/dashed/dotted/wavy underline, italics, bold) so meaning
  does not depend on colour alone;
- bad offsets (out of range, start > end, non-numbers) are clipped or skipped with a warning;
- output is deterministic (fixed kind order, sorted spans) so nbval can compare it.
"""

from __future__ import annotations

import html
import math
import re
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .atomic import write_text

__all__ = [
    "KIND_STYLES",
    "SPAN_COLUMNS",
    "ArticleView",
    "KindStyle",
    "article_spans",
    "render_article",
    "view_article",
]

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision
# deficiencies. The same eight colours as presslens.plots.PALETTE.
_ORANGE = "#E69F00"
_SKY_BLUE = "#56B4E9"
_GREEN = "#009E73"
_YELLOW = "#F0E442"
_BLUE = "#0072B2"
_VERMILLION = "#D55E00"
_PURPLE = "#CC79A7"
_BLACK = "#000000"


@dataclass(frozen=True)
class KindStyle:
    """How one span kind looks: an inline CSS declaration, what it means, and how it is drawn
    in words (for the legend, so readers who cannot tell the colours apart still can read it)."""

    label: str
    css: str
    drawn_as: str
    # Boxed kinds draw their left/right border only where the span really opens/closes, so a
    # box cut into several segments by inner spans still reads as one box.
    boxed: bool = False


# Order = nesting order, outermost first: long spans (claim, content) wrap short ones (source,
# cue, single words). It is also the legend order. Underline offsets differ per kind so several
# underlines on the same word stay visible instead of being drawn on top of each other.
KIND_STYLES: dict[str, KindStyle] = {
    "furniture": KindStyle(
        "page furniture, left out of the analyses", "color:rgba(0,0,0,0.55);font-family:Arial,sans-serif;"
        "font-size:0.85em;background-color:rgba(0,0,0,0.06);", "small grey sans-serif on grey"),
    "claim": KindStyle(
        "claim", "background-color:rgba(240,228,66,0.45);", "full yellow highlight"),
    "content": KindStyle(
        "reported content", "box-shadow:inset 0 -0.5em 0 rgba(86,180,233,0.35);",
        "lower-half blue highlight"),
    "frame": KindStyle(
        "frame evidence",
        f"text-decoration:overline solid {_GREEN};text-decoration-thickness:2px;",
        "green line above"),
    "source": KindStyle(
        "source", f"border-top:2px solid {_VERMILLION};border-bottom:2px solid {_VERMILLION};"
        "padding:0 1px;", "vermillion box", boxed=True),
    "cue": KindStyle(
        "attribution cue",
        f"font-weight:bold;text-decoration:underline double {_BLUE};"
        "text-underline-offset:3px;", "bold, double blue underline"),
    "place_spelling_russian": KindStyle(
        "place name, Russian-style spelling",
        f"border-top:2px dashed {_ORANGE};border-bottom:2px dashed {_ORANGE};",
        "dashed orange box", boxed=True),
    "place_spelling_ukrainian": KindStyle(
        "place name, Ukrainian-style spelling",
        f"border-top:2px solid {_SKY_BLUE};border-bottom:2px solid {_SKY_BLUE};",
        "solid sky-blue box", boxed=True),
    "place_spelling": KindStyle(
        "place name, other spelling",
        f"border-top:2px dotted {_BLACK};border-bottom:2px dotted {_BLACK};",
        "dotted black box", boxed=True),
    "contested_term": KindStyle(
        "contested term", f"font-style:italic;text-decoration:underline dotted {_ORANGE};"
        "text-decoration-thickness:3px;text-underline-offset:5px;",
        "italic, dotted orange underline"),
    "hedge": KindStyle(
        "hedge", f"text-decoration:underline dashed {_GREEN};text-decoration-thickness:2px;"
        "text-underline-offset:4px;", "dashed green underline"),
    "booster": KindStyle(
        "booster", f"text-decoration:underline solid {_PURPLE};text-decoration-thickness:3px;"
        "text-underline-offset:4px;", "thick solid purple underline"),
    "loaded_language": KindStyle(
        "loaded language", f"text-decoration:underline wavy {_VERMILLION};"
        "text-underline-offset:6px;", "wavy vermillion underline"),
    "name_calling": KindStyle(
        "name calling / labelling", f"text-decoration:underline wavy {_PURPLE};"
        "text-underline-offset:8px;", "wavy purple underline, lower"),
    "doubt": KindStyle(
        "casting doubt", f"text-decoration:underline dotted {_BLACK};"
        "text-decoration-thickness:2px;text-underline-offset:8px;", "dotted black underline, lower"),
    "appeal_to_fear": KindStyle(
        "appeal to fear", f"text-decoration:underline wavy {_BLACK};"
        "text-underline-offset:10px;", "wavy black underline, lowest"),
    "persuasion": KindStyle(
        "other persuasion technique", f"text-decoration:underline solid {_BLACK};"
        "text-underline-offset:10px;", "thin black underline, lowest"),
}
KIND_ORDER = {kind: i for i, kind in enumerate(KIND_STYLES)}
SPAN_COLUMNS = ("kind", "start", "end", "label", "tooltip", "table")

# Kinds of the `terms` table that are rendered under their own name.
_TERM_KINDS = {"hedge", "booster", "loaded_language", "name_calling", "doubt", "appeal_to_fear",
               "contested_term"}
# Persuasion technique names as detect_persuasion and SemEval spell them -> render kinds.
_TECHNIQUE_KINDS = {
    "loaded_language": "loaded_language",
    "name_calling": "name_calling",
    "name_calling_labeling": "name_calling",
    "doubt": "doubt",
    "appeal_to_fear": "appeal_to_fear",
    "appeal_to_fear_prejudice": "appeal_to_fear",
}
DEFAULT_KINDS = tuple(k for k in KIND_STYLES if k != "frame")

_CONTAINER_CSS = (
    "font-family:Georgia,'Times New Roman',serif;font-size:15px;line-height:2.1;"
    "color:#111;background:#fff;max-width:46em;padding:0.5em 1em;"
)
_PARAGRAPH_CSS = "margin:0 0 0.9em 0;"
_LEGEND_CSS = (
    "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:12px;line-height:2.2;"
    "border-top:1px solid #bbb;margin-top:0.6em;padding-top:0.3em;"
)


# ---------------------------------------------------------------------------------------------
# span table from the analysis tables


def _table(source: Any, name: str) -> pd.DataFrame | None:
    """A table by name from an Analysis-like object (attributes) or a mapping of DataFrames."""
    if isinstance(source, Mapping):
        table = source.get(name)
    else:
        table = getattr(source, name, None)
    return table if isinstance(table, pd.DataFrame) else None


def _rows_for(table: pd.DataFrame | None, article_id: str) -> pd.DataFrame:
    if table is None or len(table) == 0 or "article_id" not in table.columns:
        return pd.DataFrame()
    return table[table["article_id"].astype("string") == str(article_id)]


def _value(row: Mapping[str, Any], column: str) -> Any:
    value = row.get(column)
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # lists and arrays are never "NA"
        pass
    return value


def _describe(parts: Iterable[tuple[str, Any]]) -> str:
    """'key: value; key: value' from the parts that have a value (tooltips are plain text; they
    are escaped when written into the title attribute)."""
    out = []
    for key, value in parts:
        if value is None or value == "":
            continue
        if isinstance(value, float):
            value = f"{value:.2f}"
        out.append(f"{key}: {value}" if key else str(value))
    return "; ".join(out)


def _place_kind(category: Any, canonical: Any, term: Any) -> str:
    """Russian- vs Ukrainian-style place spelling, from the terms table's `category`."""
    text = str(category or "").lower()
    if "russian" in text or text in {"ru", "ru_style"}:
        return "place_spelling_russian"
    if "ukrainian" in text or text in {"ua", "uk", "ua_style"}:
        return "place_spelling_ukrainian"
    return "place_spelling"


def _snake(name: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def article_spans(
    analysis_or_tables: Any,
    article_id: str,
    kinds: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The span table of one article, built from the analysis tables.

    `analysis_or_tables` is an `Analysis` (attributes) or a mapping of table name -> DataFrame;
    the tables used when present are `attributions` (-> source, cue, content), `claims`
    (-> claim), `terms` (-> hedge, booster, contested_term, place_spelling_russian /
    place_spelling_ukrainian, loaded_language, name_calling, doubt, appeal_to_fear), `persuasion`
    (-> the technique's kind, else `persuasion`), `boilerplate` (-> furniture: page furniture
    left out of the analyses) and `frame_evidence` (-> frame; only when asked
    for through `kinds`, since frame indicators are many single words). `kinds` keeps only those
    kinds (default: all but `frame`).

    Returns columns `kind, start, end, label, tooltip, table`, one row per distinct
    (kind, start, end), sorted by start, longest first, then kind order. Rows with an absent
    offset are left out (an attribution without a source has no source span)."""
    wanted = set(DEFAULT_KINDS if kinds is None else kinds)
    # "place_spelling" asks for both spelling styles.
    if "place_spelling" in wanted:
        wanted |= {"place_spelling_russian", "place_spelling_ukrainian"}
    rows: list[dict[str, Any]] = []

    def add(kind: str, start: Any, end: Any, label: str, tooltip: str, table: str) -> None:
        if kind not in wanted or start is None or end is None:
            return
        rows.append({"kind": kind, "start": start, "end": end, "label": label,
                     "tooltip": tooltip, "table": table})

    for row in _rows_for(_table(analysis_or_tables, "attributions"), article_id).to_dict("records"):
        who = _value(row, "source_canonical") or _value(row, "source_text")
        details = _describe([("source", who), ("type", _value(row, "source_type")),
                             ("affiliation", _value(row, "affiliation")),
                             ("quote", _value(row, "quote_type"))])
        add("source", _value(row, "source_start"), _value(row, "source_end"), "source",
            details, "attributions")
        add("cue", _value(row, "cue_start"), _value(row, "cue_end"), "cue",
            _describe([("cue", _value(row, "cue_text")), ("", details)]), "attributions")
        add("content", _value(row, "content_start"), _value(row, "content_end"),
            "content", _describe([("attributed to", who), ("quote", _value(row, "quote_type"))]),
            "attributions")

    for row in _rows_for(_table(analysis_or_tables, "claims"), article_id).to_dict("records"):
        quantities = _value(row, "quantities")
        figures = ", ".join(str(q.get("text", "")) for q in quantities
                            if isinstance(q, Mapping)) if isinstance(quantities, list) else None
        hedged = _value(row, "hedged")
        add("claim", _value(row, "start"), _value(row, "end"), "claim", _describe([
            ("claim", _value(row, "claim_id")), ("cluster", _value(row, "cluster_id")),
            ("check-worthiness", _value(row, "check_worthiness")),
            ("attributed to", _value(row, "attributed_to") or "unattributed"),
            ("hedged", None if hedged is None else ("yes" if hedged else "no")),
            ("figures", figures or None)]), "claims")

    for row in _rows_for(_table(analysis_or_tables, "terms"), article_id).to_dict("records"):
        term_kind = _snake(_value(row, "kind") or "")
        if term_kind == "place_spelling":
            kind = _place_kind(_value(row, "category"), _value(row, "canonical"),
                               _value(row, "term"))
        elif term_kind in _TERM_KINDS:
            kind = term_kind
        else:
            continue
        quoted = _value(row, "quoted")
        add(kind, _value(row, "start"), _value(row, "end"), KIND_STYLES[kind].label,
            _describe([("", KIND_STYLES[kind].label), ("term", _value(row, "term")),
                       ("canonical", _value(row, "canonical")),
                       ("category", _value(row, "category")),
                       ("in a quote", None if quoted is None else ("yes" if quoted else "no"))]),
            "terms")

    for row in _rows_for(_table(analysis_or_tables, "persuasion"), article_id).to_dict("records"):
        technique = _snake(_value(row, "technique") or "persuasion")
        kind = _TECHNIQUE_KINDS.get(technique, "persuasion")
        add(kind, _value(row, "start"), _value(row, "end"), technique.replace("_", " "),
            _describe([("technique", technique.replace("_", " "))]), "persuasion")

    for row in _rows_for(_table(analysis_or_tables, "boilerplate"), article_id).to_dict("records"):
        add("furniture", _value(row, "start"), _value(row, "end"), "page furniture",
            _describe([("reason", _value(row, "reason")), ("rule", _value(row, "rule"))]), "boilerplate")

    for row in _rows_for(_table(analysis_or_tables, "frame_evidence"), article_id).to_dict("records"):
        frame = _value(row, "frame")
        add("frame", _value(row, "start"), _value(row, "end"), f"frame {frame}", _describe([
            ("frame", frame), ("scheme", _value(row, "scheme")),
            ("indicator", _value(row, "indicator"))]), "frame_evidence")

    return _normalise_spans(pd.DataFrame(rows, columns=list(SPAN_COLUMNS)))


def _normalise_spans(spans: pd.DataFrame) -> pd.DataFrame:
    """Merge duplicate (kind, start, end) rows (a term found by two analyses) and sort."""
    if len(spans) == 0:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c in ("start", "end") else "string")
                             for c in SPAN_COLUMNS})
    spans = spans.copy()
    for column in SPAN_COLUMNS:
        if column not in spans.columns:
            spans[column] = "" if column in ("label", "tooltip", "table") else pd.NA
    for column in ("start", "end"):
        spans[column] = pd.to_numeric(spans[column], errors="coerce").astype("Int64")
    spans = spans.dropna(subset=["start", "end"])
    for column in ("label", "tooltip", "table"):
        spans[column] = spans[column].fillna("").astype(str)
    merged = (
        spans.groupby(["kind", "start", "end"], sort=False, dropna=False)
        .agg(label=("label", "first"),
             tooltip=("tooltip", lambda s: " | ".join(dict.fromkeys(t for t in s if t))),
             table=("table", lambda s: ",".join(sorted(set(s)))))
        .reset_index()
    )
    merged["_order"] = merged["kind"].map(KIND_ORDER).fillna(len(KIND_ORDER))
    merged["_length"] = merged["end"] - merged["start"]
    merged = merged.sort_values(["start", "_length", "_order", "kind"],
                                ascending=[True, False, True, True], kind="mergesort")
    out = merged[list(SPAN_COLUMNS)].reset_index(drop=True)
    for column in ("kind", "label", "tooltip", "table"):
        out[column] = out[column].astype("string")
    return out


# ---------------------------------------------------------------------------------------------
# rendering


@dataclass(frozen=True)
class _Span:
    kind: str
    start: int
    end: int
    tooltip: str


def _as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        as_int = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return as_int if as_int == value else None


def _clean_spans(spans: pd.DataFrame | Iterable[Mapping[str, Any]] | None,
                 n_chars: int) -> list[_Span]:
    """Valid spans only: absent offsets skipped quietly; non-integers, start > end and
    offsets outside the text skipped or clipped with one warning per problem kind."""
    if spans is None:
        return []
    records = (spans.to_dict("records") if isinstance(spans, pd.DataFrame) else list(spans))
    problems: dict[str, int] = {}
    out: list[_Span] = []
    for record in records:
        raw_start, raw_end = record.get("start"), record.get("end")
        if _value(record, "start") is None or _value(record, "end") is None:
            continue
        start, end = _as_int(raw_start), _as_int(raw_end)
        if start is None or end is None:
            problems["offsets that are not integers"] = problems.get(
                "offsets that are not integers", 0) + 1
            continue
        if start > end:
            problems["start > end"] = problems.get("start > end", 0) + 1
            continue
        if start < 0 or end > n_chars:
            problems["offsets outside the text (clipped)"] = problems.get(
                "offsets outside the text (clipped)", 0) + 1
            start, end = max(start, 0), min(end, n_chars)
            if start >= end:
                continue
        if start == end:
            continue
        kind = str(_value(record, "kind") or "persuasion")
        if kind not in KIND_STYLES:
            problems[f"unknown kind {kind!r} (drawn as 'persuasion')"] = problems.get(
                f"unknown kind {kind!r} (drawn as 'persuasion')", 0) + 1
            kind = "persuasion"
        tooltip = _value(record, "tooltip") or _value(record, "label") or KIND_STYLES[kind].label
        out.append(_Span(kind, start, end, str(tooltip)))
    for problem, count in sorted(problems.items()):
        warnings.warn(f"render_article: {count} span(s) with {problem}", stacklevel=3)
    out.sort(key=lambda s: (s.start, -(s.end - s.start), KIND_ORDER[s.kind], s.tooltip))
    return out


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, offsets kept."""
    bounds, position = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(text)))
    return [(s, e) for s, e in bounds if text[s:e].strip()]


def _escape_text(text: str) -> str:
    # Single newlines inside a paragraph are line breaks the writer meant.
    return html.escape(text, quote=True).replace("\n", "<br>\n")


def _segment_html(text: str, seg_start: int, seg_end: int, active: list[_Span]) -> str:
    body = _escape_text(text[seg_start:seg_end])
    if not active:
        return body
    # One wrapper per kind, outermost first; the innermost carries a tooltip naming every
    # span active here, because a browser shows only the innermost title.
    by_kind: dict[str, list[_Span]] = {}
    for span in active:
        by_kind.setdefault(span.kind, []).append(span)
    kinds = sorted(by_kind, key=KIND_ORDER.__getitem__)
    tooltip = "\n".join(
        f"{KIND_STYLES[k].label}: {s.tooltip}" if s.tooltip != KIND_STYLES[k].label
        else KIND_STYLES[k].label
        for k in kinds for s in by_kind[k])
    html_out = body
    for depth, kind in enumerate(reversed(kinds)):
        style = KIND_STYLES[kind]
        css = style.css
        classes = [f"pl-{kind}"]
        if style.boxed:
            colour_rule = css.split("border-top:", 1)[1].split(";", 1)[0]
            if any(s.start == seg_start for s in by_kind[kind]):
                css += f"border-left:{colour_rule};"
                classes.append("pl-open")
            if any(s.end == seg_end for s in by_kind[kind]):
                css += f"border-right:{colour_rule};"
                classes.append("pl-close")
        title = f' title="{html.escape(tooltip, quote=True)}"' if depth == 0 else ""
        html_out = (f'<span class="{" ".join(classes)}" style="{css}"{title}>'
                    f"{html_out}</span>")
    return html_out


def _legend_html(kinds: Iterable[str]) -> str:
    items = []
    for kind in sorted(set(kinds), key=KIND_ORDER.__getitem__):
        style = KIND_STYLES[kind]
        css = style.css
        if style.boxed:
            colour_rule = css.split("border-top:", 1)[1].split(";", 1)[0]
            css += f"border-left:{colour_rule};border-right:{colour_rule};"
        items.append(
            f'<span class="pl-legend-item" style="margin-right:1.4em;white-space:nowrap;">'
            f'<span class="pl-{kind}" style="{css}">{html.escape(style.label)}</span>'
            f' <span style="color:#555;">({html.escape(style.drawn_as)})</span></span>')
    if not items:
        return ""
    return (f'<div class="presslens-legend" style="{_LEGEND_CSS}">'
            f'<strong>Legend</strong> &middot; hover a passage for details<br>'
            + " ".join(items) + "</div>")


def render_article(
    text: str | None,
    spans: pd.DataFrame | Iterable[Mapping[str, Any]] | None = None,
    title: str | None = None,
    legend: bool = True,
    subtitle: str | None = None,
    max_chars: int | None = None,
) -> str:
    """Self-contained HTML of `text` with `spans` (columns `kind, start, end` and optionally
    `tooltip`/`label`; e.g. from `article_spans`) marked up.

    Paragraphs (blank-line separated) become <p>; every boundary of every span cuts the text
    into segments and each segment nests one <span> per active kind, so overlapping and nested
    spans all show. All text, the title and every tooltip are HTML-escaped. Offsets outside the
    text are clipped, start > end and non-integer offsets are skipped, each with a warning.
    `max_chars` cuts very long articles (the cut is said in the output)."""
    text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    truncated = False
    if max_chars is not None and len(text) > max_chars:
        text, truncated = text[:max_chars], True
    clean = _clean_spans(spans, len(text))

    parts = [f'<div class="presslens-article" style="{_CONTAINER_CSS}">']
    if title:
        parts.append(f'<h3 style="margin:0.2em 0 0.4em 0;line-height:1.3;">'
                     f"{html.escape(str(title))}</h3>")
    if subtitle:
        parts.append(f'<div style="color:#555;font-size:13px;line-height:1.4;'
                     f'margin-bottom:0.6em;">{html.escape(str(subtitle))}</div>')
    paragraphs = _paragraphs(text)
    if not paragraphs:
        parts.append('<p style="color:#777;font-style:italic;">(empty article)</p>')
    # Every boundary inside a paragraph, for segmenting. Spans crossing a paragraph break are
    # simply cut there (each paragraph's part is still marked).
    boundaries = sorted({b for s in clean for b in (s.start, s.end)})
    span_index = 0
    open_spans: list[_Span] = []
    for p_start, p_end in paragraphs:
        inner = boundaries[bisect_right(boundaries, p_start):bisect_left(boundaries, p_end)]
        cuts = [p_start, *inner, p_end]
        pieces = []
        for seg_start, seg_end in zip(cuts, cuts[1:], strict=False):
            while span_index < len(clean) and clean[span_index].start <= seg_start:
                open_spans.append(clean[span_index])
                span_index += 1
            open_spans = [s for s in open_spans if s.end > seg_start]
            active = [s for s in open_spans if s.start <= seg_start and s.end >= seg_end]
            # Segments are drawn with the span's own boundaries: a span that opened in an
            # earlier paragraph gets its box edge at this paragraph's start.
            seg_active = []
            for s in active:
                seg_active.append(_Span(s.kind, max(s.start, p_start), min(s.end, p_end),
                                        s.tooltip))
            pieces.append(_segment_html(text, seg_start, seg_end, seg_active))
        parts.append(f'<p style="{_PARAGRAPH_CSS}">' + "".join(pieces) + "</p>")
    if truncated:
        parts.append(f'<p style="color:#777;font-style:italic;">(cut after {max_chars:,} '
                     "characters)</p>")
    if legend:
        parts.append(_legend_html(s.kind for s in clean))
    parts.append("</div>")
    return "\n".join(parts)


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body style="margin:2em auto;max-width:50em;">
{body}
</body></html>
"""


class ArticleView:
    """An annotated article for notebooks: displays itself as HTML (`_repr_html_`), keeps its
    span table (`.spans`) and saves a standalone page (`.save(path)`)."""

    def __init__(self, text: str, spans: pd.DataFrame | None = None, title: str | None = None,
                 legend: bool = True, subtitle: str | None = None,
                 max_chars: int | None = None) -> None:
        self.text = "" if text is None else str(text)
        self.spans = _normalise_spans(spans if spans is not None
                                      else pd.DataFrame(columns=list(SPAN_COLUMNS)))
        self.title = title
        self.legend = legend
        self.subtitle = subtitle
        self.max_chars = max_chars

    @property
    def html(self) -> str:
        return render_article(self.text, self.spans, title=self.title, legend=self.legend,
                              subtitle=self.subtitle, max_chars=self.max_chars)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        counts = self.spans["kind"].value_counts().sort_index() if len(self.spans) else {}
        summary = ", ".join(f"{k}={int(v)}" for k, v in dict(counts).items()) or "no spans"
        name = f"{self.title!r}, " if self.title else ""
        return f"ArticleView({name}{len(self.text)} chars, {summary})"

    def save(self, path: str | Path) -> Path:
        """Write a standalone HTML page (UTF-8) and return its path."""
        page = _PAGE.format(title=html.escape(self.title or "presslens article"), body=self.html)
        return write_text(Path(path), page)


def view_article(analysis_or_tables: Any, article_id: str, kinds: Iterable[str] | None = None,
                 legend: bool = True, max_chars: int | None = None) -> ArticleView:
    """`ArticleView` of one article of an Analysis (or mapping of tables): its text and title
    from the `articles` table, its spans from `article_spans`. An unknown article id gives an
    empty view and a warning."""
    articles = _rows_for(_table(analysis_or_tables, "articles"), article_id)
    if len(articles) == 0:
        warnings.warn(f"view_article: article {article_id!r} is not in the articles table",
                      stacklevel=2)
        return ArticleView("", None, title=str(article_id), legend=legend)
    row = articles.iloc[0].to_dict()
    title = _value(row, "title") or str(article_id)
    meta = [str(v) for v in (_value(row, "outlet"), _value(row, "published")) if v is not None]
    return ArticleView(_value(row, "text") or "", article_spans(analysis_or_tables, article_id,
                                                               kinds=kinds),
                       title=str(title), legend=legend, subtitle=" · ".join(meta) or None,
                       max_chars=max_chars)
