"""Tests of presslens.claims.variant_figures: which clusters show figures side by side, as a
table of invented claim pairs (one cluster each) and what the table must show for them."""

from __future__ import annotations

import pandas as pd
import pytest
from presslens import claims


def _cluster(texts: list[str]) -> pd.DataFrame:
    """One cluster of invented claims, one article each, with the quantities the claims
    extractor reads from their text."""
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(len(texts))],
        "cluster_id": "k",
        "start": 0,
        "end": [len(t) for t in texts],
        "attributed_to": None,
        "text": texts,
        "quantities": [list(claims.extract_quantities(t)) for t in texts],
    })


CASES = [
    # one share given two ways: shown, with what it measures
    (["Russian troops control the majority of Vovchansk.", "Russian troops control over 80% of Volchansk."],
     [("share", "the majority"), ("share", "over 80%")]),
    # one count of one thing, two figures
    (["Russia has massed 100,000 troops near the border.", "Russia has massed 127,000 troops near the border."],
     [("count:troop", "100,000"), ("count:troop", "127,000")]),
    # a copy of one sentence is syndication, not a variant
    (["Russia has massed 100,000 troops near the border.", "Russia has massed 100,000 troops near the border."],
     []),
    # figures of different measures (a toll and a distance) do not disagree
    (["Three people were killed in the strike on Kharkiv.", "The strike hit Kharkiv, 30 km from the border."],
     []),
    # numbers that name things ("Nord Stream 1 and 2") count nothing
    (["Nord Stream 1 and 2 were damaged in September.", "Nord Stream 2 was damaged by explosions."],
     []),
    # the same figure in other words is no variant
    (["About 1,200 people were evacuated from Vovchansk.", "Some 1,200 people were evacuated from Vovchansk."],
     []),
    # ... but another figure of the same count is
    (["About 1,200 people were evacuated from Vovchansk.", "More than 2,500 people were evacuated from Vovchansk."],
     [("count:people", "About 1,200"), ("count:people", "More than 2,500")]),
    # a superlative "most" is no share
    (["Gas is the most difficult fuel to replace, at 40% of imports.", "Gas makes up 40% of imports."],
     []),
]


@pytest.mark.parametrize("texts, expected", CASES)
def test_variant_figures(texts, expected):
    shown = claims.variant_figures(_cluster(texts))
    assert list(zip(shown["measure"], shown["figures"])) == expected
    assert set(shown.columns) == set(claims.VARIANT_COLUMNS)


def test_every_row_points_at_its_claim():
    table = _cluster(CASES[0][0])
    shown = claims.variant_figures(table)
    for row in shown.itertuples():
        source = table[table["article_id"] == row.article_id].iloc[0]
        assert source["text"][row.start:row.end] == row.text


def test_nothing_to_show_is_an_empty_table_with_the_columns():
    assert list(claims.variant_figures(pd.DataFrame()).columns) == list(claims.VARIANT_COLUMNS)
