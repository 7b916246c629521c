"""Page furniture: invented furniture lines are found with the right reason, invented news
sentences that look close are left alone, and the span tools answer overlap questions."""

from __future__ import annotations

import importlib.util
import re

import pandas as pd
import pytest
from presslens import boilerplate, config
from presslens.boilerplate import Boilerplate, BoilerplateIndex, find_boilerplate

BEFORE = "Russian drones struck a grain terminal in Izmail overnight, the regional governor said."
AFTER = "Air defence units shot down 14 of the 20 drones, according to the air force."


def _flagged(text: str, title: str | None = None) -> list[str]:
    return [text[b.start:b.end] for b in find_boilerplate(text, title)]


# ---------------------------------------------------------------- whole lines, one per reason

@pytest.mark.parametrize("line,reason", [
    ("Sign up for our free morning briefing newsletter.", "subscription prompt"),
    ("By subscribing, you agree to our Privacy Policy and Terms of Service.", "subscription prompt"),
    ("Already a subscriber? Log in to continue reading.", "subscription prompt"),
    ("Subscribe to the Daily Dispatch on Telegram!", "subscription prompt"),
    ("Get the best of our coverage delivered straight to your inbox.", "subscription prompt"),
    ("Most read in Politics", "related-links"),
    ("READ MORE WORLD STORIES", "related-links"),
    ("read more on the eastern front", "related-links"),
    ("Read more: Kremlin hints at new talks", "related-links"),
    ("Read also: Harvest in the south beats forecasts", "related-links"),
    ("Related: Five things to know about the grain corridor", "related-links"),
    ("Recommended for you", "related-links"),
    ("You may also like", "related-links"),
    ("UKRAINE LATEST", "related-links"),
    ("Follow our live blog for the latest updates from the front", "related-links"),
    ("🔴 Ten photos that show the winter on the front line", "related-links"),
    ("Follow us on X and Instagram for live updates.", "share prompt"),
    ("Share this article", "share prompt"),
    ("Facebook Twitter WhatsApp Email", "share prompt"),
    ("Join the Morning Courier on Telegram for breaking news", "share prompt"),
    ("Click here to download the full report.", "call to action"),
    ("Download the Morning Star app for breaking news alerts.", "call to action"),
    ("Watch the full interview below:", "call to action"),
    ("Watch the documentary Voices of Mariupol.", "call to action"),
    ("WATCH: Drone footage of the bridge after the strike", "call to action"),
    ("Advertisement", "advert"),
    ("Sponsored content", "advert"),
    ("Shop now", "advert"),
    ("Power banks for blackouts: buy now for just $19.99 with free shipping", "advert"),
    ("Source: https://example.org/reports/2024/energy", "source URL"),
    ("https://www.example.com/news/12345", "source URL"),
    ("Courtesy: example.com", "source URL"),
    ("Photo: Kyiv City Military Administration", "image credit"),
    ("(Getty Images)", "image credit"),
    ("Image source, Getty Images", "image credit"),
    ("Photo by Olena Marchenko/AFP via Getty Images", "image credit"),
    ("A firefighter works at the site of a drone strike in Odesa, Ukraine, March 3, 2024.", "image credit"),
    ("Rescuers carry a survivor out of a building in Dnipro, Ukraine March 5, 2024. REUTERS/Ivan Petrenko",
     "image credit"),
    ("© 2024 Example Media Ltd. All rights reserved.", "copyright"),
    ("Copyright 2023 The Evening Ledger", "copyright"),
    ("We use cookies to improve your experience on our site.", "cookie banner"),
    ("Please enable JavaScript to view the comments.", "site notice"),
    ("By Jane Kowalski, Balkan Courier:", "byline"),
    ("Authored by Tom Ridley via Substack,", "byline"),
    ("Additional reporting by Anna Wolf and Piotr Nowak", "byline"),
    ("Maria Lopez, Santa Monica", "byline"),
    ("Ivan Petrov • The Steppe Review • May 2, 2024 • 1,800 Words", "byline"),
    ("About the author", "author bio"),
    ("Lena Brandt is a senior reporter at the Example Times. Her work has appeared in several papers.",
     "author bio"),
    ("This article was originally published by the Example Institute. Republished with permission.",
     "republication note"),
    ("3.", "list heading"),
    ("IV", "list heading"),
    ("#Kharkiv #war #Ukraine", "hashtag line"),
    ("Do you have a story for our news desk?", "tip line"),
    ("We pay for your videos!", "tip line"),
    ("Email us at tips@example.com or call 555 0100.", "tip line"),
    ("Thank you for reading. We value your feedback.", "feedback prompt"),
    ("Share your thoughts in the comments below.", "feedback prompt"),
    ("Leave a comment", "feedback prompt"),
    ("Tags: Ukraine, Russia, energy", "widget label"),
    ("Comments (12)", "widget label"),
    ("Published: 12 May 2024, 09:15", "timestamp"),
    ("Privacy Policy | Terms of Use | Contact Us", "footer"),
])
def test_furniture_line_is_flagged_with_its_reason(line, reason):
    text = f"{BEFORE}\n\n{line}\n\n{AFTER}"
    spans = find_boilerplate(text)
    assert [(text[b.start:b.end], b.reason) for b in spans] == [(line, reason)], [(b.rule, b.reason) for b in spans]


# ---------------------------------------------------------------- furniture glued to a paragraph

@pytest.mark.parametrize("line,furniture,reason", [
    ("Officials reported 12 injured in the strike. Read more: Ukraine war latest", "Read more: Ukraine war latest",
     "related-links"),
    ("The railway was repaired overnight. Follow us on Telegram for updates.", "Follow us on Telegram for updates.",
     "share prompt"),
    ("How will the city rebuild? Watch the film Ashes of Avdiivka.", "Watch the film Ashes of Avdiivka.",
     "call to action"),
    ("A second convoy reached Kherson on Friday. Read all the latest news and analysis here.",
     "Read all the latest news and analysis here.", "related-links"),
    ("Shelling resumed at dawn along the eastern front read more", "read more", "related-links"),
    ("Engineers cleared the bridge of mines (Photo by Anna Wolf/AFP via Getty Images) before noon.",
     "(Photo by Anna Wolf/AFP via Getty Images)", "image credit"),
    ("The talks ended without a statement. (Reporting by Anna Wolf; Editing by Piotr Nowak)",
     "(Reporting by Anna Wolf; Editing by Piotr Nowak)", "byline"),
])
def test_glued_furniture_is_cut_from_the_sentence_it_follows(line, furniture, reason):
    spans = find_boilerplate(line)
    assert [(line[b.start:b.end], b.reason) for b in spans] == [(furniture, reason)]


# ---------------------------------------------------------------- news that looks close

@pytest.mark.parametrize("line", [
    "Subscribers to the Telegram channel said the video was filmed near Bakhmut.",
    "Read the full statement, the ministry said.",
    "Photo evidence shows the tanks crossed the border on Tuesday.",
    "Photos, videos and witness accounts show that the school was hit twice.",
    "Diesel now costs $1.20 a litre in Lviv, up from 90 cents a year ago.",
    "A new generator costs just $450, a third of last winter's price, traders said.",
    "KYIV, May 6 (Reuters) - Russian forces fired 40 drones overnight, the air force said.",
    "Caxias do Sul (Brazil) (AFP) - Ukrainian athletes arrived on Monday.",
    "Russia denies it.",
    "By Tuesday evening, Ukrainian troops had pushed back the assault.",
    "By Kyiv's count, 300 soldiers were captured.",
    "Anna Petrova is a reporter for a regional paper who was detained in March.",
    "“Click here and you will see the truth,” the spokesman told reporters.",
    "“Subscribe to our channel,” the blogger urged viewers in the clip.",
    "Sign-up rates for volunteer units rose 20% in May.",
    "The ministry said more information is available on its Telegram channel.",
    "Copyright disputes over the footage continue in court.",
    "Share prices of defence firms jumped 5% after the announcement.",
    "Most of the shells hit residential areas.",
    "More than 300 people were evacuated from the village.",
    "Watch the skies, the mayor told residents.",
    "The president watched the parade from Red Square.",
    "Sponsored by the EU, the programme trains Ukrainian deminers.",
    "Getty Images said it had removed the photo from its archive.",
    "Reporting by the Kyiv Independent found that 40 homes were destroyed.",
    "Related talks in Geneva ended without agreement.",
    "Follow-up strikes hit the same district an hour later.",
    "Increased fragility",
    "3 people were killed in the attack.",
    "Thank you, the minister said, for the support of our allies.",
    "The agreement was signed in Istanbul on July 22, 2022.",
    "Ukraine says it hit a Russian warship, Moscow says it did not",
])
def test_news_that_looks_like_furniture_is_left_alone(line):
    text = f"{BEFORE}\n\n{line}\n\n{AFTER}"
    assert _flagged(text) == []


# ---------------------------------------------------------------- headlines and structure

TITLE = "Drones hit grain terminal on the Danube as talks stall"


@pytest.mark.parametrize("text,expected", [
    # the title again on the first line, exactly or with other punctuation and case
    (f"{TITLE}\n\n{BEFORE}", [TITLE]),
    (f"DRONES HIT GRAIN TERMINAL ON THE DANUBE, AS TALKS STALL\n\n{BEFORE}",
     ["DRONES HIT GRAIN TERMINAL ON THE DANUBE, AS TALKS STALL"]),
    # a variant of the headline (the outlet's second headline) near the top
    (f"Drone strikes hit Danube grain terminal while talks stall\n\n{BEFORE}",
     ["Drone strikes hit Danube grain terminal while talks stall"]),
    # the headline glued to the first sentence by the crawler
    (f"{TITLE}Russian drones struck the port at night.\n\n{AFTER}", [TITLE]),
    # a lede that retells the headline is news
    ("Drones hit a grain terminal on the Danube overnight as talks on the corridor stalled.\n\n" + AFTER, []),
    # a section heading is structure, not furniture
    (f"{BEFORE}\n\nA new front\n\n{AFTER}", []),
])
def test_repeated_headline(text, expected):
    assert _flagged(text, TITLE) == expected


@pytest.mark.parametrize("text,expected", [
    # a run of headline-like lines: links to other stories
    (f"{BEFORE}\n\nKremlin Names New Envoy To Talks\nGrain Prices Fall After Deal\n\n{AFTER}",
     ["Kremlin Names New Envoy To Talks", "Grain Prices Fall After Deal"]),
    # one long headline-like line under the text: a link to another story
    (f"{BEFORE}\n\n{AFTER}\n\nWhy The Black Sea Corridor Matters For Global Food Prices",
     ["Why The Black Sea Corridor Matters For Global Food Prices"]),
    # the bio under "About the author", and its truncated second copy
    (f"{BEFORE}\n\nAbout the author\n\nLena Brandt is a reporter at the Example Times covering energy. "
     "Lena joined the paper in 2019 from a wire agency.\n\nLena Brandt is a reporter at the Example Times "
     "covering energy. ... Read more",
     ["About the author",
      "Lena Brandt is a reporter at the Example Times covering energy. Lena joined the paper in 2019 from a wire agency.",
      "Lena Brandt is a reporter at the Example Times covering energy. ... Read more"]),
    # the byline's name opening a late paragraph: the author's bio
    (f"Authored by Sam Ortiz via Substack,\n\n{BEFORE}\n\n{AFTER}\n\nSam Ortiz writes about security in Europe.",
     ["Authored by Sam Ortiz via Substack,", "Sam Ortiz writes about security in Europe."]),
    # the lead-in of a source link
    (f"{BEFORE}\n\nMore at the agency:\nhttps://example.org/a/1\n\n{AFTER}",
     ["More at the agency:", "https://example.org/a/1"]),
])
def test_structural_rules(text, expected):
    assert _flagged(text) == expected


def test_offsets_are_into_the_text_and_end_exclusive():
    text = f"  {BEFORE}\n\n   Advertisement  \n\n{AFTER}\n"
    (b,) = find_boilerplate(text)
    assert text[b.start:b.end] == "Advertisement"
    assert (b.reason, b.rule) == ("advert", "advert_label")


@pytest.mark.parametrize("text", ["", None, float("nan"), "\n\n   \n"])
def test_empty_or_missing_text_has_no_furniture(text):
    assert find_boilerplate(text) == []


# ---------------------------------------------------------------- tables and span tools

def test_boilerplate_spans_table():
    articles = pd.DataFrame({
        "article_id": ["a", "b", "c"],
        "title": ["Grain deal collapses", None, float("nan")],
        "text": [f"Grain deal collapses\n\n{BEFORE}\n\nMost read in World", BEFORE, None],
    })
    spans = boilerplate.boilerplate_spans(articles)
    assert list(spans.columns) == boilerplate.SPAN_COLUMNS
    assert spans[["article_id", "reason", "text"]].values.tolist() == [
        ["a", "repeated headline", "Grain deal collapses"], ["a", "related-links", "Most read in World"]]
    for row in spans.itertuples():
        assert articles.set_index("article_id").loc[row.article_id, "text"][row.start:row.end] == row.text


def test_boilerplate_spans_without_title_column_and_missing_text_column():
    spans = boilerplate.boilerplate_spans(pd.DataFrame({"article_id": ["x"], "text": [f"{BEFORE}\n\nAdvertisement"]}))
    assert spans["reason"].tolist() == ["advert"]
    with pytest.raises(KeyError, match="text"):
        boilerplate.boilerplate_spans(pd.DataFrame({"article_id": ["x"]}))


@pytest.mark.parametrize("spans,query,covers,coverage", [
    ([(10, 20)], (0, 10), False, 0.0),       # ends where furniture starts
    ([(10, 20)], (20, 30), False, 0.0),      # starts where furniture ends
    ([(10, 20)], (15, 25), True, 0.5),
    ([(10, 20)], (12, 18), True, 1.0),
    ([(10, 20), (30, 40)], (0, 50), True, 0.4),
    ([(10, 20), (15, 30)], (10, 30), True, 1.0),  # overlapping spans are merged
    ([(10, 20), (30, 40)], (21, 29), False, 0.0),
    ([], (0, 5), False, 0.0),
    ([(10, 20)], (12, 12), False, 0.0),      # an empty query span
])
def test_index_covers_and_coverage(spans, query, covers, coverage):
    index = BoilerplateIndex(spans)
    assert index.covers(*query) is covers
    assert index.coverage(*query) == pytest.approx(coverage)


def test_index_accepts_boilerplate_items_and_merges():
    index = BoilerplateIndex([Boilerplate(5, 9, "advert", "x"), Boilerplate(0, 6, "byline", "y")])
    assert index.intervals == [(0, 9)]
    assert len(index) == 1 and bool(index)


def test_in_boilerplate_marks_rows_to_drop():
    spans = pd.DataFrame({"article_id": ["a", "a"], "start": [0, 50], "end": [10, 60]})
    rows = pd.DataFrame({"article_id": ["a", "a", "b", "a"], "start": [5, 20, 5, pd.NA],
                         "end": [15, 30, 15, pd.NA]}).astype({"start": "Int64", "end": "Int64"})
    assert boilerplate.in_boilerplate(rows, spans).tolist() == [True, False, False, False]
    # with a share: only rows mostly inside furniture
    assert boilerplate.in_boilerplate(rows, spans, min_share=0.6).tolist() == [False, False, False, False]


def test_mask_text_keeps_length_offsets_and_line_breaks():
    text = f"{BEFORE}\n\nMost read in World\n\n{AFTER}"
    masked = boilerplate.mask_text(text, find_boilerplate(text))
    assert len(masked) == len(text)
    assert "Most read" not in masked and masked.count("\n") == text.count("\n")
    assert masked.startswith(BEFORE) and masked.endswith(AFTER)


def test_mask_articles_blanks_furniture_of_each_article():
    articles = pd.DataFrame({"article_id": ["a", "b"], "title": [None, None],
                             "text": [f"{BEFORE}\n\nAdvertisement\n\n{AFTER}", AFTER]})
    masked = boilerplate.mask_articles(articles)
    assert masked["text"].str.len().tolist() == articles["text"].str.len().tolist()
    assert "Advertisement" not in masked["text"].iloc[0] and masked["text"].iloc[1] == AFTER
    assert articles["text"].iloc[0].count("Advertisement") == 1  # the input is left alone


# ---------------------------------------------------------------- the rules file

def test_rules_file_has_provenance_and_every_rule_compiles():
    path = config.resource(boilerplate.RULES_FILE)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and "Compiled for presslens" in first
    rules = boilerplate.load_rules().rules
    assert len({r.name for r in rules}) == len(rules) > 40
    assert all(r.regex.pattern and r.reason for r in rules)
    assert {r.scope for r in rules} == set(boilerplate.SCOPES)


@pytest.mark.parametrize("content,message", [
    ("# x\nrule\treason\tscope\tcase\tpattern\nr1\tadvert\tline\ti\t(unclosed\n", "does not compile"),
    ("# x\nrule\treason\tscope\tcase\tpattern\nr1\tadvert\tpage\ti\tad\n", "scope must be"),
    ("# x\nrule\treason\tscope\tcase\tpattern\nr1\tadvert\tline\ti\t(ad)\n", "capturing group"),
    ("# x\nrule\treason\tscope\tcase\tpattern\nr1\tadvert\tline\ti\tad\nr1\tadvert\tline\ti\tads\n", "unique"),
    ("# x\nname\treason\n", "header"),
])
def test_bad_rules_file_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "rules.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        boilerplate.load_rules(str(path))


def test_a_custom_rules_file_is_used(tmp_path):
    path = tmp_path / "rules.tsv"
    path.write_text("# test rules\nrule\treason\tscope\tcase\tpattern\nbanner\tpromo\tline\ts\tPROMO [A-Z]+\n",
                    encoding="utf-8")
    text = f"{BEFORE}\n\nPROMO SALE\n\nAdvertisement"
    spans = find_boilerplate(text, rules=boilerplate.load_rules(str(path)))
    assert [(text[b.start:b.end], b.reason) for b in spans] == [("PROMO SALE", "promo")]


# ---------------------------------------------------------------- real news (gold)

@pytest.mark.datasets
def test_realnews_dev_gold_furniture_found_and_no_news_flagged(datasets_dir):
    gold = sorted((config.SHARED_DIR / "gold" / "realnews").glob("dev_*.json"))
    if not gold:
        pytest.skip("real-news gold not found")
    spec = importlib.util.spec_from_file_location("score_boilerplate", config.PROJECT_ROOT / "scripts" / "score_boilerplate.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    figures = script.score_gold(gold, datasets_dir, verbose=False)
    assert figures["bad_anchors"] == 0
    assert figures["boilerplate_recall"] >= 0.95
    assert figures["gold_attributions_flagged"] == 0
    assert figures["gold_claims_flagged"] == 0


def test_speed_is_far_below_a_millisecond_per_line():
    """Typical articles have a few dozen lines; the rules run as one regex call per line and scope."""
    text = "\n\n".join([BEFORE, AFTER] * 200 + ["Most read in World", "Advertisement"])
    import time
    start = time.process_time()
    spans = find_boilerplate(text)
    elapsed = time.process_time() - start
    assert [b.reason for b in spans] == ["related-links", "advert"]
    assert elapsed < 0.25, f"{elapsed:.3f}s for {text.count(chr(10)) // 2} lines"
    assert re.sub(r"\s", "", boilerplate.mask_text(text, spans)) != ""


def test_load_marks_furniture_once_and_analysis_skips_it(tmp_path):
    """load_articles marks page furniture in a `boilerplate` column and a report note;
    analyze() takes the marks from there, blanks them for parsing, and lists them."""
    import warnings

    import presslens

    body = ("Officials said on Monday that 12 drones were shot down near Kharkiv.\n\n"
            "Sign up to our newsletter for the latest news. By subscribing you agree to our Terms of Use.\n\n"
            "The governor said the attack damaged two houses.")
    (tmp_path / "a.txt").write_text("Drones shot down near Kharkiv\n" + body, encoding="utf-8")
    articles = presslens.load_articles(tmp_path)
    marks = articles["boilerplate"].iloc[0]
    text = articles["text"].iloc[0]
    assert marks and all(text[s:e].strip() for s, e, _, _ in marks)
    assert any("Sign up" in text[s:e] for s, e, _, _ in marks)
    report = articles.attrs["load_report"]
    assert (report["code"] == "boilerplate").sum() == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = presslens.analyze(articles, use_cache=False, progress=False)
    assert len(result.boilerplate) == len(marks)
    furniture = [(s, e) for s, e, _, _ in marks]
    for row in result.claims.itertuples():
        assert not any(s <= row.start and row.end <= e for s, e in furniture)
    assert any("shot down" in t for t in result.claims["text"])
