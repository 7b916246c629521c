"""presslens.claims.events: claims clustered by the event they report.

The pairs are invented sentences (not from any dev set): the same event worded differently must
share a cluster; near-misses (one place or actor but another event, one speaker but another
statement, only generic words in common, another year) must not; copies of one text are
reported as syndication and site boilerplate never forms a group."""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest
from presslens import claims, components, config
from presslens.claims import events as claim_events
from presslens.claims import signatures as claim_signatures

SAME_EVENT = [
    ("Russian troops captured the village of Staritsa on Tuesday, the defence ministry said.",
     "Staritsa fell to Russian forces on Tuesday after days of fighting, Ukrainian officers admitted."),
    ("Russia has massed more than 100,000 troops near the border with Ukraine.",
     "Some 120,000 Russian soldiers have been amassed near Ukraine's border, satellite images show."),
    ("The Kakhovka dam was destroyed on 6 June 2023, flooding dozens of villages.",
     "On June 6, 2023 an explosion destroyed the Kakhovka dam and flooded villages downstream."),
    ("A court in Rostov sentenced the blogger Ilya Varlamov to eight years in absentia.",
     "Blogger Ilya Varlamov was sentenced in absentia to eight years by a court in Rostov."),
    ("Ukraine and Russia exchanged 95 prisoners of war each on Friday.",
     "On Friday the two sides swapped prisoners, 95 Ukrainian soldiers coming home."),
]

NEAR_MISS = [
    # one place, another event (and another weekday)
    ("Drones struck the port of Odesa on Monday, damaging grain silos.",
     "A missile hit a residential building in Odesa on Friday, killing three people."),
    # one place, unrelated happenings
    ("The mayor of Odesa opened a new school in the city centre.",
     "Drones struck the port of Odesa overnight, damaging grain silos."),
    # one speaker, two statements
    ("Kremlin spokesman Dmitry Peskov said the talks in Istanbul had been constructive.",
     "Dmitry Peskov said the Kremlin had no plans to call up more reservists."),
    # only generic words in common
    ("Russian drones attacked Ukrainian power stations overnight, officials said.",
     "Ukrainian drones attacked a Russian oil refinery overnight, officials said."),
    # one act, another year
    ("Russia annexed Crimea in 2014 after a disputed referendum.",
     "Russia annexed four Ukrainian regions in 2022 after disputed referendums."),
    # one penalty, two defendants
    ("Journalist Anna Novak faces up to 20 years in prison if convicted.",
     "Activist Pavel Orlov faces up to 20 years in prison if convicted."),
    # one summit, two people's statements at it
    ("At the summit in Vilnius, Olaf Scholz promised Ukraine more air defence systems.",
     "At the summit in Vilnius, Recep Erdogan called for talks between Kyiv and Moscow."),
    # two exact counts of one kind of thing: two orders, not variants of one figure
    ("An additional 4,000 soldiers will be sent to Romania to bolster the alliance's defences.",
     "The Pentagon has put 5,500 soldiers on alert to deploy to Europe at short notice."),
]

BOILERPLATE = "Follow us on Facebook, Twitter and Instagram for the latest news from Ukraine."


def _articles(texts: list[str], published: str = "2024-05-10") -> pd.DataFrame:
    """One article per text, all published in one news cycle (the same week)."""
    days = [pd.Timestamp(published, tz="UTC") + pd.Timedelta(days=k % 5) for k in range(len(texts))]
    return pd.DataFrame({"article_id": [f"inv-{k:02d}" for k in range(len(texts))], "text": texts,
                         "language": "en", "published": days})


@pytest.fixture(scope="module")
def pair_claims() -> pd.DataFrame:
    """Every invented sentence as one article, all of them kept as claims."""
    texts = [t for pair in SAME_EVENT + NEAR_MISS for t in pair] + [BOILERPLATE, BOILERPLATE]
    texts += ["Russia has massed more than 100,000 troops near the border with Ukraine."]
    # furniture is kept here (exclude_boilerplate=False) so that clustering itself must keep
    # the two copies of the follow prompt out of any group
    found = components.run(_articles(texts), ["claims"],
                           given={"attributions": pd.DataFrame(columns=["article_id"])},
                           settings={"claims": {"min_score": 0.0}},
                           exclude_boilerplate=False)["claims"]
    assert len(found) == len(texts)
    return claim_events.cluster_events(found, embeddings=False)


def _cluster_of(clustered: pd.DataFrame, text: str) -> set[str]:
    return set(clustered.loc[clustered["text"] == text, "cluster_id"])


@pytest.mark.parametrize("a,b", SAME_EVENT)
def test_same_event_worded_differently_shares_a_cluster(pair_claims, a, b):
    assert _cluster_of(pair_claims, a) & _cluster_of(pair_claims, b)


@pytest.mark.parametrize("a,b", NEAR_MISS)
def test_near_miss_stays_apart(pair_claims, a, b):
    assert not _cluster_of(pair_claims, a) & _cluster_of(pair_claims, b)


def test_copies_are_syndication_and_paraphrases_independent(pair_claims):
    copy = "Russia has massed more than 100,000 troops near the border with Ukraine."
    kinds = pair_claims.loc[pair_claims["text"] == copy, "repeat_kind"].tolist()
    assert kinds == ["syndication", "syndication"]
    paraphrase = SAME_EVENT[1][1]
    assert pair_claims.loc[pair_claims["text"] == paraphrase, "repeat_kind"].tolist() == ["independent"]


def test_boilerplate_never_forms_a_group(pair_claims):
    rows = pair_claims[pair_claims["text"] == BOILERPLATE]
    assert rows["boilerplate"].all() and (rows["repeat_kind"] == "boilerplate").all()
    assert rows["cluster_id"].nunique() == 2


def test_the_method_that_ran_is_recorded(pair_claims):
    assert set(pair_claims["cluster_method"]) == {"events+lexical"}


@pytest.mark.parametrize("field", ["evidence", "predicate", "conflict", "syndicated", "other_names", "word_cluster",
                                   "shared_content", "shared_place", "close", "short"])
def test_block_products_give_what_each_pair_gives_alone(pair_claims, field):
    """candidate_features reads pairs out of products over batches of blocks, with the shared-value
    counts of all keys packed into one integer product; pair_features multiplies each pair's own rows."""
    import numpy as np

    sig = claim_signatures.event_signatures(pair_claims)
    items = claim_events.Items(sig, False, pair_claims["cluster_id"].tolist(), pair_claims["published"],
                               pair_claims["article_id"].astype(str))
    blocked = claim_events.candidate_features(items)
    alone = claim_events.pair_features(items, blocked.a, blocked.b)
    assert len(blocked.a) > 20 and bool((blocked.a < blocked.b).all())
    assert np.allclose(blocked.similarity, alone.similarity)
    assert np.array_equal(getattr(blocked, field), getattr(alone, field))


@pytest.mark.parametrize("text,expected", [
    ("TRUTH LIVES on at https://example.org/  But the court ruled on Monday.", "But the court ruled on Monday."),
    ("Must Read: Another headline here\nThe ministry said 12 drones were shot down.",
     "The ministry said 12 drones were shot down."),
    ("Increased fragility\nThe war came as the economy recovered.", "The war came as the economy recovered."),
    ("\u201cNo reporter should ever be detained,\u201d the paper said.",
     "No reporter should ever be detained,\u201d the paper said."),
])
def test_clean_text_cuts_teasers_and_promotions(text, expected):
    assert claim_signatures.clean_text(text) == expected


@pytest.mark.parametrize("text,boilerplate", [
    ("Read all the Latest News, Trending News and Entertainment News here.", True),
    ("We pay for your stories! Email us at tips@example.com", True),
    ("Only verified information is available on our Telegram channel and Viber.", True),
    ("Russian forces shelled Kharkiv on Sunday, killing two people.", False),
    ("Thanks.", True),
])
def test_boilerplate(text, boilerplate):
    assert claim_signatures.is_boilerplate(text) is boilerplate


@pytest.mark.parametrize("text,years,dates", [
    ("Russia invaded on Feb. 24, 2022.", {2022}, {"2022-02", "02-24"}),
    ("The dam was destroyed on 6 June 2023, on a Tuesday.", {2023}, {"2023-06", "06-06"}),
    ("Officials may meet in March.", set(), set()),
    ("They may march on the capital in May 2024.", {2024}, {"2024-05"}),
])
def test_when(text, years, dates):
    when = claim_signatures.when_of(text)
    assert (set(when.years), set(when.dates)) == (years, dates)


@pytest.mark.parametrize("a,b,conflict", [
    ("Russia annexed Crimea in 2014.", "Russia annexed four regions in 2022.", True),
    ("The strike on May 9 killed three.", "A strike on 17 May killed two.", True),
    ("The ministry said on Monday that 12 drones were downed.", "On Friday officials said 12 drones were downed.", False),
    ("Russia invaded in February 2022.", "The invasion began on Feb. 24, 2022.", False),
])
def test_time_conflicts(a, b, conflict):
    assert claim_signatures.when_of(a).conflicts(claim_signatures.when_of(b)) is conflict


@pytest.mark.parametrize("x,y,agree", [
    ([(100_000, "troop")], [(127_000, "troop")], True),
    ([(100_000, "troop")], [(130_000, "troop")], True),
    ([(100_000, "troop")], [(130_000, "")], False),
    ([(100_000, "troop")], [(190_000, "troop")], False),
    ([(75, "prisoner")], [(75, "prisoner")], True),
    ([(75, "prisoner")], [(75, "drone")], False),
    # exact figures agree only when equal; a hedged one may vary
    ([(7_000, "troop", True)], [(8_500, "troop", True)], False),
    ([(8_500, "troop", True)], [(8_500, "troop", True)], True),
    ([(100_000, "troop", False)], [(127_000, "troop", True)], True),
])
def test_figures_agree(x, y, agree):
    fx = [claim_signatures.Figure(*f) for f in x]
    fy = [claim_signatures.Figure(*f) for f in y]
    assert claim_signatures.figures_agree(fx, fy) is agree


@pytest.mark.parametrize("text,must,must_not", [
    ("Evan Gershkovich was detained in Yekaterinburg in March.", {"gershkovich", "yekaterinburg"},
     {"march", "putin"}),
    ("Vladimir Putin met Xi Jinping in Beijing.", {"xi", "jinping", "beijing"}, {"putin", "vladimir"}),
    ("Russian forces shelled Artemovsk and Kupyansk.", {"bakhmut", "kupiansk"}, {"russian"}),
])
def test_anchors(text, must, must_not):
    anchors = set(claim_signatures.anchors_of(text, claim_signatures.capitalisation([text])))
    assert must <= anchors and not must_not & anchors


def test_empty_table_gets_the_columns():
    out = claim_events.cluster_events(pd.DataFrame(columns=["article_id", "claim_id", "text"]), embeddings=False)
    assert {"cluster_id", "repeat_kind", "event_anchors", "boilerplate", "cluster_method"} <= set(out.columns)


@pytest.mark.slow
def test_ten_thousand_claims_scale_like_the_word_clustering():
    """Blocking keeps the work linear: 10,000 synthetic claims (benchmarks/bench_clustering.py)
    take a few times what the word-overlap clustering takes in the same process (it runs inside,
    as the fallback); measured 3.5x on a loaded 2-core machine."""
    import importlib.util

    path = config.PROJECT_ROOT / "benchmarks" / "bench_clustering.py"
    if not path.exists():
        pytest.skip("benchmarks/ is not beside the package")
    spec = importlib.util.spec_from_file_location("bench_clustering", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    df = bench.synthetic_claims(10_000, 0)
    claim_events.cluster_events(bench.synthetic_claims(50, 0), embeddings=False)  # imports, lexicons
    started = time.perf_counter()
    claims.cluster_words(df)
    words = time.perf_counter() - started
    started = time.perf_counter()
    out = claim_events.cluster_events(df, embeddings=False)
    assert time.perf_counter() - started < 8 * words
    assert out["cluster_id"].nunique() < len(df)


def test_seed_variant_figures_share_a_cluster(seed_articles):
    """The seed's C2 and C7 ("the majority" and "over 80%" of Volchansk) in one cluster that
    shows both figures; the article's other sentences on the capture of Kupyansk with C6."""
    if not config.SEED_GOLD.exists():
        pytest.skip("the seed gold annotation is absent")
    from presslens.evaluate import claims as claims_eval

    gold = json.loads(config.SEED_GOLD.read_text(encoding="utf-8"))
    found = claims.extract_claims(seed_articles)
    groups = claims_eval.score_seed_groups(claim_events.cluster_events(found, embeddings=False), gold, seed_articles)
    assert groups, "the gold has claim groups"
    for entry in groups.values():
        assert entry["one_cluster"]
        if "all_figures_side_by_side" in entry:
            assert entry["all_figures_side_by_side"]
        if "also_in_same_cluster" in entry:  # "k/n (...)": every other sentence on it joins too
            found_in, of = entry["also_in_same_cluster"].split(" ", 1)[0].split("/")
            assert found_in == of


# --------------------------------------------------------------------------- the pair scorer

def _item(iid, label, a, b):
    return {"id": iid, "label": label, "split": "dev", "reason": "",
            "a": {"article_id": a[0], "start": a[1], "end": a[2], "anchor": ""},
            "b": {"article_id": b[0], "start": b[1], "end": b[2], "anchor": ""}}


@pytest.mark.parametrize("clusters,precision,recall,not_claims", [
    # one same-event pair together, one near-miss apart: perfect
    ({"x": "c1", "y": "c1", "z": "c2"}, 1.0, 1.0, 0),
    # the near-miss merged too
    ({"x": "c1", "y": "c1", "z": "c1"}, 0.5, 1.0, 0),
    # the same-event pair apart
    ({"x": "c1", "y": "c2", "z": "c3"}, 0.0, 0.0, 0),
    # a truth sentence that is not a claim costs recall
    ({"x": "c1", "z": "c2"}, 0.0, 0.0, 1),
])
def test_score_pairs(clusters, precision, recall, not_claims):
    from presslens.evaluate import claim_pairs

    spans = {"x": ("A", 0, 10), "y": ("B", 5, 20), "z": ("C", 0, 8)}
    rows = [{"article_id": spans[k][0], "start": spans[k][1], "end": spans[k][2], "cluster_id": c}
            for k, c in clusters.items()]
    items = [_item("p1", "same_event", spans["x"], spans["y"]), _item("p2", "near_miss", spans["x"], spans["z"])]
    scores = claim_pairs.score_pairs(pd.DataFrame(rows), items)
    assert (scores["precision"], scores["recall"], scores["truth_sentences_not_claims"]) == (precision, recall, not_claims)


def test_truth_file_is_well_formed():
    from presslens.evaluate import claim_pairs

    truth = claim_pairs.load_truth()
    labels = [i["label"] for i in truth["items"]]
    assert labels.count("same_event") >= 50 and labels.count("near_miss") >= 50
    assert {i["split"] for i in truth["items"]} == {"dev", "test"}


def test_training_pairs_never_use_a_test_article():
    from presslens.evaluate import claim_pairs

    test_articles = {i[s]["article_id"] for i in claim_pairs.truth_items(claim_pairs.load_truth(), "test")
                     for s in ("a", "b")}
    extra = claim_pairs.load_truth(claim_pairs.TRUTH_PATH.parent / "war_claim_pairs_train.json")
    assert extra["items"] and {i["split"] for i in extra["items"]} == {"train"}
    assert not test_articles & {i[s]["article_id"] for i in extra["items"] for s in ("a", "b")}


@pytest.mark.parametrize("pairs,expected", [
    # a same-event pair joins its articles: a near-miss from either article goes with them
    ([("same_event", "A", "B"), ("near_miss", "B", "C"), ("near_miss", "C", "D")], [0, 0, 1]),
    # a chain of same-event pairs is one event
    ([("same_event", "A", "B"), ("same_event", "B", "C"), ("near_miss", "C", "A")], [0, 0, 0]),
    # near-misses never join articles
    ([("near_miss", "A", "B"), ("near_miss", "B", "A"), ("same_event", "C", "D")], [0, 1, 2]),
])
def test_event_groups(pairs, expected):
    from presslens.evaluate import claim_pairs

    items = [_item(f"p{k}", label, (a, 0, 5), (b, 0, 5)) for k, (label, a, b) in enumerate(pairs)]
    assert claim_pairs.event_groups(items) == expected


@pytest.mark.parametrize("labels,together,groups,precision,recall", [
    # every event alike: the interval is the point
    (["same_event", "near_miss"] * 3, [True, False] * 3, [0, 0, 1, 1, 2, 2], (1.0, 1.0, 1.0), (1.0, 1.0, 1.0)),
    # one event right, one wrong: the resamples range from all wrong to all right
    (["same_event", "near_miss", "same_event", "near_miss"], [True, False, False, True], [0, 0, 1, 1],
     (0.5, 0.0, 1.0), (0.5, 0.0, 1.0)),
    # nothing clustered: precision 0, as score_pairs counts it
    (["same_event", "near_miss"], [False, False], [0, 1], (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),
])
def test_interval_figures(labels, together, groups, precision, recall):
    from presslens.evaluate import claim_pairs

    figures = claim_pairs.interval_figures(labels, together, groups, n=200)
    assert (figures["precision"], figures["recall"]) == (precision, recall)


@pytest.mark.datasets
@pytest.mark.slow
def test_truth_offsets_point_at_their_anchors(datasets_dir):
    from presslens.evaluate import claim_pairs

    corpus = claim_pairs.load_corpus(datasets_dir)
    assert claim_pairs.check_anchors(claim_pairs.load_truth(), corpus) == []
    extra = claim_pairs.load_truth(claim_pairs.TRUTH_PATH.parent / "war_claim_pairs_train.json")
    assert claim_pairs.check_anchors(extra, corpus) == []
