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
    # rates of change and rates or levels are no shares: different changes are no variants of one figure
    (["Consumer prices rose by 14.5 percent in 2022.", "Food prices rose by 44.8 percent in December."],
     []),
    (["Exports to Europe jumped 63 percent in the first half.", "Europe buys 47 percent of its gas from the US."],
     []),
    (["Inflation stayed above the bank's 2% target.", "The bank now sees inflation at 5.2% this year."],
     []),
    # ... while a share of the whole next to a change still is one
    (["Russian forces control a third of the town, up 10 percent in a week.",
      "Russian forces control more than half of the town."],
     [("share", "a third"), ("share", "more than half")]),
]


# (text, the kinds of its percentages)
PERCENT_KINDS = [
    ("Prices rose by 14.5 percent.", ["percent_change"]),
    ("The index is up 4 percent since Friday.", ["percent_change"]),
    ("a 20 percent increase in fares", ["percent_change"]),
    ("below the central bank's 2% target", ["percent_rate"]),
    ("Inflation stood at 5.2% in March.", ["percent_rate"]),
    ("Troops control over 80 percent of the town.", ["percent"]),
    ("The plan is backed by 60 percent of voters.", ["percent"]),
    ("up to 80 percent of the harvest", ["percent"]),
]


@pytest.mark.parametrize("text, expected", [
    ("Imports rose in the first half of 2022.", []),
    ("He scored twice in the second half.", []),
    ("More than half of the town is in ruins.", ["More than half"]),
])
def test_the_first_or_second_half_is_a_period_not_a_share(text, expected):
    assert [q["text"] for q in claims.extract_quantities(text)] == expected


@pytest.mark.parametrize("text, kinds", PERCENT_KINDS)
def test_a_percentage_is_a_share_unless_its_words_make_it_a_change_or_a_rate(text, kinds):
    assert [q["kind"] for q in claims.extract_quantities(text)] == kinds


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


@pytest.mark.parametrize("text, op", [
    ("An estimate of 190,000 troops have been deployed.", "~"),
    ("Estimates of 40,000 dead circulated online.", "~"),
    ("The force includes 127,000 troops.", "="),
])
def test_an_estimate_is_a_hedged_figure(text, op):
    assert [q["op"] for q in claims.extract_quantities(text)] == [op]
