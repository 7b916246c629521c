"""analyze(engine="dask") on a local two-worker cluster gives the single-process result, row
for row (every table), and workers fill the shared parse cache."""

from __future__ import annotations

import json
import logging
import warnings

import pandas as pd
import pytest
from presslens import config
from presslens.analysis import Analysis, analyze, partitions

distributed = pytest.importorskip("distributed")

N_SAMPLE = 9  # with the seed: 10 articles in 4 partitions of 3, for both workers


def _corpus(seed_articles: pd.DataFrame) -> pd.DataFrame:
    rows = []
    if config.SAMPLE_CORPUS.exists():
        with open(config.SAMPLE_CORPUS, encoding="utf-8") as fh:
            for line in fh:
                if line.strip() and len(rows) < N_SAMPLE:
                    record = json.loads(line)
                    rows.append({"article_id": record["id"], "title": record.get("title"),
                                 "text": record.get("text") or "", "outlet": record.get("outlet"),
                                 "language": record.get("language") or "en"})
    # Awkward inputs travel through the cluster too.
    rows.append({"article_id": "empty", "title": "Nothing", "text": "", "outlet": None, "language": "en"})
    rows.append({"article_id": "short", "title": "Short", "text": "The army said 3 drones fell.",
                 "outlet": "Test Wire", "language": "en"})
    return pd.concat([seed_articles, pd.DataFrame(rows)], ignore_index=True)


def _sortable(df: pd.DataFrame) -> list[str]:
    """Columns that can order rows (nested lists/dicts cannot)."""
    return [c for c in df.columns
            if not (df[c].dtype == object and df[c].map(lambda v: isinstance(v, (list, dict))).any())]


def _assert_same(expected: Analysis, got: Analysis) -> None:
    for name, left in expected.tables().items():
        if name == "articles":
            continue
        right = got.tables()[name]
        assert list(right.columns) == list(left.columns), name
        keys = _sortable(left)
        if keys and len(left):
            left = left.sort_values(keys, kind="stable", na_position="last")
            right = right.sort_values(keys, kind="stable", na_position="last")
        try:
            pd.testing.assert_frame_equal(right.reset_index(drop=True), left.reset_index(drop=True),
                                          obj=name)
        except AssertionError as err:
            raise AssertionError(
                f"table {name!r} differs between worker processes and the calling process. An "
                "analysis whose output depends on the process that ran it usually iterates over "
                "a set of strings (order changes with PYTHONHASHSEED) or fills a cache in "
                f"processing order.\n{err}") from None


@pytest.fixture(scope="module")
def dask_client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.mark.slow
def test_dask_engine_equals_single_process(tmp_path, seed_articles, dask_client):
    articles = _corpus(seed_articles)
    assert len(list(partitions(articles.to_dict("records"), 3))) >= 4
    local = analyze(articles, cache_dir=tmp_path / "local", use_cache=False, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the empty article's warning is not what is tested here
        dask = analyze(articles, cache_dir=tmp_path / "dask", engine="dask", scheduler=dask_client,
                       partition_size=3, progress=False)
    _assert_same(local, dask)
    assert len(dask.sentences) > 0 and len(dask.claims) > 0
    # workers wrote the parse cache (one entry per distinct text) and the result was cached
    cached = list((tmp_path / "dask" / "parse").rglob("*.spacy"))
    assert len(cached) == articles["text"].nunique()
    assert list((tmp_path / "dask" / "results").glob("*/_meta.json"))


@pytest.mark.slow
def test_dask_engine_accepts_a_scheduler_address(tmp_path, seed_articles, dask_client):
    articles = _corpus(seed_articles).tail(3).reset_index(drop=True)
    local = analyze(articles, cache_dir=tmp_path / "local", use_cache=False, progress=False)
    address = dask_client.scheduler.address
    remote = analyze(articles, cache_dir=tmp_path / "dask", engine="dask", scheduler=address,
                     partition_size=1, use_cache=False, progress=False)
    _assert_same(local, remote)
    # a string address opens and closes its own client; ours is still usable
    assert dask_client.status == "running"



def test_partition_frames_assemble_like_one_list_of_rows(tmp_path, seed_articles):
    """analyze() keeps each partition's rows as DataFrames; the tables built from them equal
    those built from all the row dicts at once, whatever the partition size."""
    from presslens import analysis, nlp

    articles = _corpus(seed_articles)
    records = analysis.article_records(articles)
    docs = list(nlp.parse(((r["article_id"], r["text"]) for r in records), cache_dir=tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        all_rows = analysis.analyze_docs(records, docs)
        by_article = {r["article_id"]: analysis.analyze_docs([r], [d]) for r, d in zip(records, docs)}
    for size in (1, 3, len(records)):
        frames: dict[str, list] = {}
        for part in partitions(records, size):
            merged: dict[str, list[dict]] = {}
            for r in part:
                for table, rows in by_article[r["article_id"]].items():
                    merged.setdefault(table, []).extend(rows)
            analysis.merge_rows([merged], frames)
        for table, rows in all_rows.items():
            expected = pd.DataFrame(rows)
            got = analysis.table_from(frames.get(table, []))
            if expected.empty:
                assert got.empty, table
                continue
            pd.testing.assert_frame_equal(got, expected, obj=f"{table} (partitions of {size})")


def test_table_from_reinfers_columns_whose_dtype_differs_between_partitions():
    from presslens import analysis

    parts = [[{"a": 1, "b": "x", "flag": True}, {"a": 2, "b": "y", "flag": False}],
             [{"a": None, "b": None, "flag": None}],
             [{"a": 3, "c": [1, 2]}]]
    frames: dict[str, list] = {}
    for rows in parts:
        analysis.merge_rows([{"t": rows}], frames)
    expected = pd.DataFrame([row for rows in parts for row in rows])
    pd.testing.assert_frame_equal(analysis.table_from(frames["t"]), expected)
    assert analysis.table_from([]).empty
