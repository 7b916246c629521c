"""analyze(): one parse, every table, offsets that point into the text, and the result cache."""

from __future__ import annotations

import warnings

import pandas as pd
import presslens
import pytest
from presslens import analysis, compare, components, lesson, schema


@pytest.fixture(scope="module")
def small_corpus(seed_articles) -> pd.DataFrame:
    extra = pd.DataFrame([
        {"article_id": "w1", "title": "Strike", "outlet": "Wire A", "language": "en",
         "text": "Russian forces control over 80% of Vovchansk, the regional governor said on Monday.\n\n"
                 "\"We are evacuating everyone,\" he told reporters."},
        {"article_id": "w2", "title": "Empty", "outlet": "Wire B", "language": "en", "text": ""},
        {"article_id": "w3", "title": "Quote", "outlet": "Wire B", "language": "en",
         "text": "According to a source familiar with the matter, the majority of Volchansk is now 'liberated'."},
    ])
    seed = seed_articles.assign(outlet="Seed outlet")
    return pd.concat([seed, extra], ignore_index=True)


@pytest.fixture(scope="module")
def result(small_corpus, tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = presslens.analyze(small_corpus, cache_dir=cache, progress=False)
    res._cache = cache  # the cache folder, for the rerun test
    return res


def test_every_contract_table_with_its_columns(result):
    for name, columns in components.table_schemas().items():
        schema.validate(getattr(result, name), columns)
    assert {"attributions", "claims", "frames", "terms", "sentences"} <= set(result.tables())
    assert len(result.attributions) and len(result.claims) and len(result.terms)


def test_offsets_slice_the_article_text(result, small_corpus):
    texts = dict(zip(small_corpus["article_id"], small_corpus["text"]))
    for table, prefixes in (("sentences", [""]), ("claims", [""]), ("terms", [""]),
                            ("attributions", ["source_", "cue_", "content_"]),
                            ("persuasion", [""])):
        df = getattr(result, table)
        for prefix in prefixes:
            text_col = f"{prefix}text"
            for row in df.dropna(subset=[f"{prefix}start"]).itertuples():
                start, end = getattr(row, f"{prefix}start"), getattr(row, f"{prefix}end")
                assert texts[row.article_id][start:end] == getattr(row, text_col), (table, prefix, row)


def test_frames_for_every_article_and_both_schemes(result, small_corpus):
    per = result.frames.groupby(["article_id", "scheme"]).size()
    for article_id in small_corpus["article_id"]:
        assert per.get((article_id, "generic")) == len(schema.GENERIC_FRAMES)
        assert per.get((article_id, "mfc")) == len(schema.MFC_FRAMES)
    assert result.frames["score"].between(0, 1).all()


def test_rerun_reads_the_result_cache(result, small_corpus, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("recomputed despite a warm result cache")

    monkeypatch.setattr(analysis, "analyze_partition", fail)
    again = presslens.analyze(small_corpus, cache_dir=result._cache, progress=False)
    for name in ("attributions", "claims", "frames", "terms"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(result, name), check_dtype=False)


def test_two_processes_give_the_same_rows(result, small_corpus, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        two = presslens.analyze(small_corpus, cache_dir=tmp_path, n_process=2, partition_size=2,
                                progress=False)
    for name in ("attributions", "claims", "frames", "terms", "sentences"):
        pd.testing.assert_frame_equal(getattr(two, name), getattr(result, name), check_dtype=False)


def test_save_and_load_round_trip(result, tmp_path):
    result.save(tmp_path / "out")
    loaded = analysis.Analysis.load(tmp_path / "out")
    assert loaded.fingerprint == result.fingerprint
    pd.testing.assert_frame_equal(loaded.claims, result.claims, check_dtype=False)
    assert isinstance(loaded.claims["quantities"].iloc[0], list)


def test_bad_frames_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="article_id"):
        presslens.analyze(pd.DataFrame({"text": ["x"]}), progress=False, use_cache=False)
    dup = pd.DataFrame({"article_id": ["a", "a"], "text": ["x", "y"]})
    with pytest.raises(ValueError, match="unique"):
        presslens.analyze(dup, progress=False, use_cache=False)


def test_filter_articles_window_and_outlets():
    arts = pd.DataFrame({
        "article_id": ["a", "b", "c"], "outlet": ["X", "Y", "X"],
        "published": pd.to_datetime(["2024-05-01T10:00Z", "2024-05-02T23:59Z", "2024-05-03T00:00Z"], utc=True),
    })
    assert analysis.filter_articles(arts, outlets="X").article_id.tolist() == ["a", "c"]
    assert analysis.filter_articles(arts, since="2024-05-02", until="2024-05-02").article_id.tolist() == ["b"]
    assert analysis.filter_articles(arts, outlets=["Y", "X"], until="2024-05-01").article_id.tolist() == ["a"]


def test_seed_lesson_finds_the_two_figures_of_one_claim(result, seed_articles):
    seed_id = seed_articles["article_id"].iloc[0]
    repeated = lesson.repeated_claims(result, seed_id)
    volchansk = repeated[repeated["claim"].str.contains("Volchansk")]
    assert volchansk["cluster_id"].nunique() == 1
    figures = " ".join(volchansk["figures"])
    assert "majority" in figures and "80%" in figures
    spellings = lesson.spelling_summary(result, seed_id)
    styles = dict(zip(spellings["as written"], spellings["style"]))
    assert styles["Volchansk"] == "russian_style" and styles["Kharkiv"] == "ukrainian_style"


def test_outlet_summary_has_one_row_per_outlet(result):
    summary = compare.outlet_summary(result)
    assert sorted(summary["outlet"]) == ["Seed outlet", "Wire A", "Wire B"]
    assert summary["share_named"].between(0, 1).all()
    assert set(summary.columns) <= {"outlet", *compare.MEASURES}
