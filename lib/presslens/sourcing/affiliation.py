"""The side a source is on (its `affiliation`): a country (ISO 3166-1 alpha-2) or a bloc or
organisation (EU, NATO, UN, INT), read off the words that name the source by `presslens.geo`
(country, demonym, capital, institution, office-holder and place gazetteers). The one module
of sourcing that reads sides, so that another geography can replace it without touching the
resolver; `bloc` gives the coarse bloc of a code for charts (Russia, Ukraine, West,
international, other, unknown).

Where the words give no clue the resolver (`presslens.sourcing.resolve`) falls back, in order,
to the resolved name of a pronoun or description, the person's other mentions in the article,
an earlier mention of the same source, and for an unqualified national body ("the defence
ministry", "the government") to the country the article places it in (`national_side`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import geo
from ..geo.gazetteer import gazetteer, pick_office, token_matches
from .lexicon import read_table

UNKNOWN = geo.UNKNOWN
# Values older tables and annotators write for a code.
_ALIASES = {"international": "INT", "intl": "INT", "UK": "GB"}


@lru_cache(maxsize=1)
def codes() -> frozenset[str]:
    """Every side code the gazetteer knows (countries, EU, NATO, UN, INT).

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> {"UA", "RU", "GB", "EU", "INT"} <= codes()
    True
    """
    return frozenset(gazetteer().countries)


def column_value(affiliation: str | None) -> str:
    """The value of the `affiliation` column: a known side code, else unknown.

    Parameters
    ----------
    affiliation : str or None

    Returns
    -------
    str

    Examples
    --------
    >>> column_value("PL"), column_value("international"), column_value("XX")
    ('PL', 'INT', 'unknown')
    """
    code = _ALIASES.get(affiliation or "", affiliation)
    return code if code in codes() else UNKNOWN


def bloc(affiliation: str | None) -> str:
    """The coarse bloc of a side code, for charts.

    Examples
    --------
    >>> bloc("PL"), bloc("BY"), bloc("UN"), bloc("unknown")
    ('West', 'Russia', 'international', 'unknown')
    """
    return geo.bloc_of(column_value(affiliation))


def side_of(phrase: str, date=None) -> geo.Match | None:
    """The strongest clue to the side in a source phrase (the subject of a speech verb, so that
    "Warsaw said" counts the capital), or None.

    Examples
    --------
    >>> side_of("Lviv's regional governor").code, side_of("Polish armed forces").code
    ('UA', 'PL')
    """
    if not phrase or not phrase.strip():
        return None
    return geo.country_of_phrase(phrase, metonym=True, date=date)


@lru_cache(maxsize=8192)
def side_of_evidence(phrase: str, date=None) -> tuple[geo.Match, ...]:
    """Every clue to the side in a source phrase, strongest first (`presslens.geo.evidence`,
    with a capital read as its government); clues with code 'unknown' carry only a source
    type ("the defence ministry"). Cached: the same phrases come back in every article."""
    if not phrase or not phrase.strip():
        return ()
    return tuple(geo.evidence(phrase, True, date))


def affiliation_of(tokens: list, date=None) -> str | None:
    """The side a source phrase names, pronouns left out.

    Parameters
    ----------
    tokens : list of spacy.tokens.Token
        The source phrase.
    date : optional
        The article date (picks the office a named person held then).

    Returns
    -------
    str or None
        A side code, None when the phrase gives no clue.

    Examples
    --------
    >>> doc = presslens.nlp.parse_text("Polish armed forces")   # doctest: +SKIP
    >>> affiliation_of(list(doc))                               # doctest: +SKIP
    'PL'
    """
    words = [t for t in tokens if t.pos_ != "PRON"]
    if not words:
        return None
    text = words[0].doc.text[words[0].idx: words[-1].idx + len(words[-1].text)]
    m = side_of(text, date)
    return m.code if m is not None else None


def holder_of(description: str, date=None):
    """The person who held the office a description names on the article date ("Russia's
    defence minister" -> Sergei Shoigu), see `presslens.geo.holder_of`; None when the
    description names no single office."""
    return geo.holder_of(description, date)


def person_side(name: str, article: str, date=None) -> geo.Match | None:
    """The side of a named person from the words next to their other mentions in the article
    ("Columnist Mikhail Rostovsky of the Russian daily ...", see `presslens.geo.person_side`),
    or from the country a sentence naming them calls theirs ("Oleksandr Zinchenko recalled the
    invasion of his home country Ukraine")."""
    found = geo.person_side(name, article, date)
    if found is not None or not name or not article:
        return found
    surname = name.split()[-1]
    for hit in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", article):
        stop = re.search(r"[.!?\n]", article[hit.end():])
        end = hit.end() + (stop.start() if stop else len(article) - hit.end())
        own = _OWN_COUNTRY.search(article, hit.end(), end)
        if own is not None:
            m = geo.country_of_phrase(own.group(1))
            if m is not None and m.rule == "country":
                return geo.Match(m.code, own.start(1) + m.start, own.start(1) + m.end, "own_country",
                                 m.text, m.canonical, None, 5)
    return None


# "his home country Ukraine", "her native Poland", "his country, Israel"
_OWN_COUNTRY = re.compile(r"\b(?:his|her|their)\s+(?:home\s+country|homeland|native\s+country|native\s+land|"
                          r"native|country),?\s+([A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+)?)")


@lru_cache(maxsize=1)
def national_bodies() -> dict[str, str]:
    """Nouns of a state's bodies that a text often leaves unqualified ("the government", "the
    foreign ministry", "authorities"), by lemma -> what they are (body or people): their
    country comes from the article (resources/national_bodies.tsv)."""
    return {r["lemma"].lower(): r["kind"] for r in read_table("national_bodies.tsv")}


def national_side(position: int, sentence: tuple[int, str], qualified: list[tuple[int, str, str]],
                  dateline: str | None, date=None, body: bool = True) -> tuple[str | None, str]:
    """The country an unqualified national body belongs to, and the evidence used.

    Parameters
    ----------
    position : int
        Character offset of the body's mention in the article.
    sentence : (int, str)
        The start offset and text of its sentence.
    qualified : list of (int, str, str)
        (offset, side code, source type) of the article's sources whose side the words tell.
    dateline : str or None
        The side of the article's dateline city, when it opens with one ("MOSCOW (AP) -").
    body : bool
        An institution ("the government") rather than its people ("officials"): only a body
        is placed by the sentence, since people named in a place are often foreigners there
        ("in Iraq, where officials concluded ...": US officials).

    Returns
    -------
    (str or None, str)
        The side and 'sentence', 'dateline' or 'article'; (None, '') when nothing is clear.

    Notes
    -----
    In order: a country or capital the sentence places the body in ("in Sri Lanka, where the
    government ..."); the article's dateline; the country that most of the article's sources
    with a side belong to, when it has a clear majority (at least half of them and twice the
    next).
    """
    start, text = sentence
    before = [m for m in geo.evidence(text, False, date)
              if body and m.rule == "location" and start + m.end <= position and m.code in codes()]
    if before:
        return max(before, key=lambda m: m.end).code, "sentence"
    if dateline:
        return dateline, "dateline"
    votes: dict[str, int] = {}
    for _, code, _ in qualified:
        if code in codes() and code not in _BLOC_CODES:
            votes[code] = votes.get(code, 0) + 1
    if votes:
        ranked = sorted(votes.items(), key=lambda kv: -kv[1])
        total = sum(votes.values())
        top, n = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        if n * 2 >= total and n >= 2 * second and n >= 2:
            return top, "article"
    return None, ""


# "MOSCOW (AP) -", "KYIV, Ukraine, Jan 5 (Reuters) -", "MOSCOW—": an all-caps place opening
# the article, before a dash.
_DATELINE = re.compile(r"\A\s*([A-Z][A-Z.'\- ]{1,30}[A-Z])\b(?:,[^\n\u2014\u2013]{1,40}?)?\s*"
                       r"(?:\([^)\n]{1,30}\))?\s*[\u2014\u2013-]")


def dateline_side(text: str, date=None) -> str | None:
    """The side of the government seated where an article's dateline places it ("MOSCOW—"
    RU, "SEVASTOPOL (Reuters) -" RU as a city held by Russia since 2014), None without one.

    Examples
    --------
    >>> dateline_side("KYIV, Ukraine (AP) — The government said ...")
    'UA'
    >>> dateline_side("The government said ...") is None
    True
    """
    m = _DATELINE.match(text or "")
    if m is None:
        return None
    place = m.group(1).strip()
    # read as the seat of an office, so that a place's office side counts
    found = [e for e in geo.evidence(f"{place} officials", True, date)
             if e.code in codes() and e.rule in ("capital_office", "place_office", "capital")]
    return found[0].code if found else None


# The setting must dominate: this many clues at least, and this many times the next country.
SETTING_MIN, SETTING_RATIO = 5, 3


def setting(text: str, date=None) -> str | None:
    """The country an article is set in, when one clearly dominates the countries its words
    name (at least SETTING_MIN clues and SETTING_RATIO times the next country; blocs and
    international bodies do not count); None for an article about two sides, as most war
    coverage is.

    Examples
    --------
    >>> setting("Nigerian scholars left for Russia. The Nigerian government paid. Nigeria's "
    ...         "minister spoke. The Nigerian embassy helped the Nigerian students.")
    'NG'
    >>> setting("Russian troops shelled Kharkiv. Ukrainian forces struck back at Russian positions.") is None
    True
    """
    votes: dict[str, int] = {}
    # The names alone, without reading each one's context as for a source phrase: an article is
    # long, and a name in a set phrase or after "against" still says where the story is.
    g = gazetteer()
    for kind, payload in _capitalised_names(geo.tokenize(text or ""), g.index):
        if kind in ("country", "demonym", "capital"):
            code = payload
        elif kind == "inst" and payload.scope == "named":
            code = payload.country
        elif kind == "person":
            office = pick_office(g.offices[payload], date) or pick_office(g.offices[payload], None)
            code = office.country
        else:
            continue
        if code in codes() and code not in _BLOC_CODES:
            votes[code] = votes.get(code, 0) + 1
    if not votes:
        return None
    ranked = sorted(votes.values(), reverse=True)
    top = max(votes, key=votes.get)
    second = ranked[1] if len(ranked) > 1 else 0
    return top if ranked[0] >= SETTING_MIN and ranked[0] >= SETTING_RATIO * second else None


_BLOC_CODES = frozenset({"EU", "NATO", "UN", "INT"})
_ARTICLES = frozenset({"the", "a", "an"})


def _capitalised_names(tokens: list, index: dict):
    """(kind, payload) of the longest gazetteer name at each capitalised token, left to right:
    the countries, demonyms, capitals, institutions and people a long text names, read fast."""
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i][0]
        if not tok[:1].isupper() or tok.casefold() in _ARTICLES:
            i += 1
            continue
        for pats, kind, payload in index.get(tok.casefold(), ()):  # longest first
            j = i + len(pats)
            if j <= n and all(token_matches(p, tokens[i + k][0]) for k, p in enumerate(pats)):
                yield kind, payload
                i = j
                break
        else:
            i += 1
