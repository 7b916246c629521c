"""Tests of presslens.claims: quantities, hedges, check-worthiness, extraction, clustering,
frequency tables and bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from presslens import claims, components, config, nlp
from presslens.claims.cluster import average_link
from presslens.claims.model import tfidf_dot
from presslens.components import DocContext

# --------------------------------------------------------------------------- helpers

def _articles(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for col in ("outlet", "published", "language"):
        if col not in df.columns:
            df[col] = None
    return df


@pytest.fixture(scope="module")
def seed() -> tuple[pd.DataFrame, dict]:
    record = pd.read_json(config.SEED_ARTICLE, lines=True).iloc[0].to_dict()
    articles = _articles([{"article_id": record["id"], "text": record["text"], "language": "en"}])
    docs = {record["id"]: nlp.parse_text(record["text"])}
    return articles, docs


@pytest.fixture(scope="module")
def seed_claims(seed) -> pd.DataFrame:
    articles, docs = seed
    # no attributions: the test does not depend on presslens.sourcing
    return claims.extract_claims(articles, attributions=pd.DataFrame(columns=["article_id"]), docs=docs)


# --------------------------------------------------------------------------- quantities

@pytest.mark.parametrize("text, expected", [
    ("the majority of Volchansk", ("the majority", ">", 50.0, "%", "vague_majority")),
    ("over 80% of Volchansk", ("over 80%", ">", 80.0, "%", "percent")),
    ("dozens of civilians", ("dozens", ">=", 24.0, "civilians", "vague_count")),
    ("two thirds of the town", ("two thirds", "~", 66.7, "%", "fraction")),
    ("about 1,200 people fled", ("about 1,200", "~", 1200.0, "people", "count")),
    ("more than 1,500 people", ("more than 1,500", ">", 1500.0, "people", "count")),
    ("half of the region", ("half", "=", 50.0, "%", "fraction")),
    ("more than half of the town", ("more than half", ">", 50.0, "%", "fraction")),
    ("at least 12 km west", ("at least 12 km", ">=", 12.0, "km", "distance")),
    ("up to 40 percent of homes", ("up to 40 percent", "<=", 40.0, "%", "percent")),
    ("3 million refugees", ("3 million", "=", 3_000_000.0, "refugees", "count")),
    ("five Ukrainian soldiers", ("five", "=", 5.0, "soldiers", "count")),
])
def test_quantity_normalisation(text, expected):
    found = claims.extract_quantities(text)
    assert len(found) == 1
    q = found[0]
    assert (q["text"], q["op"], q["value"], q["unit"], q["kind"]) == expected
    assert text[q["start"]:q["end"]] == q["text"]


@pytest.mark.parametrize("text", ["on November 20 the city fell", "since the protests in 2014", "on 20 November"])
def test_dates_are_not_quantities(text):
    assert claims.extract_quantities(text) == []


@pytest.mark.parametrize("text, expected", [
    ("one of the most serious problems of our time", []),
    ("the most difficult fuel to replace", []),
    ("Most of the town is without power", ["Most"]),
    ("most residents have left", ["most"]),
])
def test_a_superlative_most_is_no_quantity(text, expected):
    assert [q["text"] for q in claims.extract_quantities(text)] == expected


def test_quantity_offsets_shift_with_the_sentence():
    q = claims.extract_quantities("over 80% of it", offset=100)[0]
    assert (q["start"], q["end"]) == (100, 108)


# --------------------------------------------------------------------------- hedges

@pytest.mark.parametrize("text, expected", [
    ("The town reportedly fell, and the army could withdraw; he claims that it is over.",
     ["reportedly", "could", "claims that"]),
    ("Troops entered the town on Monday.", []),
])
def test_hedges_found_with_offsets(text, expected):
    hedges = claims.find_hedges(text)
    assert [h["text"].lower() for h in hedges] == expected
    for h in hedges:
        assert text[h["start"]:h["end"]] == h["text"]


# --------------------------------------------------------------------------- check-worthiness

def test_check_worthiness_range_index_and_types():
    sentences = pd.Series(["Troops captured the town of Avdiivka on Tuesday.", "Thank you.", "", None],
                          index=[10, 11, 12, 13])
    scores = claims.check_worthiness(sentences)
    assert list(scores.index) == [10, 11, 12, 13]
    assert scores.between(0, 1).all()
    assert scores.loc[12] == 0.0 and scores.loc[13] == 0.0
    frame = pd.DataFrame({"text": ["Troops captured the town of Avdiivka on Tuesday."]})
    assert claims.check_worthiness(frame).between(0, 1).all()
    assert claims.check_worthiness([]).empty


FACTUAL = [
    "Shelling killed 14 civilians in the city on Sunday, the regional governor said.",
    "More than 2,000 people were evacuated from the border villages last week.",
    "The army said its troops had captured two villages east of the river.",
]
NOT_CHECKABLE = [
    "What will happen to the people who stay behind?",
    "We must never forget the courage of these families.",
    "The war could drag on for years if nothing changes.",
    "I think this is a tragedy for everyone involved.",
]


@pytest.mark.parametrize("text, expected", [(t, True) for t in FACTUAL] + [(t, False) for t in NOT_CHECKABLE])
def test_check_worthy_at_the_contract_cut(text, expected):
    assert bool(claims.check_worthiness([text])[0] >= claims.CHECKWORTHY_THRESHOLD) == expected


def test_factual_claims_outscore_opinions_questions_predictions():
    assert claims.check_worthiness(FACTUAL).min() > claims.check_worthiness(NOT_CHECKABLE).max()


@pytest.mark.parametrize("vague, precise", [
    ("Civilians were killed in the strike.", "Twelve civilians were killed in the strike."),
    ("Refugees crossed the border.", "More than 3,000 refugees crossed the border."),
    ("Prices rose in Kharkiv.", "Prices rose by 12% in Kharkiv."),
])
def test_adding_a_figure_does_not_lower_the_score(vague, precise):
    assert claims.check_worthiness([precise])[0] >= claims.check_worthiness([vague])[0]


# The news layer: sentences of news articles, parsed. Every sentence below is invented for
# these tests; each row is one class of sentence the layer must tell apart.
NEWS_CLAIMS = [
    # events with place, time or figures, attributed or not
    "Russian forces shelled the village of Kozacha Lopan overnight, killing two civilians.",
    "The parliament approved a $1.2 billion aid package on Tuesday.",
    "The governor said 340 people had been evacuated from the border district since Friday.",
    "Ukrainian drones struck an oil depot near Bryansk, according to regional officials.",
    "The company's exports to Europe fell by 15 percent in the first quarter.",
    "The court sentenced the activist to four years in a penal colony.",
    # quoted speech whose content is a fact
    '"Our air defence shot down 24 of the 30 drones," the air force spokesman said.',
]
NEWS_NOT_CLAIMS = [
    # questions and headings
    "Why did the army leave the city?",
    "Where the front line stands now",
    # exhortation, also quoted and attributed
    '"We must stand with our allies until the very end," the senator told supporters.',
    # predictions and warnings
    "Moscow will respond to any provocation, the ministry said.",
    "The coming winter will decide the outcome of the war, the adviser warned.",
    # evaluation and feeling
    "The decision was a shameful betrayal of everything the alliance stands for.",
    "I am so proud of my team and of everyone who helped us.",
    # fragments and elliptical sentences
    "Absolutely none.",
    "But they do.",
    # calls to action
    "Sign up for our daily newsletter to follow the war.",
    "Share this article with your friends.",
]


@pytest.mark.parametrize("text, expected", [(t, True) for t in NEWS_CLAIMS] + [(t, False) for t in NEWS_NOT_CLAIMS])
def test_news_layer_tells_claims_from_the_rest(text, expected):
    score = claims.check_worthiness([text], domain=True)[0]
    assert bool(score >= claims.CHECKWORTHY_THRESHOLD) == expected


@pytest.mark.parametrize("text, feature, value", [
    ("Will Russia respond?", "question", 1.0),
    ("Why the war goes on", "no_final_punct", 1.0),
    ("One million percent.", "verbless", 1.0),
    ("But they do.", "short", 1.0),
    ("Troops withdrew from the town on Monday.", "past_event", 1.0),
    ("The army will withdraw next week.", "main_future", 1.0),
    ("The West must send more weapons.", "main_obligation", 1.0),
    ("The minister warned of a long war.", "stance_root", 1.0),
    ("Send the weapons now.", "imperative", 1.0),
    ("It was a shameful decision.", "evaluative", 1.0),
    ('"It is over," he said.', "quote_mark", 1.0),
    ("Shelling killed 14 civilians in Kharkiv on Sunday.", "date", 1.0),
    ("Shelling killed 14 civilians in Kharkiv on Sunday.", "named_place", 1.0),
    ("Shelling killed 14 civilians in Kharkiv on Sunday.", "question", 0.0),
])
def test_news_features_of_one_sentence(text, feature, value):
    doc = nlp.parse_text(text)
    assert claims.news_features(doc[:])[feature] == value


def test_news_layer_files_match_the_code():
    layer = claims.load_news_layer()
    assert layer.features == claims.NEWS_FEATURES + claims.LOGIT_FEATURES
    assert tuple(claims.news_features(nlp.parse_text("Troops fled.")[:])) == claims.NEWS_FEATURES
    assert layer.meta["n_train"] == len(claims.load_labels())
    assert claims.load_news_text_model().meta["n_train"] == layer.meta["n_train"]


def test_bare_sentences_get_the_model_and_parsed_ones_the_news_layer():
    texts = ["Russian troops captured the village of Krynky on Monday.", "Will they stay?"]
    bare = claims.check_worthiness(texts)
    assert np.allclose(bare, claims.check_worthiness(texts, domain=False))
    assert np.allclose(bare, claims.load_checkworthiness_model().predict_proba(texts)[:, 1], atol=1e-6)
    doc = nlp.parse_text(" ".join(texts))
    spans = list(doc.sents)
    assert np.allclose(claims.check_worthiness(texts, spans=spans), claims.check_worthiness(texts, domain=True),
                       atol=1e-3)
    rows = claims.from_doc(DocContext.of("a", doc, "claims", min_score=0.0))["claims"]
    assert np.allclose([r["check_worthiness"] for r in rows], claims.check_worthiness(texts, spans=spans))
    assert np.allclose([r["model_score"] for r in rows], bare)


def test_war_claim_labels_are_well_formed():
    labels = claims.load_labels()
    assert set(labels["label"]) == {0, 1}
    assert (labels["start"] < labels["end"]).all()
    assert not labels.duplicated(["article_id", "start"]).any()
    assert labels["anchor"].str.len().between(1, 40).all()
    gold = sorted((config.SHARED_DIR / "gold" / "realnews").glob("*.json"))
    dev_ids = {a["article_id"] for g in gold for a in pd.read_json(g, typ="series")["articles"]}
    assert not dev_ids & set(labels["article_id"])


@pytest.mark.slow
@pytest.mark.datasets
def test_war_claim_labels_point_at_their_sentences(datasets_dir):
    frame, spans = claims.labelled_sentences(datasets_dir)
    labels = claims.load_labels()
    assert len(frame) == len(labels)
    merged = frame.merge(labels, on=["article_id", "start", "end"], suffixes=("", "_file"))
    assert len(merged) == len(labels)
    assert (merged["label"] == merged["label_file"]).all()
    # the anchor is the sentence's first 40 characters, whitespace made single spaces
    assert all(" ".join(text[:40].split()) == " ".join(anchor.split())
               for text, anchor in zip(merged["text"], merged["anchor"]))


@pytest.mark.slow
def test_news_layer_fits_saves_and_loads(tmp_path):
    facts = [f"Troops shelled {place} on {day}, killing {n} civilians." for n, place, day in
             zip(range(2, 20, 2), ["Kharkiv", "Sumy", "Kherson"] * 3, ["Monday", "Friday", "Sunday"] * 3)]
    views = [f"We must {verb} the {noun} of this war." for verb, noun in
             zip(["remember", "honour", "never forget"] * 3, ["victims", "heroes", "families"] * 3)]
    docs = [nlp.parse_text(t) for t in facts + views]
    frame = pd.DataFrame({"article_id": [f"a{i % 3}" for i in range(len(docs))],
                          "text": facts + views, "label": [1] * len(facts) + [0] * len(views)})
    fitted = claims.fit_news_layer(frame, [d[:] for d in docs], folds=3)
    assert 0.3 <= fitted.report["cut"] <= 0.7
    fitted.layer.save(tmp_path / "layer.json")
    again = claims.NewsLayer.load(tmp_path / "layer.json")
    assert np.allclose(again.coef, fitted.layer.coef) and again.intercept == pytest.approx(fitted.layer.intercept)
    texts = ["Troops shelled Izium on Tuesday, killing 7 civilians.", "We must honour the families of this war."]
    spans = [nlp.parse_text(t)[:] for t in texts]
    z = again.decision_function(claims.news_feature_matrix(spans, texts),
                                claims.load_checkworthiness_model().decision_function(texts),
                                fitted.news_model.decision_function(texts))
    assert z[0] > 0 > z[1]


@pytest.mark.parametrize("labels, scores, expected", [
    # at 0.42 all four positives are in and one negative (0.45): F1 8/9, the best on the grid
    ([0, 0, 0, 1, 1, 1, 0, 1], [0.10, 0.20, 0.41, 0.42, 0.60, 0.70, 0.45, 0.90], 0.42),
    # a perfect separation anywhere in a range: the cut nearest 0.5 wins the tie
    ([0, 1], [0.1, 0.9], 0.5),
])
def test_f1_optimal_threshold_picks_the_best_cut(labels, scores, expected):
    assert claims.f1_optimal_threshold(np.array(labels), np.array(scores)) == pytest.approx(expected)


def _toy_training_set() -> tuple[list[str], list[int]]:
    facts = [f"The army said {n} soldiers were killed in {place} on {day}." for n, place, day in
             zip(range(3, 30, 3), ["Kharkiv", "Bakhmut", "Avdiivka"] * 3, ["Monday", "Tuesday", "Sunday"] * 3)]
    opinions = [f"I think we must {verb} the people of this {noun}." for verb, noun in
                zip(["help", "thank", "support"] * 3, ["country", "region", "town"] * 3)]
    return facts + opinions, [1] * len(facts) + [0] * len(opinions)


PROBE = ["Officials said 40 civilians were killed in Kherson.", "We must thank them.", ""]


def test_trained_model_scores_like_sklearn_and_survives_a_round_trip(tmp_path):
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    texts, labels = _toy_training_set()
    model = claims.train_checkworthiness_model(texts, labels, inner_folds=3)
    assert 0.3 <= model.meta["inner_cv_cut"] <= 0.7
    probe = PROBE
    # the fast TF-IDF dot product equals sklearn's transform of the same counts
    word_vec, _ = claims.hashing_vectorizers()
    tfidf = TfidfTransformer(sublinear_tf=True).fit(word_vec.transform(texts))
    dense_coef = np.zeros(claims.N_HASH_FEATURES)
    dense_coef[model.word_index] = model.word_coef
    dense_idf = np.full(claims.N_HASH_FEATURES, model.word_idf_unseen)
    dense_idf[model.word_index] = model.word_idf
    expected = normalize(tfidf.transform(word_vec.transform(probe))) @ dense_coef
    got = tfidf_dot(word_vec.transform(probe), dense_idf, dense_coef)
    assert np.allclose(got[:2], expected[:2]) and got[2] == 0.0
    proba = model.predict_proba(probe)[:, 1]
    assert proba[0] >= 0.5 > proba[1]
    model.save(tmp_path / "cw")
    again = claims.CheckWorthinessModel.load(tmp_path / "cw")
    assert np.allclose(again.predict_proba(probe)[:, 1], proba, atol=1e-5)


def test_compiled_model_equals_the_fitted_sklearn_ensemble():
    """The plain-array model gives the probabilities of the scikit-learn VotingClassifier it
    was compiled from, and each member's logits."""
    texts, labels = _toy_training_set()
    clf = claims.CheckWorthinessClassifier().fit(texts, labels)
    assert np.allclose(clf.predict_proba(PROBE), clf.ensemble_.predict_proba(PROBE))
    z_tfidf, z_nb = clf.model_.decision_parts(PROBE)
    assert np.allclose(z_tfidf, clf.ensemble_.named_estimators_["tfidf"].decision_function(PROBE))
    assert np.allclose(z_nb, clf.ensemble_.named_estimators_["nb"].decision_function(PROBE))
    assert clf.predict(PROBE[:2]).tolist() == [1, 0]


def test_classifier_works_with_scikit_learn_model_selection():
    """clone and cross_val_predict take the classifier like any other, and the inner-CV cut
    is the F1-optimal cut of cross_val_predict's out-of-fold probabilities."""
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    texts, labels = _toy_training_set()
    clf = claims.CheckWorthinessClassifier(nb_C=0.3, seed=1)
    assert clone(clf).get_params() == clf.get_params()
    splitter = StratifiedKFold(3, shuffle=True, random_state=1)
    oof = cross_val_predict(clf, texts, labels, cv=splitter, method="predict_proba")[:, 1]
    assert oof.shape == (len(texts),)
    fitted = clone(clf).set_params(inner_folds=3).fit(texts, labels)
    assert fitted.model_.meta["inner_cv_cut"] == claims.f1_optimal_threshold(np.array(labels), oof)


@pytest.mark.parametrize("rows, labels, expected", [
    # column 0 only in the positive row, column 1 only in the negative one: +-log 2
    ([[2.0, 0.0], [0.0, 1.0]], [1, 0], [0.693147, -0.693147]),
    # columns in every row say nothing, whatever their counts
    ([[1.0, 3.0], [2.0, 1.0]], [1, 0], [0.0, 0.0]),
])
def test_nb_log_count_ratio(rows, labels, expected):
    from scipy.sparse import csr_matrix

    nb = claims.NBLogCountRatio(alpha=1.0).fit(csr_matrix(rows), labels)
    assert np.allclose(nb.ratio_, expected, atol=1e-6)
    scaled = nb.transform(csr_matrix(rows)).toarray()
    assert np.allclose(scaled, (np.array(rows) > 0) * nb.ratio_)


def test_model_file_is_small():
    size = sum((config.RESOURCES_DIR / f"{claims.MODEL_STEM}{ext}").stat().st_size for ext in (".npz", ".json"))
    assert size < 5_000_000


# --------------------------------------------------------------------------- extraction

def test_seed_claims_columns_offsets_and_quantities(seed, seed_claims):
    articles, _ = seed
    text = articles["text"].iloc[0]
    for col in ("article_id", "claim_id", "sentence_index", "start", "end", "text", "check_worthiness",
                "attributed_to", "hedged", "quantities", "hedge_cues", "attribution_type"):
        assert col in seed_claims.columns
    assert (seed_claims["check_worthiness"] >= 0.5).all()
    for row in seed_claims.itertuples():
        assert text[row.start:row.end] == row.text
        for q in row.quantities:
            assert text[q["start"]:q["end"]] == q["text"]
        for h in row.hedge_cues:
            assert text[h["start"]:h["end"]] == h["text"]
    assert seed_claims["claim_id"].is_unique
    figures = {q["text"] for qs in seed_claims["quantities"] for q in qs}
    assert {"the majority", "over 80%"} <= figures


def test_seed_c2_and_c7_share_a_cluster_with_both_figures(seed, seed_claims):
    articles, _ = seed
    clustered = claims.cluster_claims(seed_claims)
    c2 = clustered[clustered["text"].str.contains("control the majority of Volchansk")]
    c7 = clustered[clustered["text"].str.contains("control over 80% of Volchansk")]
    assert len(c2) == 1 and len(c7) == 1
    assert c2["cluster_id"].iloc[0] == c7["cluster_id"].iloc[0]
    freq = claims.claim_frequency(clustered, articles)
    row = freq[freq["cluster_id"] == c2["cluster_id"].iloc[0]].iloc[0]
    assert {"the majority", "over 80%"} <= set(row["figures"])


def test_attribution_from_covering_content_then_same_sentence():
    text = ("The channel said Russian troops captured the village of Krynky on Monday. "
            "Ukrainian officials said 12 soldiers were wounded in the fighting near Kherson.")
    doc = nlp.parse_text(text)
    s2 = text.index("Ukrainian")
    atts = [
        {"article_id": "a", "sentence_index": 0, "source_text": "The channel", "source_start": 0,
         "source_end": 11, "cue_start": 12, "cue_end": 16, "content_start": 17, "content_end": s2 - 2,
         "source_canonical": "Channel X", "source_type": "social_media"},
        {"article_id": "a", "sentence_index": 1, "source_text": "Ukrainian officials", "source_start": s2,
         "source_end": s2 + 19, "cue_start": None, "cue_end": None, "content_start": None, "content_end": None,
         "source_canonical": None, "source_type": "official"},
    ]
    rows = claims.from_doc(DocContext.of("a", doc, "claims", tables={"attributions": atts}, min_score=0.0))["claims"]
    by_sentence = {r["sentence_index"]: r for r in rows}
    assert by_sentence[0]["attributed_to"] == "Channel X"
    assert by_sentence[0]["attribution_type"] == "social_media"
    assert by_sentence[1]["attributed_to"] == "Ukrainian officials"


# --------------------------------------------------------------------------- clustering

PUBLISHED = pd.to_datetime(["2024-05-01T10:00Z", "2024-05-02T08:00Z", "2024-05-02T09:00Z",
                            "2024-05-03T09:00Z", None], utc=True)


def _synthetic_claims() -> pd.DataFrame:
    texts = [
        ("a1", "Russian forces control the majority of Vovchansk, the ministry said."),
        ("a2", "Russian troops now hold over 80% of Volchansk."),
        ("a3", "About 1,200 people were evacuated from Kupiansk on Saturday."),
        ("a4", "Nearly 2,000 people have been evacuated from Kupyansk."),
        ("a5", "The central bank raised its key interest rate to 16 percent."),
    ]
    # one news week: undated claims of different articles need stricter evidence of one event
    rows = [{"article_id": aid, "claim_id": f"{aid}:0-{len(t)}", "sentence_index": 0, "start": 0,
             "end": len(t), "text": t, "check_worthiness": 0.9, "attributed_to": None, "hedged": False,
             "quantities": claims.extract_quantities(t), "published": when}
            for (aid, t), when in zip(texts, PUBLISHED)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def synthetic_clusters() -> pd.Series:
    return claims.cluster_claims(_synthetic_claims()).set_index("article_id")["cluster_id"]


@pytest.mark.parametrize("a, b, same", [
    ("a1", "a2", True),    # control of Vovchansk / Volchansk, two figures
    ("a3", "a4", True),    # evacuation of Kupiansk / Kupyansk, two figures
    ("a1", "a3", False),
    ("a5", "a1", False),   # an unrelated claim
    ("a5", "a3", False),
])
def test_clustering_without_docs_groups_paraphrases_across_spellings(synthetic_clusters, a, b, same):
    assert (synthetic_clusters[a] == synthetic_clusters[b]) == same


def test_cluster_ids_are_stable_and_order_free():
    df = _synthetic_claims()
    first = claims.cluster_claims(df).set_index("claim_id")["cluster_id"]
    again = claims.cluster_claims(df).set_index("claim_id")["cluster_id"]
    shuffled = claims.cluster_claims(df.sample(frac=1, random_state=3)).set_index("claim_id")["cluster_id"]
    assert first.equals(again)
    assert first.sort_index().equals(shuffled.sort_index())


def test_wire_copies_collapse_into_one_cluster():
    base = "Russian forces captured the village of Krynky after weeks of fighting, the ministry said."
    rows = [{"article_id": f"w{i}", "claim_id": f"w{i}:0-10", "sentence_index": 0, "start": 0, "end": 10,
             "text": base, "check_worthiness": 0.9, "attributed_to": None, "hedged": False, "quantities": []}
            for i in range(500)]
    clustered = claims.cluster_claims(pd.DataFrame(rows))
    assert clustered["cluster_id"].nunique() == 1


# --------------------------------------------------------------------------- frequency tables

def test_frequency_timeline_and_unattributed_share():
    df = _synthetic_claims()
    df.loc[df["article_id"] == "a1", "attributed_to"] = "Ministry of Defence"
    articles = pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4", "a5"],
        "outlet": ["Wire", "Daily", "Wire", "Daily", "Wire"],
        "published": PUBLISHED,
    })
    clustered = claims.cluster_claims(df)
    freq = claims.claim_frequency(clustered, articles)
    top = freq.iloc[0]
    assert top["n_articles"] == 2 and top["n_outlets"] == 2
    control = freq[freq["representative"].str.contains("majority")].iloc[0]
    assert control["sources"] == ["Ministry of Defence"]
    assert control["first_seen"] == pd.Timestamp("2024-05-01T10:00Z")
    assert set(control["figures"]) == {"the majority", "over 80%"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        timeline = claims.claim_timeline(clustered, articles)
    assert timeline["n_claims"].sum() == 4  # a5 has no date
    share = claims.unattributed_share(clustered, articles).set_index("outlet")
    assert share.loc["Wire", "n_claims"] == 3
    assert share.loc["Wire", "unattributed_share"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("outlets, expected", [
    ([None, "Wire"], ["(unknown outlet)", "Wire"]),
    (["", " Wire "], ["(unknown outlet)", "Wire"]),
])
def test_unattributed_share_names_a_missing_outlet_as_other_tables_do(outlets, expected):
    table = pd.DataFrame({"article_id": ["a", "b"], "outlet": outlets, "attributed_to": [None, "Ministry"]})
    assert sorted(claims.unattributed_share(table)["outlet"].tolist()) == expected


# --------------------------------------------------------------------------- bad input

def test_empty_inputs_give_empty_tables():
    empty_articles = pd.DataFrame(columns=["article_id", "text"])
    out = claims.extract_claims(empty_articles, attributions=pd.DataFrame(columns=["article_id"]), docs={})
    assert out.empty and "check_worthiness" in out.columns
    clustered = claims.cluster_claims(out)
    assert clustered.empty and "cluster_id" in clustered.columns
    assert claims.claim_frequency(clustered, empty_articles).empty
    assert claims.claim_timeline(clustered).empty
    assert claims.unattributed_share(clustered).empty


def test_bad_articles_give_results_or_warnings_not_errors():
    texts = {
        "empty": "",
        "nothing": "Hello.",
        "quotes": '"He said the town had fallen. And then',
        "russian": "Российские войска заявили о взятии села.",
    }
    articles = _articles([{"article_id": k, "text": v, "language": "ru" if k == "russian" else "en"}
                          for k, v in texts.items()])
    docs = {k: nlp.parse_text(v) for k, v in texts.items()}
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        out = claims.extract_claims(articles, attributions=pd.DataFrame(columns=["article_id"]), docs=docs)
        clustered = claims.cluster_claims(out)
        claims.claim_frequency(clustered, articles)
    assert set(out["article_id"]) <= set(texts)


def test_long_texts_in_the_regex_layers():
    long_text = ("Troops advanced 3 km and about 1,200 people reportedly fled. " * 3500)[:200_000]
    assert len(claims.extract_quantities(long_text)) > 1000
    assert len(claims.find_hedges(long_text)) > 1000


def test_shipped_model_was_trained_with_the_current_cue_file():
    # claims_cues.tsv feeds the model's hand features: editing it needs a retrain
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = claims.CheckWorthinessModel.load(config.RESOURCES_DIR / claims.MODEL_STEM)
    assert model.meta["hand_features"] == list(claims.HAND_FEATURES)


def test_char_counts_equal_the_vectorizer():
    """Hashing each distinct word once gives the vectorizer's exact counts."""
    texts = ["Russian forces captured over 80% of Volchansk, the governor said.", "", "  \n ",
             "WHO said: 12 drones; ſt İstanbul École  double  spaces\ttab", "x", "Volchansk volchansk"]
    _, vectorizer = claims.hashing_vectorizers()
    expected = vectorizer.transform(texts).tocsr()
    expected.sort_indices()
    got = claims.char_counts(texts)
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)
    assert claims.char_counts(["", " "]).shape == (2, claims.N_HASH_FEATURES)
    assert (claims.HashedCounts("char_wb").fit_transform(texts) != expected).nnz == 0


def test_average_link_partitions_as_scikit_learn():
    """cluster.average_link cuts the same average-linkage tree scikit-learn's
    AgglomerativeClustering does, on random similarity matrices with ties."""
    from sklearn.cluster import AgglomerativeClustering

    rng = np.random.default_rng(0)
    for n in (3, 4, 7, 15, 40):
        for _ in range(20):
            raw = rng.integers(0, 10, size=(n, n)) / 10.0  # coarse values: ties included
            sim = (raw + raw.T) / 2
            np.fill_diagonal(sim, 1.0)
            distance = np.clip(1.0 - sim, 0.0, None)
            np.fill_diagonal(distance, 0.0)
            expected = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                               distance_threshold=0.5).fit_predict(distance)
            got = average_link(sim, 0.5)

            def partition(labels):
                return sorted(tuple(np.flatnonzero(labels == k)) for k in np.unique(labels))

            assert partition(got) == partition(expected)


def test_batched_check_worthiness_gives_the_same_claims(seed):
    """prepare_docs scores several Docs' sentences in one model call; from_doc's rows are the
    same as when each Doc is scored alone."""
    articles, docs = seed
    text = articles.iloc[0]["text"]
    other = "The ministry said 12 drones were shot down over Kharkiv on Monday. It is sunny."
    batch = [nlp.parse_text(t) for t in (text, other, "")]
    claims.prepare_docs(batch)
    assert all("claims.logits" in nlp.doc_memo(d) for d in batch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the empty text's warning
        alone = [claims.from_doc(DocContext.of(name, nlp.parse_text(t), "claims"))
                 for name, t in (("a", text), ("b", other), ("c", ""))]
        together = [claims.from_doc(DocContext.of(name, d, "claims")) for name, d in zip("abc", batch)]
    assert together == alone
    assert len(together[0]["claims"]) >= 8


def test_claims_components_rank_with_the_built_in_analyses():
    """The registry orders built-in analyses by their package: claims and claim_clusters run
    right after sourcing, whose attributions they read."""
    names = [c.name for c in components.ordered()]
    at = names.index("sourcing")
    assert names[at + 1:at + 3] == ["claims", "claim_clusters"]
