"""The language analysis's rules as data: place spellings, contested terms, hedges and boosters,
persuasion cues (each file in `presslens/resources/` says where its entries come from), loaded
once per process, and VADER for tone."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .. import config
from ..regexscan import Anchored, alternation
from .tables import TECHNIQUES


def data_lines(name: str) -> Iterator[str]:
    with config.resource(name).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n")


def read_tsv(name: str) -> list[dict]:
    return list(csv.DictReader(data_lines(name), delimiter="\t", quoting=csv.QUOTE_NONE))


@dataclass(frozen=True)
class PlaceForm:
    form: str
    style: str  # russian_style | ukrainian_style
    place: str  # Ukrainian-style canonical name
    kind: str
    oblast: str


@lru_cache(maxsize=1)
def place_forms() -> dict[str, PlaceForm]:
    """Every spelling of `place_spellings.tsv` -> its style and canonical place. A form listed
    in both styles (none should be) is left out: it cannot tell the styles apart."""
    forms: dict[str, PlaceForm] = {}
    clash: set[str] = set()
    for row in read_tsv("place_spellings.tsv"):
        canonical = (row.get("ukrainian_style") or "").strip()
        if not canonical:
            continue
        kind, oblast = (row.get("kind") or "").strip(), (row.get("oblast") or "").strip()
        columns = (("ukrainian_style", "ukrainian_style"), ("ukrainian_variants", "ukrainian_style"),
                   ("russian_style", "russian_style"), ("variants", "russian_style"))
        for column, style in columns:
            for form in (row.get(column) or "").split("|"):
                form = form.strip()
                if not form:
                    continue
                if form in forms and forms[form].style != style:
                    clash.add(form)
                forms.setdefault(form, PlaceForm(form, style, canonical, kind, oblast))
    for form in clash:
        forms.pop(form, None)
    return forms


@lru_cache(maxsize=1)
def place_regex() -> re.Pattern:
    # Longest forms first so that a hyphenated compound (Kupyansk-Uzlovka) wins over its first
    # part (Kupyansk); case-sensitive, whole words; hyphens around are allowed ("pro-Kiev",
    # "Kyiv-based"), and so are quotation marks and possessives.
    names = sorted(place_forms(), key=lambda s: (-len(s), s))
    return re.compile(rf"(?<!\w){alternation(names)}(?!\w)")


@dataclass(frozen=True)
class CyrillicPlace:
    place: str  # Ukrainian-style Latin canonical name, as in place_spellings.tsv
    russian: re.Pattern
    ukrainian: re.Pattern


@lru_cache(maxsize=1)
def cyrillic_places() -> tuple[CyrillicPlace, ...]:
    """The Russian and Ukrainian Cyrillic forms of places (place_spellings_cyrillic.tsv)."""
    out = []
    for row in read_tsv("place_spellings_cyrillic.tsv"):
        out.append(CyrillicPlace(row["place"].strip(),
                                 re.compile(rf"(?<!\w)(?:{row['russian_style'].strip()})(?!\w)"),
                                 re.compile(rf"(?<!\w)(?:{row['ukrainian_style'].strip()})(?!\w)")))
    return tuple(out)


@lru_cache(maxsize=1)
def place_exonyms() -> dict[str, frozenset[str]]:
    """Language code -> the Latin forms that are that language's own standard names of
    Ukrainian places (place_exonyms.tsv): not a choice of the Russian name there."""
    return {row["language"].strip(): frozenset(f.strip() for f in row["forms"].split("|") if f.strip())
            for row in read_tsv("place_exonyms.tsv")}


@dataclass(frozen=True)
class ContestedPattern:
    concept: str
    regex: Anchored
    side: str
    neutral: str
    note: str
    technique: str = ""  # persuasion technique a hit also counts as ("" = none)


@lru_cache(maxsize=1)
def contested_patterns() -> tuple[ContestedPattern, ...]:
    out = []
    for row in read_tsv("contested_terms.tsv"):
        concept = row["concept"].strip()
        flags = 0
        if concept.startswith("cs:"):
            concept = concept[3:]
        else:
            flags = re.IGNORECASE
        regex = Anchored(re.compile(rf"(?<![\w-])(?:{row['pattern'].strip()})(?![\w-])", flags))
        out.append(ContestedPattern(concept, regex, row["side"].strip(), row["neutral"].strip(),
                                    (row.get("note") or "").strip(), (row.get("technique") or "").strip()))
    return tuple(out)


@dataclass(frozen=True)
class StanceEntry:
    term: str
    constraint: str  # "" | MD | NUM | TO


@lru_cache(maxsize=2)
def stance_lexicon(name: str) -> tuple[dict[str, StanceEntry], tuple[tuple[str, re.Pattern], ...]]:
    """(single-word entries by lowercase form, multi-word phrases as regexes) of a stance list."""
    words: dict[str, StanceEntry] = {}
    phrases = []
    for line in data_lines(name):
        term, _, constraint = line.strip().partition("/")
        if " " in term:
            phrases.append((term, Anchored(re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE))))
        else:
            words[term.lower()] = StanceEntry(term.lower(), constraint.upper())
    return words, tuple(phrases)


@dataclass(frozen=True)
class PersuasionLexicon:
    lemmas: dict[str, dict[str, str]]  # technique -> {lemma: pos or ""}
    phrases: dict[str, tuple[tuple[str, Anchored], ...]]
    fear_explicit: tuple[Anchored, ...]
    fear_modal: re.Pattern | None
    dropped: frozenset[tuple[str, str]] = frozenset()


@lru_cache(maxsize=2)
def persuasion_lexicon(pruned: bool = True) -> PersuasionLexicon:
    """The persuasion cues: hand-built entries plus those derived from the SemEval train split,
    minus (when `pruned`) the entries the train split showed to be almost never persuasive
    (`use = drop` rows of persuasion_derived.tsv)."""
    lemmas: dict[str, dict[str, str]] = {t: {} for t in TECHNIQUES}
    phrases: dict[str, list] = {t: [] for t in TECHNIQUES}
    fear_explicit: list[Anchored] = []
    fear_modal = None
    protected: set[tuple[str, str]] = set()
    for row in read_tsv("persuasion_lexicon.tsv"):
        technique, match, pos = row["technique"].strip(), row["match"].strip(), (row["pos"] or "").strip()
        entries = [e.strip() for e in (row["entries"] or "").split("|") if e.strip()]
        if technique not in lemmas:
            continue
        protected.update((technique, e[1:].lower()) for e in entries if e.startswith("!"))
        entries = [e.lstrip("!") for e in entries]
        if match == "lemma":
            for entry in entries:
                lemmas[technique].setdefault(entry.lower(), pos)
        elif match == "phrase":
            for entry in entries:
                phrases[technique].append(
                    (entry, Anchored(re.compile(rf"(?<![\w-])(?:{entry})(?![\w-])", re.IGNORECASE))))
        elif match == "regex":
            regex = re.compile("|".join(entries), re.IGNORECASE)
            if pos == "MODAL":
                fear_modal = regex
            elif technique == "appeal_to_fear":
                fear_explicit.append(Anchored(regex))
            else:
                phrases[technique].append((entries[0], Anchored(regex)))
    # Entries derived from the SemEval train split (see presslens.evaluate.language.derive_lexicon);
    # hand-built entries keep their part-of-speech restriction where both list a lemma.
    derived = config.RESOURCES_DIR / "persuasion_derived.tsv"
    dropped: set[tuple[str, str]] = set()
    if derived.exists():
        for row in read_tsv("persuasion_derived.tsv"):
            use, technique, key = row.get("use", "yes").strip(), row["technique"], row["lemma"].strip().lower()
            if use == "yes" and technique in lemmas:
                lemmas[technique].setdefault(key, row["pos"].strip())
            elif use == "drop" and pruned and (technique, key) not in protected:
                dropped.add((technique, key))
    for technique, key in dropped:
        lemmas.get(technique, {}).pop(key, None)
    kept_phrases = {t: tuple(p for p in ps if (t, p[0].lower()) not in dropped) for t, ps in phrases.items()}
    return PersuasionLexicon(lemmas, kept_phrases, tuple(fear_explicit), fear_modal, frozenset(dropped))


@lru_cache(maxsize=1)
def vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()
