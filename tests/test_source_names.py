"""Tests of who a source is after resolution (presslens.sourcing.resolve, .names) and which
source a claim is attributed to (presslens.claims.extract): the names an article gives its
sources (defined acronyms, "who call themselves X"), descriptions and pronouns that refer back,
and the claims of a paragraph led by "according to". Invented sentences, positives and near
misses."""

from __future__ import annotations

import pytest
from presslens import claims, nlp, sourcing
from presslens.components import DocContext
from presslens.sourcing import names
from sourcing_rows import rows_for


def canonical(text: str, cue: str, nth: int = -1) -> str | None:
    hits = [r for r in rows_for(text) if r["cue_text"].lower() == cue.lower()]
    assert hits, [(r["cue_text"], r["source_text"]) for r in rows_for(text)]
    return hits[nth]["source_canonical"]


def claim_sources(text: str) -> dict[str, object]:
    """The claims of a text, keyed by their first words, to the source they are attributed to."""
    doc = nlp.parse_text(text)
    atts = sourcing.from_doc(DocContext.of("a", doc, "sourcing"))["attributions"]
    rows = claims.from_doc(DocContext.of("a", doc, "claims", tables={"attributions": atts}, min_score=0.0))["claims"]
    return {" ".join(r["text"].split()[:3]): r["attributed_to"] for r in rows}


@pytest.mark.parametrize("text, expected", [
    ("the Swedish Energy Agency (SEA) said prices rose", {"SEA": "Swedish Energy Agency"}),
    # a short prefix belongs to the name, an article or a possessive does not
    ("the U.S. Grain Inspection Office (GIO) said", {"GIO": "U.S. Grain Inspection Office"}),
    ("Norway's Directorate of Fisheries (DoF) said", {"DoF": "Directorate of Fisheries"}),
    ("officials of the Northern Fleet Command (NFC) said", {"NFC": "Northern Fleet Command"}),
    # the reverse order
    ("KSI (Kaunas Security Institute) said the border was calm", {"KSI": "Kaunas Security Institute"}),
    # near misses: brackets that define no acronym
    ("prices in euros (EUR) rose", {}),
    ("the talks in Geneva (Switzerland) failed", {}),
    ("the Ministry of Health (MH17) said", {}),
])
def test_acronyms_an_article_defines(text, expected):
    assert names.acronyms(text) == expected


@pytest.mark.parametrize("text, end_after, expected", [
    ("The hackers, who call themselves Night Owls, claimed it.", "The hackers", "Night Owls"),
    ("The hackers, who call themselves \u201cNight Owls\u201d, claimed it.", "The hackers", "Night Owls"),
    ("A group known as Iron Falcons said so.", "A group", "Iron Falcons"),
    ("A militia calling itself the Free Legion of Kursk said so.", "A militia", "Free Legion of Kursk"),
    ("A man named Ivan Sorokin said so.", "A man", "Ivan Sorokin"),
    # near misses: a relative clause that names nothing, a lower-case description
    ("The hackers, who were caught, said so.", "The hackers", None),
    ("A group known as a front for the army said so.", "A group", None),
])
def test_name_a_source_goes_by(text, end_after, expected):
    assert names.self_name(text, len(end_after)) == expected


SELF_NAMED = ("Ukrainian hackers claim they broke into the ministry's servers.\n\n"
              "The hackers, who call themselves Night Owls, claimed they had read the minister's mail.\n\n"
              "Later the group said it had leaked the files.")
ACRONYM = ("Exports rose by 12 percent, the Swedish Energy Agency (SEA) said in a report.\n\n"
           "Imports fell by 3 percent, the SEA said.")
FORMER = ("Senator Jane Hollis said the aid bill was urgent.\n\n"
          "\u201cWe will not back down,\u201d the former attorney general of Ohio said.\n\n"
          "On Tuesday she called on her colleagues to pass the bill.")


@pytest.mark.parametrize("text, cue, nth, expected", [
    # the name a source goes by names the whole chain, the earlier mention too
    (SELF_NAMED, "claim", 0, "Night Owls"),
    (SELF_NAMED, "claimed", 0, "Night Owls"),
    (SELF_NAMED, "said", -1, "Night Owls"),
    ("A group known as Iron Falcons said it had downed a drone.", "said", -1, "Iron Falcons"),
    # near misses: a clause that names nothing; the source's own verb
    ("The hackers, who were arrested on Monday, said they had acted alone.", "said", -1, "hackers"),
    ("Activist Anna Reed called the ministry's claims lies, the agency reported.", "reported", -1, "agency"),
    # an acronym the article defines is written out, and the definition leaves the name
    (ACRONYM, "said", 0, "Swedish Energy Agency"),
    (ACRONYM, "said", -1, "Swedish Energy Agency"),
    # a former office-holder's description, and a pronoun after it, stand for the named person
    (FORMER, "said", -1, "Jane Hollis"),
    (FORMER, "called", -1, "Jane Hollis"),
    # near misses: a current office is another person; a former office of another country too
    ("Ukrainian President Volodymyr Zelensky said the front held.\n\n"
     "The governor of Belgorod region said two people were hurt.", "said", -1, "governor of Belgorod region"),
    ("Polish President Andrzej Duda said aid would continue.\n\n"
     "The former prime minister of Britain said more was needed.", "said", -1, "former prime minister of Britain"),
    # a title refers back to the source of the paragraph, not to whom that source talks about
    ("Columnist Ivan Petrov finds it strange that General Mark Hale believes the war can stay small. "
     "The expert recalls that the Cold War never turned hot.", "recalls", -1, "Ivan Petrov"),
    ("General Mark Hale said the army must prepare. The expert added that the war could spread.",
     "added", -1, "Mark Hale"),
    # a bare demonym ("the Briton") is the last named person of that country
    ("Colonel Richard Kemp, a retired British Army officer, said the offensive humiliated Putin. "
     "Ukrainian President Volodymyr Zelensky said the operation was going well. The Briton believes "
     "the allies were cowards.", "believes", -1, "Richard Kemp"),
    # near miss: no named person of that country before it
    ("Ukrainian President Volodymyr Zelensky said the operation was going well. The Briton believes "
     "the allies were cowards.", "believes", -1, "Briton"),
    # a pronoun never stands for a place or a unit the model took for a name
    ("New plants were built in Corpus Christi and Sabine Pass in Texas.\n\n"
     "\u201cSupply rose by 75 percent,\u201d she said.", "said", -1, "she"),
    ("Gas averaged $30.94 per million British thermal units (MMBtu) in June.\n\n"
     "\u201cSupply rose by 75 percent,\u201d she said.", "said", -1, "she"),
    ("Maria Lenz toured the new plant in Texas on Monday.\n\n"
     "\u201cSupply rose by 75 percent,\u201d she said.", "said", -1, "Maria Lenz"),
    ("Ursula von der Leyen toured the new plant in Texas on Monday.\n\n"
     "\u201cSupply rose by 75 percent,\u201d she said.", "said", -1, "Ursula von der Leyen"),
])
def test_a_chain_of_mentions_takes_its_most_informative_name(text, cue, nth, expected):
    assert canonical(text, cue, nth) == expected


def test_a_defined_acronym_stays_inside_the_source_span():
    row = [r for r in rows_for(ACRONYM) if r["cue_text"] == "said"][0]
    assert ACRONYM[row["source_start"]:row["source_end"]] == "the Swedish Energy Agency (SEA)"


@pytest.mark.parametrize("text, claim, expected", [
    # a resolved source before a bare "It" left unresolved
    ("It shows the pilot ejecting from the jet over Belgorod, according to a weapons tracking account on X.",
     "It shows the", "weapons tracking account on X"),
    # a sentence that carries on its paragraph's "according to" lead
    ("According to data published by the national statistics office on Friday, prices rose by 14 percent "
     "in 2022. Food prices also rose by 40 percent in December.", "Food prices also", "national statistics office"),
    # near misses: a new paragraph; a lead with its own verb; another source in between
    ("According to data published by the national statistics office on Friday, prices rose by 14 percent "
     "in 2022.\n\nFood prices also rose by 40 percent in December.", "Food prices also", None),
    ("The national statistics office said on Friday that prices rose by 14 percent in 2022. "
     "Food prices also rose by 40 percent in December.", "Food prices also", None),
    ("Farmers are angry. Ukraine exported 4 million tonnes of grain in April, according to Ukrainian "
     "data. Polish farmers have blocked roads in protest.", "Polish farmers have", None),
    # a quotation run on over paragraphs with no cue of its own: the speaker before the run
    ("Director Anna Weiss said the first students left in May. She also advised the students to avoid "
     "lakes.\n\n\u201cWe lost two students in a river accident in 2021 and we do not want to lose "
     "anyone again.\n\n\u201cWork hard and look after each other.", "\u201cWe lost two", "Anna Weiss"),
    # near misses: prose after the speaker's paragraph; a run whose speaker is unnamed
    ("Director Anna Weiss said the first students left in May. She also advised the students to avoid "
     "lakes.\n\nTwo students drowned in a river accident in 2021.", "Two students drowned", None),
    ("Some parents said the first students left in May.\n\n\u201cTwo students drowned in a river "
     "accident in 2021.", "\u201cTwo students drowned", None),
])
def test_claim_takes_the_source_that_covers_it(text, claim, expected):
    got = claim_sources(text)
    assert claim in got, got
    assert got[claim] == expected


SETTING = ("Russian police shot a Russian man in Moscow. The Russian authorities blamed Russian mobilization. "
           "Russia's mayor spoke to Russian students.\n\n")


@pytest.mark.parametrize("text, expected", [
    # an outlet that says it is local is of the country the story is set in
    (SETTING + "According to local news, the school was closed for a week.", "RU"),
    (SETTING + "The local newspaper reported that the school was closed for a week.", "RU"),
    # near miss: an outlet with no such word may be foreign to the story
    (SETTING + "According to the news agency, the school was closed for a week.", "unknown"),
])
def test_local_sources_take_the_setting(text, expected):
    rows = rows_for(text)
    assert rows[-1]["cue_text"].lower() in ("according to", "reported")
    assert rows[-1]["affiliation"] == expected


@pytest.mark.parametrize("text, cue, expected", [
    # an agentless cue takes the "according to" of its own sentence
    ("It is said the two men conspired to hack the election, according to an indictment filed by the "
     "Department of Justice.", "said", {"source_canonical": "Department of Justice indictment", "affiliation": "US"}),
    ("The convoy was reportedly hit near the border, according to Ukrainian officials.", "reportedly",
     {"source_canonical": "Ukrainian officials", "affiliation": "UA"}),
    # near misses: an "according to" of another sentence; hearsay stays hearsay
    ("It is believed the general fled to Minsk. According to Ukrainian officials, the army advanced.",
     "believed", {"source_canonical": None, "source_type": "vague"}),
    ("The general is said to have fled, according to rumours.", "said",
     {"source_canonical": None, "source_type": "vague"}),
])
def test_agentless_cue_takes_the_according_to_of_its_sentence(text, cue, expected):
    r = [r for r in rows_for(text) if r["cue_text"].lower() == cue][-1]
    assert r["source_start"] is None
    assert {k: r[k] for k in expected} == expected


def test_a_source_covered_by_its_own_content_stays_an_antecedent():
    # the parse runs the content over the speaker's own name; she is still the next "she"
    text = ("A mobile clinic still visits once a week; its doctor, Iryna Lenko, said most patients now "
            "came with high blood pressure. \u201cThe body keeps count of the shelling,\u201d she said.")
    assert canonical(text, "said") == "Iryna Lenko"


@pytest.mark.parametrize("text, expected", [
    # a person speaking from a body takes the body's country (FORMAT: the country the source
    # belongs to), over a demonym before the name that may be their topic
    ("Ukrainian hacking expert Tom Berger, of the Swiss Federal Institute of Technology in Zurich, said "
     "the leak was credible.", "CH"),
    ("Ukrainian journalist Olena Kyrylenko of the BBC said the town was empty.", "GB"),
    ("Ivan Petrov, a columnist for Moskovsky Komsomolets, said the talks had failed.", "RU"),
    # near misses: the body inside the title, before the name; a place, not a body, after it
    ("British Minister of State for Europe Leo Docherty said aid would continue.", "GB"),
    ("Irina, a woman from Kursk, said her son had been beaten.", "RU"),
    ("Polish analyst Marek Nowak said the border held.", "PL"),
])
def test_a_person_takes_the_country_of_the_body_they_speak_from(text, expected):
    assert [r for r in rows_for(text) if r["cue_text"] == "said"][-1]["affiliation"] == expected


@pytest.mark.parametrize("text, cues", [
    # a source naming itself is no act of speech
    ("The hackers, who call themselves Night Owls, claimed they had hacked the ministry.", ["claimed"]),
    ("A militia calling itself the Free Legion said it had crossed the border.", ["said"]),
    # near miss: calling someone else something is
    ("The minister called the report a lie, the agency reported.", ["called", "reported"]),
])
def test_naming_oneself_is_no_cue(text, cues):
    assert [r["cue_text"] for r in rows_for(text)] == cues
