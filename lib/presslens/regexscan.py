"""Skipping lexicon regexes that cannot match a text, exactly.

The lexicons compile to hundreds of small regexes ("scorched earth", "cast doubt", a contested
term) and each one scanned the whole article, although almost none of them ever matches. An
`Anchored` pattern knows a literal that every match must contain, read off the pattern's own
parse tree; when that literal is not in the text, the scan is skipped. Matches are exactly
those of the plain regex: the literal is a necessary condition, never a different rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# Characters that re.IGNORECASE matches to an ASCII letter although str.lower() does not map
# them to one (the long s and dotless i of re._casefix, the dotted capital I whose full
# lower case has two characters): folded first, so a case-blind literal test never misses
# a match the regex would find.
_FOLD = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i"})


@lru_cache(maxsize=16)
def fold(text: str) -> str:
    """Lower-cased text for case-blind literal tests (cached: every pattern of an article
    tests against the same folded text)."""
    return text.lower() if text.isascii() else text.translate(_FOLD).lower()


def _runs(items, runs: list[str], current: list[str]) -> None:
    """Append the literal runs of a parsed sequence to `runs`; `current` is the open run."""
    for op, av in items:
        if op is _c.LITERAL:
            current.append(chr(av))
            continue
        if op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if not add_flags and not del_flags:
                _runs(sub, runs, current)  # a plain group is part of the sequence
                continue
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero-width: the literals on either side stay adjacent in the text
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) if hasattr(_c, "POSSESSIVE_REPEAT") \
                else op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, _high, sub = av
            if low >= 1:
                # required at least once: its literals are required, but not adjacent to ours
                if current:
                    runs.append("".join(current))
                    current.clear()
                inner: list[str] = []
                _runs(sub, runs, inner)
                if inner:
                    runs.append("".join(inner))
                continue
        # anything else (alternation, class, optional part, backreference) ends the run
        if current:
            runs.append("".join(current))
            current.clear()


@lru_cache(maxsize=4096)
def required_literal(pattern: str, flags: int) -> str | None:
    """The longest literal every match of `pattern` contains (lower-cased when the pattern
    ignores case), or None when there is none worth testing."""
    if flags & (re.VERBOSE | re.LOCALE):
        return None
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE and not flags & re.IGNORECASE:
        return None  # an inline (?i) the caller's flags do not show
    runs: list[str] = []
    current: list[str] = []
    _runs(parsed, runs, current)
    if current:
        runs.append("".join(current))
    if not runs:
        return None
    best = max(runs, key=len)
    if len(best) < 2:
        return None
    return best.lower() if flags & re.IGNORECASE else best


class Anchored:
    """A compiled regex plus the literal all its matches contain."""

    __slots__ = ("regex", "literal", "ignore_case")

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.ignore_case = bool(regex.flags & re.IGNORECASE)
        literal = required_literal(regex.pattern, regex.flags)
        # The fold above covers ASCII literals only; other literals are not tested.
        self.literal = literal if literal is None or literal.isascii() else None

    def possible(self, text: str) -> bool:
        if self.literal is None:
            return True
        return self.literal in (fold(text) if self.ignore_case else text)

    def finditer(self, text: str) -> Iterator[re.Match]:
        if not self.possible(text):
            return iter(())
        return self.regex.finditer(text)

    def search(self, text: str) -> re.Match | None:
        return self.regex.search(text) if self.possible(text) else None
