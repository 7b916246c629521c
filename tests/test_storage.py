"""Parquet result sets: round trip, hive partitions, append, and DuckDB answers equal pandas."""

from __future__ import annotations

import pandas as pd
import pytest
from presslens import components, schema, storage
from presslens.analysis import Analysis


def _articles() -> pd.DataFrame:
    return schema.conform(pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4"],
        "outlet": ["Kyiv Independent", "RIA / Novosti", None, "Kyiv Independent"],
        "url": [None, "https://example.org/2", None, None],
        "title": ["One", "Two", "Three", "Four"],
        "authors": [["A. Writer"], [], None, ["B", "C"]],
        "published": pd.to_datetime(["2024-05-02T10:00:00Z", "2024-06-30T23:59:00Z", None,
                                     "2024-05-20T00:00:00Z"], utc=True),
        "language": ["en", "en", "en", "en"],
        "text": ["Text one.", "Text two.", "Text three.", "Text four."],
        "n_words": [2, 2, 2, 2],
        "source_path": [None, None, None, None],
    }), schema.ARTICLES)


def _analysis() -> Analysis:
    articles = _articles()
    claims = schema.conform(pd.DataFrame({
        "article_id": ["a1", "a1", "a2", "a3", "a4", "a4", "a4"],
        "claim_id": [f"c{i}" for i in range(7)],
        "sentence_index": [0, 1, 0, 0, 0, 1, 2],
        "start": [0, 10, 0, 0, 0, 5, None],
        "end": [9, 20, 9, 11, 4, 9, None],
        "text": ["x", "y", "z", "w", "v", "u", "t"],
        "check_worthiness": [0.9, 0.4, 0.7, 0.1, 0.5, 0.6, 0.2],
        "attributed_to": ["army", None, "ministry", None, None, "army", None],
        "hedged": [True, False, None, False, True, False, True],
        "quantities": [[{"text": "12 drones", "value": 12.0, "unit": "drone"}], [], None, [],
                       [{"text": "3", "value": 3.0, "unit": None}], [], []],
    }), schema.CLAIMS)
    frames = schema.conform(pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4"], "scheme": ["generic"] * 4,
        "frame": ["conflict", "economic", "conflict", "morality"],
        "score": [0.8, 0.2, 0.55, 0.1], "present": [True, False, True, False],
    }), schema.FRAMES)
    clusters = pd.DataFrame({"cluster_id": [0, 1], "n_articles": [2, 1],
                             "sources": [["army"], []]})
    return Analysis(articles=articles, claims=claims, frames=frames, claim_clusters=clusters,
                    fingerprint="test-fp")


def _assert_same_tables(expected: Analysis, got: Analysis) -> None:
    for name, df in expected.tables().items():
        pd.testing.assert_frame_equal(got.tables()[name], df.reset_index(drop=True), obj=name)


@pytest.mark.parametrize("partition_by", [None, "month", "outlet", ("outlet", "month")])
def test_round_trip_keeps_rows_order_dtypes_and_nested_columns(tmp_path, partition_by):
    analysis = _analysis()
    storage.write_analysis(analysis, tmp_path / "res", partition_by=partition_by)
    back = storage.read_analysis(tmp_path / "res")
    _assert_same_tables(analysis, back)
    assert back.fingerprint == "test-fp"
    assert back.claims.loc[0, "quantities"] == [{"text": "12 drones", "value": 12.0, "unit": "drone"}]
    assert back.claims.loc[2, "quantities"] is None


def test_partitions_are_hive_folders_named_after_outlet_and_month(tmp_path):
    storage.write_analysis(_analysis(), tmp_path / "res", partition_by=("outlet", "month"))
    claim_dirs = {p.relative_to(tmp_path / "res" / "claims").as_posix()
                  for p in (tmp_path / "res" / "claims").glob("*/*") if p.is_dir()}
    assert "part_outlet=Kyiv%20Independent/part_month=2024-05" in claim_dirs
    assert "part_outlet=unknown/part_month=unknown" in claim_dirs
    # claim_clusters has no article_id: one unpartitioned file set
    assert not any(p.is_dir() for p in (tmp_path / "res" / "claim_clusters").iterdir())


def test_duckdb_join_query_equals_pandas(tmp_path):
    analysis = _analysis()
    storage.write_analysis(analysis, tmp_path / "res", partition_by="month")
    got = storage.query(tmp_path / "res",
                        "select outlet, count(*) as n from claims join articles using (article_id) "
                        "group by 1 order by 1 nulls last")
    merged = analysis.claims.merge(analysis.articles[["article_id", "outlet"]], on="article_id")
    expected = (merged.groupby("outlet", dropna=False).size().rename("n").reset_index()
                .sort_values("outlet", na_position="last").reset_index(drop=True))
    assert got["outlet"].tolist()[:-1] == expected["outlet"].tolist()[:-1]
    assert pd.isna(got["outlet"].iloc[-1]) and pd.isna(expected["outlet"].iloc[-1])
    assert got["n"].astype(int).tolist() == expected["n"].astype(int).tolist()


def test_partition_filter_and_json_columns_in_sql(tmp_path):
    analysis = _analysis()
    storage.write_analysis(analysis, tmp_path / "res", partition_by=("outlet", "month"))
    got = storage.query(tmp_path / "res",
                        "select claim_id, json_extract(quantities, '$[0].value')::double as v "
                        "from claims where part_month = '2024-05' order by claim_id")
    in_may = analysis.articles.loc[analysis.articles["published"].dt.month == 5, "article_id"]
    expected = analysis.claims[analysis.claims["article_id"].isin(in_may)].sort_values("claim_id")
    assert got["claim_id"].tolist() == expected["claim_id"].tolist()
    assert got["v"].tolist()[0] == 12.0
    relation = storage.query(tmp_path / "res", table="frames")
    assert "_row" not in relation.columns
    assert relation.filter("present").aggregate("count(*)").fetchall()[0][0] == 2


def test_append_adds_a_batch_and_keeps_order(tmp_path):
    analysis = _analysis()
    first_ids, second_ids = ["a1", "a2"], ["a3", "a4"]

    def batch(ids):
        return {name: df[df["article_id"].isin(ids)].reset_index(drop=True)
                for name, df in analysis.tables().items() if "article_id" in df.columns}

    storage.write_analysis(batch(first_ids), tmp_path / "res", partition_by="month")
    storage.write_analysis(batch(second_ids), tmp_path / "res", partition_by="month", mode="append")
    back = storage.read_analysis(tmp_path / "res")
    for name in ("articles", "claims", "frames"):
        pd.testing.assert_frame_equal(back.tables()[name], analysis.tables()[name], obj=name)
    with pytest.raises(ValueError):
        storage.write_analysis(batch(second_ids), tmp_path / "res", partition_by="outlet", mode="append")


def test_empty_tables_keep_schema_and_view(tmp_path):
    analysis = _analysis()
    storage.write_analysis(analysis, tmp_path / "res", partition_by=("outlet", "month"))
    back = storage.read_analysis(tmp_path / "res")
    assert len(back.attributions) == 0
    assert list(back.attributions.columns) == list(components.table_schemas()["attributions"])
    assert storage.query(tmp_path / "res", "select count(*) as n from attributions")["n"].iloc[0] == 0


def test_overwrite_is_atomic_and_leaves_no_temporary_folders(tmp_path):
    analysis = _analysis()
    storage.write_analysis(analysis, tmp_path / "res")
    smaller = Analysis(articles=analysis.articles.head(1))
    storage.write_analysis(smaller, tmp_path / "res")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]
    assert len(storage.read_analysis(tmp_path / "res").articles) == 1
    assert storage.tables_in(tmp_path / "res") == sorted(Analysis.table_names())


def test_bad_arguments_raise_clearly(tmp_path):
    with pytest.raises(ValueError):
        storage.write_analysis(_analysis(), tmp_path / "res", partition_by="day")
    with pytest.raises(FileNotFoundError):
        storage.open_results(tmp_path / "nothing")
    storage.write_analysis(_analysis(), tmp_path / "res")
    with pytest.raises(ValueError):
        storage.query(tmp_path / "res")
