"""Tests of presslens.language: seed checks, scare quotes, place spellings, hedges, tone, bad input."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import presslens
import pytest
from presslens import config, language, nlp
from presslens.components import DocContext


def _articles(*texts: str, language_code: str = "en") -> pd.DataFrame:
    return pd.DataFrame([{"article_id": f"t{i}", "text": t, "language": language_code}
                         for i, t in enumerate(texts)])


@pytest.fixture(scope="module")
def seed_terms(seed_articles) -> pd.DataFrame:
    return language.extract_terms(seed_articles)


@pytest.fixture(scope="module")
def seed_gold() -> dict:
    if not config.SEED_GOLD.exists():
        pytest.skip("seed gold annotation not available")
    return json.loads(config.SEED_GOLD.read_text(encoding="utf-8"))["language"]


# --------------------------------------------------------------------------- seed checks

def test_seed_liberated_in_scare_quotes_is_distance(seed_terms, seed_record):
    text = seed_record["text"]
    contested = seed_terms[seed_terms["kind"] == "contested_term"]
    start = text.index("‘liberated.’")
    row = contested[(contested["start"] > start) & (contested["start"] < start + 12)]
    assert list(row["term"]) == ["liberated"]
    assert list(row["category"]) == ["distance"] and bool(row["quoted"].iloc[0])


def test_seed_liberation_plain_is_adopted(seed_terms, seed_record):
    start = seed_record["text"].index("The liberation of Kupyansk")
    row = seed_terms[(seed_terms["kind"] == "contested_term") & (seed_terms["start"] == start + 4)]
    assert list(row["category"]) == ["adopted"] and not bool(row["quoted"].iloc[0])
    assert row["side"].iloc[0] == "RU"


def test_seed_spellings(seed_terms, seed_gold):
    places = seed_terms[seed_terms["kind"] == "place_spelling"]
    found = {(r.term, r.category) for r in places.itertuples()}
    spellings = seed_gold["toponym_spellings"]
    for style in ("russian_style", "ukrainian_style"):
        for form in spellings[style]:
            assert (form, style) in found, form
    canonical = dict(zip(places["term"], places["canonical"]))
    for form, ukrainian in spellings["ukrainian_equivalents"].items():
        assert canonical[form] == ukrainian


def test_seed_hedges_recall(seed_terms, seed_record, seed_gold):
    text = seed_record["text"]
    hedges = seed_terms[seed_terms["kind"] == "hedge"]
    for phrase in seed_gold["hedges"]:
        start = text.index(phrase)
        end = start + len(phrase)
        assert ((hedges["start"] < end) & (hedges["end"] > start)).any(), phrase


def test_terms_offsets_point_at_text(seed_terms, seed_record):
    text = seed_record["text"]
    assert len(seed_terms) > 0
    for row in seed_terms.itertuples():
        assert text[row.start:row.end] == row.text
    assert set(seed_terms["kind"]) <= set(language.TERM_KINDS)
    assert seed_terms["sentence_index"].notna().all()


def test_sentence_index_matches_nlp(seed_articles, seed_record):
    doc = nlp.parse_text(seed_record["text"])
    sentences = {i: (s.start_char, s.end_char) for i, s in nlp.iter_sentences(doc)}
    out = language.from_doc(DocContext.of(seed_record["article_id"], doc, "language"))
    for row in out["terms"]:
        start, end = sentences[row["sentence_index"]]
        assert start <= row["start"] < end
    assert {r["sentence_index"] for r in out["tone"]} == set(sentences)


# --------------------------------------------------------------------------- scare quotes

@pytest.mark.parametrize("text", [
    "Moscow said the town had been ‘liberated.’ Kyiv denied it.",
    "Moscow said the town had been “liberated.” Kyiv denied it.",
    'Moscow said the town had been "liberated." Kyiv denied it.',
    "Moscow said the town had been 'liberated.' Kyiv denied it.",
    "Moscow said the town had been ‘liberated’, Kyiv denied it.",
    "Moscow said the town had been «liberated». Kyiv denied it.",
])
def test_scare_quotes_all_styles(text):
    hits = [h for h in language.contested_hits_in_text(text) if h["concept"] == "capture_of_territory"]
    assert [(h["term"], h["category"], h["quoted"]) for h in hits] == [("liberated", "distance", True)]


# How the writer uses a contested term: (text, {term: category}).
CONTESTED_CATEGORIES = [
    ("The liberation of the city took weeks.", {"liberation": "adopted"}),
    ("The governor said: “Our troops have completed the liberation of the whole district today.”",
     {"liberation": "source_quote"}),
    # apostrophes are not quotation marks
    ("The People’s Republic's troops’ positions were captured. Russia’s army liberated it.",
     {"liberated": "adopted", "captured": "adopted"}),
    # a short quotation framed by a speech verb is someone's words, not a scare quote
    ("“We liberated it,” he said on Monday.", {"liberated": "source_quote"}),
    ("The minister said: “Kupiansk is liberated.”", {"liberated": "source_quote"}),
]


@pytest.mark.parametrize(("text", "expected"), CONTESTED_CATEGORIES)
def test_contested_term_categories(text, expected):
    found = {h["term"]: h["category"] for h in language.contested_hits_in_text(text)}
    assert found == expected


# --------------------------------------------------------------------------- place spellings

def test_place_table_size():
    places = {form.place for form in language.place_forms().values()}
    assert len(places) >= 150
    for form, entry in language.place_forms().items():
        assert entry.style in ("russian_style", "ukrainian_style")
        assert form.strip() == form and form


def test_hyphenated_place_wins_and_possessives():
    text = "Shelling hit Kupyansk-Uzlovka and Kupyansk. Kharkiv's mayor and Kupiansk-Vuzlovyi; Kyiv-based."
    hits = language.spelling_hits_in_text(text)
    assert [(h["form"], h["style"]) for h in hits] == [
        ("Kupyansk-Uzlovka", "russian_style"), ("Kupyansk", "russian_style"),
        ("Kharkiv", "ukrainian_style"), ("Kupiansk-Vuzlovyi", "ukrainian_style"),
        ("Kyiv", "ukrainian_style")]
    assert hits[0]["place"] == "Kupiansk-Vuzlovyi"


def test_spelling_is_case_sensitive_and_whole_word():
    assert language.spelling_hits_in_text("kiev kharkov Kievan Kharkovite") == []
    forms = [h["form"] for h in language.spelling_hits_in_text("pro-Kiev forces, 'Kharkov' and “Odessa’s” port")]
    assert forms == ["Kiev", "Kharkov", "Odessa"]


def test_spelling_profile_counts():
    arts = _articles("Kiev and Kharkov, then Kyiv.", "No places here.")
    profile = language.spelling_profile(arts)
    row = profile.set_index("article_id").loc["t0"]
    assert (row["n_russian_style"], row["n_ukrainian_style"]) == (2, 1)
    assert row["share_russian_style"] == pytest.approx(2 / 3)
    assert pd.isna(profile.set_index("article_id").loc["t1", "share_russian_style"])
    hits = profile.attrs["hits"]
    assert list(hits.columns[:6]) == ["article_id", "form", "style", "place", "start", "end"]


# --------------------------------------------------------------------------- hedges, tone

# (text, hedges found, boosters found): the constraints of the stance lexicons.
STANCE_CASES = [
    ("In May the army retreated. Officials may resign. He bought a can of beans.", ["may"], []),
    ("This is clearly wrong and, in fact, undoubtedly so. There is no doubt about it.",
     [], ["clearly", "in fact", "undoubtedly", "no doubt"]),
]


@pytest.mark.parametrize(("text", "hedges", "boosters"), STANCE_CASES)
def test_hedges_and_boosters(text, hedges, boosters):
    terms = language.extract_terms(_articles(text))
    assert list(terms.loc[terms["kind"] == "hedge", "term"]) == hedges
    assert sorted(terms.loc[terms["kind"] == "booster", "canonical"]) == sorted(boosters)


def test_vader_range_and_caveat():
    tone = language.tone(_articles("A wonderful victory. A horrible massacre killed dozens."))
    assert len(tone) == 2
    assert tone["compound"].between(-1, 1).all()
    assert tone["compound"].iloc[0] > 0 > tone["compound"].iloc[1]
    assert "not stance" in language.TONE_CAVEAT


# --------------------------------------------------------------------------- persuasion

def test_persuasion_techniques_and_offsets():
    text = ("This so-called expert is a corrupt liar. The absolutely horrific shelling was a bloodbath. "
            "Is this really the truth? If nothing is done, a catastrophe could engulf the region.")
    out = language.lexicon_persuasion(_articles(text))
    assert set(out["technique"]) == set(language.TECHNIQUES)
    for row in out.itertuples():
        assert text[row.start:row.end] == row.text
    loaded = out[out["technique"] == "loaded_language"]
    assert "absolutely horrific shelling" in set(loaded["text"])  # modifier runs on to its head


# --------------------------------------------------------------------------- bad input

def test_empty_input_and_empty_frame():
    with pytest.warns(UserWarning):
        terms = language.extract_terms(_articles(""))
    assert len(terms) == 0 and "kind" in terms.columns
    empty = pd.DataFrame({"article_id": pd.Series(dtype="string"), "text": pd.Series(dtype="string")})
    assert len(language.detect_persuasion(empty)) == 0
    assert len(language.spelling_profile(empty)) == 0
    assert len(language.language_profile(empty)) == 0


def test_non_english_warns_and_odd_quotes_do_not_raise():
    with pytest.warns(UserWarning, match="language"):
        language.extract_terms(_articles("Die Truppen haben Kupjansk „befreit“.", language_code="de"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        odd = language.extract_terms(_articles("He said “the ‘liberation of Kiev is a \"sham. It's’’ over"))
    assert (odd["kind"] == "contested_term").any()


def test_language_profile_columns(seed_articles):
    profile = language.language_profile(seed_articles)
    row = profile.iloc[0]
    assert row["n_hedges"] >= 8 and row["n_russian_style"] >= 5
    assert row["n_contested_distance"] >= 1 and row["n_contested_adopted"] >= 1
    assert -1 <= row["tone_mean"] <= 1


def test_scorer_metrics_on_toy_spans():
    from presslens.evaluate import language as ev

    gold = pd.DataFrame([{"article_id": "a", "technique": "doubt", "start": 0, "end": 10}])
    pred = pd.DataFrame([{"article_id": "a", "technique": "doubt", "start": 5, "end": 25},
                         {"article_id": "a", "technique": "doubt", "start": 40, "end": 50}])
    loose = ev.span_overlap_prf(pred, gold, "doubt")
    assert (loose.precision, loose.recall) == (0.5, 1.0)
    partial = ev.partial_credit_prf(pred, gold, "doubt")
    assert partial["precision"] == pytest.approx((5 / 20 + 0) / 2, abs=1e-3)
    assert partial["recall"] == pytest.approx(0.5, abs=1e-3)
    assert ev.paragraph_spans("ab\n\n  cd\n") == [(0, 2), (6, 8)]


def test_term_inside_attribution_content_is_attributed():
    text = "The ministry said its troops had liberated the village. The liberation was celebrated."
    start = text.index("its troops")
    end = text.index(".") + 1
    attributions = pd.DataFrame([{"article_id": "t0", "content_start": start, "content_end": end,
                                  "source_canonical": "the ministry", "source_text": "The ministry"}])
    terms = language.extract_terms(_articles(text), attributions=attributions)
    contested = terms[terms["kind"] == "contested_term"].sort_values("start")
    assert list(contested["category"]) == ["attributed", "adopted"]
    assert contested["source"].iloc[0] == "the ministry" and pd.isna(contested["source"].iloc[1])


def test_non_english_without_language_field_is_detected():
    arts = pd.DataFrame([{"article_id": "de", "text": "Die russischen Truppen haben die Stadt nach "
                          "schweren Kämpfen eingenommen, teilte das Verteidigungsministerium mit."}])
    with pytest.warns(UserWarning, match="'de'"):
        language.extract_terms(arts)


def test_war_labels_count_as_name_calling():
    out = language.lexicon_persuasion(_articles("The Kiev regime sent more neo-Nazis to the front."))
    labels = out[out["technique"] == "name_calling"]
    assert {"Kiev regime", "neo-Nazis"} <= set(labels["text"])


# (text, article language, expected (form, style) hits): spellings are read for the article's
# language: Cyrillic forms in Russian and Ukrainian text, a language's own exonyms not flagged.
SPELLING_BY_LANGUAGE = [
    ("Обстрел в Харькове и под Киевом.", "ru", [("Харькове", "russian_style"), ("Киевом", "russian_style")]),
    ("Обстріл у Харкові та під Києвом.", "uk", [("Харкові", "ukrainian_style"), ("Києвом", "ukrainian_style")]),
    ("Вибухи у Львові, а до Львова їде поїзд.", "uk", [("Львові", "ukrainian_style")]),  # Львова: both
    ("Ataque em Kiev e perto de Kharkov.", "pt", [("Kharkov", "russian_style")]),  # Kiev is Portuguese
    ("Attack near Kiev and Kharkov.", "en", [("Kiev", "russian_style"), ("Kharkov", "russian_style")]),
    ("Angriff auf Kiew und Odessa.", "de", []),
    ("Atak na Kijów i Odessę.", "sv", []),  # no exonym list for the language: Latin forms not read
]


@pytest.mark.parametrize(("text", "language_code", "expected"), SPELLING_BY_LANGUAGE)
def test_spellings_by_article_language(text, language_code, expected):
    hits = language.spelling_hits_in_text(text, language_code)
    assert [(h["form"], h["style"]) for h in hits] == expected


def test_non_english_article_gets_spellings_and_a_status_only():
    articles = pd.DataFrame({"article_id": ["ru1", "en1"], "language": ["ru", "en"], "text": [
        "Министерство обороны сообщило, что войска продвинулись под Харьковом и Киевом.",
        "The ministry said troops advanced near Kharkov on Monday."]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = presslens.analyze(articles, use_cache=False, progress=False)
    status = result.article_status.set_index("article_id")
    assert status.loc["ru1", "status"] == "skipped: language ru"
    assert "sourcing" in status.loc["ru1", "skipped"] and status.loc["en1", "status"] == "analysed"
    ru_terms = result.terms[result.terms["article_id"] == "ru1"]
    assert set(ru_terms["kind"]) == {"place_spelling"}
    assert (result.attributions["article_id"] != "ru1").all()
    assert (result.claims["article_id"] != "ru1").all()
    assert (result.frames["article_id"] != "ru1").all()
