"""Which country or bloc a news source belongs to, read off the words that name it.

Pure string work (no spaCy): a phrase is split into tokens, matched against gazetteers in
`resources/` (countries.tsv, institutions.tsv, officeholders.tsv, places_country.tsv with
place_spellings.tsv, office_roles.tsv, not_sides.txt), and every clue becomes a `Match` that keeps
the character span of its evidence. The strongest clue wins; ties go to the leftmost (the head of
an English source phrase comes first: "Joe Biden and Boris Johnson" -> US). Strength, strongest
first:

1. an office-holder's name ("Sergei Shoigu", "Shoigu" where the surname is unambiguous), with the
   office held on the article date when one is given (Mark Rutte: NL until 2024-07, then NATO);
2. a named institution, outlet or body ("the Kremlin", "TASS", "Reuters", "the IAEA"); a name
   several countries use ("Security Council", "Defense Department") and an international body
   (EU, NATO, UN, INT) yield to a country word right before them ("Russia's Security Council",
   "India's G20 negotiator", "the Russian UN envoy");
3. a possessive country, capital or person ("Britain's defence secretary", "Moscow's envoy"), a
   tied compound ("Kremlin-backed", "Russian-installed") and a US party tag "(R-Texas)"; "pro-X"
   only for the two sides of the war ("pro-Russian separatists" RU, "pro-Kyiv partisans" UA, as
   FORMAT.md counts Russian-backed forces): elsewhere it is a stance ("pro-Palestinian protesters");
4. a demonym ("Polish armed forces", "a Ukrainian soldier");
5. a country name ("Russia said", "officials from Poland");
6. a capital used as a metonym (only where the caller says the phrase is a speech verb's subject,
   `metonym=True`: "Warsaw said"; or with an office word: "Kyiv officials"), and the words this
   war's coverage uses for Russian-installed authorities ("separatist", "occupation authorities");
7. a place with an office or people word ("the Belgorod governor" RU, "Lviv's regional governor"
   UA, "a Kharkiv resident" UA): regional offices take the region's side (office_side in
   places_country.tsv: Crimea and the cities held since 2014 are RU; the rest of Ukraine UA);
8. where the source is ("officials in Kyiv", "a Kyiv-based analyst");
9. a title that implies a country ("the Secretary of State" US, "the Pope" VA).

Never taken as the side: the object of "against/on/about/over..." ("sanctions against Russia"),
the host after a diplomatic noun ("Britain's ambassador to Russia", "the embassy in Washington"),
a country name used as a subject of expertise ("a Russia expert", "our Ukraine correspondent"),
a given-name country next to another name ("Jordan Bardella"), and fixed phrases of not_sides.txt.
"Georgia" is the country unless US-state cues stand in the phrase (Sen., Republican, Atlanta...).
Case matters: "Turkey"/"Poles"/"Polish" count, "turkey"/"poles"/"polish" do not; an all-caps
text ("RUSSIA") matches the capitalised form.
"""

from __future__ import annotations

import re

from .gazetteer import (
    UNKNOWN,
    Match,
    Office,
    bloc_of,
    canonical_country_name,
    gazetteer,
    pick_office,
    scan,
    token_matches,
    tokenize,
)
from .reader import Reader

__all__ = [
    "Match", "Office", "UNKNOWN", "country_of_phrase", "evidence", "side", "resolve_side",
    "person_side", "bloc_of", "canonical_country_name", "officeholder", "offices_of", "holder_of",
    "institution_of", "tokenize",
]

_NOT_HEADS = frozenset({"spokesperson", "defence_ministry_spokesperson", "military_intelligence_spokesperson",
                        "un_ambassador_deputy", "deputy_foreign_minister", "deputy_defence_minister",
                        "commissioner", "under_secretary_general", "presidential_aide"})


def offices_of(name: str) -> tuple[Office, ...]:
    """Every office of a person, by full name, alias or unambiguous surname."""
    g = gazetteer()
    toks = tuple(t for t, _, _ in tokenize(name))
    for pats, kind, payload in g.index.get(toks[0].casefold(), []) if toks else []:
        if len(pats) == len(toks) and all(token_matches(p, t) for p, t in zip(pats, toks)):
            if kind == "person":
                return g.offices[payload]
            if kind == "surname" and len(g.surnames[payload]) == 1:
                return g.offices[g.surnames[payload][0]]
    return ()


def officeholder(name: str, date=None) -> Office | None:
    """The office a named person held on `date` (or holds now, or held last): its country,
    title and source type; None for a name not in officeholders.tsv."""
    offices = offices_of(name)
    return pick_office(offices, date) or pick_office(offices, None)


def evidence(text: str, metonym: bool = False, date=None) -> list[Match]:
    """Every clue to the side in `text`, strongest first. Clues with code 'unknown' carry only a
    source type (a generic institution: "the defence ministry" -> military)."""
    if not text or not text.strip():
        return []
    return Reader(text, metonym, date).read()


def country_of_phrase(text: str, metonym: bool = False, date=None) -> Match | None:
    """The side of the source named by `text` (a source phrase, a canonical name, or a whole
    sentence as a weaker fallback), or None when the words give no clue. `metonym=True` when the
    phrase is the subject of a speech verb, so that a capital stands for its government
    ("Warsaw said"); `date` (article date) picks the office a person held then."""
    found = evidence(text, metonym, date)
    for m in found:
        if m.code != UNKNOWN:
            if m.source_type is None:
                typed = [e for e in found if e.source_type]
                if typed:
                    m = Match(m.code, m.start, m.end, m.rule, m.text, m.canonical,
                              typed[0].source_type, m.priority)
            return m
    return None


def side(text: str, metonym: bool = False, date=None) -> str:
    """The side code of `text`, 'unknown' when there is no clue."""
    m = country_of_phrase(text, metonym, date)
    return m.code if m else UNKNOWN


def resolve_side(source: str, canonical: str | None = None, context: str | None = None,
                 date=None, metonym: bool = True, article: str | None = None) -> tuple[Match | None, str]:
    """The side of a source from its phrase, then from its resolved name (a pronoun's
    antecedent), then from the words next to that person's other mentions in the `article`
    (`person_side`), then from the sentence around it: (match, 'source'|'canonical'|'article'|
    'context') or (None, ''). Spans of 'article' matches are offsets into `article`."""
    for text, via, meto in ((source, "source", metonym), (canonical, "canonical", metonym)):
        m = country_of_phrase(text, meto, date) if text else None
        if m is not None:
            return m, via
    if article:
        for name in (canonical, source):
            m = person_side(name, article, date) if name else None
            if m is not None:
                return m, "article"
    m = country_of_phrase(context, False, date) if context else None
    return (m, "context") if m is not None else (None, "")


_NAME_WORD = re.compile(r"^[A-Z][\w'\u2019-]+$")
_WINDOW_STOP = frozenset({".", "!", "?", ",", ";", ":", '"', "\u201c", "\u201d", "(", ")",
                          "said", "says", "told", "tells", "wrote", "added", "and", "but", "who",
                          "which", "that", "when", "while", "after", "before", "as"})
_APPOSITION_START = frozenset({"a", "an", "the", "who's", "whose"})


def person_side(name: str, article: str, date=None) -> Match | None:
    """The side of a named person from the words attached to any mention of them in the article,
    for people the gazetteers do not know: the title run before the name ("Russian columnist
    Mikhail Rostovsky"), the employer after it ("Ivan Petrov of the Russian daily Izvestia"), a US
    party tag ("Sen. John Fetterman (D-Pa.)") and an apposition
    ("Boris Bondarev, a former Russian diplomat,"). Only strong clues count (a name, institution,
    possessive, demonym, country or party tag; never a place or a location). The most frequent
    side wins, the first mention breaking ties; spans are offsets into `article`."""
    words = [t for t, _, _ in tokenize(name) if _NAME_WORD.match(t)]
    if not words or not article:
        return None
    known = country_of_phrase(name, False, date)
    if known is not None and known.rule in ("officeholder", "institution"):
        return known
    surname = re.escape(words[-1])
    votes: dict[str, list[Match]] = {}
    for hit in re.finditer(rf"(?<![\w-]){surname}(?![\w-])", article):
        for lo, hi in _windows(article, hit.start(), hit.end()):
            for m in evidence(article[lo:hi], False, date):
                if m.code != UNKNOWN and m.priority <= 5:
                    votes.setdefault(m.code, []).append(
                        Match(m.code, lo + m.start, lo + m.end, m.rule, m.text, m.canonical,
                              m.source_type, m.priority))
                    break
    if not votes:
        return None
    return max(votes.values(), key=lambda ms: (len(ms), -ms[0].start))[0]


def _windows(article: str, start: int, end: int) -> list[tuple[int, int]]:
    """The title run before a mention (up to 8 tokens, stopping at punctuation, a speech verb or
    a conjunction) and what directly follows it (a parenthesis or an apposition)."""
    left = tokenize(article[max(0, start - 160):start])
    offset = max(0, start - 160)
    lo = start
    for tok, s, _ in reversed(left[-8:]):
        if tok.lower() in _WINDOW_STOP:
            break
        lo = offset + s
    out = [(lo, end)]
    rest = article[end:end + 200]
    employer = re.match(r" (?:of|at|from|for) ", rest)
    if employer:
        run = tokenize(rest[employer.end():])[:6]
        stop = next((s for tok, s, _ in run if tok.lower() in _WINDOW_STOP), None)
        hi = employer.end() + (stop if stop is not None else (run[-1][2] if run else 0))
        out.append((end, end + hi))
    if rest.startswith(" ("):
        close = rest.find(")")
        if 0 < close < 40:
            out.append((end, end + close + 1))
    elif rest.startswith(", "):
        right = tokenize(rest[2:])
        if right and right[0][0].lower() in _APPOSITION_START:
            stop = next((s for tok, s, _ in right if tok in (",", ".", ";", ")") or tok.lower() in
                         ("who", "which", "said", "told")), len(rest) - 2)
            out.append((end + 2, end + 2 + stop))
    return out


def institution_of(text: str) -> Match | None:
    """The first institution, outlet or body named in `text` with its type and country (code
    'unknown' for generic ones: "the defence ministry")."""
    for m in sorted(evidence(text), key=lambda m: m.start):
        if m.rule in ("institution", "institution_type"):
            return m
    return None


def holder_of(description: str, date=None) -> Office | None:
    """Who held the office a description names ("Russia's defence minister", "the Kremlin
    spokesman", "the Belgorod governor", "the UN chief") on `date` (the article date); without a
    date the current holder (the last one the gazetteer knows). None when the description names
    no role, no country, a deputy or former holder, or an office with no holder in the table."""
    g = gazetteer()
    tokens = tokenize(description)
    roles = scan(tokens, g.roles)
    if not roles:
        return None
    i, j, _, (keys, implied) = max(roles, key=lambda h: h[1] - h[0])
    before = {t.casefold() for t, _, _ in tokens[max(0, i - 2):i]}
    if before & {"deputy", "vice", "former", "ex", "first", "late", "previous"}:
        return None
    found = evidence(description, date=date)
    clues = [m for m in found if m.code != UNKNOWN and m.rule != "role"]
    code = clues[0].code if clues else implied
    region = next((m.canonical for m in clues if m.rule in ("place_office", "location")), None)
    body = next((m.canonical for m in found if m.rule in ("institution", "institution_type")), None)
    host = None
    if " to " in description:
        host = side(description.split(" to ", 1)[1])
    for key in keys:
        if key == "org_head":
            rows = [o for offs in g.offices.values() for o in offs
                    if body and o.region == body and not set(o.roles) & _NOT_HEADS]
            picked = pick_office(rows, date)
            if picked is not None:
                return picked
            continue
        rows = [o for offs in g.offices.values() for o in offs if key in o.roles]
        by_body = [o for o in rows if body and o.region == body]
        if by_body:
            rows = by_body
        elif not code:
            continue
        else:
            rows = [o for o in rows if o.country == code]
            if key in ("governor", "mayor"):
                if not region:
                    continue
                rows = [o for o in rows if o.region == region]
            elif key == "ambassador":
                rows = [o for o in rows if o.region == host]
        picked = pick_office(rows, date)
        if picked is not None:
            return picked
    return None
