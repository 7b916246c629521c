"""Tests of presslens.sourcing: quotations and each attribution form on small texts written
here, in-article coreference, the seed article's analyst gold, the profile, bad input, the
and the PolNeAR and real-news scorers; the learned cue detector and the speech-cue tables are in
test_sourcing_cues.py."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from presslens import config, nlp, schema, sourcing
from presslens.components import DocContext
from presslens.sourcing import affiliation
from sourcing_rows import only, rows_for


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
