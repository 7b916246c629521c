"""One bad article never takes down `analyze`: each awkward input is analysed or becomes one
row of `result.errors`, with exact accounting; `errors="raise"` stops at it instead. A
damaged result cache is found, recomputed, and gives the same tables as the first run."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd
import pytest
from presslens import analysis, components
from presslens.analysis import AnalysisError, analyze

GOOD = ("Officials said on Monday that 12 drones were shot down near Kharkiv. "
        "\"We will respond,\" the governor told reporters.")

# (case, article fields besides article_id, the stage it fails at or None when it is analysed)
AWKWARD = [
    ("over spaCy's length limit", {"text": "Officials said drones fell. " * 80_000}, "parse"),
    ("lone surrogate in the text", {"text": "The minister said \udc80 that 5 tanks were lost."}, None),
    ("lone surrogate in the authors", {"text": GOOD, "authors": ["A \udc80 B"]}, None),
    ("lone surrogate in the title", {"text": GOOD, "title": "Kharkiv \ud800"}, None),
    ("empty text", {"text": ""}, None),
    ("missing text", {"text": None}, None),
    ("a number as text", {"text": 12345}, None),
    ("not English", {"text": "Официальные лица заявили, что сбиты 12 беспилотников.", "language": "ru"}, None),
    ("only punctuation and spaces", {"text": " \n\n ... \t !!! "}, None),
    ("one very long sentence", {"text": "and " * 20_000 + "."}, None),
    ("control characters", {"text": "Officials\x00 said\x1b that 3 drones\u2028 fell."}, None),
]


def _corpus(fields: dict) -> pd.DataFrame:
    rows = [{"article_id": "good", "text": GOOD, "outlet": "A", "authors": []},
            {"article_id": "odd", "outlet": "B", "authors": [], **fields}]
    return pd.DataFrame(rows, dtype=object)


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.mark.parametrize(("case", "fields", "stage"), AWKWARD, ids=[c for c, _, _ in AWKWARD])
def test_an_awkward_article_is_analysed_or_reported(tmp_path, case, fields, stage):
    result = _quiet(analyze, _corpus(fields), cache_dir=tmp_path, progress=False)
    # The good article is analysed whatever its neighbour does.
    assert (result.sentences["article_id"] == "good").any(), case
    assert set(result.frames.loc[result.frames["article_id"] == "good", "scheme"]) == {"generic", "mfc"}
    # Exact accounting: each article has its status row, or an error row, never both.
    statuses = set(result.article_status["article_id"])
    assert statuses | set(result.errors["article_id"].dropna()) == {"good", "odd"}
    assert not statuses & set(result.errors["article_id"].dropna())
    if stage is None:
        assert result.errors.empty, result.errors.to_dict("records")
    else:
        assert result.errors[["article_id", "stage"]].values.tolist() == [["odd", stage]]
        assert result.errors["message"].iloc[0]
        for table in ("sentences", "attributions", "claims", "frames", "terms"):
            assert not (getattr(result, table)["article_id"] == "odd").any(), table
    # The result went to the cache and comes back the same, errors included.
    again = _quiet(analyze, _corpus(fields), cache_dir=tmp_path, progress=False)
    pd.testing.assert_frame_equal(again.errors, result.errors)
    pd.testing.assert_frame_equal(again.claims, result.claims)


def test_errors_raise_names_the_article(tmp_path):
    fields = AWKWARD[0][1]
    with pytest.raises(AnalysisError, match="article 'odd', parse: .*E088"):
        _quiet(analyze, _corpus(fields), cache_dir=tmp_path, progress=False, errors="raise")
    with pytest.raises(ValueError, match="errors is 'report' or 'raise'"):
        analyze(_corpus({"text": GOOD}), errors="ignore")


def _with_component(monkeypatch, component):
    """Run analyze with one more component (the registry itself is left alone)."""
    original = components.ordered

    def ordered(names=None):
        return [*original(names), component] if names is None else original(names)

    monkeypatch.setattr(components, "ordered", ordered)


def _explode_on_odd(ctx):
    if ctx.article_id == "odd":
        raise RuntimeError("a rule that fails on one article")
    return {"explosions": [{"article_id": ctx.article_id}]}


def test_an_analysis_failing_on_one_article_loses_that_article_only(monkeypatch, tmp_path):
    from presslens.components import Component

    _with_component(monkeypatch, Component(
        name="explodes", assigns={"explosions": {"article_id": "string"}},
        from_doc=_explode_on_odd, doc_tables=("explosions",)))
    result = _quiet(analyze, _corpus({"text": GOOD}), use_cache=False, progress=False)
    assert result.errors.values.tolist() == [
        ["odd", "analysis", "RuntimeError", "a rule that fails on one article"]]
    assert result.explosions["article_id"].tolist() == ["good"]
    assert set(result.sentences["article_id"]) == {"good"}  # no partial rows for `odd`
    with pytest.raises(AnalysisError, match="article 'odd', analysis: RuntimeError"):
        _quiet(analyze, _corpus({"text": GOOD}), use_cache=False, progress=False, errors="raise")


def test_a_failing_corpus_step_leaves_its_table_empty(monkeypatch):
    from presslens.components import Component

    def finalize(ctx):
        raise KeyError("cluster")

    _with_component(monkeypatch, Component(
        name="corpus_step", assigns={"corpus_table": {"n": "Int64"}}, finalize=finalize))
    result = _quiet(analyze, _corpus({"text": GOOD}), use_cache=False, progress=False)
    assert result.errors[["article_id", "stage", "error"]].astype(object).values.tolist() == [
        [pd.NA, "corpus_step", "KeyError"]]
    assert result.corpus_table.empty and list(result.corpus_table.columns) == ["n"]
    assert len(result.claims)  # the other steps ran


def test_an_unwritable_cache_does_not_lose_the_result(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(analysis.resultcache, "save_tables", refuse)
    with pytest.warns(UserWarning, match="could not cache the result.*disk full"):
        result = analyze(_corpus({"text": GOOD}), cache_dir=tmp_path, progress=False)
    assert set(result.sentences["article_id"]) == {"good", "odd"}


# ------------------------------------------------------------------------------ the result cache

def _result_dir(cache: Path) -> Path:
    (folder,) = [p for p in (cache / "results").iterdir() if not p.name.startswith(".")]
    return folder


def _delete(folder: Path, name: str) -> None:
    (folder / name).unlink()


def _truncate(folder: Path, name: str) -> None:
    with (folder / name).open("r+b") as fh:
        fh.truncate(max(1, (folder / name).stat().st_size // 3))


def _flip_a_byte(folder: Path, name: str) -> None:
    data = bytearray((folder / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / name).write_bytes(bytes(data))


def _garble(folder: Path, name: str) -> None:
    (folder / name).write_text("{not json", encoding="utf-8")


def _empty_folder(folder: Path, name: str) -> None:
    for path in folder.iterdir():
        path.unlink()


DAMAGE = [
    ("claims.parquet deleted", _delete, "claims.parquet"),
    ("claims.parquet truncated", _truncate, "claims.parquet"),
    ("frames.parquet with a flipped byte", _flip_a_byte, "frames.parquet"),
    ("articles.parquet truncated", _truncate, "articles.parquet"),
    ("errors.parquet deleted", _delete, "errors.parquet"),
    ("_meta.json deleted", _delete, "_meta.json"),
    ("_meta.json garbled", _garble, "_meta.json"),
    ("_manifest.json deleted", _delete, "_manifest.json"),
    ("_manifest.json garbled", _garble, "_manifest.json"),
    ("every file deleted", _empty_folder, ""),
]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    corpus = _corpus(AWKWARD[0][1])  # with an error row, so `errors` round-trips too
    return cache, corpus, _quiet(analyze, corpus, cache_dir=cache, progress=False)


@pytest.mark.parametrize(("case", "damage", "name"), DAMAGE, ids=[c for c, _, _ in DAMAGE])
def test_a_damaged_cache_is_recomputed_with_identical_results(first_run, case, damage, name):
    cache, corpus, first = first_run
    damage(_result_dir(cache), name)
    with pytest.warns(UserWarning, match="is damaged"):
        again = analyze(corpus, cache_dir=cache, progress=False)
    for table in first.table_names():
        pd.testing.assert_frame_equal(getattr(again, table), getattr(first, table), obj=table)
    # ... and written back whole: the next run reads it without a warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.filterwarnings("ignore", message="article")  # language notices
        third = analyze(corpus, cache_dir=cache, progress=False)
    assert len(third.claims) == len(first.claims)
    assert not [p for p in os.listdir(cache / "results") if ".damaged-" in p]


# ------------------------------------------------------------------------------ the command line

def test_cli_analyze_reports_an_over_long_article_in_one_line_and_exits_1(tmp_path, capsys, monkeypatch):
    import json

    from presslens import cli

    monkeypatch.setenv("PRESSLENS_CACHE", str(tmp_path / "cache"))
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in [
        {"id": "good", "text": GOOD, "outlet": "A"},
        {"id": "huge", "text": "Officials said drones fell. " * 80_000, "outlet": "A"}]) + "\n",
        encoding="utf-8")
    code = cli.main(["analyze", str(corpus), "--out", str(tmp_path / "tables"), "--quiet"])
    captured = capsys.readouterr()
    assert code == 1
    assert "article 'huge' not analysed (parse): ValueError: text of 2,240,000 characters" in captured.err
    assert "Traceback" not in captured.err
    assert (tmp_path / "tables" / "errors.parquet").exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"", "no article could be loaded"),
    (b'{"id": "x"}\n{"id": "y", "text": ""}\n', "no article could be loaded"),
    (None, "no article could be loaded"),  # a truncated gzip
])
def test_cli_with_nothing_loadable_exits_2_in_one_line(tmp_path, capsys, content, message):
    import gzip

    from presslens import cli

    if content is None:
        corpus = tmp_path / "c.jsonl.gz"
        data = gzip.compress(b'{"id": "a", "text": "x"}\n' * 50)
        corpus.write_bytes(data[: len(data) // 2])
    else:
        corpus = tmp_path / "c.jsonl"
        corpus.write_bytes(content)
    for command in (["analyze", str(corpus), "--out", str(tmp_path / "t"), "--quiet"],
                    ["load", str(corpus)]):
        code = cli.main(command)
        err = capsys.readouterr().err
        assert code == 2, (command, err)
        assert message in err and "Traceback" not in err
