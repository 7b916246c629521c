"""Reading the clues to a source's side in one phrase: the strength and the exclusions of each
kind of name (see the package docstring for the order)."""

from __future__ import annotations

import re

from .gazetteer import (
    UNKNOWN,
    Match,
    bloc_of,
    gazetteer,
    pick_office,
    scan,
    single,
    tokenize,
)

_PARTY_TAG = re.compile(r"\((?:R|D|I)\s?[-\u2013]\s?[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?\)")
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this", "that"})
_LOCATIVE = frozenset({"in", "at", "inside", "outside", "throughout", "within"})
_AFFILIATIVE = frozenset({"of", "from", "for"})
_REGION_SUFFIX = frozenset({"region", "oblast", "province", "krai", "republic", "district", "area",
                            "governorate", "county"})
_REGIONAL_OFFICE = frozenset({"governor", "governors", "gov.", "regional", "region's", "oblast",
                              "region", "province", "krai"})
_CITY_OFFICE = frozenset({"mayor", "mayors", "city", "city's", "municipal"})
_BLOCS = frozenset({"EU", "NATO", "UN", "INT"})  # "India's G20 negotiator", "the Russian UN envoy"
_FUNCTION_WORDS = frozenset({"then", "but", "and", "meanwhile", "also", "later", "when", "as", "if",
                            "so", "yet", "still", "now", "here", "there", "however", "earlier",
                            "today", "yesterday", "on", "in", "at", "after", "before", "while",
                            "since", "because", "although", "though", "the", "a", "an", "this"})
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "dame", "lord", "general", "gen",
                     "lt", "colonel", "col", "admiral", "adm", "major", "maj", "captain", "capt",
                     "sergeant", "commander", "marshal", "minister", "president", "premier",
                     "chancellor", "secretary", "senator", "sen", "rep", "gov", "governor", "mayor",
                     "king", "queen", "prince", "princess", "pope", "patriarch", "ayatollah",
                     "sheikh", "cardinal", "ambassador", "envoy", "spokesman", "spokeswoman",
                     "chief", "head", "deputy", "leader", "foreign", "defence", "defense", "prime",
                     "vice", "former", "ex", "acting", "top", "exiled", "late"})


def code_of(kind: str, payload, date) -> tuple[str | None, str | None, str | None]:
    """(code, canonical, source type) of a matched name."""
    g = gazetteer()
    if kind in ("country", "demonym", "capital"):
        return payload, g.countries[payload]["name"], None
    if kind == "inst":
        return payload.country or None, payload.canonical, payload.source_type
    if kind == "person":
        office = pick_office(g.offices[payload], date) or pick_office(g.offices[payload], None)
        return office.country, payload, office.source_type
    if kind == "surname":
        people = g.surnames[payload]
        picked = [pick_office(g.offices[p], date) or pick_office(g.offices[p], None) for p in people]
        codes = {o.country for o in picked}
        if len(codes) == 1:
            return picked[0].country, people[0] if len(people) == 1 else None, picked[0].source_type
        return None, None, None
    if kind == "place":
        return payload[0].country, payload[0].name, None
    return None, None, None


class Reader:
    """The clues of one phrase."""

    def __init__(self, text: str, metonym: bool, date) -> None:
        self.g = gazetteer()
        self.text, self.metonym, self.date = text, metonym, date
        self.tokens = tokenize(text)
        self.low = [t.casefold() for t, _, _ in self.tokens]
        self.hits = scan(self.tokens, self.g.index)
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
        low = tok.lower().rstrip(".")
        return tok[:1].isupper() and low not in _TITLES and low not in _FUNCTION_WORDS \
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
        code, canonical, st = code_of("person", payload, self.date)
        self.add(code, i, j, "officeholder", 1, canonical, st)

    def _surname(self, n, i, j, payload, prep, poss, after) -> None:
        if self.capitalised_name(i - 1):
            return  # another person of the same surname ("Hunter Biden")
        code, canonical, st = code_of("surname", payload, self.date)
        self.add(code, i, j, "officeholder", 1.5, canonical, st)

    def _inst(self, n, i, j, inst, prep, poss, after) -> None:
        if (inst.scope == "default" or inst.country in _BLOCS) and n > 0:
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
                found, rule, prio = single("-".join(parts[1:])), "pro", 3
            elif last in self.g.words.get("marker", ()):
                found, rule, prio = single("-".join(parts[:-1])), "marker", 3
            elif last in self.g.words.get("location", ()):
                found, rule, prio = single("-".join(parts[:-1])), "location", 8
            else:
                continue
            if found is None:
                continue
            code, canonical, st = code_of(found[0], found[1], self.date)
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
        for i, j, _, (_, country) in scan(self.tokens, self.g.roles):
            if country:
                self.add(country, i, j, "role", 9)


