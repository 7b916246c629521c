"""Quotation marks in news text: which stretches are quoted, whether a short quotation is a scare
quote (the writer holding a word at a distance) or someone's quoted words."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A quotation this short is a scare quote (the writer holding a word at a distance), not a
# source's quoted speech: "‘liberated.’" vs a quoted sentence.
SCARE_QUOTE_MAX_WORDS = 4

# Unambiguous double quotes, and single quotes / straight quotes whose role depends on context.
_OPEN_CLOSE = {"“": "”", "„": "“", "«": "»"}
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class QuoteRegion:
    start: int  # position of the opening mark
    end: int  # position after the closing mark (or the paragraph end when never closed)
    n_words: int  # words inside
    speech: bool = False  # introduced or followed by a speech verb: someone's words

    @property
    def is_scare(self) -> bool:
        return self.n_words <= SCARE_QUOTE_MAX_WORDS and not self.speech


# A short quotation is still quoted speech, not a scare quote, when a speech verb frames it:
# “We will win,” he said. / He said: “Never.”
_SPEECH_AFTER = re.compile(
    r"\s*[,.!?]?\s*(?:(?:he|she|they|it|we|I|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})\s+)?"
    r"(?:said|says|say|told|tells|added|adds|wrote|writes|asked|asks|replied|declared|stated|insisted)\b")
_SPEECH_BEFORE = re.compile(
    r"(?:\b(?:said|says|say|added|adds|wrote|writes|asked|replied|declared|stated)\s*,?|:)\s*$")


def _framed_by_speech(text: str, start: int, end: int) -> bool:
    return bool(_SPEECH_AFTER.match(text, end, min(len(text), end + 60))
                or _SPEECH_BEFORE.search(text, max(0, start - 40), start))


def _is_opening(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/") and (after.isalnum() or after in "‘“\"'…$£€")


def _is_closing(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def quote_regions(text: str) -> list[QuoteRegion]:
    """Quoted stretches of `text`, per paragraph: “…”, „…“, «…», ‘…’, "…", '…'.

    Single quotes double as apostrophes (People’s, troops’), so a ‘ or ' opens a quote only
    after a space or an opening bracket and before a letter, and closes only after a non-space
    and before a non-letter; an unclosed single quote is ignored. An unclosed double quote runs
    to the paragraph's end (news style for quotations that continue into the next paragraph)."""
    regions: list[QuoteRegion] = []
    offset = 0
    for paragraph in _PARAGRAPH.split(text) if text else []:
        start_par = text.find(paragraph, offset)
        offset = start_par + len(paragraph)
        stack: list[tuple[int, str]] = []  # (position, expected closing mark)
        for j, ch in enumerate(paragraph):
            i = start_par + j
            if stack and ch == stack[-1][1] and (ch not in "’'\"" or _is_closing(text, i)):
                begin, _ = stack.pop()
                regions.append(QuoteRegion(begin, i + 1, len(text[begin + 1:i].split()),
                                           _framed_by_speech(text, begin, i + 1)))
            elif ch in _OPEN_CLOSE and not (stack and stack[-1][1] == ch):
                stack.append((i, _OPEN_CLOSE[ch]))
            elif ch == "‘" and _is_opening(text, i):
                stack.append((i, "’"))
            elif ch in "'\"" and _is_opening(text, i):
                stack.append((i, ch))
        for begin, closing in stack:
            if closing in "”“»":
                end = start_par + len(paragraph)
                regions.append(QuoteRegion(begin, end, len(text[begin + 1:end].split()), True))
    regions.sort(key=lambda r: (r.start, r.end))
    return regions


def quote_status(regions: list[QuoteRegion], start: int, end: int) -> str | None:
    """"scare" when [start, end) stands in a short quotation of its own, "source" when inside a
    longer quotation (someone's quoted words), None when in the writer's own voice."""
    inside = [r for r in regions if r.start < start and end <= r.end]
    if not inside:
        return None
    innermost = max(inside, key=lambda r: r.start)
    return "scare" if innermost.is_scare else "source"
