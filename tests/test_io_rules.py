"""The rules loading applies to values, with their report rows: plausible publication dates,
outlets from the record, the URL, the folder or the caller, HTML pages that hold no article,
the packaging HTML extraction needs, and the progress bar."""

from __future__ import annotations

import pandas as pd
import pytest
from presslens.io import load_articles
from test_io_awkward import BODY, body, jsonl, quiet_load

# --- dates -------------------------------------------------------------------------------------

TOMORROW_PLUS = (pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=3)).strftime("%Y-%m-%d")


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05T10:30:00+02:00", "2024-03-05T08:30:00Z"),
    (20240501, "2024-05-01T00:00:00Z"),  # a number written as YYYYMMDD, not epoch seconds
    ("20240501", "2024-05-01T00:00:00Z"),
    (20240501.0, "2024-05-01T00:00:00Z"),
    (202405011230, "2024-05-01T12:30:00Z"),  # GDELT's YYYYMMDDhhmm
    (20240501123045, "2024-05-01T12:30:45Z"),
    (1709634600, "2024-03-05T10:30:00Z"),  # epoch seconds
    (1709634600123, "2024-03-05T10:30:00.123Z"),  # epoch milliseconds
    ("1709634600", "2024-03-05T10:30:00Z"),
    ("1990-01-01", "1990-01-01T00:00:00Z"),  # the first plausible day
    (["2024-05-01"], "2024-05-01T00:00:00Z"),
    ({"$date": "2024-05-01T06:00:00Z"}, "2024-05-01T06:00:00Z"),  # MongoDB export
    (0, "implausible_date"),  # epoch 0
    (-5, "implausible_date"),
    ("1900-01-01", "implausible_date"),
    ("1989-12-31T23:59:59Z", "implausible_date"),
    ("2200-01-01", "implausible_date"),
    ("9999-12-31", "implausible_date"),
    (TOMORROW_PLUS, "implausible_date"),
    (20241340, "implausible_date"),  # not a calendar date: epoch seconds in 1970
    (123, "implausible_date"),
    ("sometime last spring", "bad_date"),
    (True, "bad_date"),
    (float("inf"), "bad_date"),
    (None, None),
    ("", None),
])
def test_published_values(value, expected):
    df, report = quiet_load([{"id": "r", "text": BODY, "published": value}])
    published = df["published"].iloc[0]
    if expected is None or not expected[0].isdigit():
        assert pd.isna(published)
        assert report["code"].tolist() == ([] if expected is None else [expected])
        if expected == "implausible_date":
            reason = report["reason"].iloc[0]
            assert "kept as missing" in reason and "1990-01-01" in reason
            assert report["severity"].iloc[0] == "warning"
    else:
        assert published == pd.Timestamp(expected) and len(report) == 0


def test_implausible_date_names_the_date():
    _, report = quiet_load([{"text": BODY, "date": "1900-01-01"}, {"text": BODY + "!", "date": 0}])
    assert report["reason"].tolist()[0].startswith("implausible date 1900-01-01, kept as missing")
    assert report["reason"].tolist()[1].startswith("implausible date 1970-01-01 (from '0')")


# --- outlets -----------------------------------------------------------------------------------


def test_outlet_from_record_url_folder_or_argument(tmp_path):
    corpus = tmp_path / "corpus"
    for folder in ("kyivindependent", "2024-05", "meduza"):
        (corpus / folder).mkdir(parents=True)
    (corpus / "kyivindependent" / "a.txt").write_text("Title A\n\n" + body("a"))
    (corpus / "2024-05" / "b.txt").write_text("Title B\n\n" + body("b"))  # a date, not an outlet
    (corpus / "top.txt").write_text("Title top\n\n" + body("top"))  # no sub-folder
    (corpus / "meduza" / "c.jsonl").write_text(jsonl([
        {"id": "own", "outlet": "Meduza English", "text": body("own")},
        {"id": "url", "url": "https://www.bbc.co.uk/news/x", "text": body("url")},
        {"id": "none", "text": body("none")},
    ]))
    df, _ = quiet_load(corpus)
    got = df.set_index("article_id")[["outlet", "outlet_source"]].astype("object")
    assert got.where(got.notna(), None).to_dict("index") == {
        "b": {"outlet": None, "outlet_source": None},
        "a": {"outlet": "kyivindependent", "outlet_source": "folder"},
        "own": {"outlet": "Meduza English", "outlet_source": "record"},
        "url": {"outlet": "bbc.co.uk", "outlet_source": "url"},
        "none": {"outlet": "meduza", "outlet_source": "folder"},
        "top": {"outlet": None, "outlet_source": None},
    }
    # A glob's fixed part is the root the same way; files named one by one get no folder.
    df, _ = quiet_load(str(corpus / "*" / "*.txt"))
    assert df["outlet"].astype("object").where(df["outlet"].notna(), None).tolist() == [
        None, "kyivindependent"]
    df, _ = quiet_load(corpus / "kyivindependent" / "a.txt")
    assert pd.isna(df["outlet"].iloc[0])
    # The argument wins over everything.
    df, _ = quiet_load(corpus, outlet="  The   Outlet ")
    assert set(df["outlet"]) == {"The Outlet"} and set(df["outlet_source"]) == {"argument"}
    with pytest.raises(TypeError):
        load_articles(corpus, outlet=3)


# --- HTML pages --------------------------------------------------------------------------------

ARTICLE_BODY = (
    "<p>Heavy rain flooded three coastal towns on Tuesday, officials said, forcing hundreds of "
    "residents to leave their homes before dawn.</p><p>Emergency services worked through the "
    "night to reach families cut off by the water, and more rain is expected this week.</p>")
FURNITURE = (
    "<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World news and "
    "analysis</a></li><li><a href='/politics'>Politics</a></li><li><a href='/business'>Business "
    "and markets</a></li></ul></nav></header><div class='menu'><a href='/sport'>Sport</a> "
    "<a href='/culture'>Culture</a> <a href='/opinion'>Opinion pieces from our columnists</a>"
    "</div>")
FOOTER = ("<footer><p>(c) 2024 Example News Ltd. All rights reserved. Contact us. Terms of use. "
          "Privacy policy. Cookie settings.</p></footer>")


@pytest.mark.parametrize("name, html, code", [
    ("section-front.html", f"<html><head><title>Example News</title></head><body>{FURNITURE}"
     "<div class='teasers'><h2><a href='/a1'>Minister resigns after budget row</a></h2>"
     f"<h2><a href='/a2'>Storm floods coastal towns</a></h2></div>{FOOTER}</body></html>",
     "navigation_only"),
    ("menu.html", "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
     "<p>Latest headlines.</p></body></html>", "navigation_only"),
    ("blank.html", "<html><head><title>x</title></head><body></body></html>", "no_text"),
])
def test_pages_without_an_article_are_rejected(tmp_path, name, html, code):
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    df, report = quiet_load(path)
    assert len(df) == 0
    assert report[["line", "severity", "code", "not_loaded"]].values.tolist() == [
        [1, "error", code, 1]]


def test_article_page_loads_and_takes_no_date_from_the_copyright_footer(tmp_path):
    path = tmp_path / "story.html"
    path.write_text(f"<html lang='en'><head><title>Storm floods coastal towns</title></head>"
                    f"<body>{FURNITURE}<article><h1>Storm floods coastal towns</h1>"
                    f"{ARTICLE_BODY}</article>{FOOTER}</body></html>", encoding="utf-8")
    df, report = quiet_load(path)
    assert len(df) == 1 and pd.isna(df["published"].iloc[0])
    assert df["text"].iloc[0].startswith("Heavy rain flooded three coastal towns")
    for furniture in ("World news and analysis", "All rights reserved"):
        assert furniture not in df["text"].iloc[0]
    assert report["code"].tolist() == []


def test_html_extraction_has_lxml_html_clean_declared():
    """jusText imports lxml.html.clean, which lxml 5.2+ moved to the lxml_html_clean project;
    pip before 24 does not install the `lxml[html_clean]` extra that jusText asks for, so the
    project declares it itself (and an HTML page loads above)."""
    import importlib.metadata as metadata
    import tomllib

    import yaml
    from presslens import config

    assert any(req.replace(" ", "").startswith("lxml[html_clean]")
               for req in metadata.requires("jusText") or [])
    import lxml.html.clean  # noqa: F401  # what jusText needs at import time

    pyproject = config.PROJECT_ROOT / "pyproject.toml"
    environment = config.PROJECT_ROOT / "environment.yml"
    if not pyproject.exists():
        pytest.skip("not running from a source checkout")
    with open(pyproject, "rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    pin = metadata.version("lxml_html_clean")
    assert f"lxml_html_clean=={pin}" in dependencies
    pip = next(entry["pip"] for entry in yaml.safe_load(environment.read_text())["dependencies"]
               if isinstance(entry, dict))
    assert f"lxml_html_clean=={pin}" in pip


# --- progress ----------------------------------------------------------------------------------


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path, capsys):
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl([{"text": body(n)} for n in range(30)]))
    quiet_load(path)  # pytest's stderr is not a terminal: no bar
    assert capsys.readouterr().err == ""
    quiet_load(path, progress=False)
    assert capsys.readouterr().err == ""
    quiet_load(path, progress=True)
    assert "30 records" in capsys.readouterr().err


def test_a_short_news_brief_among_furniture_is_kept_with_a_warning(tmp_path):
    """Only navigation is rejected: a 16-word brief with the same menus and footer loads."""
    path = tmp_path / "brief.html"
    path.write_text(f"<html><head><title>Brief</title></head><body>{FURNITURE}<article><h1>Power "
                    "cut in the north</h1><p>A power cut left twelve thousand homes without "
                    "electricity on Sunday night, the grid operator said.</p></article>"
                    f"{FOOTER}</body></html>", encoding="utf-8")
    df, report = quiet_load(path)
    assert df["text"].tolist() == ["A power cut left twelve thousand homes without electricity "
                                   "on Sunday night, the grid operator said."]
    assert report[["severity", "code"]].values.tolist() == [["warning", "short_text"]]
