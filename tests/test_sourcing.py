"""Tests of presslens.sourcing: quotations and each attribution form on small texts written
here, in-article coreference, the seed article's analyst gold, the profile, bad input, the
PolNeAR scorer, and the learned cue detector (the estimator, its training steps, its use)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from presslens import config, nlp, schema, sourcing
from presslens.components import DocContext
from presslens.sourcing import affiliation
from presslens.sourcing.learned import CUE_SURE


def rows_for(text: str, language: str = "en") -> list[dict]:
    doc = nlp.parse_text(text)
    return sourcing.from_doc(DocContext.of("t", doc, "sourcing", language=language))["attributions"]


def only(rows: list[dict], cue: str) -> dict:
    hits = [r for r in rows if r["cue_text"].lower() == cue.lower()]
    assert len(hits) == 1, [(r["cue_text"], r["source_text"]) for r in rows]
    return hits[0]


def span(text: str, row: dict, prefix: str) -> str:
    return text[row[f"{prefix}_start"]:row[f"{prefix}_end"]]


class Has:
    """Matches a string containing `part` (for expected-value tables)."""

    def __init__(self, part: str):
        self.part = part

    def __eq__(self, other) -> bool:
        return isinstance(other, str) and self.part in other

    def __repr__(self) -> str:
        return f"Has({self.part!r})"


class StartsWith(Has):
    def __eq__(self, other) -> bool:
        return isinstance(other, str) and other.startswith(self.part)


class OneOf:
    def __init__(self, *options):
        self.options = options

    def __eq__(self, other) -> bool:
        return other in self.options

    def __repr__(self) -> str:
        return f"OneOf{self.options!r}"


class Is:
    """Identity, not equality (`named` is the bool True, not 1)."""

    def __init__(self, value):
        self.value = value

    def __eq__(self, other) -> bool:
        return other is self.value

    def __repr__(self) -> str:
        return f"Is({self.value!r})"


class Missing:
    def __eq__(self, other) -> bool:
        return other is None or pd.isna(other)

    def __repr__(self) -> str:
        return "Missing()"


class Not:
    def __init__(self, value):
        self.value = value

    def __eq__(self, other) -> bool:
        return other != self.value

    def __repr__(self) -> str:
        return f"Not({self.value!r})"


# --------------------------------------------------------------------------- quotations


@pytest.mark.parametrize("text, expected", [
    ("He said “we will hold the line” and left.", ["“we will hold the line”"]),
    ('He said "we will hold the line" and left.', ['"we will hold the line"']),
    ("The «special operation» went on.", ["«special operation»"]),
    # doubled apostrophes of newspaper archives, but not inside a word
    ("He said ''no comment'' today.", ["''no comment''"]),
    ("Rock''n''roll is fine.", []),
    # apostrophes are no single quotations; a single quotation mark after a space is
    ("The People’s Republic doesn’t exist, it said.", []),
    ("It was ‘liberated,’ the ministry said.", ["‘liberated,’"]),
    # a quotation reopened at the next paragraph continues; an unclosed one ends with its paragraph
    ("“The bridge is gone.\n\n“We need help.”", ["“The bridge is gone.\n\n“We need help.”"]),
    ("“The bridge is gone.\n\nOfficials said nothing.", ["“The bridge is gone."]),
    ("A ‘quote that never closes.\n\nNext ‘one’ here.", ["‘one’"]),
])
def test_find_quotes(text, expected):
    assert [text[s:e] for s, e in sourcing.find_quotes(text)] == expected


# --------------------------------------------------------------------------- forms

DIRECT = ("“We will not give up a single village,” the commander said.\n\n"
          "Maria Kovalenko, a resident, told reporters: “The shelling did not stop all night.”")
ACCORDING = ("According to the regional governor, two people were injured.\n\n"
             "The ministry reported that the town had been ‘liberated.’")
AGENTLESS = "The withdrawal is seen as a major setback for the army. It is believed that the bridge was mined."
SECOND_HAND = "The newspaper Kommersant, which cited unnamed sources, reported that talks had stalled."
UNNAMED = ("A senior advisor to the Ukrainian president warned that the front could collapse. "
           "Two people familiar with the matter said the talks had failed. "
           "Anonymous sources told the agency that the convoy was hit.")
WFP = ("The World Food Programme said that aid deliveries had stopped.\n\n"
       "The agency added that 40,000 families were cut off.")


@pytest.mark.parametrize("text, cue, expected", [
    # indirect speech with a that-clause
    ("The defence ministry said that its troops had repelled three attacks near the town.", "said",
     {"source": "The defence ministry", "content_text": Has("repelled three attacks"), "quote_type": "indirect",
      "source_type": OneOf("military", "official"), "cue": "said"}),
    # direct quotes before and after the cue
    (DIRECT, "said", {"quote_type": "direct", "content_text": StartsWith("“We will not give up"),
                      "source_type": "military"}),
    (DIRECT, "told", {"quote_type": "direct", "content_text": Has("shelling did not stop"),
                      "source_canonical": "Maria Kovalenko", "named": Is(True)}),
    # "according to" before and after its content; a partial quote is mixed
    (ACCORDING, "according to", {"quote_type": "according_to", "source": "the regional governor",
                                 "content_text": StartsWith("two people were injured")}),
    (ACCORDING, "reported", {"quote_type": "mixed"}),
    ("Troops advanced near the river, according to the regional governor, who cited local police.",
     "according to", {"content_text": "Troops advanced near the river"}),
    # agentless attributions are vague, without a source
    (AGENTLESS, "seen", {"source_type": "vague", "source_start": Missing(), "named": Is(False)}),
    (AGENTLESS, "believed", {"source_type": "vague", "source_start": Missing(), "named": Is(False)}),
    # the reporter of a second-hand source
    (SECOND_HAND, "reported", {"source_type": "media", "affiliation": "RU"}),
    # headline style
    ("Russian Forces Report Major Gains Near Kharkiv\n\nThe fighting went on.", "Report",
     {"source": "Russian Forces", "affiliation": "RU"}),
    # an xcomp cue takes the subject of its governing verb
    ("Western officials have continued to frame the strikes as retaliation.", "frame",
     {"source": "Western officials", "source_type": "official"}),
    # unnamed officials and anonymous sources
    (UNNAMED, "warned", {"source_type": "official", "named": Is(False), "affiliation": "UA"}),
    (UNNAMED, "told", {"source_type": "anonymous"}),
    # a definite organisation noun takes the last named source of its kind
    (WFP, "said", {"source_canonical": "World Food Programme"}),
    (WFP, "added", {"source_canonical": "World Food Programme", "source_type": "ngo_international"}),
    # a place the small model labels a person is no source
    ("Fighting continued west of Sinelikino.\n\nHe said the village was quiet.", "said",
     {"source_canonical": Not("Sinelikino")}),
])
def test_attribution(text, cue, expected):
    r = only(rows_for(text), cue)
    view = {**r, "source": span(text, r, "source") if r["source_start"] is not None else None,
            "cue": span(text, r, "cue")}
    assert {k: view[k] for k in expected} == expected


def test_quote_with_cue_between_parts_and_multi_paragraph_quote():
    text = ("“The bridge is gone,” the governor said, “and the road is cut.”\n\n"
            "The mayor said: “Water is running out.\n\n"
            "“We need help within days.”")
    rows = rows_for(text)
    said = [r for r in rows if r["cue_text"] == "said"]
    first = next(r for r in said if "governor" in (r["source_text"] or ""))
    assert first["quote_type"] == "direct"
    assert "bridge is gone" in first["content_text"]
    mayor = next(r for r in said if "mayor" in (r["source_text"] or ""))
    assert "We need help within days" in mayor["content_text"], mayor["content_text"]
    # the quotation spans two paragraphs
    assert sourcing.find_quotes(text)[-1][1] == len(text)


def test_parenthetical_cue_and_pronoun_resolution():
    text = ("The Telegram channel Rybar published a map of the front.\n\n"
            "Ukrainian forces, it says, have left the village.")
    r = only(rows_for(text), "says")
    assert r["source_text"] == "it"
    assert r["source_canonical"] == "Rybar" or r["source_type"] == "social_media"
    # one contiguous span: the clause around the parenthetical cue
    assert r["content_text"] == "Ukrainian forces, it says, have left the village"


def test_claim_that_noun_is_vague_and_possessor_is_source():
    text = ("The claim that the city was encircled spread quickly.\n\n"
            "Later the mayor repeated his claim that the city was encircled.")
    rows = rows_for(text)
    claims = [r for r in rows if r["cue_text"] == "claim"]
    assert any(r["source_type"] == "vague" and r["source_start"] is None for r in claims)
    assert any(r["source_text"] == "his" for r in claims)


def test_second_hand_citing_undisclosed_sources():
    rows = rows_for(SECOND_HAND)
    cited = [r for r in rows if r["second_hand"]]
    assert cited, rows
    assert cited[0]["source_type"] == "anonymous"
    assert cited[0]["named"] is False
    assert cited[0]["via"] == "Kommersant"


def test_reporting_verbs_of_many_kinds():
    text = ("The minister warned that prices would rise. The army denied the report. "
            "Officials insisted the plan was legal. Kyiv confirmed the strike. "
            "The analyst estimated that 300 soldiers were lost. Lavrov told journalists that talks were over.")
    cues = {r["cue_text"] for r in rows_for(text)}
    assert {"warned", "denied", "insisted", "confirmed", "estimated", "told"} <= cues


# --------------------------------------------------------------------------- coreference and classes


def test_surname_and_title_resolve_to_full_name():
    text = ("Chief of the General Staff Valery Gerasimov said the offensive was going to plan.\n\n"
            "According to Gerasimov, the town was surrounded.\n\n"
            "He added that reserves were ready.")
    rows = rows_for(text)
    assert {r["source_canonical"] for r in rows} == {"Valery Gerasimov"}
    assert all(r["affiliation"] == "RU" and r["source_type"] == "military" for r in rows)


def test_definite_role_noun_refers_back_to_named_source():
    text = ("Russia's Defence Ministry said its forces had taken the village.\n\n"
            "The ministry added that 40 soldiers had been killed.")
    rows = rows_for(text)
    added = only(rows, "added")
    said = only(rows, "said")
    assert added["source_canonical"] == said["source_canonical"]
    assert said["affiliation"] == "RU"


@pytest.mark.parametrize("text, expected", [
    ("Governor Ihor Savchenko said 12 people were evacuated.", "official"),
    ("Western weapons will not change the outcome, military expert Andrei Zotov told reporters.", "expert"),
    ("Chief economist Maria Lopez said prices rose.", "expert"),
    # a person speaking from an organisation takes its type
    ("The offensive will stall, said Helena Marsh of the Centre for Eastern Security Studies.", "expert"),
    ("Prices will rise, Ines Kowalczyk of AgriMetrics Consulting said.", "expert"),
    ("Olena Petrenko of the interior ministry said two people died.", "official"),
])
def test_titles_and_employers_type_a_named_person(text, expected):
    assert rows_for(text)[0]["source_type"] == expected


@pytest.mark.parametrize("phrase, expected", [
    ("Russian forces", "RU"),
    ("the Kremlin", "RU"),
    ("a Ukrainian official", "UA"),
    ("he", None),
    ("the village elder", None),
])
def test_affiliation_of_a_source_phrase(phrase, expected):
    from presslens.sourcing.affiliation import affiliation_of

    assert affiliation_of(list(nlp.parse_text(phrase))) == expected


# --------------------------------------------------------------------------- sides, types, who

KRISTERSSON = ("Swedish Prime Minister Ulf Kristersson said the decision was historic.\n\n"
               "\u201cWe are ready,\u201d Kristersson added.\n\n"
               "On Wednesday tensions rose during remarks by Finnish Prime Minister Petteri Orpo. "
               "He claimed that Moscow was preparing for a long war.")
MINISTRY = ("The Russian Defence Ministry said four missiles had been shot down.\n\n"
            "Later the Defense Ministry reported that a fifth had hit a beach.")
HEARSAY = ("The convoy was reportedly hit near the border. Rumours spread that the general had fled. "
           "An official who asked not to be named said the talks had failed. "
           "According to reports, the bridge was destroyed. Some say the war will last years.")


@pytest.mark.parametrize("text, cue, expected", [
    # demonyms, possessives, capitals as metonyms, regional offices through places
    ("Polish armed forces said two drones had crossed the border.", "said",
     {"affiliation": "PL", "bloc": "West", "source_type": "military"}),
    ("Britain's defence secretary said more aid was coming.", "said", {"affiliation": "GB", "source_type": "official"}),
    ("Warsaw said the ambassador would be summoned.", "said", {"affiliation": "PL", "source_type": "official"}),
    ("Lviv's regional governor said three people were hurt.", "said", {"affiliation": "UA"}),
    ("The Belgorod governor said a school had been hit.", "said", {"affiliation": "RU", "bloc": "Russia"}),
    ("Minsk said its troops would stay home.", "said", {"affiliation": "BY", "bloc": "Russia"}),
    # institutions and outlets with a country; international bodies and their heads
    ("Prices will keep rising, the International Monetary Fund said.", "said",
     {"affiliation": "INT", "source_type": "ngo_international"}),
    ("The head of the World Food Programme said rations had been cut.", "said",
     {"affiliation": "INT", "source_type": "ngo_international"}),
    ("Major international organizations warned that food prices would climb.", "warned", {"affiliation": "INT"}),
    # office-holders give country and type; later mentions keep them
    (KRISTERSSON, "said", {"source_canonical": "Ulf Kristersson", "affiliation": "SE", "source_type": "official"}),
    (KRISTERSSON, "added", {"source_canonical": "Ulf Kristersson", "affiliation": "SE", "source_type": "official"}),
    # a pronoun takes the person introduced after the last source
    (KRISTERSSON, "claimed", {"source_canonical": "Petteri Orpo", "affiliation": "FI"}),
    # ... but never the subject of what a source said
    ("Zelensky said Putin had lied about the talks. He added that the front was holding.", "added",
     {"source_canonical": "Volodymyr Zelensky", "affiliation": "UA"}),
    # nor a person named inside the source phrase
    ("A spokesman for Vladimir Putin said the talks were over. He added that the army would advance.", "added",
     {"source_canonical": Has("spokesman"), "affiliation": "RU"}),
    # nor the person a source spoke to
    ("Western weapons will not change the outcome, military expert Andrei Zotov told Ivan Petrenko. "
     "\u201cThe regime is running out of soldiers,\u201d he said.", "said", {"source_canonical": "Andrei Zotov"}),
    # "it" stands for a body named by a singular group noun
    ("The strike hit Odesa overnight, the Ukrainian air force said. It said on Telegram that 12 drones "
     "were shot down.", "said", {"source_canonical": "Ukrainian air force", "affiliation": "UA"}),
    # a bare title refers back to the last named person
    ("Defence Minister Maria Lang of Estonia said the border was calm.\n\nThe minister added that "
     "patrols would double.", "added", {"source_canonical": "Maria Lang", "affiliation": "EE"}),
    # a first name alone after the full name
    ("Sir Patrick Sanders said the army must prepare.\n\n\u201cWe must be ready,\u201d Sir Patrick said.",
     "said", {}),
    # an unqualified body takes an earlier mention of the same body
    (MINISTRY, "reported", {"affiliation": "RU", "source_canonical": Has("Defence")}),
    # ... or the country the sentence places it in, or the dateline
    ("Protests spread in Sri Lanka, where the government said it would stop paying its debts.", "said",
     {"affiliation": "LK"}),
    # (the parser's second subject after a dateline is the source)
    ("MOSCOW (AP) \u2014 The Foreign Ministry said the envoy had been summoned.", "said",
     {"affiliation": "RU", "source": "The Foreign Ministry"}),
    # officials placed somewhere are not that country's ("in Iraq, where officials ...": unknown)
    ("Billions were spent in Iraq, where officials concluded that little was achieved.", "concluded",
     {"affiliation": "unknown"}),
    # no clue at all: unknown
    ("Authorities said the officer was in intensive care.", "said", {"affiliation": "unknown"}),
    # a person's own country from the article's words
    ("Oleksandr Zinchenko recalled the day Russia invaded his home country Ukraine.\n\n"
     "Zinchenko said he would fight.", "said",
     {"source_canonical": "Oleksandr Zinchenko", "affiliation": "UA", "source_type": "civilian"}),
    # types: a person with no title is a civilian, a senator an official, clergy other
    ("Jorit Agoch said the mural was finished.", "said", {"source_type": "civilian"}),
    ("Senator Jane Hollis said the aid bill would pass.", "said", {"source_type": "official"}),
    # a title set off by a comma before the name types the person, and a later surname keeps it
    ("The Minister of Education, Prof Tahir Mamman said the fees were paid.\n\nMamman advised the "
     "students to work hard.", "advised", {"source_canonical": Has("Tahir Mamman"), "source_type": "official"}),
    ("A student wrote in a chat room that the lecture was cancelled.", "wrote", {"source_type": "civilian"}),
    ("Patriarch Kirill said there was no justification for the attack.", "said", {"source_type": "other"}),
    ("According to the open-source intelligence site Info Nampalm, the hack was real.", "according to",
     {"source_type": "media", "source_canonical": "Info Nampalm"}),
    ("RUSSIA is demanding the surrender of Mariupol.", "demanding", {"affiliation": "RU", "source_type": "official"}),
    ("Some of the booing protesters shouted that he was a traitor.", "shouted", {"source_type": "civilian"}),
    # who issued a text is its source
    ("According to data published by the Hungarian statistics office, prices rose.", "according to",
     {"source": "the Hungarian statistics office", "affiliation": "HU"}),
    ("The men conspired, according to a federal indictment filed by the Department of Justice.", "according to",
     {"source_type": "document", "affiliation": "US", "source": Has("filed by the Department of Justice"),
      "source_canonical": "Department of Justice indictment"}),
    ("The statement said that prices would rise. The IMF said in a statement that prices would rise. "
     "Poor countries are most at risk, the statement said.", "said", {}),
    # the source span stops at a quotation mark the tokenizer left attached
    ("\u201cThis is a dangerous device,\u201dPolyansky said.", "said", {"source": "Polyansky"}),
    # anonymous and vague sourcing
    (HEARSAY, "reportedly", {"source_type": "vague", "source_start": Missing()}),
    (HEARSAY, "spread", {"source_type": "vague", "source": "Rumours"}),
    (HEARSAY, "said", {"source_type": "anonymous", "named": Is(False)}),
    (HEARSAY, "according to", {"source_type": "vague"}),
    (HEARSAY, "say", {"source_type": "vague"}),
    ("The general is said to have fled to Minsk.", "said", {"source_type": "vague", "source_start": Missing()}),
    ("It is understood that the talks collapsed.", "understood", {"source_type": "vague"}),
    ("Sources said the talks had failed.", "said", {"source_type": "anonymous"}),
])
def test_sides_types_and_resolution(text, cue, expected):
    rows = rows_for(text)
    hits = [r for r in rows if r["cue_text"].lower() == cue.lower()]
    assert hits, [(r["cue_text"], r["source_text"]) for r in rows]
    r = hits[-1]
    view = {**r, "source": span(text, r, "source") if r["source_start"] is not None else None}
    assert {k: view[k] for k in expected} == expected
    assert r["affiliation"] in affiliation.codes() | {"unknown"}


def test_first_name_after_full_name_and_statement_issuer():
    text = "Sir Patrick Sanders said the army must prepare.\n\n\u201cWe must be ready,\u201d Sir Patrick said."
    assert {r["source_canonical"] for r in rows_for(text)} == {"Patrick Sanders"}
    text = "The IMF said in a joint statement that prices would rise. Poor countries are most at risk, the statement said."
    said = [r for r in rows_for(text) if r["cue_text"] == "said"]
    assert said[-1]["source_canonical"] == said[0]["source_canonical"]
    assert said[-1]["affiliation"] == "INT"


@pytest.mark.parametrize("published, expected", [
    ("2022-10-25", "Sergei Shoigu"),
    ("2024-09-01", "Andrei Belousov"),
    # without a date there is no knowing which holder the article means
    (None, "Russia's defence minister"),
])
def test_description_resolves_to_its_holder_on_the_article_date(published, expected):
    doc = nlp.parse_text("Russia's defence minister said a dirty bomb could be detonated in Ukraine.")
    ctx = DocContext(article_id="t", doc=doc, article={"published": published}, settings={"learned_cues": True})
    row = sourcing.from_doc(ctx)["attributions"][0]
    assert row["source_canonical"] == expected
    assert row["affiliation"] == "RU" and row["source_type"] == "official"


@pytest.mark.parametrize("value, code, bloc", [
    ("PL", "PL", "West"), ("international", "INT", "international"), ("UK", "GB", "West"),
    ("BY", "BY", "Russia"), ("XX", "unknown", "unknown"), (None, "unknown", "unknown"),
])
def test_side_codes_and_blocs(value, code, bloc):
    assert affiliation.column_value(value) == code
    assert affiliation.bloc(value) == bloc


@pytest.mark.parametrize("text, expected", [
    ("KYIV, Ukraine (AP) \u2014 The government said", "UA"),
    ("MOSCOW\u2014Russia said", "RU"),
    ("SEVASTOPOL (Reuters) - The governor said", "RU"),  # held by Russia since 2014
    ("LONDON, Jan 5 (Reuters) - The minister said", "GB"),
    ("The government said", None),
    ("NATO allies met in Brussels.", None),
])
def test_dateline_side(text, expected):
    assert affiliation.dateline_side(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Nigerian scholars left for Russia. The Nigerian government paid. Nigeria's minister spoke. "
     "The Nigerian embassy helped the Nigerian students.", "NG"),
    # two sides named alike: no setting
    ("Russian troops shelled Kharkiv. Ukrainian forces struck Russian positions near Kupiansk. "
     "Kyiv said Ukrainian units held. Moscow said Russian units advanced.", None),
    ("", None),
])
def test_article_setting(text, expected):
    assert affiliation.setting(text) == expected


def test_national_side_order():
    qualified = [(0, "RU", "official"), (10, "RU", "military"), (20, "UA", "official")]
    # the sentence first, then the dateline, then the article's official sources
    assert affiliation.national_side(40, (0, "In Sri Lanka, where the government said"), qualified, "UA") == ("LK", "sentence")
    assert affiliation.national_side(40, (30, "The government said"), qualified, "UA") == ("UA", "dateline")
    assert affiliation.national_side(40, (30, "The government said"), qualified, None) == ("RU", "article")
    assert affiliation.national_side(40, (30, "The government said"), qualified[1:], None) == (None, "")


# --------------------------------------------------------------------------- seed gold


def test_seed_required_attributions():
    from presslens.evaluate.sourcing import score_seed

    if not config.SEED_GOLD.exists():
        pytest.skip("seed gold not available")
    result = score_seed()
    missing = {k: v for k, v in result["items"].items() if v == "missing"}
    assert not missing
    assert result["found"] == result["required"] == 8
    wrong = {k: v for k, v in result["items"].items()
             if not (v["canonical"] and v["source_type"] and v["affiliation"])}
    assert not wrong
    assert result["false_positives"] <= 1


def test_extract_attributions_frame(seed_articles):
    df = sourcing.extract_attributions(seed_articles)
    schema.validate(df, "attributions")
    assert list(df.columns[:len(schema.ATTRIBUTIONS)]) == list(schema.ATTRIBUTIONS)
    assert df["source_type"].isin(schema.SOURCE_TYPES).all()
    assert df["affiliation"].isin(affiliation.codes() | {"unknown"}).all()
    assert df["bloc"].isin(schema.BLOCS).all()
    assert df["quote_type"].isin(schema.QUOTE_TYPES).all()
    text = seed_articles["text"].iloc[0]
    for r in df.itertuples():
        assert text[r.cue_start:r.cue_end] == r.cue_text
        if pd.notna(r.source_start):
            assert text[r.source_start:r.source_end] == r.source_text
        if pd.notna(r.content_start):
            assert text[r.content_start:r.content_end] == r.content_text
    assert df["attribution_id"].is_unique


# --------------------------------------------------------------------------- profile


def test_source_profile_columns_and_values(seed_articles):
    att = sourcing.extract_attributions(seed_articles)
    profile = sourcing.source_profile(att, articles=seed_articles)
    assert len(profile) == 1
    row = profile.iloc[0]
    for col in ("n_attributions", "n_sources", "share_anonymous", "share_vague",
                "share_unattributed_factual", "source_entropy", "simpson_diversity",
                "n_official", "n_military", "aff_RU"):
        assert col in profile.columns
    assert row["n_attributions"] == len(att)
    assert row["n_sources"] == att.loc[att["source_type"] != "vague", "source_canonical"].nunique()
    assert 0 < row["share_anonymous"] < 1
    assert row["n_factual_sentences"] > 0
    assert 0 <= row["share_unattributed_factual"] <= 1
    assert row["source_entropy"] > 1


def test_source_profile_by_outlet_and_empty():
    att = pd.DataFrame([
        {"article_id": "a", "source_canonical": "X", "source_type": "official", "affiliation": "RU",
         "named": True, "quote_type": "direct", "sentence_index": 0, "content_start": 0, "content_end": 5},
        {"article_id": "b", "source_canonical": "Y", "source_type": "anonymous", "affiliation": "unknown",
         "named": False, "quote_type": "indirect", "sentence_index": 0, "content_start": 0, "content_end": 5},
    ])
    articles = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["o1", "o1"]})
    prof = sourcing.source_profile(att, articles=articles, by="outlet")
    assert prof["outlet"].tolist() == ["o1"]
    assert prof["n_sources"].iloc[0] == 2
    assert prof["share_anonymous"].iloc[0] == 0.5
    assert prof["source_entropy"].iloc[0] == pytest.approx(1.0)
    empty = sourcing.source_profile(schema.empty(schema.ATTRIBUTIONS))
    assert len(empty) == 0


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("text", [
    "He said “this quote never ends and goes on\n\nand on. She said that was fine.",
    "“”“ ‘ ’ \" '' said said according to.",
])
def test_odd_text_never_raises(text):
    rows = rows_for(text)
    assert all(text[r["cue_start"]:r["cue_end"]] == r["cue_text"] for r in rows)


def test_bad_input_never_raises():
    assert rows_for("") == []
    with pytest.warns(UserWarning, match="empty text"):
        assert sourcing.extract_attributions(pd.DataFrame({"article_id": ["e"], "text": [""]})).empty
    with pytest.warns(UserWarning, match="language 'de'"):
        sourcing.extract_attributions(pd.DataFrame({
            "article_id": ["de1"], "language": ["de"],
            "text": ["Der Minister sagte, dass die Truppen abgezogen werden."]}))
    german = ("Der Verteidigungsminister sagte am Montag, dass die Truppen aus der Region abgezogen "
              "werden sollen. Nach Angaben des Ministeriums wurden drei Dörfer zurückerobert, "
              "während die Kämpfe im Osten des Landes weitergehen und viele Menschen fliehen.")
    with pytest.warns(UserWarning, match="not meaningful"):
        sourcing.extract_attributions(pd.DataFrame({"article_id": ["de"], "text": [german]}))
    assert sourcing.extract_attributions(pd.DataFrame(columns=["article_id", "text"])).empty


def test_long_article_and_unbalanced_quotes_bounded():
    paragraph = "The governor said that “the convoy was hit near the river. " + "Officials confirmed the strike. " * 20
    text = "\n\n".join([paragraph] * 120)
    quotes = sourcing.find_quotes(text)
    # an unclosed quotation ends with its paragraph
    assert all("\n\n" not in text[s:e] for s, e in quotes)
    # A 200,000-character parsed article, built from copies of one parsed paragraph (parsing
    # it whole would only test spaCy's speed).
    from spacy.tokens import Doc

    piece = nlp.parse_text(paragraph + "\n\n")
    doc = Doc.from_docs([piece] * (200_000 // len(piece.text) + 1))
    assert len(doc.text) >= 200_000
    rows = sourcing.from_doc(DocContext.of("long", doc, "sourcing"))["attributions"]
    assert len(rows) > 100
    long_text = doc.text  # Doc.text joins every token: read it once
    assert all(long_text[r["cue_start"]:r["cue_end"]] == r["cue_text"] for r in rows)


# --------------------------------------------------------------------------- scorer


def test_polnear_scorer_on_five_articles(datasets_dir):
    from presslens.evaluate import sourcing as ev

    if not (datasets_dir / "polnear" / "train").exists():
        pytest.skip("PolNeAR not present")
    names = ev.dev_names(datasets_dir)[:5]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ev.score_polnear(datasets_dir, names)
    assert result["articles"] == 5
    assert result["gold_relations"] > 0
    assert 0.3 < result["relation"]["f1"] <= 1
    assert result["cue"]["f1"] >= result["relation"]["f1"]


def test_realnews_scorer_skips_without_gold(tmp_path):
    from presslens.evaluate import realnews

    assert "skipped" in realnews.run(tmp_path, gold_dir=tmp_path / "nowhere")
    (tmp_path / "dev.json").write_text('{"articles": [{"file": "missing.txt", "article_id": "x"}]}')
    assert "skipped" in realnews.run(tmp_path / "no-datasets", gold_dir=tmp_path)


@pytest.mark.slow
@pytest.mark.datasets
def test_realnews_scorer_on_the_dev_gold(datasets_dir):
    from presslens.evaluate import realnews

    gold = realnews.gold_files()
    if not gold or not realnews.TOOL.exists():
        pytest.skip("real-news gold or its scorer not present")
    result = realnews.run(datasets_dir)
    if "skipped" in result:
        pytest.skip(result["skipped"])
    assert result["articles"] >= 18
    assert 0 < result["attribution_f1"] <= 1
    assert result["side_right_where_known"] >= 0.8


def test_split_is_fixed_and_about_seventy_thirty():
    from presslens.evaluate import sourcing as ev

    names = [f"article_{i}" for i in range(2000)]
    splits = [ev.split_of(n) for n in names]
    assert splits == [ev.split_of(n) for n in names]
    assert set(splits) == {"train", "heldout"}
    assert 0.65 < splits.count("train") / len(splits) < 0.75


# --------------------------------------------------------------------------- learned cue detector


def test_cue_model_loads_and_knows_the_features():
    model = sourcing.cue_model()
    assert model is not None, "resources/sourcing_cue_model.json is shipped"
    assert 0 < model.threshold < 1 and model.threshold <= CUE_SURE
    doc = nlp.parse_text("The senator criticized the plan, and the governor praised it on Tuesday.")
    feats = dict(sourcing.cue_features(doc))
    assert feats, "verbs are candidates"
    known = sum(f in model.weights_ for fs in feats.values() for f in fs)
    assert known / sum(len(fs) for fs in feats.values()) > 0.5
    # the estimator's probabilities are the per-token scores the extraction uses
    lists = list(feats.values())
    assert model.predict_proba(lists)[:, 1].tolist() == [model.probability(f) for f in lists]
    assert model.predict(lists).tolist() == [int(model.probability(f) >= model.threshold) for f in lists]


@pytest.mark.parametrize("convention, expected", [
    # PolNeAR's convention counts stances: the learned detector adds verbs missing from
    # cues.tsv, with their subject as the source
    ("broad", {"defended": "Senator Mary Jones", "attacked": "Her rival"}),
    (None, {"defended": "Senator Mary Jones", "attacked": "Her rival"}),
    # the news convention (the default) wants a communication or cognition act
    ("news", {}),
])
def test_learned_cues_add_verbs_missing_from_the_cue_list(convention, expected):
    text = "Senator Mary Jones defended her budget on Tuesday. Her rival attacked it on the radio."
    doc = nlp.parse_text(text)
    plain = sourcing.from_doc(DocContext.of("t", doc, "sourcing", learned_cues=False,
                                            cue_convention=convention))["attributions"]
    assert plain == []
    rows = sourcing.from_doc(DocContext.of("t", doc, "sourcing", cue_convention=convention))["attributions"]
    assert {r["cue_text"]: r["source_text"] for r in rows} == expected
    assert all(r["cue_kind"] == "learned" for r in rows)


# Ordinary verbs are no speech under the default convention (invented sentences): the
# sentence keeps no attribution on them, and what their subjects name stays available to
# later pronouns.
NOT_SPEECH = [
    ("Russian troops attacked the village at dawn.", "attacked"),
    ("The minister refuses to resign.", "refuses"),
    ("The video shows a tank firing on a house.", "shows"),
    ("Kyiv sought more air defence systems.", "sought"),
    ("The general presented a medal to the pilots.", "presented"),
    ("The convoy was seen near the border.", "seen"),
]


@pytest.mark.parametrize("text, verb", NOT_SPEECH)
def test_ordinary_verbs_are_no_cues(text, verb):
    assert verb not in [r["cue_text"] for r in rows_for(text)]


@pytest.mark.parametrize("text, cue", [
    ("The video shows that the strike hit a school.", "shows"),
    ("Officials believe the dam was blown up from inside.", "believe"),
    ("The poll shows strong support for the president.", "shows"),
    # talking about something, describing it, and beliefs nobody is named for are sourcing
    ("The coach spoke about the war in his home town.", "spoke"),
    ("The general described plans for a spring offensive.", "described"),
    ("The depot was hit by what is thought to be a drone.", "thought"),
])
def test_evidence_and_cognition_stay_cues(text, cue):
    assert cue in [r["cue_text"] for r in rows_for(text)]


# Classes of real-news attributions the rules missed (issue 13), as invented sentences: each
# with the cue that must be found and its source (None: no source, vague sourcing), or the cue
# that must not be found.
NARRATED = ("“When I woke up my wife was crying. I said ‘What happened?’ And she said, ‘The war "
            "has started.’ I could not believe it,” the striker told the show.")
PHRASE_ATTRIBUTIONS = [
    # speech narrated inside a quotation: a nested quotation or a named speaker with a clause
    (NARRATED, "said", 0, "I"),
    (NARRATED, "said", 1, "she"),
    ("“It was the first time a commander said the front had stalled,” the analyst said.", "said", 0,
     "a commander"),
    # a participle governed by "X is among those"
    ("Germany is among those calling for more air defence.", "calling", 0, "Germany"),
    ("The minister is among the officials urging new sanctions.", "urging", 0, "The minister"),
    # a second verb the parser joined to the quoted one
    ("The patriarch said there “was no justification for a strike on civilians” and expressed outrage "
     "that it happened on a holiday.", "expressed", 0, "The patriarch"),
    # praise and appeals in words
    ("The ambassador commended the government's efforts to evacuate students.", "commended", 0, "The ambassador"),
    ("He issued the statement while appealing for more aid from Washington.", "appealing", 0, "He"),
    ("The governor put the death toll at twelve.", "put", 0, "The governor"),
    # a participle after a comma belongs to the main clause, not to a relative clause before it
    ("The ambassador warned the students against trips that could endanger them, recalling an incident "
     "at a lake last year.", "recalling", 0, "The ambassador"),
    # unowned estimates are vague sourcing
    ("An estimate of 150,000 troops have massed at the border.", "estimate", 0, None),
    ("The plan would cost an estimated $40 billion over ten years.", "estimated", 0, None),
    ("Donors worry about the projected bill of $2 billion.", "projected", 0, None),
    # participles with a content or a source of their own stay beside the cue they follow
    ("The agency reported the move, citing two unnamed officials.", "citing", 0, "two unnamed officials"),
    ("Western media reported the strike, citing satellite images.", "citing", 0, "Western media"),
    ("The adviser resigned, accusing the president's office of overreach.", "accusing", 0, "The adviser"),
    # people in the plural speak even without a role word
    ("The men were held in a camp that former prisoners have described as one of the worst.", "described", 0,
     "former prisoners"),
    # a belief nobody holds stays vague sourcing inside another report
    ("A former diplomat claimed that it is believed the president would sacrifice whole divisions.",
     "believed", 0, None),
]
NOT_ATTRIBUTIONS = [
    # the quoted speaker's own asides
    ("“As I said, we will win. I think the front will hold,” the president said.", "said", 0),
    ("“As I said, we will win. I think the front will hold,” the president said.", "think", 0),
    # things do not state what they bring about
    ("The agency reported that the leak confirmed the officer's identity.", "confirmed", 0),
    # a participle framing the same speech act, with nothing of its own
    ("Referring to the colonel in a message, the group said he had been careless.", "Referring", 0),
    ("The war must end, said the prime minister, reiterating his position in an interview.", "reiterating", 0),
    # estimates someone owns, and projections that are no figures
    ("His estimated fortune is large.", "estimated", 0),
    ("The projected route avoids the city.", "projected", 0),
    # names, risks and acts
    ("The hackers, who call themselves Cyber Army, broke into the server.", "call", 0),
    ("The strikes put thousands of civilians at risk.", "put", 0),
    ("Poland recalled its ambassador from Minsk.", "recalled", 0),
]


def _nth(rows: list[dict], text: str, cue: str, n: int) -> list[dict]:
    start = -1
    for _ in range(n + 1):
        start = text.index(cue, start + 1)
    return [r for r in rows if r["cue_start"] == start]


@pytest.mark.parametrize("text, cue, n, source", PHRASE_ATTRIBUTIONS)
def test_phrase_and_narrated_attributions_are_found(text, cue, n, source):
    hits = _nth(rows_for(text), text, cue, n)
    assert len(hits) == 1, [(r["cue_text"], r["source_text"]) for r in rows_for(text)]
    assert hits[0]["source_text"] == source
    if source is None:
        assert hits[0]["source_type"] == "vague"


@pytest.mark.parametrize("text, cue, n", NOT_ATTRIBUTIONS)
def test_look_alikes_are_no_attributions(text, cue, n):
    assert _nth(rows_for(text), text, cue, n) == []


def test_a_quoted_speaker_narrating_their_own_words_is_the_source():
    text = NARRATED.replace("the striker", "Oleksandr Petrenko")
    rows = rows_for(text)
    narrated = _nth(rows, text, "said", 0)[0]
    assert narrated["source_text"] == "I" and narrated["source_canonical"] == "Oleksandr Petrenko"


def test_adding_and_saying_keep_their_own_content():
    rows = rows_for("The ministry said two drones were downed, adding that nobody was hurt.")
    assert [r["cue_text"] for r in rows] == ["said", "adding"]


def test_news_only_cues_are_left_to_polnear_convention():
    # under PolNeAR's convention the rules neither read narrated speech nor unowned estimates
    for text, cue, n in ((NARRATED, "said", 0), ("The plan would cost an estimated $40 billion over ten years.",
                                                  "estimated", 0)):
        doc = nlp.parse_text(text)
        rows = sourcing.from_doc(DocContext.of("t", doc, "sourcing", learned_cues=False,
                                                cue_convention="broad"))["attributions"]
        assert _nth(rows, text, cue, n) == []


def test_learned_cues_need_a_speaker_unless_sure():
    # a weakly scored verb whose subject cannot speak is no cue
    text = "Families remain at the mercy of a war that shows no signs of abating."
    model = sourcing.cue_model()
    doc = nlp.parse_text(text)
    shows = next(t.i for t in doc if t.text == "shows")
    p = model.probability(dict(sourcing.cue_features(doc))[shows])
    rows = [r for r in rows_for(text) if r["cue_text"] == "shows"]
    if p < CUE_SURE:
        assert rows == []
    else:
        assert all(r["source_text"] for r in rows)


# Candidates of an invented training set: "say" with a person is a cue, "eat" and "run" are not.
TOY_FEATURES = ([["lemma=say", "subj=ent_PERSON"]] * 6 + [["lemma=say", "subj=other_NOUN"]] * 2
                + [["lemma=eat", "subj=ent_PERSON"]] * 6 + [["lemma=run", "subj=other_NOUN"]] * 6)
TOY_LABELS = np.array([1] * 8 + [0] * 12)


def test_cue_detector_fits_rounds_and_round_trips(tmp_path):
    from presslens.sourcing import CueDetector
    from sklearn.base import clone

    detector = CueDetector(C=1.0, min_count=3, min_weight=0.05, decimals=5, threshold=0.5)
    detector.fit(TOY_FEATURES, TOY_LABELS)
    assert detector.predict([["lemma=say", "subj=ent_PERSON"], ["lemma=eat"]]).tolist() == [1, 0]
    # the compact form is the full model's coefficients, rounded, without the small ones
    names = detector.pipeline_.named_steps["counts"].get_feature_names_out()
    coef = detector.pipeline_.named_steps["logistic"].coef_[0]
    assert detector.weights_ == {str(f): round(float(w), 5) for f, w in zip(names, coef) if abs(w) >= 0.05}
    # a feature seen fewer than min_count times is no column of the full model
    assert "lemma=fly" not in CueDetector(min_count=3).fit(TOY_FEATURES + [["lemma=fly"]] * 2,
                                                           np.r_[TOY_LABELS, 0, 0]).weights_
    path = tmp_path / "cues.json"
    detector.save(path, meta={"training_data": "toy"})
    back = CueDetector.load(path)
    assert back.get_params() == detector.get_params()
    assert back.weights_ == detector.weights_ and back.intercept_ == detector.intercept_
    assert back.meta_ == {"training_data": "toy"}
    assert back.predict_proba(TOY_FEATURES).tolist() == detector.predict_proba(TOY_FEATURES).tolist()
    assert clone(detector).get_params() == detector.get_params()


@pytest.mark.parametrize("prob, labels, rule, veto, expected", [
    # the model alone: the cut between its lowest cue and its highest non-cue
    ([0.9, 0.41, 0.39, 0.1], [1, 1, 0, 0], [0, 0, 0, 0], 0.0, 0.4),
    # the rules find the cue the detector scores 0.25: the cut need not reach down to it
    ([0.9, 0.25, 0.59, 0.61], [1, 1, 0, 1], [0, 1, 0, 0], 0.0, 0.6),
    # a veto drops a rule cue the detector scores below it
    ([0.9, 0.01, 0.41, 0.39], [1, 0, 1, 0], [0, 1, 0, 0], 0.02, 0.4),
    # equally good cuts: the one nearest 0.5 (learn.best_cut's tie rule)
    ([0.9, 0.1], [1, 0], [0, 0], 0.0, 0.5),
])
def test_select_threshold(prob, labels, rule, veto, expected):
    from presslens.sourcing.train import select_threshold

    cut, scores = select_threshold(np.array(prob), np.array(labels), np.array(rule),
                                   np.arange(0.2, 0.91, 0.025), veto)
    assert cut == expected
    assert scores["f1"] == 1.0


def test_training_set_labels_the_head_of_a_gold_cue():
    from presslens.sourcing.train import training_set

    text = "Senator Mary Jones defended her budget on Tuesday."
    doc = nlp.parse_text(text)
    start = text.index("defended")
    data = training_set([("toy", doc, [{"cue": [(start, start + len("defended"))]}])])
    positives = [f for f, y in zip(data.features, data.labels) if y]
    assert positives == [next(f for i, f in sourcing.cue_features(doc) if doc[i].text == "defended")]
    assert data.rule.sum() == 0 and set(data.groups) == {0} and data.unreachable == 0
