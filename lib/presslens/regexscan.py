"""Regex helpers for big lexicons: skip what cannot match, group long alternations.

The lexicons compile to hundreds of small regexes ("scorched earth", "cast doubt", a contested
term) and each one scanned the whole article, although almost none of them ever matches. An
`Anchored` pattern knows literals one of which every match must contain ("liberat" for
"liberat(?:e|ed|ion)", " regime" for "(?:Kiev|Kyiv) regime"), read off the pattern's own
parse tree; when none is in the text, the scan is skipped. `alternation` writes a long list of
words (the 563 place spellings) as one alternation grouped by first character, which Python's
engine tries far faster than the flat list. Matches are exactly those of the plain regexes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from re import _constants as _c  # the parser's opcodes (Python 3.11+)
from re import _parser as _sre_parse

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


_REPEATS = tuple(getattr(_c, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(_c, name))
MIN_LITERAL = 2  # shorter literals are in nearly every text: not worth a test


def _candidates(items, out: list[tuple[str, ...]], current: list[str]) -> None:
    """Collect into `out` the literal sets ("one of these strings is in every match") of a
    parsed sequence: runs of adjacent literal characters, and alternations whose every
    branch has a set of its own. `current` is the literal run being built."""

    def close() -> None:
        if current:
            out.append(("".join(current),))
            current.clear()

    for op, av in items:
        if op is _c.LITERAL:
            current.append(chr(av))
        elif op is _c.SUBPATTERN and not av[1] and not av[2]:
            _candidates(av[3], out, current)  # a plain group is part of the sequence
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero-width: the literals on either side stay adjacent in the text
        elif op in _REPEATS and av[0] >= 1:
            close()  # required at least once: its literals are required, not adjacent to ours
            inner: list[str] = []
            _candidates(av[2], out, inner)
            if inner:
                out.append(("".join(inner),))
        elif op is _c.BRANCH:
            close()
            union: set[str] = set()
            for branch in av[1]:
                best = _best(branch)
                if best is None:
                    union = set()
                    break
                union.update(best)
            if union:
                out.append(tuple(sorted(union)))
        else:
            close()  # a class, an optional part, a backreference: the run ends here


def _best(items) -> tuple[str, ...] | None:
    """The most selective literal set of a sequence: the one whose shortest member is longest
    (then the one with fewest members)."""
    found: list[tuple[str, ...]] = []
    current: list[str] = []
    _candidates(items, found, current)
    if current:
        found.append(("".join(current),))
    found = [c for c in found if min(map(len, c)) >= MIN_LITERAL]
    if not found:
        return None
    return max(found, key=lambda c: (min(map(len, c)), -len(c)))


@lru_cache(maxsize=4096)
def required_literals(pattern: str, flags: int) -> tuple[str, ...] | None:
    """Literals one of which every match of `pattern` contains (lower-cased when the pattern
    ignores case), or None when there is no such set worth testing."""
    if flags & (re.VERBOSE | re.LOCALE):
        return None
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE and not flags & re.IGNORECASE:
        return None  # an inline (?i) the caller's flags do not show
    best = _best(parsed)
    if best is None:
        return None
    return tuple(sorted({lit.lower() for lit in best})) if flags & re.IGNORECASE else best


class Anchored:
    """A compiled regex plus literals one of which all its matches contain."""

    __slots__ = ("regex", "literals", "ignore_case")

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.ignore_case = bool(regex.flags & re.IGNORECASE)
        literals = required_literals(regex.pattern, regex.flags)
        # The fold above covers ASCII letters only; other literals are not tested.
        self.literals = literals if literals is not None and all(lit.isascii() for lit in literals) else None

    def possible(self, text: str) -> bool:
        if self.literals is None:
            return True
        haystack = fold(text) if self.ignore_case else text
        return any(lit in haystack for lit in self.literals)

    def finditer(self, text: str) -> Iterator[re.Match]:
        if not self.possible(text):
            return iter(())
        return self.regex.finditer(text)


# Characters re.IGNORECASE treats as equal to a different ASCII letter: alternatives starting
# with one are not grouped (two groups could then match at the same place).
_CASE_FOLD_EXTRA = frozenset("\u017f\u0131\u0130\u212a")


def alternation(words: list[str], ignore_case: bool = False, space: str | None = None) -> str:
    """A regex matching the literal `words` with the priority of the plain alternation
    `w1|w2|...` (the first word, in the given order, that fits wins), grouped by first
    character: `K(?:harkiv|upyansk)|V(?:olchansk|ovchansk)`. Python's engine tries a plain
    alternation's words one after another at every position; grouped, it tries only the
    words that start with the character there. Words with different first characters never
    match at the same place, so the grouping cannot change which word wins. `space`: a
    pattern for the words' spaces (r"\\s+")."""

    def escape(part: str) -> str:
        escaped = re.escape(part)
        return escaped.replace(r"\ ", space) if space is not None else escaped

    def key(word: str) -> str:
        return word[0].lower() if ignore_case else word[0]

    if any(not w for w in words) or (ignore_case and any(w[0] in _CASE_FOLD_EXTRA for w in words)):
        return "(?:" + "|".join(escape(w) for w in words) + ")"
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(key(word), []).append(word)
    parts = []
    for members in groups.values():
        rests = [escape(w[1:]) for w in members]
        first = escape(members[0][0])
        parts.append(first + "(?:" + "|".join(rests) + ")" if len(members) > 1 else escape(members[0]))
    return "(?:" + "|".join(parts) + ")"
