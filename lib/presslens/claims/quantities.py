"""Quantities in claim text, normalised: "over 80%" -> op ">" 80 %, "dozens of civilians" ->
">=" 24 civilians, "about 1,200 people" -> "~" 1200 people.

The lexicon (modifiers, vague quantifiers, fractions, number words, multipliers, units) is
resources/claims_quantities.tsv. Dates ("November 20") and bare years are not quantities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..regexscan import alternation
from .lexicon import MONTHS, read_tsv


@dataclass(frozen=True)
class QuantityLexicon:
    """claims_quantities.tsv compiled: the one regex of every quantity and its lookup tables
    (phrases normalised by `norm_phrase`)."""

    regex: re.Pattern
    modifiers: dict[str, str]
    vague: dict[str, dict]
    numbers: dict[str, float]
    multipliers: dict[str, float]
    units: dict[str, tuple[str, str]]
    # what makes a percentage no share of a whole: words before it ("rose by", "at") and after
    # it ("increase", "target"), each with the kind it gives (percent_change, percent_rate)
    percent_before: re.Pattern | None = None
    percent_after: re.Pattern | None = None
    percent_context: dict[str, str] = field(default_factory=dict)


_DATE_BEFORE = re.compile(rf"(?:{MONTHS})\.?\s+$", re.IGNORECASE)
_DATE_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b", re.IGNORECASE)
_UNIT_STOP = frozenset(
    "of the a an and or in on at to from for by with as than that which who per is are was were "
    "be been has have had will would could may might this these those it its their".split())


def norm_phrase(text: str) -> str:
    """Lowercased, whitespace runs as one space: the key of the quantity lexicon's tables.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> norm_phrase("  More   than ")
    'more than'
    """
    return re.sub(r"\s+", " ", text.strip().lower())


@lru_cache(maxsize=1)
def quantity_lexicon() -> QuantityLexicon:
    """The compiled quantity lexicon of claims_quantities.tsv (read once).

    Returns
    -------
    QuantityLexicon

    Examples
    --------
    >>> quantity_lexicon().modifiers["more than"]
    '>'
    """
    rows = read_tsv("claims_quantities.tsv")
    modifiers = {norm_phrase(r["phrase"]): r["op"] for r in rows if r["type"] == "modifier"}
    vague = {norm_phrase(r["phrase"]): r for r in rows if r["type"] in ("vague", "fraction")}
    numbers = {norm_phrase(r["phrase"]): float(r["value"]) for r in rows if r["type"] == "number"}
    multipliers = {norm_phrase(r["phrase"]): float(r["value"]) for r in rows if r["type"] == "multiplier"}
    units = {norm_phrase(r["phrase"]): (r["unit"], r["kind"]) for r in rows if r["type"] == "unit"}

    def alt(phrases: Iterable[str]) -> str:
        ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
        return alternation(ordered, ignore_case=True, space=r"\s+")

    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    pattern = (
        rf"(?<![\w.,-])(?:(?P<mod>{alt(modifiers)})\s+)?"
        rf"(?:(?P<vague>{alt(vague)})"
        rf"|(?P<cur>[$€£])?(?P<num>{digits}|{alt(numbers)})"
        rf"(?:\s*(?P<mult>{alt(multipliers)}))?"
        rf"(?:\s*(?P<unit>%|{alt(u for u in units if u != '%')}))?)"
        r"(?![\w])"
    )
    context = {norm_phrase(r["phrase"]): r["kind"] for r in rows
               if r["type"] in ("percent_before", "percent_after")}
    before = [norm_phrase(r["phrase"]) for r in rows if r["type"] == "percent_before"]
    after = [norm_phrase(r["phrase"]) for r in rows if r["type"] == "percent_after"]
    return QuantityLexicon(re.compile(pattern, re.IGNORECASE), modifiers, vague, numbers,
                           multipliers, units,
                           re.compile(rf"\b(?P<w>{alt(before)})\s+$", re.IGNORECASE) if before else None,
                           re.compile(rf"^\s*(?P<w>{alt(after)})\b", re.IGNORECASE) if after else None,
                           context)


def extract_quantities(text: str, offset: int = 0) -> list[dict]:
    """Quantities in `text`, normalised.

    Dates ("November 20", "20 November") and bare years are not quantities.

    Parameters
    ----------
    text : str
        A sentence or any text.
    offset : int, default 0
        Added to every offset (pass a sentence's start_char to get article offsets).

    Returns
    -------
    list of dict
        One dict per quantity: `text, start, end, op` (one of `= > >= < <= ~`), `value`
        (float, rounded to 3 places), `unit` (`%`, a currency code, a unit or the counted
        noun; None when unknown) and `kind` (count, percent, money, distance, vague_count, ...).

    Examples
    --------
    >>> q = extract_quantities("Troops hold over 80% of the town.")[0]
    >>> (q["text"], q["op"], q["value"], q["unit"], q["start"])
    ('over 80%', '>', 80.0, '%', 12)
    >>> extract_quantities("on November 20 the city fell")
    []
    """
    if not text:
        return []
    return [dict(q, start=q["start"] + offset, end=q["end"] + offset) for q in quantities_in(text)]


# "most" after "the" is a superlative ("the most serious problem"), not "more than half".
_SUPERLATIVE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
# "half" after "first" or "second" is half a year or a match, not half of something.
_PERIOD_BEFORE = re.compile(r"\b(?:first|second)\s+$", re.IGNORECASE)


def _percent_kind(lex: QuantityLexicon, text: str, start: int, end: int) -> str | None:
    """The kind the words around a percentage give it (claims_quantities.tsv `percent_before`,
    `percent_after`), or None for a share."""
    m = lex.percent_before.search(text[max(0, start - 24):start]) if lex.percent_before else None
    if m is None and lex.percent_after is not None:
        m = lex.percent_after.match(text[end:end + 24])
    return lex.percent_context.get(norm_phrase(m.group("w"))) if m else None


@lru_cache(maxsize=4096)
def quantities_in(text: str) -> tuple[dict, ...]:
    """`extract_quantities` at offset 0, cached.

    A claim's sentence is read for the check-worthiness features and again for the claims
    table. Callers must not modify the dicts (copy them, as `extract_quantities` does).

    Parameters
    ----------
    text : str

    Returns
    -------
    tuple of dict

    Examples
    --------
    >>> [q["value"] for q in quantities_in("dozens of civilians")]
    [24.0]
    """
    lex = quantity_lexicon()
    out: list[dict] = []
    offset = 0
    for m in lex.regex.finditer(text):
        mod = norm_phrase(m.group("mod") or "")
        op = lex.modifiers.get(mod, "=") if mod else None
        start, end = m.start(), m.end()
        if m.group("vague"):
            phrase = norm_phrase(m.group("vague"))
            if phrase == "most" and not mod and _SUPERLATIVE_BEFORE.search(text[max(0, start - 8):start]):
                continue  # "the most difficult", "one of the most serious": a superlative
            if phrase == "half" and not mod and _PERIOD_BEFORE.search(text[max(0, start - 8):start]):
                continue  # "in the first half of 2022": a period of time
            entry = lex.vague[phrase]
            value = float(entry["value"])
            unit, kind = entry["unit"] or None, entry["kind"]
            # "dozens of civilians": the counted noun is the unit when it is given
            if kind == "vague_count":
                unit = counted_noun(text, end) or unit
            op = op or entry["op"] or "="
            if mod and entry["op"] in (">", ">=") and op in ("~", "="):
                op = entry["op"]
            out.append(_quantity(text, start, end, offset, op, value, unit, kind))
            continue
        raw = norm_phrase(m.group("num"))
        is_word = raw in lex.numbers
        value = lex.numbers[raw] if is_word else float(raw.replace(",", ""))
        mult = norm_phrase(m.group("mult") or "")
        if mult:
            value *= lex.multipliers[mult]
        unit_raw = norm_phrase(m.group("unit") or "")
        unit, kind = lex.units.get(unit_raw, (None, None)) if unit_raw else (None, None)
        if m.group("cur"):
            unit, kind = {"$": "USD", "€": "EUR", "£": "GBP"}[m.group("cur")], "money"
        if not is_word and not mod and not unit_raw and not mult and not m.group("cur"):
            # dates and years are not quantities
            if _DATE_BEFORE.search(text[max(0, start - 12):start]) or _DATE_AFTER.match(text[end:end + 14]):
                continue
            if re.fullmatch(r"(1[89]|20)\d\d", raw):
                continue
        if kind is None:
            kind = "count"
            unit = counted_noun(text, end)
        elif kind in ("percent", "percent_points"):
            # "prices rose by 14.5 percent", "a 2% target", "inflation at 5.2%": no share of a whole
            kind = _percent_kind(lex, text, start, end) or kind
        out.append(_quantity(text, start, end, offset, op or "=", value, unit, kind))
    return tuple(out)


_WORDS_AFTER = re.compile(r"\s*(?:of\s+(?:the\s+|these\s+|those\s+)?)?([A-Za-z][A-Za-z-]*)(?:\s+([A-Za-z][A-Za-z-]*))?")


_ADJECTIVE_ENDING = re.compile(r"(?:ed|ing|al|ive|ous|ic|ful|less|ary|ern|ian)$")


def counted_noun(text: str, end: int) -> str | None:
    """What a number counts: "1,200 people", "dozens of civilians", "several populated areas"
    -> people, civilians, areas.

    The first word after the number (or after "of"), or the second when the first looks like
    a modifier (capitalised, or an adjective's ending).

    Parameters
    ----------
    text : str
    end : int
        Where the number ends in `text`.

    Returns
    -------
    str or None
        The counted noun, lowercased; None when the next word is a function word or a name.

    Examples
    --------
    >>> counted_noun("five Ukrainian soldiers", 4)
    'soldiers'
    >>> counted_noun("20 of the", 2) is None
    True
    """
    m = _WORDS_AFTER.match(text, end)
    if not m:
        return None
    first, second = m.group(1), m.group(2)
    if first.lower() in _UNIT_STOP:
        return None
    second_ok = bool(second) and second.islower() and second.lower() not in _UNIT_STOP
    if second_ok and (first[0].isupper() or _ADJECTIVE_ENDING.search(first.lower())):
        return second.lower()
    if first[0].isupper():
        return None
    return first.lower()


def _quantity(text, start, end, offset, op, value, unit, kind) -> dict:
    return {"text": text[start:end], "start": offset + start, "end": offset + end, "op": op,
            "value": None if value is None else round(float(value), 3), "unit": unit, "kind": kind}


@lru_cache(maxsize=1)
def quantity_words() -> frozenset[str]:
    """Words of the quantity lexicon's vague quantifiers, fractions and number words, which
    clustering masks as `<qty>` like figures.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> {"majority", "dozens", "percent"} <= quantity_words()
    True
    """
    lex = quantity_lexicon()
    words = {w for phrase in list(lex.vague) + list(lex.numbers) for w in re.split(r"[\s-]+", phrase)
             if w not in ("the", "a", "an", "of")}
    return frozenset(words | {"percent", "%", "per", "cent"})
