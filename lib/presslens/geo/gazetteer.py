"""The gazetteers of the side resolver, read once from `resources/`, and the token matcher.

countries.tsv, institutions.tsv, officeholders.tsv, places_country.tsv with place_spellings.tsv,
office_roles.tsv and not_sides.txt become one index: first token (case-folded) -> the surface forms
that start with it, longest first. A lower-case pattern token matches any case ("defence
ministry"), a capitalised one only itself or its all-caps form ("Turkey", "TURKEY", not "turkey").
"""

from __future__ import annotations

import csv
import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import config

UNKNOWN = "unknown"
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:[.'\u2019\-&+/][^\W_]+)*|\S")
_RANK = {"person": 0, "block": 1, "inst": 2, "country": 3, "demonym": 4, "capital": 5,
         "place": 6, "surname": 7}


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
        return as_date(self.start, first=True) <= date <= as_date(self.end, first=False)


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    kind: str
    region: str
    office_side: str

    @property
    def settlement(self) -> bool:
        return self.kind not in ("region", "region_historic", "us_state")


@dataclass(frozen=True)
class Institution:
    canonical: str
    country: str
    source_type: str
    scope: str


@dataclass
class Gazetteer:
    index: dict = field(default_factory=dict)       # casefold first token -> [(tokens, kind, payload)]
    roles: dict = field(default_factory=dict)       # casefold first token -> [(tokens, roles, country)]
    words: dict = field(default_factory=dict)       # kind -> frozenset of casefolded words
    countries: dict = field(default_factory=dict)   # code -> row
    offices: dict = field(default_factory=dict)     # person name -> tuple[Office]
    surnames: dict = field(default_factory=dict)    # surname -> tuple of person names
    regions: dict = field(default_factory=dict)     # (country, region name) -> Place
    institutions: dict = field(default_factory=dict)  # canonical -> Institution


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
def gazetteer() -> Gazetteer:
    g = Gazetteer()
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
        inst = Institution(r["canonical"], r["country"], r["source_type"], r["scope"])
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


def _load_places(g: Gazetteer) -> None:
    """Every spelling of a place -> all the places it may name (Donetsk the city and the
    oblast), so that the office word can choose ("the Donetsk governor" vs "Donetsk's mayor")."""
    by_surface: dict[str, list[Place]] = {}
    for r in _rows("places_country.tsv"):
        place = Place(r["place"], r["country"], r["kind"], r["region"] or r["place"],
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
        place = Place(r["ukrainian_style"], "UA", r["kind"], oblast,
                       region.office_side if region is not None else "UA")
        for name in [r["ukrainian_style"], r["russian_style"], *_split(r["variants"]),
                     *_split(r.get("ukrainian_variants"))]:
            known = by_surface.setdefault(name, [])
            if not any(p.settlement == place.settlement for p in known):
                known.append(place)
    for name, places in by_surface.items():
        _add(g.index, name, "place", tuple(places))


def _load_people(g: Gazetteer) -> None:
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


def as_date(value, first: bool = True) -> _dt.date:
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


def pick_office(offices, date) -> Office | None:
    """The office held on `date`; without a date the current one (open end), else the latest."""
    if not offices:
        return None
    if date is not None:
        day = as_date(date)
        held = [o for o in offices if o.covers(day)]
        return max(held, key=lambda o: as_date(o.start)) if held else None
    return max(offices, key=lambda o: (o.end == "", as_date(o.end, first=False), as_date(o.start)))


# ----------------------------------------------------------------------------- matching


def token_matches(pattern: str, token: str) -> bool:
    if pattern == token:
        return True
    if pattern.islower() or pattern.lower() == "the":
        return token.lower() == pattern.lower()
    return token.isupper() and len(token) > 1 and pattern.upper() == token


def scan(tokens: list, table: dict) -> list[tuple[int, int, str, object]]:
    """Longest matches left to right, without overlap: (first token, end token, kind, payload)."""
    hits, i, n = [], 0, len(tokens)
    while i < n:
        best = None
        for pats, kind, payload in table.get(tokens[i][0].casefold(), ()):
            j = i + len(pats)
            if j > n or (best and (j - i < best[1] - best[0])):
                continue
            if all(token_matches(p, tokens[i + k][0]) for k, p in enumerate(pats)):
                cand = (i, j, kind, payload)
                if best is None or j - i > best[1] - best[0] or _RANK.get(kind, 9) < _RANK.get(best[2], 9):
                    best = cand
        if best is not None and i + 1 < n and tokens[i][0].lower() == "the":
            # "the Atlantic Council": a name without its article may reach further.
            ahead = [j for pats, _, _ in table.get(tokens[i + 1][0].casefold(), ())
                     if (j := i + 1 + len(pats)) <= n and j > best[1]
                     and all(token_matches(p, tokens[i + 1 + k][0]) for k, p in enumerate(pats))]
            if ahead:
                best = None
        if best is not None:
            hits.append(best)
            i = best[1]
        else:
            i += 1
    return hits


def single(word: str) -> tuple[str, object] | None:
    """What one word (a part of a hyphenated compound) names, if anything."""
    g = gazetteer()
    best = None
    for pats, kind, payload in g.index.get(word.casefold(), ()):
        if len(pats) == 1 and token_matches(pats[0], word) and kind != "block":
            if best is None or _RANK.get(kind, 9) < _RANK.get(best[0], 9):
                best = (kind, payload)
    return best



def bloc_of(code: str | None) -> str:
    """Coarse bloc for charts: Russia, Ukraine, West, international, other, or unknown."""
    row = gazetteer().countries.get(code or "")
    return row["bloc"] if row else UNKNOWN


def canonical_country_name(code: str | None) -> str:
    """The English short name of a country or bloc code of countries.tsv; UNKNOWN when the code
    is not there.

    Examples
    --------
    >>> canonical_country_name("UA")
    'Ukraine'
    """
    row = gazetteer().countries.get(code or "")
    return row["name"] if row else UNKNOWN


