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
   several countries use ("Security Council", "Defense Department") yields to a country word right
   before it ("Russia's Security Council");
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

import csv
import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import config

__all__ = [
    "Match", "Office", "country_of_phrase", "evidence", "side", "resolve_side", "bloc_of",
    "canonical_country_name", "officeholder", "offices_of", "holder_of", "institution_of",
]

UNKNOWN = "unknown"
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:[.'\u2019\-&+/][^\W_]+)*|\S")
_PARTY_TAG = re.compile(r"\((?:R|D|I)\s?[-\u2013]\s?[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?\)")
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "that"})
_LOCATIVE = frozenset({"in", "at", "inside", "outside", "throughout", "within"})
_AFFILIATIVE = frozenset({"of", "from", "for"})
_REGION_SUFFIX = frozenset({"region", "oblast", "province", "krai", "republic", "district", "area",
                            "governorate", "county"})
_REGIONAL_OFFICE = frozenset({"governor", "governors", "gov.", "regional", "region's", "oblast",
                              "region", "province", "krai"})
_CITY_OFFICE = frozenset({"mayor", "mayors", "city", "city's", "municipal"})
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "dame", "lord", "general", "gen",
                     "lt", "colonel", "col", "admiral", "adm", "major", "maj", "captain", "capt",
                     "sergeant", "commander", "marshal", "minister", "president", "premier",
                     "chancellor", "secretary", "senator", "sen", "rep", "gov", "governor", "mayor",
                     "king", "queen", "prince", "princess", "pope", "patriarch", "ayatollah",
                     "sheikh", "cardinal", "ambassador", "envoy", "spokesman", "spokeswoman",
                     "chief", "head", "deputy", "leader", "foreign", "defence", "defense", "prime",
                     "vice", "former", "ex", "acting", "top", "exiled", "late"})
_RANK = {"person": 0, "block": 1, "inst": 2, "country": 3, "demonym": 4, "capital": 5,
         "place": 6, "surname": 7}
_NOT_HEADS = frozenset({"spokesperson", "defence_ministry_spokesperson", "military_intelligence_spokesperson",
                        "un_ambassador_deputy", "deputy_foreign_minister", "deputy_defence_minister",
                        "commissioner", "under_secretary_general", "presidential_aide"})


@dataclass(frozen=True)
class Match:
    """One clue to a source's side: `code` (ISO 3166-1 alpha-2, EU, NATO, UN or INT), the
    character span [start, end) of the evidence in the text passed in, the `rule` that read it,
    what it names (`canonical`), the source type it implies when it implies one, and its
    `priority` (lower is stronger)."""

    code: str
    start: int
    end: int
    rule: str
    text: str
    canonical: str | None = None
    source_type: str | None = None
    priority: float = 9.0

    @property
    def bloc(self) -> str:
        return bloc_of(self.code)


@dataclass(frozen=True)
class Office:
    """One row of officeholders.tsv: a person in one office for one period."""

    name: str
    roles: tuple[str, ...]
    title: str
    country: str
    region: str
    source_type: str
    start: str
    end: str
    source: str

    def covers(self, date: _dt.date) -> bool:
        return _as_date(self.start, first=True) <= date <= _as_date(self.end, first=False)


@dataclass(frozen=True)
class _Place:
    name: str
    country: str
    kind: str
    region: str
    office_side: str

    @property
    def settlement(self) -> bool:
        return self.kind not in ("region", "region_historic", "us_state")


@dataclass(frozen=True)
class _Inst:
    canonical: str
    country: str
    source_type: str
    scope: str


@dataclass
class _Gazetteer:
    index: dict = field(default_factory=dict)       # casefold first token -> [(tokens, kind, payload)]
    roles: dict = field(default_factory=dict)       # casefold first token -> [(tokens, roles, country)]
    words: dict = field(default_factory=dict)       # kind -> frozenset of casefolded words
    countries: dict = field(default_factory=dict)   # code -> row
    offices: dict = field(default_factory=dict)     # person name -> tuple[Office]
    surnames: dict = field(default_factory=dict)    # surname -> tuple of person names
    regions: dict = field(default_factory=dict)     # (country, region name) -> _Place
    institutions: dict = field(default_factory=dict)  # canonical -> _Inst


# ----------------------------------------------------------------------------- resources


def _rows(name: str) -> list[dict]:
    with config.resource(name).open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _norm(token: str) -> str:
    return token.replace("\u2019", "'")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Tokens with their character spans; a possessive 's is a token of its own."""
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        tok, start, end = _norm(m.group()), m.start(), m.end()
        if len(tok) > 2 and tok[-2:].lower() == "'s" and "'" not in tok[:-2]:
            out.append((tok[:-2], start, end - 2))
            out.append(("'s", end - 2, end))
        else:
            out.append((tok, start, end))
    return out


def _add(table: dict, surface: str, kind: str, payload) -> None:
    toks = tuple(t for t, _, _ in tokenize(surface))
    if toks:
        table.setdefault(toks[0].casefold(), []).append((toks, kind, payload))


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    g = _Gazetteer()
    for r in _rows("countries.tsv"):
        code = r["code"]
        g.countries[code] = r
        for name in [r["name"], *_split(r["aliases"])]:
            _add(g.index, name, "country", code)
        for dem in _split(r["demonyms"]):
            _add(g.index, dem, "demonym", code)
        for cap in _split(r["capitals"]):
            _add(g.index, cap, "capital", code)
    with config.resource("not_sides.txt").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                _add(g.index, line.strip(), "block", None)
    for r in _rows("institutions.tsv"):
        inst = _Inst(r["canonical"], r["country"], r["source_type"], r["scope"])
        g.institutions.setdefault(inst.canonical, inst)
        for pat in _split(r["pattern"]):
            _add(g.index, pat, "inst", inst)
    _load_places(g)
    _load_people(g)
    words: dict[str, set] = {}
    for r in _rows("office_roles.tsv"):
        if r["kind"] == "role":
            _add(g.roles, r["phrase"], "role", (tuple(_split(r["roles"])), r["country"]))
        else:
            words.setdefault(r["kind"], set()).add(_norm(r["phrase"]).casefold())
    g.words = {k: frozenset(v) for k, v in words.items()}
    for entries in (*g.index.values(), *g.roles.values()):
        entries.sort(key=lambda e: -len(e[0]))
    return g


def _load_places(g: _Gazetteer) -> None:
    """Every spelling of a place -> all the places it may name (Donetsk the city and the
    oblast), so that the office word can choose ("the Donetsk governor" vs "Donetsk's mayor")."""
    by_surface: dict[str, list[_Place]] = {}
    for r in _rows("places_country.tsv"):
        place = _Place(r["place"], r["country"], r["kind"], r["region"] or r["place"],
                       r["office_side"] or r["country"])
        for name in [r["place"], *_split(r["variants"])]:
            by_surface.setdefault(name, []).append(place)
        if not place.settlement:
            g.regions.setdefault((place.country, place.region), place)
    for r in _rows("place_spellings.tsv"):
        if r["kind"] == "river":
            continue
        oblast = r["oblast"] or r["ukrainian_style"]
        region = g.regions.get(("UA", oblast))
        place = _Place(r["ukrainian_style"], "UA", r["kind"], oblast,
                       region.office_side if region is not None else "UA")
        for name in [r["ukrainian_style"], r["russian_style"], *_split(r["variants"]),
                     *_split(r.get("ukrainian_variants"))]:
            known = by_surface.setdefault(name, [])
            if not any(p.settlement == place.settlement for p in known):
                known.append(place)
    for name, places in by_surface.items():
        _add(g.index, name, "place", tuple(places))


def _load_people(g: _Gazetteer) -> None:
    surnames: dict[str, set] = {}
    offices: dict[str, list] = {}
    for r in _rows("officeholders.tsv"):
        office = Office(r["name"], tuple(_split(r["roles"])), r["title"], r["country"],
                        r["region"], r["source_type"], r["start"], r["end"], r["source"])
        if r["name"] not in offices:
            for name in [r["name"], *_split(r["aliases"])]:
                _add(g.index, name, "person", r["name"])
        offices.setdefault(r["name"], []).append(office)
        for surname in _split(r["surname"]):
            surnames.setdefault(surname, set()).add(r["name"])
    g.offices = {k: tuple(v) for k, v in offices.items()}
    g.surnames = {k: tuple(sorted(v)) for k, v in surnames.items()}
    for surname in g.surnames:
        _add(g.index, surname, "surname", surname)


# ----------------------------------------------------------------------------- dates and offices


def _as_date(value, first: bool = True) -> _dt.date:
    """A full or partial ISO date ("2024", "2024-05", "2024-05-14") as the first or last day of
    the period it names; empty is open-ended."""
    if value is None or value == "":
        return _dt.date.min if first else _dt.date.max
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        return value.date()
    parts = [int(p) for p in str(value)[:10].split("-") if p]
    if len(parts) == 1:
        return _dt.date(parts[0], 1, 1) if first else _dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        if first:
            return _dt.date(parts[0], parts[1], 1)
        nxt = _dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - _dt.timedelta(days=1)
    return _dt.date(*parts[:3])


def _pick(offices, date) -> Office | None:
    """The office held on `date`; without a date the current one (open end), else the latest."""
    if not offices:
        return None
    if date is not None:
        day = _as_date(date)
        held = [o for o in offices if o.covers(day)]
        return max(held, key=lambda o: _as_date(o.start)) if held else None
    return max(offices, key=lambda o: (o.end == "", _as_date(o.end, first=False), _as_date(o.start)))


def offices_of(name: str) -> tuple[Office, ...]:
    """Every office of a person, by full name, alias or unambiguous surname."""
    g = _gazetteer()
    toks = tuple(t for t, _, _ in tokenize(name))
    for pats, kind, payload in g.index.get(toks[0].casefold(), []) if toks else []:
        if len(pats) == len(toks) and all(_eq(p, t) for p, t in zip(pats, toks)):
            if kind == "person":
                return g.offices[payload]
            if kind == "surname" and len(g.surnames[payload]) == 1:
                return g.offices[g.surnames[payload][0]]
    return ()


def officeholder(name: str, date=None) -> Office | None:
    """The office a named person held on `date` (or holds now, or held last): its country,
    title and source type; None for a name not in officeholders.tsv."""
    offices = offices_of(name)
    return _pick(offices, date) or _pick(offices, None)


# ----------------------------------------------------------------------------- matching


def _eq(pattern: str, token: str) -> bool:
    if pattern == token:
        return True
    if pattern.islower() or pattern.lower() == "the":
        return token.lower() == pattern.lower()
    return token.isupper() and len(token) > 1 and pattern.upper() == token


def _scan(tokens: list, table: dict) -> list[tuple[int, int, str, object]]:
    """Longest matches left to right, without overlap: (first token, end token, kind, payload)."""
    hits, i, n = [], 0, len(tokens)
    while i < n:
        best = None
        for pats, kind, payload in table.get(tokens[i][0].casefold(), ()):
            j = i + len(pats)
            if j > n or (best and (j - i < best[1] - best[0])):
                continue
            if all(_eq(p, tokens[i + k][0]) for k, p in enumerate(pats)):
                cand = (i, j, kind, payload)
                if best is None or j - i > best[1] - best[0] or _RANK.get(kind, 9) < _RANK.get(best[2], 9):
                    best = cand
        if best is not None:
            hits.append(best)
            i = best[1]
        else:
            i += 1
    return hits


def _single(word: str) -> tuple[str, object] | None:
    """What one word (a part of a hyphenated compound) names, if anything."""
    g = _gazetteer()
    best = None
    for pats, kind, payload in g.index.get(word.casefold(), ()):
        if len(pats) == 1 and _eq(pats[0], word) and kind != "block":
            if best is None or _RANK.get(kind, 9) < _RANK.get(best[0], 9):
                best = (kind, payload)
    return best


def _code_of(kind: str, payload, date) -> tuple[str | None, str | None, str | None]:
    """(code, canonical, source type) of a matched name."""
    g = _gazetteer()
    if kind in ("country", "demonym", "capital"):
        return payload, g.countries[payload]["name"], None
    if kind == "inst":
        return payload.country or None, payload.canonical, payload.source_type
    if kind == "person":
        office = _pick(g.offices[payload], date) or _pick(g.offices[payload], None)
        return office.country, payload, office.source_type
    if kind == "surname":
        people = g.surnames[payload]
        picked = [_pick(g.offices[p], date) or _pick(g.offices[p], None) for p in people]
        codes = {o.country for o in picked}
        if len(codes) == 1:
            return picked[0].country, people[0] if len(people) == 1 else None, picked[0].source_type
        return None, None, None
    if kind == "place":
        return payload[0].country, payload[0].name, None
    return None, None, None


class _Reader:
    """The clues of one phrase."""

    def __init__(self, text: str, metonym: bool, date) -> None:
        self.g = _gazetteer()
        self.text, self.metonym, self.date = text, metonym, date
        self.tokens = tokenize(text)
        self.low = [t.casefold() for t, _, _ in self.tokens]
        self.hits = _scan(self.tokens, self.g.index)
        self.covered = {k for i, j, _, _ in self.hits for k in range(i, j)}
        self.out: list[Match] = []

    def word_in(self, kind: str, i: int) -> bool:
        return 0 <= i < len(self.low) and self.low[i] in self.g.words.get(kind, ())

    def any_word(self, kind: str) -> bool:
        return any(self.word_in(kind, k) for k in range(len(self.low)) if k not in self.covered)

    def prev_index(self, i: int) -> int:
        k = i - 1
        while k >= 0 and self.low[k] in _DETERMINERS:
            k -= 1
        return k

    def context(self, i: int) -> tuple[str, bool]:
        """The preposition governing token i ('' if none) and whether it follows a diplomatic
        noun ("ambassador to", "embassy in")."""
        k = self.prev_index(i)
        if k < 0:
            return "", False
        prep = self.low[k]
        return prep, self.word_in("diplomatic", self.prev_index(k))

    def add(self, code, i, j, rule, priority, canonical=None, source_type=None) -> None:
        if not code:
            return
        start, end = self.tokens[i][1], self.tokens[j - 1][2]
        self.out.append(Match(code, start, end, rule, self.text[start:end], canonical,
                              source_type, priority))

    def capitalised_name(self, k: int) -> bool:
        """Token k is a capitalised word that is neither a title nor a known name."""
        if k < 0 or k >= len(self.tokens) or k in self.covered:
            return False
        tok = self.tokens[k][0]
        return tok[:1].isupper() and tok.lower().rstrip(".") not in _TITLES and tok != "'s" \
            and not self.word_in("office", k) and not self.word_in("role", k)

    def read(self) -> list[Match]:
        for n, (i, j, kind, payload) in enumerate(self.hits):
            if kind == "block":
                continue
            prep, diplomatic = self.context(i)
            if prep in self.g.words.get("target", ()) or (diplomatic and prep in ("to", "in", "at")):
                continue
            poss = j < len(self.low) and self.low[j] == "'s"
            after = j + 1 if poss else j
            getattr(self, "_" + kind)(n, i, j, payload, prep, poss, after)
        self._compounds()
        self._markers()
        for m in _PARTY_TAG.finditer(self.text):
            self.out.append(Match("US", m.start(), m.end(), "us_party", m.group(), None, "official", 3))
        self._role_implied()
        self.out.sort(key=lambda m: (m.priority, m.start))
        return self.out

    # one method per kind of name ---------------------------------------------------------

    def _person(self, n, i, j, payload, prep, poss, after) -> None:
        code, canonical, st = _code_of("person", payload, self.date)
        self.add(code, i, j, "officeholder", 1, canonical, st)

    def _surname(self, n, i, j, payload, prep, poss, after) -> None:
        if i - 1 > 0 and self.capitalised_name(i - 1):
            return  # another person of the same surname ("Hunter Biden")
        code, canonical, st = _code_of("surname", payload, self.date)
        self.add(code, i, j, "officeholder", 1.5, canonical, st)

    def _inst(self, n, i, j, inst, prep, poss, after) -> None:
        if inst.scope == "default" and n > 0:
            pi, pj, pkind, _ = self.hits[n - 1]
            gap = self.low[pj:i]
            if pkind in ("country", "demonym", "capital", "place") and gap in ([], ["'s"]):
                self.add_type_only(i, j, inst)
                return
        if not inst.country or inst.scope == "generic":
            self.add_type_only(i, j, inst)
            return
        self.add(inst.country, i, j, "institution", 2, inst.canonical, inst.source_type)

    def add_type_only(self, i, j, inst) -> None:
        start, end = self.tokens[i][1], self.tokens[j - 1][2]
        self.out.append(Match(UNKNOWN, start, end, "institution_type", self.text[start:end],
                              inst.canonical, inst.source_type, 99))

    def _country(self, n, i, j, code, prep, poss, after) -> None:
        flags = self.g.countries[code]["flags"]
        if "given_name" in flags and (self.capitalised_name(after) or self.capitalised_name(i - 1)):
            return
        if "us_state" in flags and (self.any_word("us_state") or _PARTY_TAG.search(self.text)):
            self.add("US", i, j, "us_state", 5, "Georgia (US state)")
            return
        if not poss and self.word_in("topic", j):
            return
        if prep in _LOCATIVE:
            self.add(code, i, j, "location", 8, self.g.countries[code]["name"])
        else:
            self.add(code, i, j, "possessive" if poss else "country", 3 if poss else 5,
                     self.g.countries[code]["name"])

    def _demonym(self, n, i, j, code, prep, poss, after) -> None:
        self.add(code, i, j, "demonym", 4, self.g.countries[code]["name"])

    def _capital(self, n, i, j, code, prep, poss, after) -> None:
        name = self.g.countries[code]["name"]
        if poss:
            self.add(code, i, j, "possessive", 3, name)
        elif self.word_in("office", j) or self.word_in("people", j) or self.low[j:j + 1] and \
                self.low[j] in _REGION_SUFFIX:
            self.add(code, i, j, "capital_office", 6, name)
        elif prep in _LOCATIVE:
            self.add(code, i, j, "location", 8, name)
        elif prep == "from":
            self.add(code, i, j, "location", 7, name)
        elif self.metonym and not prep:
            self.add(code, i, j, "capital", 6, name)

    def _place(self, n, i, j, places: tuple, prep, poss, after) -> None:
        free = [k for k in range(len(self.low)) if k not in self.covered]
        regional = (j < len(self.low) and self.low[j] in _REGION_SUFFIX) or any(
            self.low[k] in _REGIONAL_OFFICE for k in free)
        city = any(self.low[k] in _CITY_OFFICE for k in free)
        settlement = next((p for p in places if p.settlement), None)
        region = next((p for p in places if not p.settlement), None)
        if region is None and settlement is not None:
            region = self.g.regions.get((settlement.country, settlement.region))
        if regional and not city:
            entry = region or settlement
        else:
            entry = settlement or region
        if self.any_word("office"):
            self.add(entry.office_side, i, j, "place_office", 7, entry.name)
        elif self.any_word("people"):
            self.add(entry.country, i, j, "place_people", 7, entry.name)
        elif poss or prep in _AFFILIATIVE or prep in _LOCATIVE:
            self.add(entry.country, i, j, "location", 8, entry.name)

    # words outside the gazetteer hits ---------------------------------------------------

    def _compounds(self) -> None:
        for k, (tok, _, _) in enumerate(self.tokens):
            if k in self.covered or "-" not in tok:
                continue
            parts = tok.split("-")
            head, last = parts[0].lower(), parts[-1].lower()
            if head == "pro" and len(parts) > 1:
                found, rule, prio = _single("-".join(parts[1:])), "pro", 3
            elif last in self.g.words.get("marker", ()):
                found, rule, prio = _single("-".join(parts[:-1])), "marker", 3
            elif last in self.g.words.get("location", ()):
                found, rule, prio = _single("-".join(parts[:-1])), "location", 8
            else:
                continue
            if found is None:
                continue
            code, canonical, st = _code_of(found[0], found[1], self.date)
            if found[0] == "place":
                code = found[1][0].office_side if rule == "marker" else found[1][0].country
            if rule == "pro" and bloc_of(code) not in ("Russia", "Ukraine"):
                continue  # a stance ("pro-Palestinian protesters"), not a side
            self.add(code, k, k + 1, rule, prio, canonical, st if found[0] in ("inst", "person") else None)

    def _markers(self) -> None:
        for k in range(len(self.low)):
            if k not in self.covered and self.word_in("ru_marker", k):
                self.add("RU", k, k + 1, "ru_marker", 6, "Russian-installed authorities")

    def _role_implied(self) -> None:
        for i, j, _, (_, country) in _scan(self.tokens, self.g.roles):
            if country:
                self.add(country, i, j, "role", 9)


def evidence(text: str, metonym: bool = False, date=None) -> list[Match]:
    """Every clue to the side in `text`, strongest first. Clues with code 'unknown' carry only a
    source type (a generic institution: "the defence ministry" -> military)."""
    if not text or not text.strip():
        return []
    return _Reader(text, metonym, date).read()


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
                 date=None, metonym: bool = True) -> tuple[Match | None, str]:
    """The side of a source from its phrase, then from its resolved name (a pronoun's
    antecedent), then from the sentence around it: (match, 'source'|'canonical'|'context') or
    (None, '')."""
    for text, via, meto in ((source, "source", metonym), (canonical, "canonical", metonym),
                            (context, "context", False)):
        m = country_of_phrase(text, meto, date) if text else None
        if m is not None:
            return m, via
    return None, ""


def institution_of(text: str) -> Match | None:
    """The first institution, outlet or body named in `text` with its type and country (code
    'unknown' for generic ones: "the defence ministry")."""
    for m in sorted(evidence(text), key=lambda m: m.start):
        if m.rule in ("institution", "institution_type"):
            return m
    return None


def bloc_of(code: str | None) -> str:
    """Coarse bloc for charts: Russia, Ukraine, West, international, other, or unknown."""
    row = _gazetteer().countries.get(code or "")
    return row["bloc"] if row else UNKNOWN


def canonical_country_name(code: str | None) -> str:
    row = _gazetteer().countries.get(code or "")
    return row["name"] if row else UNKNOWN


def holder_of(description: str, date=None) -> Office | None:
    """Who held the office a description names ("Russia's defence minister", "the Kremlin
    spokesman", "the Belgorod governor", "the UN chief") on `date` (the article date); without a
    date the current holder (the last one the gazetteer knows). None when the description names
    no role, no country, a deputy or former holder, or an office with no holder in the table."""
    g = _gazetteer()
    tokens = tokenize(description)
    roles = _scan(tokens, g.roles)
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
            picked = _pick(rows, date)
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
        picked = _pick(rows, date)
        if picked is not None:
            return picked
    return None
