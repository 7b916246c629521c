"""Quotation marks in article text: which marks open and close a quotation, the quotation
spans of an article (`find_quotes`), and how a span relates to them (touching a cue, covered
by one, direct or mixed).

Spans are (start, end) character offsets into the article text, end exclusive, marks included.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

# Double quotation marks that say which side they are on.
OPEN_DOUBLE = "\u201c\u201e\u00ab"
CLOSE_DOUBLE = "\u201d\u00bb"
# Quotations at least this long are somebody's words, not a scare-quoted term.
MIN_QUOTE_CHARS = 40


class Quotes(list):
    """Quotation spans sorted by start, with a window lookup so that per-attribution checks
    stay cheap in long articles.

    Parameters
    ----------
    spans : iterable of (int, int)
        Quotation spans, as `find_quotes` gives them.

    Examples
    --------
    >>> quotes = Quotes([(40, 60), (2, 10)])
    >>> quotes.near(0, 5)
    [(2, 10)]
    """

    def __init__(self, spans: Iterable[tuple[int, int]]):
        super().__init__(sorted(spans))
        self.starts = [s for s, _ in self]
        self.max_len = max((e - s for s, e in self), default=0)

    def near(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Quotations that may overlap or touch [lo, hi)."""
        return self[bisect_left(self.starts, lo - self.max_len - 8): bisect_right(self.starts, hi + 8)]


def _double_marks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, role) of double quotation marks; role is open, close or either.

    Curly marks say which they are. Straight ones (and the doubled apostrophes '' of some
    newspaper archives) are read from their neighbours: space before and a character after
    opens, a character before and space or punctuation after closes."""
    marks = []
    for m in re.finditer("[\u201c\u201e\u00ab\u201d\u00bb\"]|''", text):
        s, e = m.start(), m.end()
        ch = m.group()
        if ch in OPEN_DOUBLE:
            marks.append((s, e, "open"))
            continue
        if ch in CLOSE_DOUBLE:
            marks.append((s, e, "close"))
            continue
        before = text[s - 1] if s > 0 else " "
        after = text[e] if e < len(text) else " "
        if ch == "''" and before.isalnum() and after.isalnum():
            continue
        space_before = before.isspace() or before in "([{\u2014\u2013-"
        space_after = after.isspace() or after in ".,;:!?)]}\u2014\u2013-"
        if space_before and not space_after:
            marks.append((s, e, "open"))
        elif space_after and not space_before:
            marks.append((s, e, "close"))
        else:
            marks.append((s, e, "either"))
    return marks


def find_quotes(text: str) -> list[tuple[int, int]]:
    """The quotations of a text.

    Double quotations (curly, straight, guillemets) and single ‘…’ ones where they cannot be
    apostrophes. A quotation left open at a paragraph's end continues when the next paragraph
    opens with a quotation mark (the newsroom convention for multi-paragraph quotes);
    otherwise it ends with its paragraph, so one unbalanced mark cannot swallow the article.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of (int, int)
        Character spans (start, end exclusive, the marks included), sorted.

    Examples
    --------
    >>> find_quotes("He said \u201cwe will hold\u201d and left.")
    [(8, 22)]
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    para_breaks = [m.start() for m in re.finditer(r"\n\s*\n|\n", text)]
    marks = _double_marks(text)

    def paragraph_end(after: int, before: int) -> int | None:
        """The first paragraph break between two offsets."""
        for p in para_breaks:
            if after <= p < before:
                return p
            if p >= before:
                break
        return None

    resumed = 0  # where the open quotation last resumed (its opening or a reopening mark)
    for s, e, role in marks:
        if open_at is not None:
            brk = paragraph_end(max(open_at, resumed), s)
            if brk is not None:
                # Quote left open at a paragraph's end: it continues if this mark reopens
                # right at the start of a following paragraph, else it ended at the break.
                at_para_start = not text[brk:s].strip()
                if role in ("open", "either") and at_para_start:
                    resumed = s
                    continue
                end = brk
                while end > open_at and text[end - 1].isspace():
                    end -= 1
                spans.append((open_at, end))
                open_at = None
        if open_at is None:
            if role in ("open", "either"):
                open_at = resumed = s
        elif role in ("close", "either"):
            spans.append((open_at, e))
            open_at = None
        else:  # a second opener: the first was stray
            open_at = resumed = s
    if open_at is not None:
        brk = paragraph_end(max(open_at, resumed), len(text))
        end = brk if brk is not None else len(text)
        while end > open_at and text[end - 1].isspace():
            end -= 1
        spans.append((open_at, end))
    spans = [(s, e) for s, e in spans if e - s > 2]
    return sorted(spans + _single_quotes(text, spans))


def _single_quotes(text: str, doubles: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """‘…’ quotations: the opening mark follows a space, bracket or dash and precedes a word
    character; the closing mark follows a non-space and does not run into a letter (so
    apostrophes in "People’s" or "don’t" never close one). Within one paragraph only."""
    out = []
    for m in re.finditer("\u2018", text):
        s = m.start()
        if s > 0 and not (text[s - 1].isspace() or text[s - 1] in "([{\u2014\u2013-\u201c\""):
            continue
        if s + 1 >= len(text) or not text[s + 1].isalnum():
            continue
        limit = text.find("\n\n", s)
        limit = len(text) if limit < 0 else limit
        j = s + 1
        while True:
            j = text.find("\u2019", j, limit)
            if j < 0:
                break
            after = text[j + 1] if j + 1 < len(text) else " "
            if not text[j - 1].isspace() and not after.isalnum():
                out.append((s, j + 1))
                break
            j += 1
    return out


def quoted_name_after(tok, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A quotation opening right after a media noun names it: "the channel ‘Go and See,’"."""
    end = tok.idx + len(tok.text)
    for s, e in quotes.near(end, end + 2):
        if 0 <= s - end <= 1 and e - s <= 60:
            return s, e
    return None


def quote_touching(start: int, end: int, quotes, max_gap: int = 3, text: str = "") -> tuple[int, int] | None:
    """A quotation ending just before `start` or starting just after `end` (punctuation
    such as a colon or comma in between)."""
    best = None
    for s, e in quotes.near(start - max_gap - 2, end + max_gap + 2):
        if e <= start and start - e <= max_gap + 2 and not text[e:start].strip(" ,:;\u2014-"):
            best = (s, e)
        elif s >= end and s - end <= max_gap + 2 and not text[end:s].strip(" ,:;\u2014-"):
            return (s, e)
    return best


def covering_quote(span: tuple[int, int], quotes) -> tuple[int, int] | None:
    """The span widened to the quotations its start and end fall in (a clause parsed out of a
    quotation reports the whole quotation), or None when neither end is quoted."""
    start, end = span
    hit = False
    for s, e in quotes.near(start, end):
        if e - s < 3:
            continue
        if s <= start + 2 and start < e:
            start, hit = min(start, s), True
        if s < end and end - 2 <= e:
            end, hit = max(end, e), True
    return (start, end) if hit else None


def quote_type(content: tuple[int, int] | None, quotes, text: str,
                skip: tuple[int, int] | None = None) -> str:
    """direct when quotations make up (nearly) all of the content, mixed when they make up
    part of it, indirect otherwise. `skip` is a stretch inside the content not to count
    (the cue clause between two parts of one quotation)."""
    if content is None:
        return "indirect"
    s, e = content
    inside = 0
    any_quote = False
    if skip is not None and s <= skip[0] and skip[1] <= e:
        outside = len(text[s:skip[0]].strip()) + len(text[skip[1]:e].strip())
        inside_parts = sum(len(text[max(s, qs):min(e, qe)].strip()) for qs, qe in quotes.near(s, e)
                           if max(s, qs) < min(e, qe))
        if not inside_parts:
            return "indirect"
        return "direct" if outside and inside_parts / outside >= 0.8 else "mixed"
    for qs, qe in quotes.near(s, e):
        lo, hi = max(s, qs), min(e, qe)
        if lo < hi:
            any_quote = True
            inside += len(text[lo:hi].strip())
    if not any_quote:
        return "indirect"
    total = len(text[s:e].strip()) or 1
    return "direct" if inside / total >= 0.8 else "mixed"
