"""Finders that need only the text, no parse: place-name spellings and contested war terms."""

from __future__ import annotations

import re

from .lexicons import contested_patterns, cyrillic_places, place_exonyms, place_forms, place_regex
from .quotes import QuoteRegion, quote_regions, quote_status


# Languages whose articles the Latin-script spelling table is read in: English, and those whose
# own exonyms are known (a Kiev there may be the language's standard name, not a choice).
def _latin_table_applies(language: str | None) -> bool:
    return language in (None, "", "en", "und") or language in place_exonyms()


def spelling_hits_in_text(text: str, language: str | None = None) -> list[dict]:
    """Place-name spellings in one text: form, style, place, kind, start, end (text order).

    Latin-script forms (place_spellings.tsv) are read in English text (`language` None, "en"
    or "und") and in languages whose own exonyms are listed (place_exonyms.tsv), leaving out
    those exonyms (Portuguese "Kiev" is Portuguese, not Russian-style); Cyrillic forms
    (Харьков vs Харків) are read in any text. A Cyrillic form that both languages share
    (Львова) tells nothing and is left out."""
    if not text:
        return []
    out = []
    if _latin_table_applies(language):
        forms = place_forms()
        exonyms = place_exonyms().get(language or "", frozenset())
        for m in place_regex().finditer(text):
            if m.group(0) in exonyms:
                continue
            form = forms[m.group(0)]
            out.append({"form": m.group(0), "style": form.style, "place": form.place,
                        "kind": form.kind, "start": m.start(), "end": m.end()})
    if _CYRILLIC.search(text):
        out.extend(_cyrillic_hits(text))
        out.sort(key=lambda h: (h["start"], h["end"]))
    return out


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _cyrillic_hits(text: str) -> list[dict]:
    kinds = {form.place: form.kind for form in place_forms().values()}
    out = []
    for place in cyrillic_places():
        russian = {(m.start(), m.end()) for m in place.russian.finditer(text)}
        ukrainian = {(m.start(), m.end()) for m in place.ukrainian.finditer(text)}
        for style, spans in (("russian_style", russian - ukrainian), ("ukrainian_style", ukrainian - russian)):
            for start, end in spans:
                out.append({"form": text[start:end], "style": style, "place": place.place,
                            "kind": kinds.get(place.place, ""), "start": start, "end": end})
    return out


def contested_hits_in_text(text: str, regions: list[QuoteRegion] | None = None) -> list[dict]:
    """Contested war terms in one text with whether the writer distances, adopts or quotes them."""
    if not text:
        return []
    regions = quote_regions(text) if regions is None else regions
    out = []
    for pattern in contested_patterns():
        for m in pattern.regex.finditer(text):
            status = quote_status(regions, m.start(), m.end())
            category = {"scare": "distance", "source": "source_quote", None: "adopted"}[status]
            out.append({"term": m.group(0), "canonical": pattern.neutral, "category": category,
                        "quoted": status is not None, "side": pattern.side,
                        "concept": pattern.concept, "start": m.start(), "end": m.end()})
    out.sort(key=lambda r: (r["start"], r["end"], r["concept"]))
    return out
