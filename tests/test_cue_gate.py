"""Tests of presslens.sourcing.gate: which candidate cue tokens are communication or cognition acts,
as tables of sentences written here (war-news style, none taken from an article), plus the
lexicon file's shape and the labelled war candidates' file."""

from __future__ import annotations

import csv

import pytest
from presslens import config, nlp
from presslens.sourcing import gate as cue_gate


def verdict(text: str, cue: str, occurrence: int = 0) -> tuple[bool, str]:
    doc = nlp.parse_text(text)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(cue, start + 1)
    tok = next(t for t in doc if t.idx == start)
    return cue_gate.cue_verdict(tok, doc)


# Speech, statement, cognition and evidence cues: the gate must let them through.
SPEECH_CUES = [
    ("The ministry said the strike hit a school.", "said"),
    ("The offensive is widely seen as a failure.", "seen"),
    ("It is said that the general fled to Minsk.", "said"),
    ("The general is said to have fled to Minsk.", "said"),
    ("The ceasefire was announced by the ministry on Monday.", "announced"),
    ("The shelling continued overnight, according to officials.", "according"),
    ("“We will not retreat,” he told reporters.", "told"),
    ("The report showed that civilian deaths had doubled.", "showed"),
    ("Kyiv claimed the drone was shot down over the Black Sea.", "claimed"),
    ("She denied any involvement in the attack.", "denied"),
    ("Officials estimated that 300 soldiers were killed.", "estimated"),
    ("The governor wrote on Telegram: “Two people were killed in the strike.”", "wrote"),
    ("“We will fight to the end,” the minister responded.", "responded"),
    ("“The situation is difficult,” he said, and continued: “We need more shells.”", "continued"),
    ("The statement read: “Russia bears full responsibility.”", "read"),
    ("The mayor described the attack as an act of terror.", "described"),
    ("Ukraine's president slammed the decision as a betrayal.", "slammed"),
    ("EU leaders called for an immediate ceasefire.", "called"),
    ("The mayor urged residents to stay in shelters.", "urged"),
    ("The president vowed to rebuild the city.", "vowed"),
    ("Russia accused Ukraine of shelling the plant.", "accused"),
    ("The minister issued a statement on Friday.", "issued"),
    ("The war is widely seen as a test for NATO.", "seen"),
    ("He is said to be hiding in Minsk.", "said"),
    ("The government is widely believed to be preparing a new offensive.", "believed"),
    ("Analysts fear the war could spread to Moldova.", "fear"),
    ("The minister hopes that the talks will succeed.", "hopes"),
    ("Analysts expect that prices will rise.", "expect"),
    ("The report found that the strike violated international law.", "found"),
    ("Data shows that exports fell by a third.", "shows"),
    ("The latest poll shows strong support for sanctions.", "shows"),
    ("Figures from the UN show that 8 million people have fled.", "show"),
    ("Zelensky: “We will not give up our land.”", ":"),
    ("Russian troops have reportedly withdrawn from the village.", "reportedly"),
    ("Western officials are concerned that the front could collapse.", "concerned"),
    ("There were claims that the commander had been killed.", "claims"),
    ("As the agency reported, the convoy reached the city on Monday.", "reported"),
    # a comment clause keeps its time, place and channel ("on Tuesday", "in their bulletin"),
    # and a participle with a subject of its own is a past tense, not a passive
    ("The city was left without power, as the mayor confirmed on Tuesday.", "confirmed"),
    ("Both sides traded fire, as the monitors reported in their daily bulletin.", "reported"),
]

# Speech acts whose complement is a phrase, not a clause (issue 13, real-news recall): talk
# about something with adverbials in between, a warning issued, a directive to someone, a
# figure put at a value, an episode recounted, a published picture, a raising passive inside
# a relative clause, a stance adjective with a clause.
PHRASE_CUES = [
    ("The coach has spoken passionately in the past about the war.", "spoken"),
    ("The bishop spoke in Kyiv about the victims.", "spoke"),
    ("The agencies issued a warning on Wednesday about food shortages.", "issued"),
    ("The envoy delivered an ultimatum to the garrison.", "delivered"),
    ("The minister charged the graduates to respect the laws of their host country.", "charged"),
    ("The jet was downed by what is believed to have been Ukrainian fire.", "believed"),
    ("The governor put the death toll at twelve.", "put"),
    ("Officials placed the number of dead at forty.", "placed"),
    ("She recalled an incident at the border crossing.", "recalled"),
    ("Footage on Russian state television showed crowds fleeing the beach.", "showed"),
    ("A video released by the army showed soldiers crossing the river.", "showed"),
    ("The analyst is surprised that Berlin agreed so quickly.", "surprised"),
    ("The president emphasized the need for more air defence.", "emphasized"),
]

# Their look-alikes: the same verbs as acts, prices, risks, scenes and names.
PHRASE_NON_CUES = [
    ("The strikes put thousands of civilians at risk.", "put"),
    ("The museum charged ten dollars to enter.", "charged"),
    ("Poland recalled its ambassador from Minsk.", "recalled"),
    ("Footage from the village showed tanks burning.", "showed"),
    ("It shows the pilot release his parachute over the sea.", "shows"),
    ("The hackers, who call themselves Cyber Army, broke into the server.", "call"),
    ("It was promised them and he delivered.", "promised"),
    ("He spoke at a meeting in Kyiv.", "spoke"),
    ("The court issued a ruling on Friday.", "issued"),
    # a quotation that closed the paragraph before is no quotation of the next one's verb
    ("“The front is holding,” he said.\n\nDiscussing his family, the striker fell silent.", "Discussing"),
]

# Ordinary verbs of war reporting and other look-alikes: the gate must reject them.
NON_CUES = [
    # "as" opening a clause of its own after a place phrase is no "seen as"; "continue" is a
    # cue only next to a quotation, never a parenthetical "as the war continues"
    ("Fierce fighting can be seen in the video as the tank fires.", "seen"),
    ("Prices keep rising as the war in Ukraine continues.", "continues"),
    # a passive speech verb with neither a speaker nor what was said reports nothing
    ("They promised it and he delivered. What more needs to be said.", "said"),
    ("Troops attacked the mall on Tuesday.", "attacked"),
    ("Ukraine refuses to surrender the city.", "refuses"),
    ("The blast could be seen miles away.", "seen"),
    ("The video shows a tank firing at a house.", "shows"),
    ("Putin's forces like to spread chaos.", "like"),
    ("Russia presented no evidence for the claim.", "presented"),
    ("The agreement sought to end the fighting.", "sought"),
    ("The EU implemented new sanctions on Monday.", "implemented"),
    ("Kyiv wants the West to send more tanks.", "wants"),
    ("The minister hopes to visit Kyiv next week.", "hopes"),
    ("The plant is expected to reopen next week.", "expected"),
    ("The court issued an arrest warrant for the commander.", "issued"),
    ("Putin called Niinisto on Saturday.", "called"),
    ("Several tanks were blasted out of the sky.", "blasted"),
    ("The Russian army continued its advance near the river.", "continued"),
    ("Investigators found the bodies of 20 civilians.", "found"),
    ("Moscow: Russian forces shelled Kharkiv overnight.", ":"),
    ("Smoke can be seen rising from the building.", "seen"),
    ("Medics appeared to be waiting near the residence.", "appeared"),
    ("The army ordered the evacuation of two villages.", "ordered"),
    ("Lavrov went on to say that the talks had failed.", "went"),
    ("The court rejected his appeal on Tuesday.", "rejected"),
    ("It remains to be seen who ordered the attack.", "seen"),
    ("The White House backed the new aid package.", "backed"),
    # a passive verb of asking with no asker: its subject is the one asked, the content a question
    ("Michelle avoided any criticism of Beijing when asked if China had changed course.", "asked"),
    ("The spokesman was asked whether the talks would resume, but gave no answer.", "asked"),
    ("Asked about the strike, the general declined to comment.", "Asked"),
    # an agentless "as" comment reports nothing of anyone's
    ("The troops withdrew, as reported.", "reported"),
]

# ... but someone who asks, or is named as asking, reports a question of their own.
ASKING_CUES = [
    ("The senator asked whether the money had reached Kyiv.", "asked"),
    ("Reporters asked the minister why the convoy had stopped.", "asked"),
    ("He was asked by a journalist whether the offensive had stalled.", "asked"),
]


@pytest.mark.parametrize("text, cue", ASKING_CUES)
def test_someone_asking_passes(text, cue):
    ok, why = verdict(text, cue)
    assert ok, why


# "show" and its kin: a picture shows a scene (no attribution); a document or data shows a
# finding, and a picture counts only with an explicit that-clause (evidence someone draws).
SHOW_RULE = [
    ("The video shows a tank firing at a house.", "shows", False),
    ("The footage appears to show a missile hitting the bridge.", "show", False),
    ("The footage appears to show that the missile hit the bridge.", "show", True),
    ("Satellite images show that the bridge has collapsed.", "show", True),
    ("Satellite images show the collapsed bridge.", "show", False),
    ("The video, which shows a tank firing, was posted on Telegram.", "shows", False),
    ("Data shows that exports fell by a third.", "shows", True),
    ("The latest poll shows strong support for sanctions.", "shows", True),
    ("The minister showed the reporters a map of the front.", "showed", False),
]


@pytest.mark.parametrize("text, cue", SPEECH_CUES)
def test_speech_cues_pass(text, cue):
    ok, why = verdict(text, cue)
    assert ok, why


@pytest.mark.parametrize("text, cue", NON_CUES)
def test_non_cues_are_rejected(text, cue):
    ok, why = verdict(text, cue)
    assert not ok, why


@pytest.mark.parametrize("text, cue", PHRASE_CUES)
def test_speech_with_a_phrase_complement_passes(text, cue):
    ok, why = verdict(text, cue)
    assert ok, why


@pytest.mark.parametrize("text, cue", PHRASE_NON_CUES)
def test_phrase_look_alikes_are_rejected(text, cue):
    ok, why = verdict(text, cue)
    assert not ok, why


@pytest.mark.parametrize("text, cue, expected", SHOW_RULE)
def test_show_needs_a_finding_not_a_scene(text, cue, expected):
    ok, why = verdict(text, cue)
    assert ok is expected, why


def test_passes_matches_verdict():
    doc = nlp.parse_text("Troops attacked the mall, the governor said.")
    by_text = {t.text: t for t in doc}
    assert cue_gate.passes(by_text["said"]) is True
    assert cue_gate.passes(by_text["attacked"]) is False


# --------------------------------------------------------------------------- the resources


def _rows(name: str) -> tuple[str, list[dict]]:
    """The leading comment block (provenance) and the rows of a resource table."""
    with config.resource(name).open(encoding="utf-8") as fh:
        lines = fh.readlines()
    head = "".join(ln for ln in lines[:next(i for i, ln in enumerate(lines) if not ln.startswith("#"))])
    body = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    return head, list(csv.DictReader(body, delimiter="\t"))


def test_lexicon_has_provenance_and_known_needs():
    head, rows = _rows(cue_gate.LEXICON_NAME)
    assert "VerbNet" in head and "PolNeAR" in head
    keys = [(r["lemma"], r["pos"]) for r in rows]
    assert len(keys) == len(set(keys)), "a lemma is listed twice for one part of speech"
    for r in rows:
        needs = set(r["needs"].split("|")) - {"-"}
        assert needs <= cue_gate.NEEDS, r
        assert (r["class"] in ("never", "visual")) == (not needs), r
        assert "prep" not in needs or r["preps"] not in ("", "-"), r


def test_lexicon_never_list_holds_the_ordinary_verbs_of_war_reporting():
    lex = cue_gate.speech_lexicon()
    for lemma in ("want", "seek", "refuse", "like", "intend", "implement", "curtail", "order", "display"):
        assert lemma in lex.never
    for lemma in ("say", "tell", "claim", "deny", "estimate", "warn"):
        assert lex.entry(lemma, "VERB") is not None and lemma not in lex.never


def test_lexicon_rejects_unknown_needs(tmp_path, monkeypatch):
    bad = tmp_path / cue_gate.LEXICON_NAME
    bad.write_text("# test\nlemma\tpos\tclass\tneeds\tpreps\tsource\nsay\tVERB\tspeech\tmaybe\t-\tx\n",
                   encoding="utf-8")
    monkeypatch.setattr(config, "resource", lambda name: bad)
    cue_gate.speech_lexicon.cache_clear()
    try:
        with pytest.raises(ValueError, match="unknown needs"):
            cue_gate.speech_lexicon()
    finally:
        cue_gate.speech_lexicon.cache_clear()


def test_war_labels_file_is_complete():
    head, rows = _rows("war_cue_labels.tsv")
    assert head.startswith("# War-news cue candidates labelled by hand") and "Labelled on" in head
    assert len(rows) >= 300
    assert {r["label"] for r in rows} == {"cue", "not_cue"}
    assert {r["origin"] for r in rows} == {"rule", "learned"}
    for r in rows:
        assert int(r["cue_start"]) < int(r["cue_end"]) and r["reason"].strip(), r


# The broad (PolNeAR) convention also counts intentions, stances and impressions; the news
# convention (the default) does not. Ordinary actions fail under both.
CONVENTIONS = [
    ("Kyiv wants the West to send more tanks.", "wants", False, True),
    ("The senator supports the new aid package.", "supports", False, True),
    ("The offensive seems to have stalled.", "seems", False, True),
    ("The ministry said the strike hit a school.", "said", True, True),
    ("Troops stormed the village at dawn.", "stormed", False, False),
    # a question put to someone by nobody named: PolNeAR counts it, news does not
    ("The spokesman was asked whether the talks would resume.", "asked", False, True),
]


@pytest.mark.parametrize("text, cue, news, broad", CONVENTIONS)
def test_conventions(text, cue, news, broad):
    doc = nlp.parse_text(text)
    tok = next(t for t in doc if t.text == cue)
    assert cue_gate.passes(tok, doc) is news
    assert cue_gate.passes(tok, doc, "broad") is broad


def test_unknown_convention_is_an_error():
    doc = nlp.parse_text("He said so.")
    with pytest.raises(ValueError, match="convention"):
        cue_gate.cue_verdict(doc[1], doc, "lenient")
