"""presslens.language.persuasion_model, presslens.language.train and presslens.evaluate.persuasion:
units, neutral uses of lexicon words, features, threshold choice, persistence, the shipped
model on invented news paragraphs, and the held-out scoring."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from presslens import language, nlp
from presslens.evaluate import persuasion as scorer
from presslens.language import persuasion_model
from presslens.language import train as persuasion_train
from presslens.language.persuasion_model import ENCODER_EMBEDDINGS, ENCODER_NGRAMS, TECHNIQUES

# --------------------------------------------------------------------------- units

@pytest.mark.parametrize(("text", "expected"), [
    ("Title\n\nFirst paragraph.\nSecond one.", [(0, 5), (7, 23), (24, 35)]),
    ("  indented line  \n\n\n", [(2, 15)]),
    ("", []),
    ("one line only", [(0, 13)]),
])
def test_paragraph_spans(text, expected):
    assert persuasion_model.paragraph_spans(text) == expected


def test_long_paragraph_cut_at_sentence_boundaries():
    sentence = "The council met again on Tuesday to discuss the budget for the coming year. "
    text = sentence * 40  # one 3,000-character line, no line breaks
    sentences = [(i * len(sentence), (i + 1) * len(sentence) - 1) for i in range(40)]
    pieces = persuasion_model.units(text, sentences)
    assert len(pieces) > 1
    assert all(e - s <= persuasion_model.MAX_UNIT_CHARS for s, e in pieces)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text.rstrip())
    assert all(text[e - 1] == "." for _, e in pieces)  # cut at sentence ends
    assert persuasion_model.units(text) == [(0, len(text.rstrip()))]  # no sentences: left whole


# --------------------------------------------------------------------------- neutral uses

def _span(text, fragment, technique, cue):
    start = text.index(fragment)
    return {"technique": technique, "start": start, "end": start + len(fragment), "cue": cue}


@pytest.mark.parametrize(("text", "fragment", "technique", "cue", "neutral"), [
    # technical, military and historical uses: descriptive
    ("Sappers defused an improvised explosive device near the station.", "explosive device",
     "loaded_language", "explosive", True),
    ("Police found two kilograms of explosive material in the car.", "explosive material",
     "loaded_language", "explosive", True),
    ("The shells were high-explosive rounds, the army said.", "high-explosive",
     "loaded_language", "explosive", True),
    ("Russia launched a massive missile and drone attack overnight, the air force said.",
     "massive missile", "loaded_language", "massive", True),
    ("Three soldiers suffered severe injuries in the blast.", "severe injuries",
     "loaded_language", "severe", True),
    ("Chloropicrin, a chemical agent first used in the First World War, is banned.",
     "Chloropicrin, a chemical agent first used in the First World War, is banned.",
     "appeal_to_fear", "world war", True),
    ("Congress approved another package of lethal aid for Kyiv.",
     "Congress approved another package of lethal aid for Kyiv.", "appeal_to_fear", "lethal", True),
    ("Radiation levels at the plant remain normal, the agency said.",
     "Radiation levels at the plant remain normal, the agency said.", "appeal_to_fear", "radiation", True),
    # the same words used to charge the text: kept
    ("The minister made explosive allegations against his rival.", "explosive allegations",
     "loaded_language", "explosive", False),
    ("It was a massive betrayal of the voters.", "massive betrayal", "loaded_language", "massive", False),
    ("If we do nothing, this could start a third world war.",
     "If we do nothing, this could start a third world war.", "appeal_to_fear", "world war", False),
    ("A lethal virus could spread to every city if we wait.",
     "A lethal virus could spread to every city if we wait.", "appeal_to_fear", "lethal", False),
    ("Lethal aid could drag us into a war, and then a lethal escalation would follow.",
     "Lethal aid could drag us into a war, and then a lethal escalation would follow.",
     "appeal_to_fear", "lethal", False),
])
def test_neutral_uses(text, fragment, technique, cue, neutral):
    assert persuasion_model.is_neutral_use(text, _span(text, fragment, technique, cue)) is neutral


def test_drop_neutral_uses_keeps_other_spans():
    text = "An explosive device went off. The corrupt regime lied."
    spans = [_span(text, "explosive device", "loaded_language", "explosive"),
             _span(text, "corrupt regime", "name_calling", "corrupt")]
    assert persuasion_model.drop_neutral_uses(text, spans) == [spans[1]]


# --------------------------------------------------------------------------- features

def test_tfidf_matches_scikit_learn():
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    texts = ["the war is a brutal war", "peace talks resumed", "brutal, brutal talks", ""]
    reference = TfidfVectorizer(sublinear_tf=True).fit(texts)
    counts = CountVectorizer(vocabulary=reference.vocabulary_).transform(texts)
    ours = persuasion_model.tfidf(counts, reference.idf_)
    assert np.allclose(ours.toarray(), reference.transform(texts).toarray())


@pytest.mark.parametrize(("labels", "scores", "f1"), [
    ([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.1], 1.0),  # cut between 0.8 and 0.3
    ([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], 0.8),  # flag three: 2 tp, 1 fp
    ([0, 0, 0], [0.5, 0.4, 0.1], 0.0),  # no positives: never flag
])
def test_best_threshold(labels, scores, f1):
    cut, best = persuasion_train.best_threshold(np.array(labels), np.array(scores))
    assert best == pytest.approx(f1)
    flagged = np.array(scores) >= cut
    if f1:
        tp = (flagged & np.array(labels, bool)).sum()
        assert 2 * tp / (flagged.sum() + sum(labels)) == pytest.approx(f1)
    else:
        assert not flagged.any()


def test_best_threshold_never_cuts_between_ties():
    cut, _ = persuasion_train.best_threshold(np.array([1, 0, 0]), np.array([0.7, 0.7, 0.1]))
    assert cut < 0.7  # both tied scores are flagged or neither


def test_article_folds_partition_articles():
    ids = ["a", "a", "b", "c", "c", "c", "d"]
    folds = persuasion_train.article_folds(ids, 2)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(ids)))
    for fold in folds:
        inside = {ids[i] for i in fold}
        outside = {ids[i] for i in range(len(ids)) if i not in set(fold)}
        assert not inside & outside


# --------------------------------------------------------------------------- a toy model

TOY = [
    ("The corrupt thugs of the regime lied again, a disgraceful farce.", "loaded_language"),
    ("These criminals and their puppet leaders are liars and crooks.", "name_calling"),
    ("Can anyone really believe these so-called facts? Allegedly nothing happened.", "doubt"),
    ("If we do nothing, the disease will spread and millions could die.", "appeal_to_fear"),
    ("The council met on Tuesday to discuss the budget for next year.", ""),
    ("The train to the capital leaves at nine in the morning.", ""),
]


@pytest.fixture(scope="module")
def toy_model():
    texts, gold = [], []
    for i in range(12):  # 12 articles of the six paragraphs, in rotating order
        rows = TOY[i % 6:] + TOY[:i % 6]
        text = "\n".join(t for t, _ in rows)
        pos = 0
        for t, technique in rows:
            if technique:
                gold.append({"article_id": f"a{i}", "technique": technique, "start": pos, "end": pos + len(t)})
            pos += len(t) + 1
        texts.append({"article_id": f"a{i}", "text": text})
    articles, gold = pd.DataFrame(texts), pd.DataFrame(gold)
    data = persuasion_train.training_units(articles, gold, {})
    return persuasion_train.fit_persuasion_model(data, None, folds=3, meta={"training_articles": ["a0"]})


def test_toy_model_learns_and_explains(toy_model):
    text = TOY[0][0] + "\n" + TOY[4][0]
    rows = toy_model.predict_document(text, [])
    flagged = {(r["technique"], r["paragraph_start"]) for r in rows}
    assert ("loaded_language", 0) in flagged
    assert not any(r["paragraph_start"] > 0 for r in rows)  # the council paragraph is not flagged
    for row in rows:
        assert row["model"] == ENCODER_NGRAMS
        assert row["evidence"] == "model" and row["cue"] and row["drivers"]
        assert row["paragraph_start"] <= row["start"] < row["end"] <= row["paragraph_end"]
        assert row["text"] == text[row["start"]:row["end"]]


def test_lexicon_spans_are_the_evidence_of_a_flagged_paragraph(toy_model):
    text = TOY[0][0]
    span = _span(text, "disgraceful farce", "loaded_language", "disgraceful")
    rows = [r for r in toy_model.predict_document(text, [span]) if r["technique"] == "loaded_language"]
    assert [(r["start"], r["end"], r["evidence"]) for r in rows] == [(span["start"], span["end"], "lexicon")]


def test_save_and_load_give_the_same_predictions(toy_model, tmp_path):
    stem = toy_model.save(tmp_path / "toy")
    loaded = persuasion_model.PersuasionModel.load(stem)
    text = "\n".join(t for t, _ in TOY)
    assert loaded.predict_document(text, []) == toy_model.predict_document(text, [])


def test_load_refuses_other_features(toy_model, tmp_path):
    stem = toy_model.save(tmp_path / "toy")
    meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
    meta["dense_features"] = meta["dense_features"][:-1]
    stem.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        persuasion_model.PersuasionModel.load(stem)


def test_encoder_choice(toy_model):
    assert toy_model.encoder() == ENCODER_NGRAMS  # no embedding head
    with pytest.raises(ValueError):
        toy_model.encoder(ENCODER_EMBEDDINGS)
    with pytest.raises(ValueError):
        toy_model.encoder("bert")


# --------------------------------------------------------------------------- the shipped model

def _predict(text: str, encoder: str) -> list[dict]:
    """The shipped model on one invented article, with the rule layer's lexicon spans (the
    embedding variant is skipped where the `embeddings` extra is not installed)."""
    if encoder == ENCODER_EMBEDDINGS and not persuasion_model.embeddings_available():
        pytest.skip("the `embeddings` extra is not installed")
    articles = pd.DataFrame([{"article_id": "x", "text": text, "language": "en"}])
    doc = nlp.parse_text(text)
    lexicon = [{"technique": r.technique, "start": int(r.start), "end": int(r.end), "cue": r.cue}
               for r in language.lexicon_persuasion(articles, {"x": doc}).itertuples()]
    return persuasion_model.detect_in_doc(text, doc, lexicon, encoder=encoder)


# Invented paragraphs of plain military and technical reporting: nothing here is persuasive.
NEUTRAL_REPORTS = [
    "Ukrainian sappers defused an improvised explosive device found near the railway station on "
    "Tuesday, the regional police said.",
    "Chloropicrin, a chemical agent first used in the First World War, is banned under the "
    "Chemical Weapons Convention, which both countries have signed.",
    "The army said it repelled an attack on its positions near the village overnight and that "
    "fighting continued in the area on Wednesday.",
    "Russia launched a massive missile and drone attack on energy infrastructure overnight, the "
    "air force said, adding that 30 of 42 drones were shot down.",
    "The strike damaged a power line and left about 2,000 homes without electricity, the regional "
    "governor said. Repair crews were working to restore supply.",
    "Radiation levels at the plant remain within normal limits, the agency said after its "
    "inspectors visited the site on Monday.",
]


@pytest.mark.parametrize("encoder", persuasion_model.ENCODERS)
@pytest.mark.parametrize("text", NEUTRAL_REPORTS)
def test_shipped_model_leaves_neutral_reports_alone(text, encoder):
    found = _predict(text, encoder)
    assert not [(r["technique"], r["text"]) for r in found
                if r["technique"] in ("loaded_language", "appeal_to_fear")]


# (invented neutral news paragraph, words that must not be shown as loaded language or an
# appeal to fear): technical, historical and military-report uses of words the lexicon lists.
NEUTRAL_WORDS = [
    ("Police said the explosive device was found under a car outside the court and made safe by "
     "bomb-disposal officers.", ["explosive"]),
    ("Investigators found explosive materials and detonators in a garage rented by the suspect.",
     ["explosive"]),
    ("Chlorine, a chemical agent first used as a weapon in the First World War, is banned under "
     "the 1993 convention.", ["World War", "chemical agent"]),
    ("The Second World War ended in Europe in May 1945, and the museum opens an exhibition on it "
     "next week.", ["World War"]),
    ("The defence ministry said its forces repelled an attack near the village and lost two "
     "armoured vehicles.", ["attack"]),
    ("Overnight, the air force reported a massive drone attack on the capital region; 40 of the "
     "45 drones were shot down.", ["massive", "attack"]),
    ("The soldier suffered severe burns and was taken to a military hospital in the city.",
     ["severe"]),
]


@pytest.mark.parametrize(("text", "words"), NEUTRAL_WORDS)
def test_neutral_news_words_are_not_loaded_or_fear(text, words):
    articles = pd.DataFrame([{"article_id": "x", "text": text, "language": "en"}])
    for table in (language.lexicon_persuasion(articles), language.detect_persuasion(articles)):
        shown = table[table["technique"].isin(["loaded_language", "appeal_to_fear"])]
        for row in shown.itertuples():
            assert not any(w.lower() in str(row.cue).lower() for w in words), (row.technique, row.cue)
            if row.technique == "loaded_language":
                assert not any(w.lower() in str(row.text).lower() for w in words), row.text


# (invented text, technique the trained model must flag): detect_persuasion's rows on a flagged
# paragraph show the words that drove it, with offsets into the text.
EXPLAINED = [
    ("The regime's shameless, disgusting lies are a cowardly insult to every decent citizen.",
     "loaded_language"),
    ("Critics call the senator a spineless puppet and a shameless liar.", "name_calling"),
]


@pytest.mark.parametrize(("text", "technique"), EXPLAINED)
def test_detect_persuasion_rows_show_their_evidence(text, technique):
    articles = pd.DataFrame([{"article_id": "x", "text": text, "language": "en"}])
    out = language.detect_persuasion(articles)
    assert list(out.columns) == list(language.PERSUASION)
    rows = out[out["technique"] == technique]
    assert len(rows)
    for row in rows.itertuples():
        assert text[row.start:row.end] == row.text
        assert row.paragraph_start <= row.start < row.end <= row.paragraph_end
        assert row.evidence in ("lexicon", "model") and row.cue and row.drivers
        assert row.model in persuasion_model.ENCODERS and 0 <= row.score <= 1


# Invented paragraphs written to use one technique each, plainly.
PERSUASIVE = [
    ("This disgraceful, cowardly gang of crooks has turned our once-proud city into a lawless "
     "hellhole, and their shameless lies insult every decent citizen.", "loaded_language"),
    ("The senator, a spineless puppet of the globalist elite and a shameless liar, voted with "
     "the radical extremists once again.", "name_calling"),
    ("Are we really supposed to believe the ministry's so-called investigation? Its claims are "
     "unverified, and the timing is awfully convenient, isn't it?", "doubt"),
    ("If this government is not stopped now, our children will grow up in a country of ruins, "
     "and the violence will come to every street, every school and every home.", "appeal_to_fear"),
]


@pytest.mark.parametrize("encoder", persuasion_model.ENCODERS)
@pytest.mark.parametrize(("text", "technique"), PERSUASIVE)
def test_shipped_model_flags_plain_persuasion(text, technique, encoder):
    found = _predict(text, encoder)
    rows = [r for r in found if r["technique"] == technique]
    assert rows, f"{technique} not flagged"
    assert all(r["model"] == encoder and (r["cue"] or r["drivers"]) for r in rows)


def test_shipped_model_is_deterministic():
    text = "\n".join(t for t, _ in PERSUASIVE) + "\n" + "\n".join(NEUTRAL_REPORTS)
    assert _predict(text, ENCODER_NGRAMS) == _predict(text, ENCODER_NGRAMS)


def test_shipped_model_is_small_and_lists_its_training_articles():
    from presslens import config

    stem = config.RESOURCES_DIR / persuasion_model.MODEL_STEM
    size = sum(stem.with_suffix(s).stat().st_size for s in (".npz", ".json"))
    assert size < 5_000_000
    model = persuasion_model.load_persuasion_model()
    assert len(model.meta["training_articles"]) > 100
    assert set(model.thresholds) >= {ENCODER_NGRAMS}


# --------------------------------------------------------------------------- scoring

def test_paragraph_counts():
    articles = pd.DataFrame([{"article_id": "a", "text": "one two\nthree four\nfive six"}])
    # paragraphs: [0, 7), [8, 18), [19, 27)
    gold = pd.DataFrame([{"article_id": "a", "technique": "doubt", "start": 0, "end": 3},
                         {"article_id": "a", "technique": "doubt", "start": 10, "end": 12}])
    pred = pd.DataFrame([{"article_id": "a", "technique": "doubt", "start": 8, "end": 18},
                         {"article_id": "a", "technique": "doubt", "start": 19, "end": 27},
                         {"article_id": "a", "technique": "name_calling", "start": 0, "end": 3}])
    counts = scorer.paragraph_counts(articles, pred, gold)
    j = TECHNIQUES.index("doubt")
    assert counts[0, j].tolist() == [1, 1, 1]  # tp, fp, fn
    assert counts[0, TECHNIQUES.index("name_calling")].tolist() == [0, 1, 0]


def test_paragraph_scores_interval_contains_the_point():
    rng = np.random.default_rng(1)
    counts = rng.integers(0, 4, size=(30, len(TECHNIQUES), 3))
    scores = scorer.paragraph_scores(counts, scorer._resamples(30, n=200))
    for technique in TECHNIQUES:
        lo, hi = scores[technique]["ci95"]
        assert lo <= scores[technique]["f1"] <= hi


@pytest.mark.slow
@pytest.mark.datasets
def test_heldout_scoring(datasets_dir):
    figures = scorer.run(datasets_dir)
    assert figures["training_split_check"]["ok"]
    pf = figures["paragraph_f1"]
    name = f"presslens[{ENCODER_NGRAMS}]"
    # the model beats the baseline trained in the same run on the macro average
    assert pf[name]["macro_f1"] > pf["baseline_tfidf_lr"]["macro_f1"]
