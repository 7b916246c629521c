"""Page furniture in crawled news text: find it once, so analyses can leave it out.

Crawlers keep more than the article: "Most read in Football", "By subscribing you agree to our
Terms of Use", "READ MORE SUN STORIES", a copy of the headline, "Authored by X via Y", photo
captions and credits, "Click here to ...". Left in, these become sources ("We appreciate your
feedback"), claims and frame evidence. `find_boilerplate` marks them as character spans with a
human reason ("subscription prompt", "byline", ...) and the rule that fired, working line by line
because crawled text keeps furniture as whole lines or short line groups, and at sentence starts
for furniture glued to a paragraph ("... planes. Read all the Latest News ... here.").

The regex rules are data (`resources/boilerplate_rules.tsv`, scopes line / sentence / contains /
anywhere, documented there); the rules that need the article's structure are here: a repeated
headline (the title again, a near copy of it near the top, or glued to the first sentence),
headline-like lines in the body (links to other stories), the author bio after an "About the
author" heading, a closing republication note or a byline with the same name, a second copy of
furniture, and the lead-in of a source URL ("More at RBC:").

`boilerplate_spans` is the table for a corpus; `BoilerplateIndex` / `in_boilerplate` answer "does
this span touch furniture?" by bisection, for dropping rows; `mask_text` / `mask_articles` blank
furniture with offsets unchanged, so a parser run on the masked text does not glue a headline
copy to the next sentence (dropping such a glued sentence would lose real news).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from presslens.config import resource
from presslens.regexscan import required_literals

__all__ = ["Boilerplate", "BoilerplateIndex", "RuleSet", "boilerplate_spans", "find_boilerplate",
           "in_boilerplate", "index_by_article", "load_rules", "mask_articles", "mask_text"]

RULES_FILE = "boilerplate_rules.tsv"
SCOPES = ("line", "sentence", "contains", "anywhere")
GUARD = "{NOSAID}"
CONTAINS_MAX = 500  # longer lines are prose even when they contain a furniture phrase
SPAN_COLUMNS = ["article_id", "start", "end", "reason", "rule", "text"]


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """One piece of furniture: `text[start:end]` (end exclusive), why, and which rule said so."""

    start: int
    end: int
    reason: str
    rule: str


@dataclass(frozen=True)
class Rule:
    name: str
    reason: str
    scope: str
    source: str  # the pattern with macros expanded
    ignore_case: bool
    guarded: bool  # held {NOSAID}: does not fire on text that reports speech
    regex: re.Pattern  # this rule alone (the combined alternations serve the common case)

    @property
    def pattern(self) -> str:
        return f"(?i:{self.source})" if self.ignore_case else self.source


@dataclass(frozen=True)
class RuleSet:
    """The rules of one file, compiled per scope into one alternation of named groups, so a
    line costs one regex call per scope however many rules there are. Every alternative starts
    with a word or a character class, so on prose each fails at its first character."""

    rules: tuple[Rule, ...]
    line: re.Pattern | None
    sentence: re.Pattern | None
    contains: re.Pattern | None
    # Lower-cased words one of which every contains-match holds: a line without any of them
    # is not searched (None: no such words, always search).
    contains_keys: tuple[str, ...] | None
    # Anywhere rules search every position of a line, so each runs alone and only in articles
    # holding one of its words (None: always).
    anywhere: tuple[tuple[Rule, tuple[str, ...] | None], ...]

    def rule(self, match: re.Match) -> Rule:
        return self.rules[int(match.lastgroup[1:])]


def _read_rules(path: Path) -> list[Rule]:
    macros: dict[str, str] = {}
    rules: list[Rule] = []
    header_seen = False
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if raw.startswith("@"):
            if len(fields) != 2:
                raise ValueError(f"{path}:{lineno}: a macro line is '@NAME<TAB>regex'")
            macros[fields[0][1:]] = fields[1]
            continue
        if not header_seen:
            if fields != ["rule", "reason", "scope", "case", "pattern"]:
                raise ValueError(f"{path}:{lineno}: expected the header rule/reason/scope/case/pattern")
            header_seen = True
            continue
        if len(fields) != 5:
            raise ValueError(f"{path}:{lineno}: expected 5 tab-separated fields, found {len(fields)}")
        name, reason, scope, case, pattern = fields
        if scope not in SCOPES or case not in ("i", "s"):
            raise ValueError(f"{path}:{lineno}: scope must be one of {SCOPES} and case i or s")
        guarded = GUARD in pattern or scope == "contains"
        pattern = pattern.replace(GUARD, "")
        for key, value in macros.items():
            pattern = pattern.replace("{" + key + "}", value)
        try:
            compiled = re.compile(pattern, re.IGNORECASE if case == "i" else 0)
        except re.error as exc:
            raise ValueError(f"{path}:{lineno}: rule {name!r} does not compile: {exc}") from None
        if compiled.groups:
            raise ValueError(f"{path}:{lineno}: rule {name!r} has a capturing group; use (?:...)")
        if scope == "sentence":
            compiled = re.compile(f"(?:{pattern})\\s*\\Z", compiled.flags)
        rules.append(Rule(name, reason, scope, pattern, case == "i", guarded, compiled))
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: rule names must be unique")
    return rules


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> RuleSet:
    """The rules file (default: the shipped one), compiled once per process."""
    rules = tuple(_read_rules(Path(path) if path else resource(RULES_FILE)))

    def combined(scope: str, tail: str = "") -> re.Pattern | None:
        parts = [f"(?P<r{i}>{r.pattern})" for i, r in enumerate(rules) if r.scope == scope]
        return re.compile("(?:" + "|".join(parts) + ")" + tail) if parts else None

    def keys(rule: Rule) -> tuple[str, ...] | None:
        literals = required_literals(rule.source, re.IGNORECASE if rule.ignore_case else 0)
        return None if literals is None else tuple(sorted({lit.lower() for lit in literals}))

    contains_keys: set[str] | None = set()
    for r in rules:
        if r.scope == "contains" and contains_keys is not None:
            found = keys(r)
            contains_keys = None if found is None else contains_keys | set(found)
    # A sentence rule must run to the end of the line: the tail of a line is furniture, never
    # a piece from its middle.
    return RuleSet(rules, combined("line"), combined("sentence", r"\s*\Z"), combined("contains"),
                   tuple(sorted(contains_keys)) if contains_keys is not None else None,
                   tuple((r, keys(r)) for r in rules if r.scope == "anywhere"))


# ------------------------------------------------------------------------------- structure

_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,./]*")
_NORM = re.compile(r"[\W_]+")
# Furniture never reports speech: a line with a reporting cue is prose whatever else it contains.
# An embedded post signed with a handle ("— Jane Doe (@jdoe) May 2, 2024") is reported speech too.
_REPORTED = re.compile(r"\b(?:said|says|told|tells|according to|announced|stated|added|wrote)\b|\(@\w{1,30}\)",
                       re.IGNORECASE)
_CLOSERS = "\"”’'»)]"
_SENTENCE_START = re.compile(r"[.!?…][\"”’)\]]*\s+(?=\S)")
# Words a headline leaves in lower case ("The Kremlin Sells the West the Energy with which to ...").
_SMALL = frozenset("""a an the and or but nor for of to in on at by with from as vs via into onto over
    under than that which who whom whose is are was be its it per up out off so if
    amid after before about against between during without within upon""".split())
_BYLINE_RULES = frozenset({"byline"})
_BIO_LEADS = frozenset({"about_author", "republished", "author_bio"})
_URL_RULES = frozenset({"bare_url", "source_url", "url_promo"})
NEAR_TOP = 3  # a near copy of the title counts among the first lines only
HEADLINE_WORDS = 6  # content words from which one headline-like line alone is a link to a story
REPEAT_MIN = 30  # characters (normalised) a line must share with furniture to be its repeat


def _norm(text: str) -> str:
    return _NORM.sub(" ", text.casefold()).strip()


def _stems(text: str) -> set[str]:
    """Content words cut to five letters, so "demand" and "demands" meet."""
    return {w[:5] for w in _norm(text).split() if w not in _SMALL}


@dataclass(frozen=True)
class _Title:
    raw: str
    norm: str
    stems: frozenset[str]
    marker: str  # the longest of the title's first words: a line without it is no exact copy

    @classmethod
    def of(cls, title: str | None) -> _Title | None:
        norm = _norm(title) if isinstance(title, str) else ""
        if not norm:
            return None
        return cls(title.strip(), norm, frozenset(_stems(title)), max(norm.split()[:3], key=len))

    def copied_by(self, line: str, near: bool) -> bool:
        """The line is the headline again: equal to the title once case and punctuation are
        dropped or, near the top, a variant sharing most of its words that is one heading (no
        closing full stop, no second sentence)."""
        if not near and (not len(self.raw) // 2 <= len(line) <= 2 * len(self.raw) + 20
                         or self.marker not in line[:80].casefold()):
            return False  # cheap tests before normalising the whole line
        if _norm(line) == self.norm:
            return True
        if not near or line.rstrip(_CLOSERS)[-1:] in ".:;,!" or _SENTENCE_START.search(line):
            return False
        if len(line) > 1.5 * len(self.raw) + 30:
            return False  # a lede that retells the headline, not a variant of it
        stems = _stems(line)
        shared = len(stems & self.stems)
        if shared < 3:
            return False
        return shared / len(stems | self.stems) >= 0.5 or (shared >= 5 and shared / min(len(stems), len(self.stems)) >= 0.5)

    def glued_to(self, line: str) -> int:
        """Length of a copy of the title glued to the start of the line ("...Hardeep Singh
        PuriAbout half of ..."), else 0."""
        n = len(self.raw)
        if n >= 20 and len(line) > n and line[:n].casefold() == self.raw.casefold() and not line[n].isspace():
            return n
        return 0


def headline_like(line: str) -> bool:
    """A line set as a headline: three or more content words, all capitalised (or the whole
    line in capitals), no closing full stop or comma, not long, not a quotation."""
    return _headline_words(line) >= 3


_LIST_ITEM = re.compile(r"\(?\d{1,3}[.)]\s|[•*·▪‣◦-]\s")


def _headline_words(line: str) -> int:
    line = line.strip()
    if (len(line) > 200 or line[-1:] in ".,;:\"”’" or line.startswith(("“", '"', "‘", "'", "—", "-"))
            or _LIST_ITEM.match(line)):
        return 0  # a sentence, a quotation or an item of a numbered list
    content = [w for w in _WORD.findall(line) if w.lower() not in _SMALL]
    if all(w[0].isupper() or w[0].isdigit() for w in content):
        return len(content)
    return 0


def _inside_quote(line: str, pos: int) -> bool:
    return _Quotes(line).inside(pos)


class _Quotes:
    """Whether positions of a line lie inside a quotation (an odd number of straight quotes or
    more opening than closing curly quotes before them), counted incrementally so that asking
    at every sentence start of a very long line stays linear."""

    __slots__ = ("line", "pos", "straight", "open")

    def __init__(self, line: str):
        self.line, self.pos, self.straight, self.open = line, 0, 0, 0

    def inside(self, pos: int) -> bool:
        if pos < self.pos:
            self.pos, self.straight, self.open = 0, 0, 0
        part = self.line[self.pos:pos]
        self.straight += part.count('"')
        self.open += part.count("“") - part.count("”")
        self.pos = pos
        return self.straight % 2 == 1 or self.open > 0


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Non-blank lines as (start, end, stripped text), offsets into `text`."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        stripped = raw.strip()
        if stripped:
            start = m.start() + (len(raw) - len(raw.lstrip()))
            out.append((start, start + len(stripped), stripped))
    return out


def find_boilerplate(text: str, title: str | None = None, rules: RuleSet | None = None) -> list[Boilerplate]:
    """Spans of page furniture in one article's text, sorted by start.

    `title` (optional) lets a repeated headline be found. Each span is a whole line, or the tail
    of a line from the sentence where glued furniture starts, or a piece inside a line (a
    bracketed credit, a headline copy glued to the first sentence)."""
    if not isinstance(text, str) or not text:
        return []
    rules = rules or load_rules()
    lines = _lines(text)
    head = _Title.of(title)
    found: list[Boilerplate | None] = [None] * len(lines)
    extra: list[Boilerplate] = []
    byline_names: list[str] = []

    # Rules that search inside lines run only where their words occur in the article (found
    # with fast substring tests on the lower-cased text).
    low = text.lower()
    anywhere = [r for r, words in rules.anywhere if words is None or any(w in low for w in words)]
    contains_lines = _lines_holding(low, rules.contains_keys, lines) if len(low) == len(text) else None
    for i, (start, end, line) in enumerate(lines):
        if head is not None:
            if head.copied_by(line, near=i < NEAR_TOP):
                found[i] = Boilerplate(start, end, "repeated headline", "title_repeat")
                continue
            glued = head.glued_to(line) if i < NEAR_TOP else 0
            if glued:
                extra.append(Boilerplate(start, start + glued, "repeated headline", "title_glued"))
        rule = _line_rule(rules, line, contains_lines is None or i in contains_lines)
        if rule is not None:
            found[i] = Boilerplate(start, end, rule.reason, rule.name)
            if rule.name in _BYLINE_RULES:
                byline_names.append(_byline_name(line))
            continue
        tail_from = len(line)
        hit = _first_sentence_match(line, rules) if rules.sentence else None
        if hit is not None:
            pos, rule = hit
            tail = Boilerplate(start + pos, start + len(line), rule.reason, rule.name)
            if pos == 0:
                found[i] = tail
                continue
            extra.append(tail)
            tail_from = pos
        for rule in anywhere:
            quotes = _Quotes(line)
            for m in rule.regex.finditer(line, 0, tail_from):
                if quotes.inside(m.start()):
                    continue
                s, e = _trim(line, m.start(), m.end())
                if e > s:
                    extra.append(Boilerplate(start + s, start + e, rule.reason, rule.name))

    _structural(lines, found, byline_names, text, extra)
    out = [b for b in found if b is not None] + extra
    out.sort(key=lambda b: (b.start, b.end))
    return out


def _line_rule(rules: RuleSet, line: str, may_contain: bool) -> Rule | None:
    """The first line or contains rule that flags the whole line (`may_contain`: the line holds
    a word of a contains rule)."""
    m = rules.line.fullmatch(line) if rules.line else None
    if m is None and may_contain and rules.contains and len(line) <= CONTAINS_MAX:
        m = rules.contains.search(line)
        if m is not None and _inside_quote(line, m.start()):
            m = None
    if m is None:
        return None
    rule = rules.rule(m)
    if not (rule.guarded and _REPORTED.search(line)):
        return rule
    # Rare: the rule that fired is guarded and the line reports speech; an unguarded rule may
    # still hold.
    for other in rules.rules:
        if other.scope == "line" and not other.guarded and other.regex.fullmatch(line):
            return other
    return None


def _lines_holding(low: str, keys: Sequence[str] | None, lines: Sequence[tuple[int, int, str]]) -> set[int] | None:
    """Indexes of the lines where a contains rule's word occurs (`low`: the lower-cased text,
    same offsets), found by substring search over the whole text; None: every line."""
    if keys is None:
        return None
    starts = [line[0] for line in lines]
    out: set[int] = set()
    for key in keys:
        pos = low.find(key)
        while pos >= 0:
            out.add(bisect.bisect_right(starts, pos) - 1)
            pos = low.find(key, pos + 1)
    return out


def _first_sentence_match(line: str, rules: RuleSet) -> tuple[int, Rule] | None:
    """The earliest sentence start (outside quotation marks) from which a rule matches to the
    end of the line."""
    quotes = _Quotes(line)
    for pos in _sentence_starts(line):
        if pos and quotes.inside(pos):
            continue
        m = rules.sentence.match(line, pos)
        if not m:
            continue
        rule = rules.rule(m)
        if not (rule.guarded and _REPORTED.search(line, pos)):
            return pos, rule
        for other in rules.rules:
            if other.scope == "sentence" and not other.guarded and other.regex.match(line, pos):
                return pos, other
    return None


def _sentence_starts(line: str) -> Iterable[int]:
    yield 0
    for m in _SENTENCE_START.finditer(line):
        yield m.end()


def _trim(line: str, s: int, e: int) -> tuple[int, int]:
    while s < e and line[s].isspace():
        s += 1
    while e > s and line[e - 1].isspace():
        e -= 1
    return s, e


_BYLINE_NAME = re.compile(r"(?i:authored by|written by|words by|posted by|reported by|story by|text by|by)\s+"
                          r"([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})")


def _byline_name(line: str) -> str:
    m = _BYLINE_NAME.match(line)
    return m.group(1) if m else ""


def _structural(lines: Sequence[tuple[int, int, str]], found: list[Boilerplate | None],
                byline_names: list[str], text: str, extra: list[Boilerplate]) -> None:
    """Rules that look at neighbouring lines or at furniture found elsewhere in the article;
    they fill `found` in place."""
    n = len(lines)
    # Lines already holding a piece of furniture (a bracketed credit) are not looked at again.
    starts = [line[0] for line in lines]
    taken = {bisect.bisect_right(starts, b.start) - 1 for b in extra}
    # Headline-like lines in the body are links to other stories: two or more in a row, or one
    # long enough not to be a section heading ("Russia Says That It's At War Against The
    # United States" under the last paragraph).
    i = 0
    while i < n:
        j = i
        while j < n and (found[j] is None or found[j].rule == "title_repeat") and headline_like(lines[j][2]):
            j += 1
        free = [k for k in range(i, j) if found[k] is None and k not in taken]
        for k in free:
            alone = _headline_words(lines[k][2]) >= HEADLINE_WORDS and "(" not in lines[k][2]
            if len(free) >= 2 or alone:
                found[k] = Boilerplate(lines[k][0], lines[k][1], "related-links", "headline_line")
        i = max(j, i + 1)
    names = [name for name in byline_names if name]
    for i, (start, end, line) in enumerate(lines):
        if found[i] is not None:
            # The author bio after "About the author", a closing republication note or a first
            # bio: short paragraphs opening with a name (a note at the top introduces the article).
            if found[i].rule in _BIO_LEADS and (found[i].rule != "republished" or i >= n - 4):
                for k in range(i + 1, min(i + 3, n)):
                    if found[k] is None and _bio_like(lines[k][2]):
                        found[k] = Boilerplate(lines[k][0], lines[k][1], "author bio", "bio_after_" + found[i].rule)
                    elif found[k] is None or found[k].reason != "author bio":
                        break
            # The lead-in of a link line ("More at RBC:", "Source:") belongs to it.
            if found[i].rule in _URL_RULES and i and found[i - 1] is None:
                prev = lines[i - 1][2]
                if prev.endswith(":") and len(prev) <= 40:
                    found[i - 1] = Boilerplate(lines[i - 1][0], lines[i - 1][1], "source URL", "url_lead_in")
            continue
        # A late paragraph opening with the byline's name is the author's bio.
        if names and i >= n - 3 and len(line) <= 400 and any(line.startswith(name + " ") for name in names):
            found[i] = Boilerplate(start, end, "author bio", "bio_byline_name")
    # A second copy of furniture (a caption or bio printed twice, the first truncated) is
    # furniture too: a line whose text starts like a flagged piece.
    pieces = [(b, _norm(text[b.start:b.end])) for b in [*found, *extra] if b is not None]
    pieces = [(b, norm) for b, norm in pieces if len(norm) >= REPEAT_MIN]
    if not pieces:
        return
    for i, (start, end, line) in enumerate(lines):
        if found[i] is not None or i in taken:
            continue
        head = _norm(line[:2 * REPEAT_MIN])[:REPEAT_MIN]
        if len(head) < REPEAT_MIN or not any(other.startswith(head) for _, other in pieces):
            continue
        norm = _norm(line)
        for b, other in pieces:
            shared = _common_prefix(norm, other)
            if shared >= REPEAT_MIN and shared >= 0.8 * len(norm):
                found[i] = Boilerplate(start, end, b.reason, "furniture_repeat")
                break


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    k = 0
    while k < n and a[k] == b[k]:
        k += 1
    return k


_BIO_START = re.compile(r"(?!(?:The|A|An|This|That|In|On|At|As)\s)[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}[\s,]")
_BIO_WORDS = re.compile(r"\b(?:author|writer|journalist|reporter|correspondent|editor|columnist|analyst|"
                        r"researcher|fellow|professor|founder|commentator|blogger|contributor|geographer|"
                        r"historian|economist|scholar|associate|veteran|retired)\b", re.IGNORECASE)


def _bio_like(line: str) -> bool:
    return (len(line) <= 500 and bool(_BIO_START.match(line)) and bool(_BIO_WORDS.search(line))
            and not any(q in line for q in '"“”'))


# ------------------------------------------------------------------------------- tables


def boilerplate_spans(articles: pd.DataFrame, text_col: str = "text", title_col: str = "title",
                      id_col: str = "article_id") -> pd.DataFrame:
    """One row per piece of furniture in every article: `article_id, start, end, reason, rule,
    text` (offsets into that article's `text`, end exclusive). A missing title column is fine."""
    for col in (id_col, text_col):
        if col not in articles.columns:
            raise KeyError(f"boilerplate_spans needs a {col!r} column; the articles have {list(articles.columns)}")
    rules = load_rules()
    titles = articles[title_col] if title_col in articles.columns else [None] * len(articles)
    rows = []
    for aid, text, title in zip(articles[id_col], articles[text_col], titles):
        title = title if isinstance(title, str) else None
        for b in find_boilerplate(text, title, rules):
            rows.append((str(aid), b.start, b.end, b.reason, b.rule, text[b.start:b.end]))
    out = pd.DataFrame(rows, columns=SPAN_COLUMNS)
    return out.astype({"article_id": "string", "start": "int64", "end": "int64", "reason": "string",
                       "rule": "string", "text": "string"})


class BoilerplateIndex:
    """The furniture of one article, merged into disjoint sorted intervals, for overlap tests
    by bisection."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: Iterable[Boilerplate | tuple[int, int]] = ()):
        pairs = sorted((s.start, s.end) if isinstance(s, Boilerplate) else (int(s[0]), int(s[1])) for s in spans)
        starts: list[int] = []
        ends: list[int] = []
        for s, e in pairs:
            if e <= s:
                continue
            if starts and s <= ends[-1]:
                ends[-1] = max(ends[-1], e)
            else:
                starts.append(s)
                ends.append(e)
        self._starts, self._ends = starts, ends

    def __len__(self) -> int:
        return len(self._starts)

    def __bool__(self) -> bool:
        return bool(self._starts)

    @property
    def intervals(self) -> list[tuple[int, int]]:
        return list(zip(self._starts, self._ends))

    def covers(self, start: int, end: int) -> bool:
        """True when [start, end) shares at least one character with furniture."""
        j = bisect.bisect_left(self._starts, end) - 1
        return j >= 0 and self._ends[j] > start and end > start

    def coverage(self, start: int, end: int) -> float:
        """Share of [start, end) that is furniture (0.0 for an empty span)."""
        if end <= start:
            return 0.0
        j = bisect.bisect_left(self._starts, end) - 1
        covered = 0
        while j >= 0 and self._ends[j] > start:
            covered += min(end, self._ends[j]) - max(start, self._starts[j])
            j -= 1
        return covered / (end - start)


def index_by_article(spans: pd.DataFrame) -> dict[str, BoilerplateIndex]:
    """A `BoilerplateIndex` per article of a `boilerplate_spans` table."""
    return {str(aid): BoilerplateIndex(zip(g["start"], g["end"])) for aid, g in spans.groupby("article_id", sort=False)}


def in_boilerplate(rows: pd.DataFrame, spans: pd.DataFrame, start: str = "start", end: str = "end",
                   article: str = "article_id", min_share: float = 0.0) -> pd.Series:
    """Boolean Series over `rows`: True where the row's [start, end) touches furniture (or, with
    `min_share` > 0, where more than that share of it is furniture). Rows with a missing offset
    are False. Analyses drop rows with `rows[~in_boilerplate(rows, spans, ...)]`."""
    index = index_by_article(spans)
    empty = BoilerplateIndex()
    flags = []
    for aid, s, e in zip(rows[article], rows[start], rows[end]):
        if pd.isna(s) or pd.isna(e):
            flags.append(False)
            continue
        idx = index.get(str(aid), empty)
        flags.append(idx.coverage(int(s), int(e)) > min_share if min_share > 0 else idx.covers(int(s), int(e)))
    return pd.Series(flags, index=rows.index, dtype=bool)


_NOT_NEWLINE = re.compile(r"[^\n]")


def mask_text(text: str, spans: Iterable[Boilerplate | tuple[int, int]]) -> str:
    """`text` with furniture replaced by spaces (line breaks kept): same length and offsets, so
    a parser run on it splits sentences at the furniture and finds nothing inside it."""
    parts = []
    done = 0
    for s, e in BoilerplateIndex(spans).intervals:
        s, e = max(s, done), min(e, len(text))
        if e <= s:
            continue
        parts += [text[done:s], _NOT_NEWLINE.sub(" ", text[s:e])]
        done = e
    return "".join(parts) + text[done:]


def mask_articles(articles: pd.DataFrame, spans: pd.DataFrame | None = None, text_col: str = "text",
                  id_col: str = "article_id") -> pd.DataFrame:
    """A copy of `articles` whose texts have their furniture blanked by `mask_text` (`spans`:
    a `boilerplate_spans` table, found here when not given). Parsing the masked texts keeps a
    headline copy or a "Most read" line from being glued to the next sentence, and every offset
    stays valid for the original text."""
    if spans is None:
        spans = boilerplate_spans(articles, text_col=text_col, id_col=id_col)
    index = index_by_article(spans)
    masked = [mask_text(text, index[str(aid)].intervals) if isinstance(text, str) and str(aid) in index else text
              for aid, text in zip(articles[id_col], articles[text_col])]
    out = articles.copy()
    out[text_col] = masked
    return out
