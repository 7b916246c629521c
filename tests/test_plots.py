"""Figures: each draws the numbers of its tables (checked on the drawn artists), labels its
axes, uses the one palette, and draws a "no data" axes for empty or unusable input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from presslens import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _articles():
    return pd.DataFrame({
        "article_id": pd.array(["a1", "a2", "a3", "a4", "a5"], dtype="string"),
        "outlet": pd.array(["Wire", "Wire", "Paper", "Paper", None], dtype="string"),
        "published": pd.to_datetime(["2024-05-01 08:00", "2024-05-01 20:00", "2024-05-03 00:00",
                                     None, "2024-05-02 00:00"], utc=True),
        "n_words": pd.array([1000, 1000, 500, 1500, 100], dtype="Int64"),
        "text": ["t"] * 5,
    })


def _attributions():
    rows = [("a1", "Ministry of Defence", "official", "RU"), ("a1", "sources", "anonymous",
                                                              "unknown"),
            ("a2", "Ministry of Defence", "official", "RU"), ("a2", "residents", "vague", "UA"),
            ("a3", "Zelensky", "official", "UA"), ("a3", "ISW", "expert", "US"),
            ("a4", "Zelensky", "official", "UA"), ("a4", "officials", "anonymous", "UA")]
    return pd.DataFrame(rows, columns=["article_id", "source_canonical", "source_type",
                                       "affiliation"])


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def _is_no_data(fig: Figure) -> bool:
    return any(t in ("no data", "no dated articles", "no named sources",
                     "no place-name spellings found", "no publication dates", "no dated claims",
                     "no dated frame scores", "no word counts") for t in _texts(fig))


def _labelled(fig: Figure) -> bool:
    ax = fig.axes[0]
    return bool(ax.get_title() or fig._suptitle) and (
        bool(ax.get_xlabel() or fig._supxlabel) or not ax.axison)


# ------------------------------------------------------------------------------ palette

def test_one_colour_blind_safe_palette():
    assert plots.PALETTE == ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7",
                             "#F0E442", "#000000")
    colours = plots.category_colours([f"c{i}" for i in range(12)])
    assert len(set(colours.values())) == 12  # colour repeats get a hatch
    assert colours["c0"] == (plots.PALETTE[0], "") and colours["c8"] == (plots.PALETTE[0], "//")
    assert set(plots.SPELLING_COLOURS.values()) <= set(plots.PALETTE)
    # Catch-all groups are grey and do not use up a palette colour.
    mixed = plots.category_colours(["official", "unknown", "military"])
    assert mixed == {"official": (plots.PALETTE[0], ""), "unknown": (plots.NEUTRAL_COLOUR, ".."),
                     "military": (plots.PALETTE[1], "")}
    # "other" (known but rare) and "unknown" (not told) never look alike, in colour or in print.
    catch_all = plots.category_colours(["other", "unknown", "(unknown outlet)"])
    assert catch_all["other"] != catch_all["unknown"] == catch_all["(unknown outlet)"]
    assert catch_all["other"][1] != catch_all["unknown"][1]


# ------------------------------------------------------------------------------ every figure

def _all_calls():
    articles = _articles()
    attributions = _attributions()
    claims = pd.DataFrame({"article_id": ["a1", "a2", "a3", "a1"],
                           "cluster_id": ["k1", "k1", "k1", "k2"],
                           "text": ["Volchansk is taken.", "Russia took Volchansk.",
                                    "Volchansk taken", "Other claim"]})
    frames = pd.DataFrame([{"article_id": a, "scheme": "generic", "frame": f,
                            "score": s, "present": s >= 0.5}
                           for a, f, s in [("a1", "conflict", 0.8), ("a2", "conflict", 0.4),
                                           ("a1", "economic", 0.1), ("a3", "conflict", 0.2),
                                           ("a3", "economic", 0.6), ("a2", "economic", 0.3)]])
    terms = pd.DataFrame({
        "article_id": ["a1", "a1", "a2", "a3", "a3", "a1", "a3"],
        "kind": ["place_spelling", "place_spelling", "place_spelling", "place_spelling",
                 "hedge", "hedge", "booster"],
        "category": ["russian_style", "russian_style", "ukrainian_style", "ukrainian_style",
                     "evidential", "evidential", "certainty"]})
    return {
        "articles_per_day": (plots.articles_per_day, (articles,), {}),
        "articles_small_multiples": (plots.articles_per_day, (articles,),
                                     {"small_multiples": True}),
        "source_types": (plots.source_types_by_outlet, (attributions, articles), {}),
        "affiliations": (plots.affiliations_by_outlet, (attributions, articles), {}),
        "affiliations_bloc": (plots.affiliations_by_outlet, (attributions, articles), {"by": "bloc"}),
        "anonymous": (plots.anonymous_shares, (attributions, articles), {}),
        "top_sources": (plots.top_sources, (attributions,), {}),
        "network": (plots.source_network, (attributions, articles), {}),
        "claim_spread": (plots.claim_spread, (claims, articles), {}),
        "claim_timeline": (plots.claim_timeline, (claims, articles), {}),
        "frame_profile": (plots.frame_profile, (frames, articles), {}),
        "frames_over_time": (plots.frames_over_time, (frames, articles), {}),
        "spelling": (plots.spelling_profile, (terms, articles), {}),
        "hedging": (plots.hedging_by_outlet, (terms, articles), {}),
    }


@pytest.mark.parametrize("name", sorted(_all_calls()))
def test_figure_is_labelled_and_empty_input_says_no_data(name):
    function, args, kwargs = _all_calls()[name]
    fig = function(*args, **kwargs)
    assert isinstance(fig, Figure) and _labelled(fig) and not _is_no_data(fig)
    fig.canvas.draw()  # renders without error
    empty_args = tuple(a.iloc[0:0] for a in args)
    assert _is_no_data(function(*empty_args, **kwargs))
    bare_args = tuple(pd.DataFrame() for _ in args)
    assert _is_no_data(function(*bare_args, **kwargs))


def test_draws_on_a_given_axes():
    fig, ax = plt.subplots()
    assert plots.top_sources(_attributions(), ax=ax) is fig
    assert ax.get_title().startswith("Most cited sources")


# ------------------------------------------------------------------------------ numbers drawn

def test_articles_per_day_counts_by_outlet_and_fills_missing_days():
    fig = plots.articles_per_day(_articles())
    ax = fig.axes[0]
    heights = {}
    for container in ax.containers:
        label = container.get_label()
        heights[label] = [p.get_height() for p in container.patches]
    # Days 05-01..05-03 (a4 has no date, which the title says).
    assert heights == {"Wire (2)": [2, 0, 0], "Paper (1)": [0, 0, 1],
                       "(unknown outlet) (1)": [0, 1, 0]}
    assert "1 undated left out" in ax.get_title()


def test_source_type_shares_sum_to_one_per_outlet():
    fig = plots.source_types_by_outlet(_attributions(), _articles())
    ax = fig.axes[0]
    totals: dict[float, float] = {}
    for patch in ax.patches:
        y = round(patch.get_y() + patch.get_height() / 2, 3)
        totals[y] = totals.get(y, 0.0) + patch.get_width()
    assert len(totals) == 2 and all(v == pytest.approx(1.0) for v in totals.values())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Wire (n=4)", "Paper (n=4)"]
    # Types keep one colour across figures: 'official' is always the first palette colour.
    legend = {t.get_text(): h for t, h in zip(ax.get_legend().get_texts(),
                                              ax.get_legend().legend_handles, strict=True)}
    assert matplotlib.colors.to_hex(legend["official"].get_facecolor()).upper() == "#0072B2"


def test_anonymous_shares_per_outlet():
    fig = plots.anonymous_shares(_attributions(), _articles())
    texts = _texts(fig)
    # Paper: 1 anonymous of 4 = 25%, no vague; Wire: 1 anonymous, 1 vague of 4.
    assert texts.count("25%") == 3 and texts.count("0%") == 1


def test_top_sources_order_and_counts():
    fig = plots.top_sources(_attributions(), n=2)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Zelensky", "Ministry of Defence"]
    assert sorted(p.get_width() for p in ax.patches) == [2, 2]


def test_claim_spread_matrix_values():
    claims = pd.DataFrame({"article_id": ["a1", "a2", "a3", "a1", "a1"],
                           "cluster_id": ["k1", "k1", "k1", "k2", "k1"],
                           "text": ["Volchansk is taken.", "Russia took Volchansk.",
                                    "Volchansk taken", "Other claim", "again"]})
    fig = plots.claim_spread(claims, _articles())
    image = fig.axes[0].images[0].get_array()
    # Rows: k1 (2 outlets) then k2; columns Paper, Wire. a1's two k1 claims count once.
    assert np.asarray(image).tolist() == [[1, 2], [0, 1]]
    assert fig.axes[0].get_yticklabels()[0].get_text() == "again [k1]"


def test_frame_profile_means():
    frames = pd.DataFrame({"article_id": ["a1", "a2", "a3", "a1"],
                           "scheme": ["generic", "generic", "generic", "mfc"],
                           "frame": ["conflict"] * 4, "score": [0.8, 0.4, 0.2, 0.9],
                           "present": [True, False, False, True]})
    fig = plots.frame_profile(frames, _articles())
    assert np.ravel(fig.axes[0].images[0].get_array()).tolist() == pytest.approx([0.2, 0.6])
    present = plots.frame_profile(frames, _articles(), value_col="present")
    assert np.ravel(present.axes[0].images[0].get_array()).tolist() == pytest.approx([0.0, 0.5])


def test_spelling_profile_diverges_by_style():
    terms = pd.DataFrame({"article_id": ["a1", "a1", "a2", "a2", "a3", "a3"],
                          "kind": ["place_spelling"] * 5 + ["hedge"],
                          "category": ["russian_style", "russian_style", "russian_style",
                                       "ukrainian_style", "ukrainian_style", "evidential"]})
    fig = plots.spelling_profile(terms, _articles())
    ax = fig.axes[0]
    widths = sorted(round(p.get_width(), 3) for p in ax.patches)
    # Wire: 3 Russian-style, 1 Ukrainian-style; Paper: 1 Ukrainian-style.
    assert widths == [-0.75, -0.0, 0.25, 1.0]
    assert "75% (3)" in _texts(fig) and "100% (1)" in _texts(fig)


def test_hedging_rates_per_thousand_words():
    terms = pd.DataFrame({"article_id": ["a1", "a2", "a3", "a3", "zz"],
                          "kind": ["hedge", "hedge", "hedge", "booster", "hedge"]})
    fig = plots.hedging_by_outlet(terms, _articles())
    texts = [t.strip() for t in _texts(fig)]
    # Wire: 2 hedges / 2,000 words = 1.0; Paper: 1 hedge, 1 booster / 2,000 words = 0.5 each;
    # unknown outlet: 0 of both. The term of an unknown article (zz) is not counted.
    assert sorted(texts) == sorted(["1.0", "0.0", "0.5", "0.5", "0.0", "0.0"])


def test_many_frames_are_drawn_as_rows():
    from presslens.schema import MFC_FRAMES

    frames = pd.DataFrame([{"article_id": a, "scheme": "mfc", "frame": f, "score": 0.5,
                            "present": True} for a in ("a1", "a3") for f in MFC_FRAMES])
    fig = plots.frame_profile(frames, _articles(), scheme="mfc", value_col="present")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "frame" and len(ax.get_yticklabels()) == len(MFC_FRAMES)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Paper", "Wire"]


def _dated(dates: list[str | None]) -> pd.DataFrame:
    n = len(dates)
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(n)],
                         "outlet": ["Wire"] * n,
                         "published": pd.to_datetime(dates, utc=True, errors="coerce")})


# (dates, the bin the axis uses, articles left out as implausible)
TIME_AXES = [
    (["2024-05-01", "2024-05-03"], "day", 0),
    (["2024-01-01", "2024-07-01"], "week", 0),
    (["2020-01-01", "2024-07-01"], "month", 0),
    (["1995-01-01", "2024-07-01"], "year", 0),
    (["2024-05-01", "2024-05-03", "1900-01-01"], "day", 1),
    (["2024-05-01", "2199-12-31", "1900-01-01", None], "day", 2),
    (["1900-01-01", "2200-01-01"], None, 2),
]


@pytest.mark.parametrize(("dates", "word", "implausible"), TIME_AXES)
def test_time_axes_bin_by_the_span_and_leave_out_implausible_dates(dates, word, implausible):
    fig = plots.articles_per_day(_dated(dates), freq="D")
    title = fig.axes[0].get_title()
    assert fig.get_size_inches()[0] <= 16
    if word is None:
        assert "no dated articles" in [t.get_text()[:17] for t in fig.axes[0].texts]
        return
    assert title.startswith(f"Articles per outlet per {word}")
    assert (f"{implausible} with implausible dates" in title) == bool(implausible)
    heights = sum(p.get_height() for p in fig.axes[0].patches)
    assert heights == len(dates) - implausible - dates.count(None)


def test_dates_from_1900_to_2200_draw_a_small_figure_fast():
    import time

    rng = np.random.default_rng(0)
    seconds = rng.integers(pd.Timestamp("1900-01-01").value // 10**9,
                           pd.Timestamp("2200-01-01").value // 10**9, 2000)
    articles = _dated([str(pd.Timestamp(s, unit="s")) for s in seconds])
    clock = time.monotonic()
    for fig in (plots.articles_per_day(articles),
                plots.frames_over_time(pd.DataFrame({"article_id": articles["article_id"],
                                                     "scheme": "generic", "frame": "conflict",
                                                     "score": 0.5}), articles),
                plots.claim_timeline(pd.DataFrame({"article_id": articles["article_id"],
                                                   "cluster_id": "c1", "text": "x"}), articles)):
        assert fig.get_size_inches()[0] <= 16 and fig.get_size_inches()[1] <= 16
        fig.canvas.draw()
    assert time.monotonic() - clock < 20


def test_count_heatmaps_tick_whole_numbers_only():
    claims = pd.DataFrame({"article_id": ["a1", "a2", "a3"], "cluster_id": ["c1", "c1", "c2"],
                           "text": ["x", "x", "y"]})
    fig = plots.claim_spread(claims, _articles())
    fig.canvas.draw()
    colorbar = fig.axes[-1]
    ticks = [t for t in colorbar.get_yticks() if colorbar.get_ylim()[0] <= t <= colorbar.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)


def _legend(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


@pytest.mark.parametrize("kwargs, expected", [
    # the most cited countries by name, the rest grouped, unknown last
    ({"top": 2}, ["UA", "RU", "other", "unknown"]),
    ({"top": 8}, ["UA", "RU", "US", "unknown"]),
    ({"by": "bloc"}, ["Russia", "Ukraine", "West", "unknown"]),
])
def test_sides_by_outlet_show_top_countries_or_blocs(kwargs, expected):
    assert _legend(plots.affiliations_by_outlet(_attributions(), _articles(), **kwargs)) == expected
