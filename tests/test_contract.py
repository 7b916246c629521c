"""The contract of every registered analysis, checked on the sample corpus: each table it
assigns has its declared columns with their declared dtypes, and every pair of offset columns
(`start/end`, `source_start/source_end`, `cue_*`, `content_*`) slices its article's text."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from presslens import analyze, components, config, load_articles


@pytest.fixture(scope="module")
def sample():
    articles = load_articles(config.SAMPLE_CORPUS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = analyze(articles, progress=False)
    return articles, result


def _declared_tables() -> list[tuple[str, str]]:
    return [(component.name, table) for component in components.registered().values()
            for table in component.assigns]


def _offset_pairs(columns) -> list[tuple[str, str]]:
    pairs = []
    for column in columns:
        if column == "start" or column.endswith("_start"):
            end = column[: -len("start")] + "end"
            if end in columns:
                pairs.append((column, end))
    return pairs


@pytest.mark.parametrize(("analysis", "table"), _declared_tables())
def test_table_has_its_declared_columns_and_dtypes(sample, analysis, table):
    _, result = sample
    df = getattr(result, table)
    declared = components.table_schemas()[table]
    missing = [c for c in declared if c not in df.columns]
    assert not missing, f"{analysis}: table {table} lacks {missing}"
    wrong = {c: (str(df[c].dtype), dtype) for c, dtype in declared.items()
             if str(df[c].dtype) != dtype}
    assert not wrong, f"{analysis}: table {table} column (got, declared): {wrong}"


def _tables_with_offsets() -> list[tuple[str, str]]:
    schemas = components.table_schemas()
    return [(a, t) for a, t in _declared_tables() if _offset_pairs(list(schemas[t]))]


@pytest.mark.parametrize(("analysis", "table"), _tables_with_offsets())
def test_offset_pairs_slice_the_article_text(sample, analysis, table):
    articles, result = sample
    df = getattr(result, table)
    pairs = _offset_pairs(list(df.columns))
    assert len(df), f"{analysis}: {table} is empty on the sample corpus, nothing to check"
    length = articles.set_index("article_id")["text"].str.len()
    n_articles = df["article_id"].map(length)
    assert n_articles.notna().all(), f"{table}: rows of unknown articles"
    for start, end in pairs:
        both = df[start].notna() & df[end].notna()
        assert (df[start].isna() == df[end].isna()).all(), f"{table}: {start} and {end} missing apart"
        s, e, n = df.loc[both, start], df.loc[both, end], n_articles[both]
        bad = df.loc[both][~((s >= 0) & (s <= e) & (e <= n))]
        assert bad.empty, f"{table}: {start}/{end} outside the text:\n{bad[['article_id', start, end]].head()}"


def test_text_columns_are_what_the_offsets_slice(sample):
    """Where a table carries the spanned `text` beside `start/end`, it is that slice."""
    articles, result = sample
    texts = articles.set_index("article_id")["text"]
    for table in ("sentences", "claims", "persuasion", "frame_evidence"):
        df = getattr(result, table)
        rows = df.dropna(subset=["start", "end", "text"])
        sliced = pd.Series([texts[a][int(s):int(e)] for a, s, e in
                            zip(rows["article_id"], rows["start"], rows["end"], strict=True)],
                           index=rows.index, dtype="string")
        assert (sliced == rows["text"].astype("string")).mean() > 0.99, table
