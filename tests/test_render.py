"""Annotated article HTML: escaping, nested and overlapping spans, paragraphs, bad offsets,
legend, determinism, and the span table built from analysis tables."""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from presslens import config, render
from presslens.render import (
    KIND_STYLES,
    ArticleView,
    article_spans,
    render_article,
    view_article,
)

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000"}


class _ArticleReader(HTMLParser):
    """Reads rendered HTML back: per paragraph, the text and, per character, the kinds of the
    <span class="pl-KIND"> elements it sits in. Only the article's <p> elements are read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.in_paragraph = False
        self.paragraphs: list[list[tuple[str, frozenset[str]]]] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "p":
            self.in_paragraph = True
            self.paragraphs.append([])
        elif tag == "span" and self.in_paragraph:
            classes = (dict(attrs).get("class") or "").split()
            kind = next((c[3:] for c in classes if c.startswith("pl-") and c[3:] in KIND_STYLES),
                        None)
            self.stack.append(kind)

    def handle_endtag(self, tag):
        if tag == "p":
            self.in_paragraph = False
        elif tag == "span" and self.in_paragraph:
            self.stack.pop()

    def handle_data(self, data):
        if self.in_paragraph:
            kinds = frozenset(k for k in self.stack if k)
            self.paragraphs[-1].extend((ch, kinds) for ch in data)


def _read(html_text: str) -> _ArticleReader:
    reader = _ArticleReader()
    reader.feed(html_text)
    reader.close()
    return reader


def _kinds_at(html_text: str) -> list[tuple[str, frozenset[str]]]:
    return [pair for paragraph in _read(html_text).paragraphs for pair in paragraph]


def _spans(*rows):
    return pd.DataFrame([dict(zip(("kind", "start", "end", "tooltip"), r, strict=False))
                         for r in rows])


# ------------------------------------------------------------------------------ safety

def test_script_and_img_in_text_are_shown_not_run():
    text = ("Officials said <script>alert(1)</script> and <img src=x onerror=alert(1)> "
            "appeared & \"quoted\" 'too'.")
    out = render_article(text, _spans(("claim", 0, len(text), "x")), title="<b>Title</b>")
    assert "<script" not in out.lower()
    assert "<img" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "&lt;b&gt;Title&lt;/b&gt;" in out
    assert "".join(ch for ch, _ in _kinds_at(out)) == text


def test_tooltips_built_from_article_text_are_escaped_in_attributes():
    evil = '"><script>alert(1)</script><span title="'
    out = render_article("Kyiv said it.", _spans(("source", 0, 4, evil)))
    reader = _read(out)
    assert "<script" not in out.lower()
    titles = [attrs["title"] for tag, attrs in reader.tags if "title" in attrs]
    assert any(evil in t for t in titles)  # round-trips as text inside the attribute
    # No tag was smuggled in: only the elements render_article makes.
    assert {tag for tag, _ in reader.tags} <= {"div", "h3", "p", "span", "strong", "br"}


def test_attribution_tooltip_from_tables_is_escaped():
    text = "The <b>ministry</b> said so."
    tables = {"attributions": pd.DataFrame([{
        "article_id": "a1", "source_text": "<b>ministry</b>", "source_start": 4,
        "source_end": 19, "source_canonical": '<img src=x onerror="alert(1)">',
        "source_type": "official", "affiliation": "UA", "cue_text": "said", "cue_start": 20,
        "cue_end": 24, "content_start": pd.NA, "content_end": pd.NA, "quote_type": "other"}])}
    out = render_article(text, article_spans(tables, "a1"))
    assert "<img" not in out and "<b>" not in out
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in out


# ------------------------------------------------------------------------------ structure

def test_claim_containing_source_and_hedge_shows_all_three():
    text = "Ukraine's army may have retreated, the ministry said."
    claim = (0, len(text) - 1)
    source_start = text.index("the ministry")
    hedge_start = text.index("may")
    out = render_article(text, _spans(("claim", *claim, "c1"),
                                      ("source", source_start, source_start + 12, "MoD"),
                                      ("hedge", hedge_start, hedge_start + 3, "may")))
    chars = _kinds_at(out)
    assert chars[hedge_start] == ("m", frozenset({"claim", "hedge"}))
    assert chars[source_start + 4][1] == frozenset({"claim", "source"})
    assert chars[0][1] == frozenset({"claim"})
    assert chars[-1][1] == frozenset()
    # The source box has its left edge where the source starts, right edge where it ends.
    assert out.count("pl-source pl-open") == 1 and out.count("pl-close") == 1


def test_partly_overlapping_spans_both_survive():
    text = "abcdefghij"
    out = render_article(text, _spans(("claim", 0, 6, "c"), ("content", 3, 9, "q")))
    kinds = [k for _, k in _kinds_at(out)]
    assert kinds[:3] == [frozenset({"claim"})] * 3
    assert kinds[3:6] == [frozenset({"claim", "content"})] * 3
    assert kinds[6:9] == [frozenset({"content"})] * 3
    assert kinds[9] == frozenset()


def test_paragraph_breaks_become_paragraphs_and_spans_cross_them():
    text = "First paragraph.\n\nSecond one,\nwith a line break.\n\n\n  Third."
    out = render_article(text, _spans(("claim", 6, 25, "c")))
    reader = _read(out)
    paragraphs = ["".join(ch for ch, _ in p) for p in reader.paragraphs]
    assert paragraphs == ["First paragraph.", "Second one,\nwith a line break.", "Third."]
    assert "<br>" in out
    # The claim is marked on both sides of the break.
    assert reader.paragraphs[0][6][1] == {"claim"} and reader.paragraphs[1][0][1] == {"claim"}
    assert reader.paragraphs[1][7][1] == frozenset()


@pytest.mark.parametrize("text", ["", None, "   \n\n  "])
def test_empty_article_renders(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the span lies outside an empty text
        out = render_article(text, _spans(("claim", 0, 3, "c")))
    assert "(empty article)" in out


def test_bad_offsets_are_clipped_or_skipped_with_a_warning():
    text = "Short text."
    spans = _spans(("claim", -5, 5, "clip left"), ("hedge", 6, 500, "clip right"),
                   ("source", 8, 2, "reversed"), ("cue", 3.5, 6, "not an int"),
                   ("booster", 40, 50, "outside"))
    with pytest.warns(UserWarning) as caught:
        out = render_article(text, spans)
    messages = " ".join(str(w.message) for w in caught)
    assert "start > end" in messages and "outside the text" in messages
    assert "not integers" in messages
    kinds = [k for _, k in _kinds_at(out)]
    assert kinds[0] == {"claim"} and kinds[6] == {"hedge"} and kinds[-1] == {"hedge"}
    assert "pl-source" not in out and "pl-cue" not in out and "pl-booster" not in out


def test_absent_offsets_are_skipped_quietly():
    spans = pd.DataFrame({"kind": ["source", "cue"], "start": pd.array([pd.NA, 0], "Int64"),
                          "end": pd.array([pd.NA, 3], "Int64"), "tooltip": ["s", "c"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = render_article("said it", spans)
    assert "pl-cue" in out and "pl-source" not in out


def test_long_article_renders_and_can_be_cut():
    text = ("word " * 40000).strip()  # 200,000 characters
    spans = _spans(*[("hedge", i, i + 4, "w") for i in range(0, 5000, 50)])
    out = render_article(text, spans, max_chars=10_000)
    assert "cut after 10,000 characters" in out
    assert out.count("pl-hedge") == 101  # 100 spans + the legend entry


# ------------------------------------------------------------------------------ legend, style

def test_legend_lists_only_kinds_present_with_a_non_colour_description():
    out = render_article("Kharkov and Kharkiv.", _spans(
        ("place_spelling_russian", 0, 7, "ru"), ("place_spelling_ukrainian", 12, 19, "ua")))
    legend = out[out.index('class="presslens-legend"'):]
    assert KIND_STYLES["place_spelling_russian"].label in legend
    assert KIND_STYLES["place_spelling_ukrainian"].label in legend
    assert KIND_STYLES["place_spelling_russian"].drawn_as in legend
    assert "claim" not in legend and "hedge" not in legend
    assert "presslens-legend" not in render_article("x", _spans(("claim", 0, 1, "")),
                                                    legend=False)
    assert "presslens-legend" not in render_article("no spans", None)


def test_styles_use_the_okabe_ito_palette_and_differ_beyond_colour():
    for style in KIND_STYLES.values():
        for colour in re.findall(r"#[0-9A-Fa-f]{6}", style.css):
            assert colour.upper() in OKABE_ITO
    # Every kind's drawing is distinct even with the colours removed.
    shapes = {re.sub(r"#[0-9A-Fa-f]{6}|rgba\([^)]*\)", "C", s.css) for s in KIND_STYLES.values()}
    assert len(shapes) == len(KIND_STYLES)
    assert "<style" not in render_article("x", _spans(("claim", 0, 1, "")))  # inline only


def test_output_is_deterministic_whatever_the_span_order():
    text = "The ministry said Russian forces may have taken Volchansk."
    rows = [("claim", 18, 57, "c"), ("source", 0, 12, "s"), ("cue", 13, 17, "said"),
            ("hedge", 33, 36, "may"), ("content", 18, 57, "q")]
    first = render_article(text, _spans(*rows))
    assert render_article(text, _spans(*reversed(rows))) == first
    assert render_article(text, _spans(*rows)) == first
    as_dicts = [{"kind": k, "start": s, "end": e, "tooltip": t} for k, s, e, t in rows]
    assert render_article(text, as_dicts) == first


# ------------------------------------------------------------------------------ property test

@st.composite
def _text_and_spans(draw):
    alphabet = st.sampled_from(list("ab <>&\"'\n") + ["\n\n"])
    text = "".join(draw(st.lists(alphabet, min_size=1, max_size=40)))
    n = len(text)
    kinds = st.sampled_from(sorted(KIND_STYLES))
    rows = draw(st.lists(st.tuples(kinds, st.integers(0, n), st.integers(0, n)), max_size=8))
    rows = [(k, min(a, b), max(a, b), "t") for k, a, b in rows]
    return text, rows


@settings(max_examples=150, deadline=None)
@given(_text_and_spans())
def test_every_character_keeps_exactly_its_kinds(case):
    text, rows = case
    out = render_article(text, _spans(*rows) if rows else None)
    got = [pair for p in _read(out).paragraphs for pair in p]
    expected = []
    for start, end in render._paragraphs(text):
        for i in range(start, end):
            expected.append((text[i], frozenset(k for k, s, e, _ in rows if s <= i < e)))
    if not render._paragraphs(text):
        assert "(empty article)" in out
    else:
        assert got == expected


# ------------------------------------------------------------------------------ span table

def _tables():
    text = ("Russian troops now control Volchansk, the channel claims, reportedly near Kharkov. "
            "Kyiv calls it propaganda.")
    articles = pd.DataFrame({"article_id": ["a1", "a2"], "title": ["Front <update>", "Other"],
                             "outlet": ["Wire", "Paper"], "text": [text, "Other text."],
                             "published": pd.to_datetime(["2024-05-10", "2024-05-11"],
                                                         utc=True)})
    attributions = pd.DataFrame([{
        "article_id": "a1", "sentence_index": 0, "source_text": "the channel",
        "source_start": 38, "source_end": 49, "cue_text": "claims", "cue_start": 50,
        "cue_end": 56, "content_text": text[:36], "content_start": 0, "content_end": 36,
        "quote_type": "indirect", "source_canonical": "Go and See", "source_type": "media",
        "named": True, "affiliation": "RU"}, {
        "article_id": "a1", "sentence_index": 1, "source_text": None,
        "source_start": pd.NA, "source_end": pd.NA, "cue_text": "calls", "cue_start": 89,
        "cue_end": 94, "content_text": None, "content_start": pd.NA, "content_end": pd.NA,
        "quote_type": "other", "source_canonical": None, "source_type": "official",
        "named": True, "affiliation": "UA"}])
    claims = pd.DataFrame([{"article_id": "a1", "claim_id": "a1-c0", "sentence_index": 0,
                            "start": 0, "end": 82, "text": text[:82], "check_worthiness": 0.9,
                            "attributed_to": "Go and See", "hedged": True,
                            "quantities": [], "cluster_id": 3}])
    terms = pd.DataFrame([
        {"article_id": "a1", "sentence_index": 0, "kind": "hedge", "term": "reportedly",
         "canonical": "reportedly", "category": "evidential", "quoted": False,
         "start": 58, "end": 68, "text": "reportedly"},
        {"article_id": "a1", "sentence_index": 0, "kind": "place_spelling", "term": "Kharkov",
         "canonical": "Kharkiv", "category": "russian_style", "quoted": False,
         "start": 74, "end": 81, "text": "Kharkov"},
        {"article_id": "a1", "sentence_index": 1, "kind": "place_spelling", "term": "Kyiv",
         "canonical": "Kyiv", "category": "ukrainian_style", "quoted": False,
         "start": 83, "end": 87, "text": "Kyiv"},
        {"article_id": "a1", "sentence_index": 1, "kind": "loaded_language",
         "term": "propaganda", "canonical": "propaganda", "category": None, "quoted": False,
         "start": 97, "end": 107, "text": "propaganda"},
        {"article_id": "a2", "sentence_index": 0, "kind": "hedge", "term": "Other",
         "canonical": "x", "category": None, "quoted": False, "start": 0, "end": 5,
         "text": "Other"}])
    persuasion = pd.DataFrame([
        {"article_id": "a1", "technique": "loaded_language", "start": 97, "end": 107,
         "text": "propaganda"},
        {"article_id": "a1", "technique": "Name_Calling-Labeling", "start": 97, "end": 107,
         "text": "propaganda"},
        {"article_id": "a1", "technique": "Flag_Waving", "start": 0, "end": 7, "text": "Russian"}])
    frame_evidence = pd.DataFrame([{"article_id": "a1", "scheme": "generic", "frame": "conflict",
                                    "indicator": "troops", "sentence_index": 0, "start": 8,
                                    "end": 14, "text": "troops"}])
    return {"articles": articles, "attributions": attributions, "claims": claims,
            "terms": terms, "persuasion": persuasion, "frame_evidence": frame_evidence}


def test_article_spans_builds_every_kind_from_the_tables():
    tables = _tables()
    spans = article_spans(tables, "a1")
    assert list(spans.columns) == list(render.SPAN_COLUMNS)
    found = {(r.kind, int(r.start), int(r.end)) for r in spans.itertuples()}
    assert found == {
        ("source", 38, 49), ("cue", 50, 56), ("content", 0, 36), ("cue", 89, 94),
        ("claim", 0, 82), ("hedge", 58, 68), ("place_spelling_russian", 74, 81),
        ("place_spelling_ukrainian", 83, 87), ("loaded_language", 97, 107),
        ("name_calling", 97, 107), ("persuasion", 0, 7)}
    # Found by both the terms and the persuasion tables: one row, both named.
    loaded = spans[spans["kind"] == "loaded_language"].iloc[0]
    assert loaded["table"] == "persuasion,terms"
    source = spans[spans["kind"] == "source"].iloc[0]
    assert "Go and See" in source["tooltip"] and "media" in source["tooltip"]
    assert "cluster: 3" in spans[spans["kind"] == "claim"].iloc[0]["tooltip"]
    # Sorted by start, longest first.
    assert list(spans["start"]) == sorted(spans["start"])
    assert spans.iloc[0]["kind"] == "claim"


def test_article_spans_kinds_filter_and_frame_evidence():
    tables = _tables()
    spans = article_spans(tables, "a1", kinds=["frame", "place_spelling"])
    assert set(spans["kind"]) == {"frame", "place_spelling_russian", "place_spelling_ukrainian"}
    assert article_spans(tables, "missing").empty
    assert article_spans({}, "a1").empty


def test_article_spans_accepts_an_analysis_like_object():
    class Analysis:
        pass

    analysis = Analysis()
    for name, table in _tables().items():
        setattr(analysis, name, table)
    assert article_spans(analysis, "a1").equals(article_spans(_tables(), "a1"))


def test_view_article_and_article_view():
    view = view_article(_tables(), "a1")
    assert isinstance(view, ArticleView)
    html_text = view._repr_html_()
    assert html_text == view.html
    assert "Front &lt;update&gt;" in html_text and "Wire" in html_text
    chars = _kinds_at(html_text)
    kharkov = view.text.index("Kharkov")
    assert chars[kharkov][1] == {"claim", "place_spelling_russian"}
    assert "place_spelling_russian=1" in repr(view)
    with pytest.warns(UserWarning, match="not in the articles table"):
        assert view_article(_tables(), "nope").text == ""


def test_article_view_saves_a_standalone_page(tmp_path):
    path = ArticleView("a <b> c", _spans(("claim", 0, 1, "x")), title="T & co").save(
        tmp_path / "out" / "a.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>T &amp; co</title>" in page
    assert " &lt;b&gt; c" in page and "<b>" not in page


def test_seed_article_renders_whole():
    if not config.SEED_ARTICLE.exists():
        pytest.skip("seed record missing")
    record = json.loads(config.SEED_ARTICLE.read_text(encoding="utf-8").splitlines()[0])
    text = record["text"]
    start = text.index("Telegram channel")
    out = render_article(text, _spans(("source", start, start + 16, "channel")),
                         title=record.get("title"))
    reader = _read(out)
    rebuilt = ["".join(ch for ch, _ in p) for p in reader.paragraphs]
    assert rebuilt == [text[s:e] for s, e in render._paragraphs(text)]
    assert len(rebuilt) == text.count("\n\n") + 1


def test_unknown_or_missing_kind_is_drawn_as_other_persuasion():
    spans = pd.DataFrame({"kind": pd.array(["Exaggeration", pd.NA], dtype="string"),
                          "start": [0, 3], "end": [2, 5], "tooltip": ["x", "y"]})
    with pytest.warns(UserWarning, match="unknown kind 'Exaggeration'"):
        out = render_article("abcdef", spans)
    kinds = [k for _, k in _kinds_at(out)]
    assert kinds == [{"persuasion"}] * 2 + [frozenset()] + [{"persuasion"}] * 2 + [frozenset()]


def test_page_furniture_is_drawn_apart_and_named():
    text = "Drones hit the port. READ MORE ON THE WAR Officials said two people died."
    start = text.index("READ MORE")
    tables = {"boilerplate": pd.DataFrame({"article_id": ["a"], "start": [start], "end": [start + 20],
                                           "reason": ["related-links"], "rule": ["read_more_line"]})}
    spans = article_spans(tables, "a")
    assert spans[["kind", "start", "end"]].values.tolist() == [["furniture", start, start + 20]]
    out = render_article(text, spans)
    assert 'class="pl-furniture"' in out and "related-links" in out
