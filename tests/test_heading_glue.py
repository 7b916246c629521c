"""presslens_heading_glue: a section heading a crawler glued to its paragraph is split in two
tokens with a sentence start, and names written with an inner capital are left whole. Every
sentence here is invented for these tests."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from presslens import config, heading_glue, nlp

# (text, the heading's last token, the joint token or "", the paragraph's first token)
GLUED = [
    ("Aid Convoys Reach the CityThe first trucks arrived in Kharkiv on Tuesday, officials said.",
     "City", "", "The"),
    ("BackgroundIn 2014, the peninsula was annexed after a disputed referendum.",
     "Background", "", "In"),
    ("What the Mayor SaidAccording to the mayor, the water supply will be restored by Friday.",
     "Said", "", "According"),
    ("A Long WinterMs. Petrenko said the village had been without heating for weeks.",
     "Winter", "", "Ms."),
    ("Reaction in BrusselsWhile the commission welcomed the deal, several ministers voiced doubts.",
     "Brussels", "", "While"),
    ("Rebuilding the PortOdesa harbour master Ivan Koval said the cranes would be repaired by spring.\n"
     "Odesa handled most of the grain exports last year.", "Port", "", "Odesa"),
    ("‘No Way Back’The minister told reporters that the talks had stalled.", "Back", "’", "The"),
    ("Is the Ceasefire Holding?Both sides reported shelling overnight, the monitors said.",
     "Holding", "?", "Both"),
    ("Officials met on Monday to discuss the plan.\n\nNext StepsThe council will vote on the plan next week.",
     "Steps", "", "The"),
    ('"Not Our War"The senator said voters were tired of the conflict.', "War", '"', "The"),
    ("Voices From the Front“We sleep in shifts,” a soldier told the paper.", "Front", "“", "We"),
    ("The Governor’s ViewFrom March to May, the region lost a third of its power plants.",
     "View", "", "From"),
]


@pytest.mark.parametrize("text,left,joint,first", GLUED)
def test_glued_heading_is_split_and_starts_a_sentence(text, left, joint, first):
    doc = nlp.parse_text(text)
    assert doc.text == text  # offsets stay valid
    words = [t.text for t in doc]
    k = words.index(left)
    assert words[k + 1:k + 3 if joint else k + 2] == ([joint, first] if joint else [first])
    opening = joint in heading_glue.OPENING_JOINTS or (joint == '"' and text.count('"') % 2 == 1)
    start = doc[k + 1] if (opening or not joint) else doc[k + 2]
    assert start.is_sent_start
    assert start.sent.start == start.i and doc[k].sent.end <= start.i
    # the paragraph's first sentence goes on past its first word
    assert start.sent.end > start.i + 2


# (text, the token that must stay whole)
KEPT_WHOLE = [
    # at the start of a line
    ("TikTok said on Monday it would appeal the ruling.", "TikTok"),
    ("LinkedIn said the outage lasted two hours.", "LinkedIn"),
    ("CheckIn said the app had gained a million users in a week.", "CheckIn"),
    ("SkyLink said on Friday that its satellites were working again.", "SkyLink"),
    ("YouTube removed the video after complaints, a spokesperson said.", "YouTube"),
    ("McDonald told reporters the restaurant would stay closed.", "McDonald"),
    ("MacArthur Park was closed to visitors.\nArthur Jones, a resident, said it was a shame.", "MacArthur"),
    ("OpenAI said it would open an office in Warsaw.", "OpenAI"),
    ("iPhone sales fell in the quarter, the company said.", "iPhone"),
    ("HereWe said the launch went well.\nMany users downloaded HereWe in its first week.", "HereWe"),
    # after a heading-like run of title-case words
    ("The DeepState Telegram channel, which is close to the Ukrainian army, wrote that the town had fallen.",
     "DeepState"),
    ("The BlueState channel, which tracks the front line, wrote that troops had advanced.", "BlueState"),
    ("Analysts at BlackRock said the fund would sell its shares.", "BlackRock"),
    ("New Filings Show ExxonMobil Paid the fine in March, the regulator said.", "ExxonMobil"),
    ("Governor DeSantis signed the bill on Friday, his office said.", "DeSantis"),
    ("The WhatsApp group, which has two thousand members, shared the video first.", "WhatsApp"),
    # in the middle of a sentence
    ("Users of WhatsApp and PayPal reported outages on Sunday, the companies said.", "PayPal"),
    ("The documents were published by WikiLeaks and later by HuffPost, which said they were real.",
     "WikiLeaks"),
    ("She said the MacGyver reboot was filmed in Atlanta.", "MacGyver"),
    ("He bought the tickets through the CityThe app, which the council runs.", "CityThe"),
    # glue-shaped, but no heading: a sentence ends before it on the line, or no prose follows
    ("Prices rose sharply in May. Other WarningsWhile inflation eased, economists were worried.",
     "WarningsWhile"),
    ("Watch Live CoverageThe Summit In Full", "CoverageThe"),
]


@pytest.mark.parametrize("text,name", KEPT_WHOLE)
def test_camel_case_name_is_not_split(text, name):
    doc = nlp.parse_text(text)
    assert doc.text == text
    assert name in [t.text for t in doc]
    assert heading_glue.find_glued(nlp.load_pipeline().make_doc(text)) == []


@pytest.mark.parametrize("word,expected", [
    ("WarningsWhile", ("Warnings", "", "While")),
    ("PositionFrom", ("Position", "", "From")),
    ("Lawn’The", ("Lawn", "’", "The")),
    ("Front“We", ("Front", "“", "We")),
    ("PlanA", None),           # a single capital ends names, not a heading
    ("McDonald", None),        # a two-letter left part is a surname particle
    ("iPhone", None),
    ("OpenAI", None),          # an acronym is no paragraph's first word
    ("GlaxoSmithKline", None),  # more than one joint
    ("USAToday", None),
    ("Sevastopol", None),
    ("Treating", None),
])
def test_glued_parts_shape(word, expected):
    parts = heading_glue.glued_parts(word)
    assert (None if parts is None else (parts.left, parts.joint, parts.right)) == expected


def test_component_runs_first_and_is_in_the_cache_key(monkeypatch):
    pipeline = nlp.load_pipeline()
    assert pipeline.pipe_names[0] == heading_glue.COMPONENT
    key = nlp.pipeline_fingerprint(pipeline)
    assert heading_glue.fingerprint() in key
    monkeypatch.setattr(heading_glue, "VERSION", heading_glue.VERSION + 1)
    assert nlp.pipeline_fingerprint(pipeline) != key


def test_attribution_behind_a_glued_heading_is_found():
    from presslens.sourcing.extract import extract_attributions

    text = ("Shelling Overnight\n\nResidents of the city spent the night in shelters.\n"
            "Counting the DeadKherson governor Oleh Marchenko put the death toll at six, with 20 injured.\n"
            "Kherson was shelled again on Monday, officials said.")
    articles = pd.DataFrame([{"article_id": "g", "text": text, "title": "Shelling Overnight",
                              "outlet": "Test", "language": "en"}])
    rows = extract_attributions(articles)
    row = rows[rows["cue_text"] == "put"].iloc[0]
    assert "Oleh Marchenko" in row["source_text"]
    assert text[row["source_start"]:row["source_end"]] == row["source_text"]


@pytest.mark.parametrize("name,kinds", [
    ("camel_case_names.tsv", {"name", "prefix"}),
    ("sentence_openers.tsv", {"determiner", "opener", "preposition", "honorific", "object_start"}),
])
def test_resources_carry_provenance_and_known_kinds(name, kinds):
    with config.resource(name).open(encoding="utf-8") as fh:
        first = fh.readline()
        assert first.startswith("# ") and len(first) > 80, f"{name}: no provenance line"
        rows = list(csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"))
    assert rows and {r["kind"] for r in rows} <= kinds
    keys = [next(iter(r.values())) for r in rows]
    assert len(keys) == len(set(keys)), f"{name}: duplicate entries"
