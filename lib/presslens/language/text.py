"""Finders that need only the text, no parse: place-name spellings and contested war terms."""

from __future__ import annotations

from .lexicons import contested_patterns, place_forms, place_regex
from .quotes import QuoteRegion, quote_regions, quote_status


def spelling_hits_in_text(text: str) -> list[dict]:
    """Place-name spellings in one text: form, style, place, start, end (text order)."""
    if not text:
        return []
    forms = place_forms()
    out = []
    for m in place_regex().finditer(text):
        form = forms[m.group(0)]
        out.append({"form": m.group(0), "style": form.style, "place": form.place,
                    "kind": form.kind, "start": m.start(), "end": m.end()})
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
