"""Checks of the bundled sample corpus (data/sample/): the shape the notebooks and tests rely on,
and the ground truth of repeated claims that claim clustering is scored against."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime

import pytest
from presslens import config

SAMPLE_DIR = config.SAMPLE_CORPUS.parent
CLAIMS_TRUTH = SAMPLE_DIR / "claims_truth.json"
README = config.DATA_DIR / "README.md"

REQUIRED_KEYS = {"id", "outlet", "url", "title", "authors", "published", "language", "text"}
WINDOW_START = datetime(2024, 5, 6, tzinfo=UTC)
WINDOW_END = datetime(2024, 5, 25, tzinfo=UTC)  # exclusive: the window ends with 24 May (UTC)
RUSSIAN_STYLE = ("Kharkov", "Volchansk", "Kupyansk", "Donbass", "Kiev")
UKRAINIAN_STYLE = ("Kharkiv", "Vovchansk", "Kupiansk", "Donbas", "Kyiv")


def _word_ngrams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.fixture(scope="module")
def lines() -> list[str]:
    if not config.SAMPLE_CORPUS.exists():
        pytest.fail(f"sample corpus missing at {config.SAMPLE_CORPUS}")
    return config.SAMPLE_CORPUS.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def articles(lines) -> list[dict]:
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def by_id(articles) -> dict[str, dict]:
    return {a["id"]: a for a in articles}


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads(CLAIMS_TRUTH.read_text(encoding="utf-8"))


def test_every_line_is_a_json_object(lines):
    assert lines, "empty corpus"
    for number, line in enumerate(lines, 1):
        assert line.strip(), f"blank line {number}"
        record = json.loads(line)
        assert isinstance(record, dict), f"line {number} is not an object"


def test_size_and_unique_ids(articles):
    assert 40 <= len(articles) <= 50
    ids = [a["id"] for a in articles]
    assert len(set(ids)) == len(ids), [i for i, c in Counter(ids).items() if c > 1]
    assert all(re.fullmatch(r"sample-\d{3}", i) for i in ids)


def test_required_keys_and_types(articles):
    for a in articles:
        missing = REQUIRED_KEYS - a.keys()
        assert not missing, (a.get("id"), missing)
        assert a["language"] == "en"
        assert isinstance(a["authors"], list) and all(isinstance(x, str) and x for x in a["authors"])
        assert isinstance(a["title"], str) and a["title"].strip() == a["title"] and a["title"]
        # Invented outlets live on the reserved .example domain (RFC 2606), never a real site.
        host = re.match(r"https://([^/]+)/", a["url"])
        assert host and host.group(1).endswith(".example"), a["url"]


def test_urls_unique(articles):
    urls = [a["url"] for a in articles]
    assert len(set(urls)) == len(urls)


def test_body_length_and_paragraphs(articles):
    for a in articles:
        text = a["text"]
        assert 180 <= len(text.split()) <= 450, (a["id"], len(text.split()))
        paragraphs = text.split("\n\n")
        assert len(paragraphs) >= 4, a["id"]
        assert all(p.strip() == p and p and "\n" not in p for p in paragraphs), a["id"]
        assert not text.startswith(a["title"]), f"{a['id']}: the title belongs in `title`, not the body"


def test_dates_parse_with_timezone_and_lie_in_window(articles):
    stamps = []
    for a in articles:
        published = datetime.fromisoformat(a["published"])
        assert published.tzinfo is not None, a["id"]
        stamps.append(published.astimezone(UTC))
        assert WINDOW_START <= stamps[-1] < WINDOW_END, (a["id"], a["published"])
    assert (max(stamps) - min(stamps)).days >= 14, "articles should spread over 2-3 weeks"


def test_five_outlets_each_well_represented(articles):
    per_outlet = Counter(a["outlet"] for a in articles)
    assert len(per_outlet) == 5, per_outlet
    assert min(per_outlet.values()) >= 6, per_outlet


def test_ids_follow_publication_order(articles):
    order = sorted(articles, key=lambda a: (datetime.fromisoformat(a["published"]).astimezone(UTC), a["id"]))
    assert [a["id"] for a in order] == [a["id"] for a in articles]


def test_spelling_styles_differ_by_outlet(articles, truth):
    """One outlet uses Russian-style place names throughout, the others Ukrainian-style ones:
    the spelling analysis needs both, and mixing them within the non-Russian-style outlets would
    blur the contrast the notebooks show."""
    text_of: dict[str, str] = {}
    for a in articles:
        text_of[a["outlet"]] = text_of.get(a["outlet"], "") + "\n" + a["title"] + "\n" + a["text"]
    russian_style_outlets = {
        outlet for outlet, text in text_of.items()
        if any(re.search(rf"\b{name}\b", text) for name in RUSSIAN_STYLE)
    }
    assert len(russian_style_outlets) == 1, russian_style_outlets
    (russian_outlet,) = russian_style_outlets
    assert not any(re.search(rf"\b{name}\b", text_of[russian_outlet]) for name in UKRAINIAN_STYLE)
    for outlet, text in text_of.items():
        if outlet != russian_outlet:
            assert any(re.search(rf"\b{name}\b", text) for name in UKRAINIAN_STYLE), outlet


def test_truth_members_occur_exactly_once(truth, by_id):
    for cluster in truth["clusters"]:
        for member in cluster["members"]:
            article = by_id.get(member["article_id"])
            assert article is not None, member
            count = article["text"].count(member["sentence_contains"])
            assert count == 1, (cluster["cluster"], member["article_id"], member["sentence_contains"], count)
            assert member["figure"] is None or isinstance(member["figure"], str)


def test_truth_members_stay_inside_one_paragraph(truth, by_id):
    """A member names one sentence; a substring spanning paragraphs cannot be one."""
    for cluster in truth["clusters"]:
        for member in cluster["members"]:
            assert "\n" not in member["sentence_contains"], member


def test_truth_clusters_repeat_across_articles_and_outlets(truth, by_id):
    clusters = truth["clusters"]
    assert len(clusters) >= 8
    slugs = [c["cluster"] for c in clusters]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)
    for cluster in clusters:
        assert cluster["description"]
        ids = {m["article_id"] for m in cluster["members"]}
        outlets = {by_id[i]["outlet"] for i in ids}
        assert len(ids) >= 3 and len(outlets) >= 2, (cluster["cluster"], len(ids), outlets)
        # Repeats differ in wording or figures: no two members share their text.
        texts = [m["sentence_contains"] for m in cluster["members"]]
        assert len(set(texts)) == len(texts), cluster["cluster"]


def test_truth_names_the_outlet_that_never_names_sources(truth, articles):
    outlets = {a["outlet"] for a in articles}
    assert truth["outlet_never_naming_sources"] in outlets
    assert set(truth["outlets"]) == outlets


def test_readme_labels_sample_as_invented_and_cc0():
    text = README.read_text(encoding="utf-8")
    assert "invented" in text.lower()
    assert "CC0" in text
    for name in ("articles.jsonl", "claims_truth.json", "seed_article.jsonl"):
        assert name in text


def test_no_text_copied_from_the_seed(articles):
    seed_text = json.loads(config.SEED_ARTICLE.read_text(encoding="utf-8").splitlines()[0])["text"]
    seed_grams = _word_ngrams(seed_text)
    for a in articles:
        shared = _word_ngrams(a["text"]) & seed_grams
        assert not shared, (a["id"], [" ".join(g) for g in sorted(shared)[:3]])


def test_no_text_copied_from_the_war_dataset(articles, datasets_dir):
    folder = datasets_dir / "semeval2025t10_en_war" / "articles"
    if not folder.exists():
        pytest.skip(f"{folder} not found")
    ours: set[tuple[str, ...]] = set()
    for a in articles:
        ours |= _word_ngrams(a["text"])
    for path in sorted(folder.glob("*.txt")):
        shared = _word_ngrams(path.read_text(encoding="utf-8", errors="replace")) & ours
        assert not shared, (path.name, [" ".join(g) for g in sorted(shared)[:3]])


def test_loads_through_presslens_without_rejects():
    from presslens.io import load_articles_with_report

    frame, report = load_articles_with_report(config.SAMPLE_CORPUS)
    assert len(frame) == sum(1 for _ in config.SAMPLE_CORPUS.open(encoding="utf-8"))
    assert frame["article_id"].is_unique
    problems = report[report["severity"] == "error"] if len(report) else report
    assert len(problems) == 0, problems.to_dict("records")
    assert str(frame["published"].dtype).startswith("datetime64")
    assert frame["published"].notna().all()


def test_truth_members_lie_inside_one_parsed_sentence(truth, by_id):
    """`sentence_contains` names one sentence as presslens segments it (`iter_sentences`), so
    a clustering scorer can map each member to exactly one sentence_index."""
    from presslens import nlp

    ids = sorted({m["article_id"] for c in truth["clusters"] for m in c["members"]})
    docs = dict(nlp.parse((i, by_id[i]["text"]) for i in ids))
    for cluster in truth["clusters"]:
        for member in cluster["members"]:
            doc = docs[member["article_id"]]
            start = doc.text.index(member["sentence_contains"])
            end = start + len(member["sentence_contains"])
            hit = [i for i, sent in nlp.iter_sentences(doc) if sent.start_char < end and sent.end_char > start]
            assert len(hit) == 1, (cluster["cluster"], member["article_id"], member["sentence_contains"], hit)


def _outlet_texts(articles: list[dict]) -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for a in articles:
        texts.setdefault(a["outlet"], []).append(a["text"])
    return texts


def test_the_aggregator_never_names_a_source(articles, truth):
    """The outlet listed as never naming its sources has no byline, no 'Firstname Lastname said',
    no 'according to <Name>' and no 'the channel <Name>'."""
    outlet = truth["outlet_never_naming_sources"]
    named_source = re.compile(
        r"[A-Z][a-z]+ [A-Z][a-z]+,? (?:said|says|told|wrote|added)\b"
        r"|\b(?:said|says|told|wrote|added),? [A-Z][a-z]+ [A-Z][a-z]+"
        r"|\b[Aa]ccording to (?:the )?[A-Z]"
        r"|\bchannel [A-Z]"
    )
    for a in articles:
        if a["outlet"] == outlet:
            assert a["authors"] == [], a["id"]
            hits = named_source.findall(a["text"])
            assert not hits, (a["id"], hits)


def test_outlet_styles_the_analyses_rely_on(articles):
    texts = {outlet: "\n".join(t) for outlet, t in _outlet_texts(articles).items()}
    # Contested terms: adopted plainly by one outlet, kept in quotes by the wire.
    adopting = [o for o, t in texts.items() if re.search(r"(?<![\"‘'])\bspecial military operation\b(?![\"’'])", t)]
    assert len(adopting) == 1, adopting
    assert re.search(r"\bliberated\b(?![\"’'])", texts[adopting[0]])
    quoting = [o for o, t in texts.items() if re.search(r"[\"‘']special military operation[\"’']", t)]
    assert quoting and adopting[0] not in quoting
    # Agentless and anonymous attribution, hedges and boosters all occur somewhere.
    corpus = "\n".join(texts.values())
    for phrase in ("it is believed", "is seen as", "sources say", "a source familiar with the matter",
                   "asked not to be named", "so-called", "allegedly", "reportedly", "clearly",
                   "undoubtedly", "according to", "a report published", "posts on x", "telegram channel"):
        assert phrase in corpus.lower(), phrase
