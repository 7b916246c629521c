"""Section headings a crawler glued to their paragraph, split before the parse.

Plain text taken from a news page often loses the line break after a section heading, so the
heading's last word and the paragraph's first word become one token: "Treating the
InjuredSevastopol Governor Mihail Razvozhaev put the death toll at four". The parser then
reads one sentence with a subject it cannot find, and the attribution is lost. The spaCy
component `presslens_heading_glue` runs first in the pipeline, splits such a token in two
(`Doc.retokenize().split`: the text is not changed, so every character offset stays valid) and
marks the right part as a sentence start, which the parser respects.

News is full of names written with a capital inside (TikTok, LinkedIn, DeepState, BlackRock,
McDonald, DeSantis, iPhone), so a token is split only when every sign of a glued heading is
there:

- shape: a capitalised word of three letters or more, optionally a quote or question mark,
  then a capitalised word of two letters or more (a single capital ends names: PlanA,
  VitaminA), with one such joint only;
- place: the token starts its line, or closes a run of title-case heading words that starts
  the line, with no sentence end before it;
- the right part opens a sentence: a word of `resources/sentence_openers.tsv` (a preposition
  only before its object: "In 2014", not the "In" of "LinkedIn said"), a title before a name
  ("Mr."), or a capitalised name the article writes on its own elsewhere and never in lower
  case (only after a heading of content words, never after "The" alone);
- what follows on the line is prose (three words or more, one in lower case);
- it is not a name: not listed in `resources/camel_case_names.tsv`, its left part is not a
  surname particle there, and the article does not write the same token again.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language

from . import config

COMPONENT = "presslens_heading_glue"
# Part of the parse cache's key (nlp.pipeline_fingerprint): raise it when the rules change.
VERSION = 1
RESOURCES = ("camel_case_names.tsv", "sentence_openers.tsv")

# Joints between a heading's last word and the paragraph: a heading ending in a quote or a
# question; an opening quote of the paragraph; a straight quote, which closes the heading when
# the heading opened one.
CLOSING_JOINTS = frozenset("’”?!")
OPENING_JOINTS = frozenset("“‘")
STRAIGHT_QUOTE = '"'
# Lowercase words a title-case heading keeps in lower case (articles, short prepositions,
# conjunctions: the Chicago Manual's title-case rule).
TITLE_MINOR_WORDS = frozenset(
    "a an the of to in on at by for with from and or but nor as vs vs. into onto over after about "
    "against amid under via per than up off out".split())
SENTENCE_ENDS = frozenset({".", "!", "?", ";"})
MAX_HEADING_WORDS = 12     # a title-case run longer than this is a sentence, not a heading
MIN_LEFT_AT_LINE_START = 4  # a one-word heading ("Background") is a word, not "Tik" or "Now"
MIN_TAIL_WORDS = 3


@dataclass(frozen=True)
class Lexicon:
    names: frozenset[str]
    prefixes: frozenset[str]
    openers: dict[str, str]   # capitalised word -> kind
    object_starts: frozenset[str]


def _rows(name: str) -> list[dict]:
    with config.resource(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The names and sentence openers of `resources/` (read once)."""
    names = _rows("camel_case_names.tsv")
    openers = _rows("sentence_openers.tsv")
    return Lexicon(
        names=frozenset(r["name"] for r in names if r["kind"] == "name"),
        prefixes=frozenset(r["name"] for r in names if r["kind"] == "prefix"),
        openers={r["word"]: r["kind"] for r in openers if r["kind"] != "object_start"},
        object_starts=frozenset(r["word"].lower() for r in openers
                                if r["kind"] in ("object_start", "determiner")))


def fingerprint() -> str:
    """The component's version and a hash of its resources, for the parse cache's key."""
    h = hashlib.sha256()
    for name in RESOURCES:
        h.update(config.resource(name).read_bytes())
    return f"glue{VERSION}.{h.hexdigest()[:8]}"


@dataclass(frozen=True)
class Joint:
    left: str
    joint: str
    right: str


def glued_parts(word: str) -> Joint | None:
    """The heading's last word, the joint and the paragraph's first word of a token shaped like
    a glued heading ("WarningsWhile", "Lawn’The"), else None. Shape only: names pass too.

    >>> glued_parts("PositionFrom")
    Joint(left='Position', joint='', right='From')
    >>> glued_parts("McDonald") is None, glued_parts("GlaxoSmithKline") is None
    (True, True)
    """
    cuts = [k for k in range(1, len(word)) if word[k].isupper()]
    if len(cuts) != 1 or not word[0].isupper():
        return None
    k = cuts[0]
    joint = ""
    if word[k - 1] in CLOSING_JOINTS or word[k - 1] in OPENING_JOINTS or word[k - 1] == STRAIGHT_QUOTE:
        joint = word[k - 1]
    left, right = word[:k - len(joint)], word[k:]
    if len(left) < 3 or not left[1:].isalpha() or not left[1:].islower():
        return None
    if len(right) < 2 or not right[1:].isalpha() or not right[1:].islower():
        return None
    return Joint(left, joint, right)


# A capitalised word of three letters or more, then a joint into a capital: where to look.
_CANDIDATE = re.compile(r"(?<![^\W\d_])[A-Z][^\W\d_A-Z]{2,}[’”?!“‘\"]?[A-Z]")


def _breaks_line(token) -> bool:
    return token.is_space and "\n" in token.text


def _line(doc, i: int) -> tuple[int, int]:
    """The token range [start, end) of the line that holds token i."""
    start = i
    while start > 0 and not _breaks_line(doc[start - 1]):
        start -= 1
    end = i + 1
    while end < len(doc) and not _breaks_line(doc[end]):
        end += 1
    return start, end


def _words(tokens) -> list:
    return [t for t in tokens if not (t.is_punct or t.is_space or t.lower_ in ("’s", "'s"))]


def _title_case(tokens) -> bool:
    """Tokens that can make up a title-case heading: capitalised words and numbers, the minor
    words title case keeps in lower case, punctuation other than a sentence end."""
    for t in tokens:
        text = t.text
        if t.is_space or t.lower_ in ("’s", "'s"):
            continue
        if t.is_punct:
            if text in SENTENCE_ENDS:
                return False
            continue
        if not (text[0].isupper() or text[0].isdigit() or t.lower_ in TITLE_MINOR_WORDS):
            return False
    words = _words(tokens)
    return not words or words[0].text[0].isupper() or words[0].text[0].isdigit()


def heading_run(prefix) -> list | None:
    """The heading words before a glued token on its line (`prefix`: the tokens from the line
    start), or None when they are no title-case heading."""
    words = _words(prefix)
    if len(words) < MAX_HEADING_WORDS and _title_case(prefix):
        return words
    return None


def _written_alone(word: str, text: str) -> bool:
    """Whether the article writes `word` as a word of its own, capitalised, and never in lower
    case: a name ("Sevastopol"), not a common word at a sentence start ("State")."""
    def found(w: str) -> bool:
        return re.search(rf"(?<![^\W_]){re.escape(w)}(?![^\W_])", text) is not None

    return found(word) and not found(word.lower())


def _opens_sentence(parts: Joint, glued, tail: list, heading: list, text: str, lex: Lexicon) -> bool:
    """Whether the glued token's right part, with the `tail` of its line, opens a sentence."""
    if not tail:
        return False
    kind = lex.openers.get(parts.right)
    nxt = tail[0]
    if kind in ("determiner", "opener"):
        return True
    if kind == "preposition":
        return nxt.like_num or nxt.text[0].isupper() or nxt.lower_ in lex.object_starts
    if kind == "honorific":
        if nxt.text == "." and not glued.whitespace_ and len(tail) > 1:
            nxt = tail[1]
        return nxt.text[0].isupper() and not nxt.is_punct
    # A name opening the paragraph: only after a heading of content words ("Treating the
    # Injured"), never after "The" alone ("The DeepState Telegram channel").
    content = [t for t in heading if t.lower_ not in TITLE_MINOR_WORDS]
    return bool(content) and _written_alone(parts.right, text)


@dataclass(frozen=True)
class Glued:
    """A token that is a heading glued to its paragraph: its index, its parts, and the
    character offset where the paragraph starts (after a closing joint, at an opening one)."""

    index: int
    parts: Joint
    paragraph_start: int


def find_glued(doc) -> list[Glued]:
    """Every token of `doc` that is a heading glued to its paragraph (see the module docstring
    for the conditions), in order."""
    text = doc.text
    lex = lexicon()
    out = []
    for m in _CANDIDATE.finditer(text):
        span = doc.char_span(m.start(), m.start() + 1, alignment_mode="expand")
        if span is None or span[0].idx != m.start():
            continue
        glued = span[0]
        parts = glued_parts(glued.text)
        if parts is None or glued.text in lex.names or parts.left in lex.prefixes:
            continue
        if len(re.findall(rf"(?<![^\W\d_]){re.escape(glued.text)}", text)) > 1:
            continue  # written so again: a name
        start, end = _line(doc, glued.i)
        heading = heading_run(doc[start:glued.i])
        if heading is None or (not heading and len(parts.left) < MIN_LEFT_AT_LINE_START):
            continue
        tail = [t for t in doc[glued.i + 1:end] if not t.is_space]
        tail_words = _words(tail)
        if len(tail_words) < MIN_TAIL_WORDS or not any(t.is_lower for t in tail_words):
            continue  # no prose after it: a title-case line, not a heading and a paragraph
        if _opens_sentence(parts, glued, tail, heading, text, lex):
            closes = parts.joint in CLOSING_JOINTS or (
                parts.joint == STRAIGHT_QUOTE and doc[start:glued.i].text.count(STRAIGHT_QUOTE) % 2 == 1)
            at = glued.idx + len(parts.left) + (len(parts.joint) if closes else 0)
            out.append(Glued(glued.i, parts, at))
    return out


def split_glued(doc):
    """Split the glued headings of `doc` (see `find_glued`), mark each paragraph's first token
    as a sentence start and the token after it as none; a title split off with its period
    ("TrumpMr." -> "Trump", "Mr.") is one token again. Returns the Doc."""
    found = find_glued(doc)
    if not found:
        return doc
    titles = []
    with doc.retokenize() as retokenizer:
        for glued in found:
            token, parts = doc[glued.index], glued.parts
            orths = [parts.left, parts.joint, parts.right] if parts.joint else [parts.left, parts.right]
            if (lexicon().openers.get(parts.right) == "honorific" and not token.whitespace_
                    and glued.index + 1 < len(doc) and doc[glued.index + 1].text == "."):
                titles.append(token.idx + len(parts.left) + len(parts.joint))
            retokenizer.split(token, orths, heads=[(token, k) for k in range(len(orths))])
    if titles:
        with doc.retokenize() as retokenizer:
            for char in titles:
                k = _token_at(doc, char)
                retokenizer.merge(doc[k:k + 2])
    for glued in found:
        k = _token_at(doc, glued.paragraph_start)
        doc[k].is_sent_start = True
        # Left open, the parser often ends the sentence again after the paragraph's first
        # word ("Sevastopol | Governor Mihail Razvozhaev put ...").
        if k + 1 < len(doc) and not doc[k + 1].is_space:
            doc[k + 1].is_sent_start = False
    return doc


def _token_at(doc, char: int) -> int:
    return doc.char_span(char, char + 1, alignment_mode="expand")[0].i


@Language.component(COMPONENT)
def heading_glue_component(doc):
    """The spaCy pipeline component: `split_glued`."""
    return split_glued(doc)
