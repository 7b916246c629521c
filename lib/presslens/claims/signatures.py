"""What a claim's text says about the event it reports: its signature for presslens.claims.events.

From the claims table as presslens.claims produces it (text, core_terms, quantities,
attributed_to) and without re-parsing: the text with site boilerplate cut
(resources/claim_events_boilerplate.tsv), whether nothing but boilerplate is left, the specific
names it carries (anchors), the time expressions (years, dates), the figures and what they
measure, the classes of happening its core terms name (resources/claim_events_predicates.tsv),
and its content terms.

Anchors are the gazetteers' places, actors and organisations in their canonical form, and the
capitalised words that the corpus itself writes capitalised inside sentences more often than
not (so that "Gershkovich" is a name and "Troops" at the start of a headline is not), less the
names too common in war news to tell one event from another (resources/claim_events_generic.txt).
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import config, nlp, regexscan

# =========================================================================== resources

def _lines(name: str) -> list[str]:
    with config.resource(name).open(encoding="utf-8") as fh:
        return [ln.rstrip("\n") for ln in fh if ln.strip() and not ln.startswith("#")]


def _tsv(name: str) -> list[dict]:
    rows = _lines(name)
    return [{k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(rows, delimiter="\t")]


@lru_cache(maxsize=1)
def generic_names() -> frozenset[str]:
    """Lowercased names and words that never count as an anchor."""
    return frozenset(w.strip().lower() for w in _lines("claim_events_generic.txt"))


@lru_cache(maxsize=1)
def predicate_classes() -> dict[str, frozenset[str]]:
    """lemma -> the predicate classes it belongs to."""
    out: dict[str, set[str]] = defaultdict(set)
    for row in _tsv("claim_events_predicates.tsv"):
        for lemma in row["lemmas"].split("|"):
            if lemma.strip():
                out[lemma.strip().lower()].add(row["class"])
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def predicate_families() -> dict[str, str]:
    """predicate class -> its family (classes of one family are compatible)."""
    return {row["class"]: row["family"] for row in _tsv("claim_events_predicates.tsv")}


@dataclass(frozen=True)
class _Boilerplate:
    line: re.Pattern
    cut: re.Pattern
    drop: re.Pattern


@lru_cache(maxsize=1)
def _boilerplate() -> _Boilerplate:
    kinds: dict[str, list[str]] = defaultdict(list)
    for row in _tsv("claim_events_boilerplate.tsv"):
        kinds[row["kind"]].append(row["pattern"])

    def union(patterns: list[str], prefix: str = "") -> re.Pattern:
        return re.compile(prefix + "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.IGNORECASE)

    return _Boilerplate(union(kinds["line"], r"^\W*"), union(kinds["cut"]), union(kinds["drop"]))


@lru_cache(maxsize=1)
def _canonical_names() -> dict[str, str]:
    """Surface form (lowercased, one or more words) -> canonical anchor: every spelling of a
    place of the gazetteer, the actors' and organisations' patterns."""
    out: dict[str, str] = {}
    with config.resource("place_spellings.tsv").open(encoding="utf-8") as fh:
        rows = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")
        for row in rows:
            canon = (row.get("ukrainian_style") or "").strip().lower()
            if not canon:
                continue
            for col in ("russian_style", "ukrainian_style", "variants", "ukrainian_variants"):
                for name in (row.get(col) or "").split("|"):
                    if name.strip():
                        out[name.strip().lower()] = canon
    for name, col in (("actors.tsv", "canonical"), ("organisations.tsv", "canonical")):
        for row in _tsv(name):
            for surface in row["pattern"].split("|"):
                if surface.strip():
                    out.setdefault(surface.strip().lower(), row[col].lower())
    return out


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Canonical places of the gazetteer (the war's towns, regions and rivers)."""
    out = set()
    with config.resource("place_spellings.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
            if (row.get("ukrainian_style") or "").strip():
                out.add(row["ukrainian_style"].strip().lower())
    return frozenset(out)


@lru_cache(maxsize=1)
def _phrase_regex() -> re.Pattern:
    """The multi-word surface forms of _canonical_names, longest first."""
    phrases = sorted((p for p in _canonical_names() if " " in p or "-" in p), key=len, reverse=True)
    return re.compile(r"(?<![\w-])" + regexscan.alternation(phrases, ignore_case=True) + r"(?![\w-])", re.IGNORECASE)


# =========================================================================== claim text

_WORD = re.compile(r"[^\W\d_][\w'’.&-]*[^\W_]|[^\W\d_]", re.UNICODE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘(—–-]\s*|\n\s*)$")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_MONTHS = {name: k for k, names in enumerate(
    ("January|Jan", "February|Feb", "March|Mar", "April|Apr", "May", "June|Jun", "July|Jul",
     "August|Aug", "September|Sept|Sep", "October|Oct", "November|Nov", "December|Dec"), start=1)
    for name in names.split("|")}
# Month names are matched capitalised only: "may" is a verb, "march" a noun.
_DATE = re.compile(
    r"\b(?:(?P<day1>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
    r"(?:\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?")
# "KYIV, May 6 (Wire) - ": where and when the copy was filed, not what it reports
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:, [A-Z][\w.' -]{1,30})*,?\s*"
    r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}\s*)?(?:\([^)]{1,40}\))?\s*[-–—]+\s*")


def clean_text(text: str) -> str:
    """A claim's text without the site boilerplate around it: teaser and label lines, short
    subheadings before the sentence, promotions glued to it, links."""
    bp = _boilerplate()
    lines = [ln.strip() for ln in str(text or "").split("\n")]
    lines = [ln for ln in lines if ln and not bp.line.match(ln)]
    # a subheading of a few words run into the next paragraph ("Increased fragility")
    while len(lines) > 1 and len(_WORD.findall(lines[0])) < 4:
        lines.pop(0)
    out = _DATELINE.sub("", bp.cut.sub(" ", "\n".join(lines)).strip())
    return re.sub(r"[ \t]+", " ", out).strip(" \"'“”‘’\n")


def is_boilerplate(text: str, cleaned: str | None = None) -> bool:
    """Footer, tip line, newsletter call, or nothing left once the boilerplate is cut."""
    cleaned = clean_text(text) if cleaned is None else cleaned
    return bool(_boilerplate().drop.search(cleaned)) or len(_WORD.findall(cleaned)) < 3


@dataclass(frozen=True)
class When:
    """The time expressions of a claim: the years it names and its dates ("2022-02" for
    February 2022, "02-24" for 24 February)."""
    years: frozenset[int]
    dates: frozenset[str]

    def conflicts(self, other: When) -> bool:
        """Both name years and none agree, or both name days of the year and none agree.
        Weekdays and bare months are left out: "said on Thursday" dates a report, not what
        it reports."""
        days = {d for d in self.dates if len(d) == 5}
        other_days = {d for d in other.dates if len(d) == 5}
        return bool((self.years and other.years and not self.years & other.years)
                    or (days and other_days and not days & other_days))


def when_of(text: str) -> When:
    years = {int(y) for y in _YEAR.findall(text or "")}
    dates: set[str] = set()
    for m in _DATE.finditer(text or ""):
        month = _MONTHS[m.group("month")]
        day = m.group("day1") or m.group("day2")
        if m.group("year"):
            dates.add(f"{m.group('year')}-{month:02d}")
        if day and 1 <= int(day) <= 31:
            dates.add(f"{month:02d}-{int(day):02d}")
    return When(frozenset(years), frozenset(dates))


# Words of the two sides besides their names, demonyms and capitals (countries.tsv): the seats
# of power and the Russian-backed forces, as FORMAT.md of the real-news gold counts them.
_SIDE_WORDS = {"kremlin": "RU", "russian-backed": "RU", "separatist": "RU", "separatists": "RU"}


@lru_cache(maxsize=1)
def _side_regex() -> tuple[re.Pattern, dict[str, str]]:
    """The belligerents' names, aliases, demonyms and capitals of countries.tsv (RU and UA only)."""
    words = dict(_SIDE_WORDS)
    for row in _tsv("countries.tsv"):
        if row["code"] in ("RU", "UA"):
            for field in ("name", "aliases", "demonyms", "capitals"):
                for word in (row.get(field) or "").split("|"):
                    if word.strip():
                        words.setdefault(word.strip().lower().removeprefix("the "), row["code"])
    pattern = r"\b(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b"
    return re.compile(pattern, re.IGNORECASE), words


def sides_of(text: str) -> tuple[str, ...]:
    """The order in which a claim names the two sides: ("RU", "UA") for "Russian drones hit
    Ukrainian power plants", ("UA", "RU") for the reverse; one side or none when it names fewer."""
    regex, words = _side_regex()
    out: list[str] = []
    for m in regex.finditer(text or ""):
        side = words[m.group().lower()]
        if side not in out:
            out.append(side)
    return tuple(out)


def predicates_of(terms: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for term in terms:
        out |= _term_classes(term)
    return frozenset(out)


@lru_cache(maxsize=65536)
def _term_classes(term: str) -> frozenset[str]:
    """The classes of the first of the term's base forms that the lexicon lists."""
    classes = predicate_classes()
    for form in nlp.base_forms(term):
        if form in classes:
            return classes[form]
    return frozenset()


@dataclass
class Capitalisation:
    """Corpus counts of each lowercased word: capitalised inside a sentence vs lowercase."""
    upper: Counter
    lower: Counter

    def is_name(self, word: str) -> bool:
        return self.upper[word] > 0 and self.upper[word] >= self.lower[word]


def capitalisation(texts: Iterable[str]) -> Capitalisation:
    """How the corpus writes each word (a name is written capitalised inside sentences)."""
    upper: Counter = Counter()
    lower: Counter = Counter()
    for text in texts:
        for m in _WORD.finditer(text):
            word = _POSSESSIVE.sub("", m.group()).lower()
            if m.group()[0].islower():
                lower[word] += 1
            elif not m.group().isupper() and not _SENTENCE_START.search(text[max(0, m.start() - 3):m.start()]):
                upper[word] += 1
    return Capitalisation(upper, lower)


def anchors_of(text: str, caps: Capitalisation) -> list[str]:
    """The specific names of a claim (lowercased, canonical where a gazetteer knows them):
    gazetteer phrases first, then capitalised words that the corpus writes capitalised inside
    sentences more often than not, and short acronyms; less the generic names."""
    canon, generic = _canonical_names(), generic_names()
    found: list[str] = [canon[m.group().lower()] for m in _phrase_regex().finditer(text)]
    text = _phrase_regex().sub(" ", text)
    for m in _WORD.finditer(text):
        token = m.group()
        if not token[0].isupper():
            continue
        word = _POSSESSIVE.sub("", token).lower().strip(".-")
        if word in canon:
            found.append(canon[word])
        elif caps.is_name(word) or (token.isupper() and 2 <= len(word) <= 6 and caps.lower[word] == 0):
            found.append(word)
    return sorted({a for a in found if a not in generic and len(a) > 1})


def _fold_demonyms(anchor_lists: list[list[str]]) -> list[list[str]]:
    """An adjective of a name the corpus also uses ("Crimean" -> crimea, "Iranian" -> iran,
    "Israeli" -> israel) is that name."""
    known = {a for anchors in anchor_lists for a in anchors}
    mapping: dict[str, str] = {}
    for a in known:
        for suffix, repl in (("ean", "ea"), ("ian", "ia"), ("ian", ""), ("an", "a"), ("n", ""), ("i", ""), ("ish", "")):
            if a.endswith(suffix) and len(a) - len(suffix) >= 3 and a[:-len(suffix)] + repl in known:
                mapping[a] = a[:-len(suffix)] + repl
                break
    generic = generic_names()
    return [sorted({mapping.get(a, a) for a in anchors} - generic) for anchors in anchor_lists]


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    exact: bool = False  # stated as an exact figure ("8,500 troops"), not "about", "more than"


# Durations and distances repeat across unrelated events ("up to 20 years", "10 km"), and
# some words the quantity reader takes for a unit count nothing in particular.
_MEASURE_UNITS = frozenset("year month week day hour minute second km kilometre kilometer mi mile m metre meter "
                           "percent % more less other time former one".split())


_NOT_EVENT_FIGURES = frozenset({"money", "distance", "duration", "percent", "percent_points", "percent_change",
                                "percent_rate", "fraction",
                                "vague_count", "vague_majority"})


def _unit_key(unit: str) -> str:
    unit = unit.lower().strip()
    return unit[:-1] if len(unit) > 3 and unit.endswith("s") and not unit.endswith("ss") else unit


def figures_of(quantities) -> tuple[Figure, ...]:
    """The figures of a claim (presslens.claims quantities) that can tell one event from
    another: exact counts and amounts of 10 and more of a named thing ("100,000 troops",
    "4.2 million tonnes"); not vague quantities ("thousands"), shares, durations, distances,
    or sums of money (budgets, reserves and aid totals of a few hundred billion are
    everywhere in economic news)."""
    out = []
    for q in quantities if isinstance(quantities, (list, tuple, np.ndarray)) else []:
        if not isinstance(q, dict) or q.get("value") is None or pd.isna(q.get("value")):
            continue
        unit = _unit_key(str(q.get("unit") or ""))
        if (float(q["value"]) >= 10 and unit and unit not in _MEASURE_UNITS
                and q.get("kind") not in _NOT_EVENT_FIGURES):
            out.append(Figure(float(q["value"]), unit, q.get("op") == "="))
    return tuple(out)


_MEASURES = {"percent": "share", "percent_points": "share", "fraction": "share", "vague_majority": "share",
             "count": "count", "vague_count": "count", "money": "money"}


def measures_of(quantities) -> frozenset[str]:
    """What a claim's figures measure: "share" (80%, the majority, a third), "count:<unit>"
    ("count:troop", "count:" when the count names no unit), "money:<currency>"; a rate of
    change ("rose by 5 percent") measures nothing two reports of an event share. Two claims
    whose figures measure the same thing may be variants of one figure ("the majority" and
    "over 80%" of a town)."""
    out = set()
    for q in quantities if isinstance(quantities, (list, tuple, np.ndarray)) else []:
        if not isinstance(q, dict) or q.get("kind") not in _MEASURES:
            continue
        measure = _MEASURES[q["kind"]]
        unit = _unit_key(str(q.get("unit") or ""))
        if measure != "share" and unit in _MEASURE_UNITS:
            continue  # durations and distances measure nothing an event is about
        out.add(measure if measure == "share" else f"{measure}:{unit}")
    return frozenset(out)


def figures_agree(x: Sequence[Figure], y: Sequence[Figure], ratio: float = 1.5) -> bool:
    """Some figure of each claim counts the same unit with values within `ratio` of each
    other: variants of one figure (100,000 vs 127,000 troops), or, below 100, the same count
    (75 prisoners). Two exact figures that differ are two counts, not variants of one ("7,000
    troops will be sent" and "8,500 troops put on alert"); a hedged one ("more than 100,000",
    "an estimated 100,000") may vary.

    >>> figures_agree([Figure(100_000.0, "troop", False)], [Figure(127_000.0, "troop", True)])
    True
    >>> figures_agree([Figure(7_000.0, "troop", True)], [Figure(8_500.0, "troop", True)])
    False
    """
    for f in x:
        for g in y:
            if f.unit != g.unit:
                continue
            low, high = sorted((f.value, g.value))
            if low == high or (low >= 100 and high / low <= ratio and not (f.exact and g.exact)):
                return True
    return False


# =========================================================================== signatures

def _claim_terms(claims: pd.DataFrame, cleaned: list[str]) -> list[list[str]]:
    """Content terms: the stored core terms (lemmas of what the sentence asserts, synonyms
    folded, places in one spelling, figures as <qty>) less figures, links and the terms of
    boilerplate cut from the text; claims without them fall back to the cleaned text's
    lowercased words."""
    stored = claims["core_terms"].astype(object).tolist() if "core_terms" in claims.columns \
        else [None] * len(claims)
    places = place_names()
    out = []
    for terms, text in zip(stored, cleaned):
        low = text.lower()
        if isinstance(terms, str) and terms.strip():
            # core terms of boilerplate cut from the text ("read more sun story") go with it
            words = [w for w in terms.split() if w in places or w[:4] in low]
        else:
            # no stored terms (claims built without a parse): the words, places in one spelling
            canon = _canonical_names()
            words = [canon.get(w, w) for w in (w.lower() for w in _WORD.findall(text))]
            words = [w for w in words if " " not in w]
        out.append([w for w in words if w != "<qty>" and "/" not in w and not w.startswith("http")])
    return out


def event_signatures(claims: pd.DataFrame) -> pd.DataFrame:
    """Per claim: event_text (boilerplate cut), boilerplate, event_anchors (specific names),
    speaker_anchors (those of its attributed source), event_predicates (classes of happening),
    event_when, event_sides, event_figures, event_measures, event_terms (content terms)."""
    texts = claims["text"].astype(object).where(claims["text"].notna(), "").astype(str).tolist()
    # wire copies and repeated sentences: each distinct text is read once
    clean_of = {t: clean_text(t) for t in dict.fromkeys(texts)}
    cleaned = [clean_of[t] for t in texts]
    distinct = list(dict.fromkeys(cleaned))
    caps = capitalisation(cleaned)
    terms = _claim_terms(claims, cleaned)
    quantities = claims["quantities"].tolist() if "quantities" in claims.columns else [None] * len(claims)
    sources = claims["attributed_to"].astype(object).tolist() if "attributed_to" in claims.columns \
        else [None] * len(claims)
    # (folding demonyms reads the set of all anchors, which repeats do not change)
    anchors = dict(zip(distinct, _fold_demonyms([anchors_of(c, caps) for c in distinct])))
    speakers = list(dict.fromkeys(x for x in sources if isinstance(x, str)))
    speaker_anchors = dict(zip(speakers, _fold_demonyms([anchors_of(x, caps) for x in speakers])))
    boiler = {c: is_boilerplate("", c) for c in distinct}
    when = {c: when_of(c) for c in distinct}
    sides = {c: sides_of(c) for c in distinct}
    return pd.DataFrame({
        "event_text": cleaned,
        "boilerplate": [boiler[c] for c in cleaned],
        "event_anchors": [list(anchors[c]) for c in cleaned],
        "speaker_anchors": [list(speaker_anchors[x]) if isinstance(x, str) else [] for x in sources],
        "event_predicates": [sorted(predicates_of(t)) for t in terms],
        "event_when": [when[c] for c in cleaned],
        "event_sides": [sides[c] for c in cleaned],
        "event_figures": [figures_of(q) for q in quantities],
        "event_measures": [measures_of(q) for q in quantities],
        "event_terms": terms,
    }, index=claims.index)
