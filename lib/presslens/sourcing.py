"""Sourcing patterns: who is cited in an article, how (direct quote, indirect speech, "according
to", partial quote) and how openly (named, role only, anonymous, nobody at all).

`extract_attributions(articles, docs=None)` returns one row per attribution with character
offsets of its source, cue and content; `from_doc` does the same for one parsed Doc (what
`presslens.analyze()` calls); `source_profile` summarises the rows per article or outlet.

The method is rule-based on spaCy's dependency parse, with every word list kept as data in
`resources/` (cues.tsv, source_roles.tsv, organisations.tsv, affiliations.tsv,
anonymity_markers.txt, actors.tsv): a cue word (a reporting, cognition or evaluation verb, a
reporting noun, "according to") is found, its speaker is read off the parse (subject, agent
of a passive, possessor of a noun, subject of the governing verb for "continued to say" and
"..., adding that"), and its content is the complement clause, an adjacent direct quotation
or, for parenthetical cues ("X, it says, Y"), the clause around the cue. Mentions are then
resolved within the article ("the channel", "it", "he", a surname) to the last compatible
named antecedent, and classified by the gazetteer, organisations and role words.

A learned cue detector (`cue_features`, `cue_model`; a logistic regression trained on a fixed
70 % of PolNeAR by scripts/train_sourcing_cues.py, weights in
resources/sourcing_cue_model.json, see its .md) adds the cues the word lists miss ("defended",
"attacked", "shows", "in a poll"); below a sure score it needs a speaker-like source. It never
removes a rule cue. `from_doc(..., context={"learned_cues": False})` runs the rules alone.
"""

from __future__ import annotations

import csv
import math
import re
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat

import pandas as pd

from . import components, config, nlp, schema
from .profiles import source_profile  # noqa: F401  (public here: the profile of these attributions)

QUOTE_TYPES = schema.QUOTE_TYPES
EXTRA_COLUMNS = {
    "attribution_id": "string",
    "cue_kind": "string",
    "second_hand": "boolean",
    "via": "string",
}
ATTRIBUTION_COLUMNS = {**schema.ATTRIBUTIONS, **EXTRA_COLUMNS}

# ----------------------------------------------------------------------------- resources (data)


def _rows(name: str) -> list[dict]:
    with config.resource(name).open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _norm(text: str) -> str:
    """Lower case with typographic apostrophes and quotes made plain, for matching and keys."""
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace(
        "\u201d", '"').lower()


@dataclass(frozen=True)
class Cue:
    lemma: str
    pos: str
    kind: str
    needs: str
    agentless: bool


@dataclass(frozen=True)
class Role:
    source_type: str
    kind: str
    proxy: bool


@dataclass(frozen=True)
class Org:
    canonical: str
    source_type: str
    affiliation: str


@dataclass
class Lexicon:
    verb_cues: dict[str, Cue]
    noun_cues: dict[str, Cue]
    verb_forms: dict[str, str]  # inflected lower-case form -> lemma (for headline cues)
    gerunds: dict[str, str]  # "-ing" form -> lemma (the lemmatizer reads "hoping" as "hop")
    roles: dict[tuple[str, ...], Role]
    orgs: dict[tuple[str, ...], Org]
    affiliations: dict[tuple[str, ...], str]
    actors: dict[str, tuple[str, str]]  # canonical -> (source_type, affiliation)
    actor_forms: dict[tuple[str, ...], str]  # token sequence (lower) -> canonical
    anonymity: frozenset[str]
    max_org_len: int = 1
    max_role_len: int = 1
    max_aff_len: int = 1


def _inflections(lemma: str) -> set[str]:
    """Plain English inflections, enough to spot a cue verb the tagger read as a noun in a
    title-case headline ("Russian Forces Report Gains")."""
    forms = {lemma}
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d"}
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    elif lemma.endswith(("s", "sh", "ch", "x")):
        forms |= {lemma + "es", lemma + "ed"}
    else:
        forms |= {lemma + "s", lemma + "ed"}
    irregular = {"say": {"says", "said"}, "tell": {"tells", "told"}, "think": {"thinks", "thought"},
                 "write": {"writes", "wrote"}, "see": {"sees", "saw"}, "know": {"knows", "knew"},
                 "find": {"finds", "found"}}
    return forms | irregular.get(lemma, set())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """All word lists, read once per process from resources/."""
    verb_cues: dict[str, Cue] = {}
    noun_cues: dict[str, Cue] = {}
    for row in _rows("cues.tsv"):
        cue = Cue(row["lemma"].strip().lower(), row["pos"].strip().upper(), row["kind"].strip(),
                  row["needs"].strip(), row["agentless"].strip() == "yes")
        (noun_cues if cue.pos == "NOUN" else verb_cues)[cue.lemma] = cue
    verb_forms = {}
    gerunds = {}
    for lemma, cue in verb_cues.items():
        if cue.kind in ("speech", "evaluation"):
            for form in _inflections(lemma):
                verb_forms[form] = lemma
        stem = lemma[:-1] if lemma.endswith("e") and not lemma.endswith("ee") else lemma
        gerunds[stem + "ing"] = lemma
    roles = {tuple(r["role"].lower().split()): Role(r["source_type"], r["kind"], r["proxy"] == "yes")
             for r in _rows("source_roles.tsv")}
    orgs: dict[tuple[str, ...], Org] = {}
    for r in _rows("organisations.tsv"):
        org = Org(r["canonical"], r["source_type"], r["affiliation"])
        for form in r["pattern"].split("|"):
            key = tuple(_norm(t) for t in _split_tokens(form))
            if key:
                orgs[key] = org
    affiliations = {tuple(r["word"].lower().split()): r["affiliation"] for r in _rows("affiliations.tsv")}
    actors: dict[str, tuple[str, str]] = {}
    actor_forms: dict[tuple[str, ...], str] = {}
    for r in _rows("actors.tsv"):
        if not r.get("canonical"):
            continue
        actors[r["canonical"]] = (r.get("source_type") or "other", r.get("affiliation") or "unknown")
        for form in (r.get("pattern") or "").split("|"):
            key = tuple(_norm(t) for t in _split_tokens(form))
            if key:
                actor_forms[key] = r["canonical"]
    with config.resource("anonymity_markers.txt").open(encoding="utf-8") as fh:
        anonymity = frozenset(ln.strip().lower() for ln in fh if ln.strip() and not ln.startswith("#"))
    return Lexicon(
        verb_cues, noun_cues, verb_forms, gerunds, roles, orgs, affiliations, actors, actor_forms, anonymity,
        max_org_len=max((len(k) for k in orgs), default=1),
        max_role_len=max((len(k) for k in roles), default=1),
        max_aff_len=max((len(k) for k in affiliations), default=1),
    )


_TOKEN_RE = re.compile(r"\w+(?:[-.'’]\w+)*\.?|[^\w\s]")


def _split_tokens(text: str) -> list[str]:
    """Roughly spaCy's tokenisation of a gazetteer entry ("People's" -> "People", "'s")."""
    out = []
    for tok in _TOKEN_RE.findall(text):
        m = re.match(r"^(.*\w)(['’]s)$", tok)
        if m:
            out.extend([m.group(1), m.group(2)])
        else:
            out.append(tok)
    return out


# ----------------------------------------------------------------------------- quotations

OPEN_DOUBLE = "\u201c\u201e\u00ab"
# Quotations at least this long are somebody's words, not a scare-quoted term.
MIN_QUOTE_CHARS = 40
# Institutions a text names without antecedent ("the government", "the army"): never resolved
# to the last named organisation.
GENERIC_INSTITUTIONS = {"government", "administration", "authority", "military", "army", "police",
                        "parliament", "cabinet", "kremlin", "council", "court"}
# Nouns for texts that carry someone's words ("a statement saying", "an article stating").
DOCUMENT_NOUNS = {"statement", "article", "report", "letter", "tweet", "post", "memo", "release",
                  "message", "email", "video", "op-ed", "editorial", "interview", "note", "column"}
# An attribution nests inside one of its neighbours' content, never a far one (keeps it linear).
NEST_WINDOW = 8
CLOSE_DOUBLE = "\u201d\u00bb"


class Quotes(list):
    """Quotation spans sorted by start, with a window lookup so that per-attribution checks
    stay cheap in long articles."""

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
    """Character spans (start, end exclusive, including the marks) of quotations in `text`.

    Double quotations (curly, straight, guillemets) and single ‘…’ ones where they cannot be
    apostrophes. A quotation left open at a paragraph's end continues when the next paragraph
    opens with a quotation mark (the newsroom convention for multi-paragraph quotes);
    otherwise it ends with its paragraph, so one unbalanced mark cannot swallow the article."""
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


# ----------------------------------------------------------------------------- helpers on tokens

SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
THING_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "themselves"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom", "whose"}
SPEAKER_PRONOUNS = {"i", "we", "me", "us", "you", "my", "our"}
# A PERSON entity after these words is a place the small model mislabelled ("west of Sinelikino").
PLACE_PREPOSITIONS = {"of", "near", "in", "at", "outside", "around", "from", "to", "into", "towards",
                      "toward", "through", "across", "past", "beyond", "village", "town", "city"}
TOPONYM_SUFFIXES = ("ovka", "evka", "ivka", "yivka", "ino", "ovo", "evo", "ske", "ska", "sk", "ivske",
                    "ove", "grad", "pol", "opil", "horod", "hirsk", "dar", "nyi", "ne")
DIRECTION_WORDS = {"west", "east", "north", "south", "northwest", "northeast", "southwest", "southeast",
                   "outskirts", "direction", "axis", "front", "near"}


def _is_place_like_person(ent) -> bool:
    """The small model's PERSON on a place name: preceded by a place preposition after a
    direction word, by a determiner ("the Khatonensky front"), or a single token ending in a
    toponym suffix and following a place preposition."""
    if ent.label_ != "PERSON":
        return False
    doc = ent.doc
    prev = doc[ent.start - 1] if ent.start > 0 else None
    prev2 = doc[ent.start - 2] if ent.start > 1 else None
    if prev is not None and prev.lower_ == "the" and not (ent.end < len(doc) and doc[ent.end].lower_ in ("'s", "’s")):
        return True
    if prev is not None and prev.lower_ in PLACE_PREPOSITIONS:
        if prev2 is not None and prev2.lower_ in DIRECTION_WORDS:
            return True
        if len(ent) == 1 and ent.text.lower().endswith(TOPONYM_SUFFIXES):
            return True
    return False


def _person_ents(doc) -> list:
    return [e for e in doc.ents if e.label_ == "PERSON" and not _is_place_like_person(e)]


def _token_is_person(tok) -> bool:
    return tok.ent_type_ == "PERSON" and tok.ent_iob_ != "O"


def _trim(tokens: list, doc) -> tuple[int, int] | None:
    """Character span of a token list without surrounding punctuation and whitespace, keeping
    quotation marks that belong to a quoted word inside."""
    toks = [t for t in tokens if not t.is_space]
    while toks and (toks[0].is_punct and toks[0].text not in OPEN_DOUBLE + "\u2018\"("):
        toks = toks[1:]
    while toks and toks[-1].is_punct and toks[-1].text not in CLOSE_DOUBLE + "\u2019\")":
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _subtree_tokens(tok, exclude_deps: tuple[str, ...] = ()) -> list:
    """tok's subtree, leaving out children (and their subtrees) with the given dependencies."""
    out = [tok]
    for child in tok.children:
        if child.dep_ in exclude_deps:
            continue
        out.extend(_subtree_tokens(child, ()))
    return sorted(out, key=lambda t: t.i)


def _contiguous(tokens: list, doc) -> list:
    if not tokens:
        return []
    return list(doc[tokens[0].i: tokens[-1].i + 1])


def _subject_of(verb):
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            return child
    return None


def _passive_parts(verb):
    """(is passive, agent pobj or None)."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in verb.children)
    agent = None
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    agent = g
    return passive, agent


# ----------------------------------------------------------------------------- mentions and coreference


@dataclass
class Mention:
    """A resolved source: what it is called in the article and what it is."""
    canonical: str
    source_type: str
    affiliation: str
    named: bool
    kind: str  # person|org|media|group|document|unknown
    text: str = ""
    head_lemma: str = ""


@dataclass
class _Resolver:
    """In-article coreference: the last compatible named antecedent by kind."""
    doc: object
    lex: Lexicon
    persons: list = field(default_factory=list)  # PERSON entity spans, in order
    history: list[tuple[int, Mention]] = field(default_factory=list)  # (char offset, mention)

    def person_full_name(self, ent) -> str:
        """A surname resolved to the longest earlier (or same) PERSON mention ending in it."""
        key = tuple(_norm(t.text) for t in ent)
        if key in self.lex.actor_forms:
            return self.lex.actor_forms[key]
        if ent.ent_id_ and ent.ent_id_ in self.lex.actors:
            return ent.ent_id_
        last = ent[-1].text
        best = ent.text
        for other in self.persons:
            if other.start_char >= ent.start_char:
                break
            if other[-1].text == last and len(other.text) > len(best):
                best = other.text
        return best

    def __post_init__(self) -> None:
        # doc.text and doc.ents walk the whole Doc: read them once per article, not per mention.
        self.text = nlp.doc_text(self.doc)
        self.entities = list(self.doc.ents)
        self._entity_of = {i: e for e in self.entities for i in range(e.start, e.end)}
        self._person_starts = [e.start for e in self.persons]

    def entity_at(self, i: int):
        return self._entity_of.get(i)

    def persons_between(self, start: int, end: int) -> list:
        from bisect import bisect_left

        out = []
        for k in range(bisect_left(self._person_starts, start), len(self.persons)):
            e = self.persons[k]
            if e.start >= end:
                break
            if e.end <= end:
                out.append(e)
        return out

    def by_surname(self, surname: str, before: int) -> Mention | None:
        for offset, m in reversed(self.history):
            if offset < before and m.kind == "person" and m.named and " " in m.canonical \
                    and m.canonical.split()[-1] == surname:
                return m
        return None

    def known(self, canonical: str) -> Mention | None:
        """The latest earlier mention of the same source, to carry its type and side."""
        for _, m in reversed(self.history):
            if m.canonical == canonical and (m.source_type != "other" or m.affiliation != "unknown"):
                return m
        return None

    def antecedent(self, before: int, kinds: tuple[str, ...], head_lemma: str | None = None,
                   named_only: bool = False) -> Mention | None:
        for offset, m in reversed(self.history):
            if offset >= before or (named_only and not m.named):
                continue
            if head_lemma is not None:
                if head_lemma in _norm(m.text).split() or head_lemma == m.head_lemma:
                    return m
                continue
            if m.kind in kinds and m.source_type not in ("vague",):
                return m
        if "person" in kinds and head_lemma is None:
            for ent in reversed(self.persons):
                if ent.end_char <= before:
                    name = self.person_full_name(ent)
                    st, aff = self.lex.actors.get(name, ("other", "unknown"))
                    return Mention(name, st, aff, True, "person", ent.text, "")
        return None


def _match_seq(tokens: list, table: dict, max_len: int) -> list[tuple[int, int, object]]:
    """Longest matches of table keys (tuples of lower-case token texts) in `tokens`:
    (start index in tokens, end index, value)."""
    keys = [_norm(t.text) for t in tokens]
    lemmas = [t.lemma_.lower() for t in tokens]
    out = []
    i = 0
    while i < len(tokens):
        found = None
        for size in range(min(max_len, len(tokens) - i), 0, -1):
            for seq in (tuple(keys[i:i + size]), tuple(lemmas[i:i + size])):
                if seq in table:
                    found = (i, i + size, table[seq])
                    break
            if found:
                break
        if found:
            out.append(found)
            i = found[1]
        else:
            i += 1
    return out


def _affiliation_of(tokens: list, lex: Lexicon) -> str | None:
    matches = _match_seq([t for t in tokens if t.pos_ != "PRON"], lex.affiliations, lex.max_aff_len)
    return matches[0][2] if matches else None


def _quoted_name_after(tok, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A quotation opening right after a media noun names it: "the channel ‘Go and See,’"."""
    end = tok.idx + len(tok.text)
    for s, e in quotes.near(end, end + 2):
        if 0 <= s - end <= 1 and e - s <= 60:
            return s, e
    return None


def _describe(tokens: list, head, resolver: _Resolver, quotes, sentence_sources: list[Mention]) -> Mention:
    """Classify and resolve one source phrase (its tokens and syntactic head)."""
    lex = resolver.lex
    text = resolver.text[tokens[0].idx: tokens[-1].idx + len(tokens[-1].text)] if tokens else ""
    low = head.lower_
    start = tokens[0].idx if tokens else head.idx
    # Pronouns: the last compatible antecedent.
    if head.pos_ == "PRON" or low in RELATIVE_PRONOUNS:
        if low in RELATIVE_PRONOUNS:
            if head.head.dep_ == "relcl":
                return _describe(_source_tokens(head.head.head), head.head.head, resolver, quotes,
                                 sentence_sources)
            if sentence_sources:
                return sentence_sources[-1]
            m = resolver.antecedent(head.idx, ("person", "org", "media", "group", "document"))
            return m or Mention(head.text, "other", "unknown", False, "unknown", text, low)
        if low in PERSON_PRONOUNS:
            m = resolver.antecedent(head.idx, ("person",))
        elif low in THING_PRONOUNS:
            m = resolver.antecedent(head.idx, ("org", "media", "document"))
        elif low in PLURAL_PRONOUNS:
            m = resolver.antecedent(head.idx, ("group", "org"))
        else:
            m = None
        if m is not None:
            return m
        return Mention(head.text, "other", "unknown", False, "unknown", text, low)

    span_tokens = [t for t in tokens if not t.is_space]
    head_lemma = head.lemma_.lower()
    if head.pos_ == "PROPN" and not any(t.pos_ == "PROPN" and t.i != head.i for t in span_tokens):
        # a bare surname refers back to the full name met earlier ("Vandervelden added")
        earlier = resolver.by_surname(head.text, head.idx)
        if earlier is not None:
            return earlier
    role = _role_of(head, lex)
    # A definite role noun with no name of its own refers back ("the channel", "the ministry").
    has_name = any(t.ent_type_ in ("PERSON", "ORG") for t in span_tokens) or \
        _quoted_name_after(span_tokens[-1], quotes) is not None
    determiner = next((c.lower_ for c in head.children if c.dep_ == "det"), None)
    if determiner in ("the", "this", "that") and not has_name and head.tag_ in ("NN", "NNP"):
        m = resolver.antecedent(start, (), head_lemma=head_lemma)
        if m is None and role is not None and role.kind in ("org", "media") and head_lemma not in GENERIC_INSTITUTIONS:
            # "the agency" after "the World Food Programme said": the last named source of its kind
            m = resolver.antecedent(start, (role.kind,), named_only=True)
        if m is not None:
            return m

    affiliation = _affiliation_of(span_tokens, lex)
    # Gazetteer actors and other persons inside the phrase.
    persons = [e for e in resolver.persons_between(span_tokens[0].i, span_tokens[-1].i + 1)]
    head_is_proxy = role is not None and role.proxy
    if persons and not head_is_proxy:
        ent = next((e for e in persons if e.start <= head.i < e.end), persons[-1])
        name = resolver.person_full_name(ent)
        st, aff = lex.actors.get(name, (None, None))
        if st is None:
            # a title or an apposition inside the phrase ("Senator X", "X, a spokesperson for")
            # the head word of a title counts ("chief economist" is an economist)
            titles = _person_titles(span_tokens, lex)
            st = titles[0].source_type if titles else _employer_type(head, lex)
        earlier = resolver.known(name)
        if st is None:
            st = earlier.source_type if earlier is not None else "other"
        aff = aff if aff and aff != "unknown" else (affiliation or (earlier.affiliation if earlier else "unknown"))
        return Mention(name, st, aff, True, "person", text, head_lemma)
    orgs = _match_seq(span_tokens, lex.orgs, lex.max_org_len)
    quoted = _quoted_name_after(span_tokens[-1], quotes) or _quoted_name_after(head, quotes)
    anonymous = head_lemma in ("source", "official", "person", "people", "insider") and any(
        t.lower_ in lex.anonymity for t in _subtree_tokens(head))
    if anonymous or (head_lemma == "source" and not orgs and not persons):
        return Mention(_canonical_text(text), "anonymous", affiliation or "unknown", False, "person",
                       text, head_lemma)
    org_type = None
    if orgs:
        org = orgs[0][2]
        org_tokens = span_tokens[orgs[0][0]:orgs[0][1]]
        modifies_head = any(t.head == head or t == head for t in org_tokens)
        org_type = org.source_type
        # The organisation is the source when it is the head or modifies it ("the Telegram
        # channel", "Kremlin spokesman" keeps its role); inside a prepositional phrase it only
        # gives the side ("an advisor to the head of the DPR").
        if modifies_head and (role is None or role.kind in ("media", "org") or org_type == "social_media"):
            st = org_type if not (role and role.kind == "media" and org_type != "social_media") else role.source_type
            name = _canonical_text(resolver.text[quoted[0]:quoted[1]]) if quoted else org.canonical
            return Mention(name, st, org.affiliation if org.affiliation != "unknown" else (affiliation or "unknown"),
                           True, "media" if role and role.kind == "media" else "org", text, head_lemma)
        if affiliation is None and org.affiliation != "unknown":
            affiliation = org.affiliation
    if quoted is not None and role is not None and role.kind == "media":
        return Mention(_canonical_text(resolver.text[quoted[0]:quoted[1]]), role.source_type,
                       affiliation or "unknown", True, "media", text, head_lemma)
    if head.ent_type_ in ("ORG", "GPE", "NORP") and role is None:
        # A named organisation or a state speaking as one ("Moscow said", "Ukraine claims").
        ent = resolver.entity_at(head.i)
        if ent is not None:
            # the entity as far as it lies inside the source phrase ("Shapps Says" in a headline)
            inside = [t for t in ent if span_tokens[0].i <= t.i <= span_tokens[-1].i]
            name = _canonical_text(resolver.text[inside[0].idx: inside[-1].idx + len(inside[-1].text)])
        else:
            name = head.text
        # "X, WFP regional director": an apposition with a person's title makes X a person
        # whatever label the model gave the name
        appos_titles = [r for c in head.children if c.dep_ == "appos"
                        if (r := _role_of(c, lex)) is not None and r.kind == "person"]
        if appos_titles:
            return Mention(name, appos_titles[0].source_type, affiliation or "unknown", True, "person",
                           text, head_lemma)
        # "X of the Centre for ...": a name speaking from an organisation is a person, whatever
        # label the model gave the name
        employer = _employer_type(head, lex)
        if employer is not None:
            return Mention(name, employer, affiliation or "unknown", True, "person", text, head_lemma)
        st = "official" if head.ent_type_ in ("GPE", "NORP") else (org_type or "other")
        return Mention(name, st, affiliation or "unknown", True, "org", text, head_lemma)
    if head.pos_ == "PROPN" and not head.ent_type_ and role is None and not orgs:
        # a name the small model left untyped: a person, with the phrase's title for a type
        titles = _person_titles(span_tokens, lex)
        name = _canonical_text(" ".join(t.text for t in span_tokens if t.pos_ == "PROPN" and t.head == head or t == head))
        return Mention(name, titles[0].source_type if titles else "other", affiliation or "unknown", True,
                       "person", text, head_lemma)
    if role is None:
        role = next((r for t in span_tokens if (r := _role_of(t, lex)) is not None), None)
    st = role.source_type if role else "other"
    if org_type and st == "other":
        st = org_type
    kind = role.kind if role else ("group" if head.tag_ in ("NNS", "NNPS") else "unknown")
    if head.tag_ in ("NNS", "NNPS") and kind == "person":
        kind = "group"
    return Mention(_canonical_text(text), st, affiliation or "unknown", False, kind, text, head_lemma)


def _employer_type(head, lex: Lexicon) -> str | None:
    """The source type of the organisation a person speaks from, when the phrase says so and the
    organisation's name carries a role word: "Helena Marsh of the Centre for Security Studies"
    is an expert, "X of the interior ministry" an official."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "at", "from"):
            for tok in prep.subtree:
                role = _role_of(tok, lex)
                if role is not None and role.kind == "org":
                    return role.source_type
    return None


def _person_titles(span_tokens, lex: Lexicon) -> list[Role]:
    """Person roles of a source phrase, the head word of a title first: in "chief economist"
    the modifier "chief" does not count, but in "Governor Ihor Savchenko" or "military expert
    Andrei Zotov" the title is a compound of the name and does."""
    titles = []
    for t in span_tokens:
        if t.dep_ in ("compound", "amod") and _role_of(t.head, lex) is not None:
            continue  # a modifier inside a title
        if (r := _role_of(t, lex)) is not None and r.kind == "person":
            titles.append(r)
    return titles


def _role_of(tok, lex: Lexicon) -> Role | None:
    lemma = tok.lemma_.lower()
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and (prev.lemma_.lower(), lemma) in lex.roles:
        return lex.roles[(prev.lemma_.lower(), lemma)]
    role = lex.roles.get((lemma,))
    if role is not None and tok.pos_ == "PROPN" and (
            role.source_type in ("anonymous", "vague") or role.kind == "document"):
        return None  # part of a name ("Business Insider", "The Post"), not a role word
    return role


_LEADING = re.compile(r"^(?:a|an|the|this|that|these|those)\s+", re.I)


def _canonical_text(text: str) -> str:
    """A mention as a name: no leading article, plain apostrophes, no edge punctuation."""
    out = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", "").replace("\u201d", "")
    out = re.sub(r"\s+", " ", out).strip(" \"',.;:")
    out = _LEADING.sub("", out)
    return out.strip(" \"',.;:")


def _source_tokens(head) -> list:
    """The source phrase: the head's subtree without relative or adverbial clauses, and
    extended by a quoted name right after it ("the channel ‘Go and See,’")."""
    toks = _subtree_tokens(head, ("relcl", "acl", "advcl", "ccomp", "parataxis"))
    doc = head.doc
    toks = _contiguous(toks, doc)
    # cut at a comma followed by a clause (the parse sometimes hangs a verb under the noun)
    out = []
    for t in toks:
        if t.pos_ == "VERB" and t.i != head.i and t.dep_ not in ("amod", "compound"):
            break
        out.append(t)
    while out and (out[-1].is_punct or out[-1].is_space) and out[-1].text not in CLOSE_DOUBLE + "\u2019\"":
        out.pop()
    return out or [head]


def _extend_by_quote(tokens: list, quotes) -> tuple[int, int]:
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1].text)
    q = _quoted_name_after(tokens[-1], quotes)
    if q is not None:
        end = q[1]
    return start, end


# ----------------------------------------------------------------------------- extraction


@dataclass
class _Found:
    sentence_index: int
    source_head: object | None
    source_tokens: list | None
    cue_start: int
    cue_end: int
    content: tuple[int, int] | None
    cue_kind: str
    quote_type: str
    second_hand_of: int | None = None  # index of the relaying attribution in the list
    via_tokens: list | None = None  # the relayer's tokens when second hand
    forced_mention: Mention | None = None


def _clause_content(cue, doc, exclude_tokens: set[int]) -> tuple[int, int] | None:
    """The content of a cue that sits inside the clause it reports ("X, it says, Y" or
    "X, he said."): the head clause without the cue's own subtree."""
    root = cue.head if cue.dep_ in ("parataxis", "advcl", "conj", "prep", "npadvmod") else cue
    if root == cue:
        return None
    cue_sub = {t.i for t in cue.subtree} | exclude_tokens
    toks = [t for t in root.subtree if t.i not in cue_sub and t.sent == cue.sent]
    return _trim(toks, doc) if toks else None


def _content_of_verb(cue, doc, cue_info: Cue) -> tuple[tuple[int, int] | None, bool]:
    """(content span, is a complement clause) for a verb cue."""
    clause = [c for c in cue.children if c.dep_ in ("ccomp", "xcomp", "csubj")]
    # "said that" before a quote, "told reporters that ..."
    if clause:
        toks = []
        for c in clause:
            toks.extend(c.subtree)
        toks.sort(key=lambda t: t.i)
        return _trim(_contiguous(toks, doc), doc), True
    # "vowed to boycott" comes out as a purpose clause at times
    clause_like = [c for c in cue.children if c.dep_ == "advcl" and c.i > cue.i and any(
        g.dep_ == "aux" and g.lower_ == "to" for g in c.children)]
    if clause_like:
        toks = sorted((t for c in clause_like for t in c.subtree), key=lambda t: t.i)
        return _trim(_contiguous(toks, doc), doc), True
    objs = [c for c in cue.children if c.dep_ in ("dobj", "attr", "oprd", "dative") or
            (c.dep_ == "prep" and c.i > cue.i and c.lower_ in ("as", "about", "of", "on", "for", "to", "at"))]
    if objs and cue_info.needs != "clause":
        first = min(o.left_edge.i for o in objs)
        last = max(o.right_edge.i for o in objs)
        return _trim(list(doc[first:last + 1]), doc), False
    return None, False


def _quote_touching(start: int, end: int, quotes, max_gap: int = 3, text: str = "") -> tuple[int, int] | None:
    """A quotation ending just before `start` or starting just after `end` (punctuation
    such as a colon or comma in between)."""
    best = None
    for s, e in quotes.near(start - max_gap - 2, end + max_gap + 2):
        if e <= start and start - e <= max_gap + 2 and not text[e:start].strip(" ,:;\u2014-"):
            best = (s, e)
        elif s >= end and s - end <= max_gap + 2 and not text[end:s].strip(" ,:;\u2014-"):
            return (s, e)
    return best


def _covering_quote(span: tuple[int, int], quotes) -> tuple[int, int] | None:
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


def _quote_type(content: tuple[int, int] | None, quotes, text: str,
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


def _sentence_index_map(doc) -> tuple[dict[int, int], list]:
    from .nlp import iter_sentences

    index: dict[int, int] = {}
    sents = []
    for i, sent in iter_sentences(doc):
        index[sent.start] = i
        sents.append(sent)
    return index, sents


def _find_in_sentence(sent, sidx: int, doc, lex: Lexicon, quotes, text: str) -> list[_Found]:
    found: list[_Found] = []
    used_cues: set[int] = set()
    title_case = _is_headline(sent)
    # Only closed quotations: an unclosed mark is as likely a typo as a quotation.
    long_quotes = [(s, e) for s, e in quotes.near(sent.start_char, sent.end_char)
                   if e - s >= MIN_QUOTE_CHARS and text[e - 1] in CLOSE_DOUBLE + "\"'"]
    attrs = nlp.token_attrs(doc)
    for i in range(sent.start, sent.end):
        if i in used_cues:
            continue
        # Speech reported inside a quotation belongs to the quoted speaker's own words ("I
        # think", "as I said"): annotators (PolNeAR, the seed's analyst) do not count it.
        if long_quotes and any(s < attrs.idx[i] < e for s, e in long_quotes):
            continue
        low, pos = attrs.lower[i], attrs.pos[i]
        # Most tokens are none of the cues below: tested on the attribute lists first.
        if not (low in ("according", ":") or pos in ("VERB", "AUX")
                or (title_case and pos in ("NOUN", "PROPN") and low in lex.verb_forms)
                or (pos == "NOUN" and attrs.lemma[i] in lex.noun_cues)):
            continue
        tok = doc[i]
        # "according to X"
        if low == "according" and tok.i + 1 < len(doc) and attrs.lower[tok.i + 1] == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            source_head = pobj
            # "according to reports from X": the reporter is X
            if pobj.lemma_.lower() in ("report", "statement", "data", "figure", "estimate", "account", "source", "information"):
                for prep in pobj.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                        inner = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if inner is not None:
                            source_head = inner
            pp = {t.i for t in tok.subtree} | {t.i for t in to.subtree}
            if tok.head.sent == sent and tok.head.i not in pp:
                toks = [t for t in tok.head.subtree if t.i not in pp]
            else:
                toks = [t for t in sent if t.i not in pp]
            # The content is the clause on the far side of "according to X", never the words
            # the parser hung after X ("..., which cited sources").
            if toks and toks[0].i < tok.i:
                toks = [t for t in toks if t.i < tok.i]
            else:
                toks = [t for t in toks if t.i > max(pp)]
            content = _trim(_contiguous(toks, doc), doc) if toks else None
            found.append(_Found(sidx, source_head, _source_tokens(source_head), tok.idx, to.idx + len(to.text),
                                content, "according", "according_to"))
            used_cues.update({tok.i, to.i})
            continue
        if low == ":" and tok.i - sent.start <= 5:
            f = _colon_cue(tok, sent, sidx, doc, lex, quotes, text)
            if f is not None:
                found.append(f)
            continue
        if tok.pos_ in ("VERB", "AUX") or (title_case and tok.pos_ in ("NOUN", "PROPN") and low in lex.verb_forms):
            lemma = tok.lemma_.lower() if tok.pos_ in ("VERB", "AUX") else lex.verb_forms.get(low, "")
            if lemma not in lex.verb_cues and low in lex.gerunds:
                lemma = lex.gerunds[low]
            cue = lex.verb_cues.get(lemma)
            if cue is None:
                continue
            if tok.pos_ not in ("VERB", "AUX"):
                f = _headline_cue(tok, sent, sidx, doc, cue)
                if f:
                    found.append(f)
                continue
            f = _verb_attribution(tok, sent, sidx, doc, lex, cue, quotes, text)
            if f is not None:
                found.extend(f)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.noun_cues:
            f = _noun_attribution(tok, sidx, doc, lex.noun_cues[tok.lemma_.lower()])
            if f is not None:
                found.append(f)
    return found


def _colon_cue(tok, sent, sidx, doc, lex: Lexicon, quotes, text: str) -> _Found | None:
    """Headline and transcript style "Zelensky: ‘We will not give up’": a short name phrase
    opening the sentence, a colon, then what the named said."""
    left = [t for t in sent if t.i < tok.i and not t.is_space]
    right = [t for t in sent if t.i > tok.i and not t.is_space]
    if not left or not right or len(left) > 4:
        return None
    if not all(t.pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ", "PART") or t.text in ("'s", "’s") for t in left):
        return None
    head = left[-1]
    named = any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in left)
    if not named and _role_of(head, lex) is None:
        return None
    content = _trim(right, doc)
    if content is None:
        return None
    q = _covering_quote(content, quotes)
    content = q or content
    return _Found(sidx, head, left, tok.idx, tok.idx + 1, content, "speech", _quote_type(content, quotes, text))


def _is_headline(sent) -> bool:
    """Title Case: at least 80% of a sentence's longer words capitalised, no final full stop."""
    attrs = nlp.token_attrs(sent.doc)
    text = nlp.doc_text(sent.doc)
    words = [attrs.idx[i] for i in range(sent.start, sent.end) if attrs.is_alpha[i] and attrs.length[i] > 3]
    return len(words) >= 3 and sum(text[idx].isupper() for idx in words) / len(words) >= 0.8 and \
        not nlp.span_text(sent).strip().endswith(".")


def _headline_cue(tok, sent, sidx, doc, cue: Cue) -> _Found | None:
    """Headline style ("Russian Forces Report Major Gains"): the words before the cue verb are
    the source, those after it the content."""
    left = [t for t in sent if t.i < tok.i and not t.is_space]
    right = [t for t in sent if t.i > tok.i and not t.is_space]
    if not left or len(left) > 6 or not right or not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in left):
        return None
    head = left[-1]
    return _Found(sidx, head, left, tok.idx, tok.idx + len(tok.text), _trim(right, doc), cue.kind, "indirect")


def _governing_subject(verb):
    """Subject for a cue without its own: "continued to frame" (xcomp), "smiled and said" (conj),
    "..., adding that" (participle), climbing while the verb has no subject."""
    cur = verb
    for _ in range(4):
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.head.pos_ in ("VERB", "AUX"):
            # "defended it by citing a poll", "after hinting that ...": the verb's subject
            head = cur.head.head
            subj = _subject_of(head)
            if subj is not None:
                return subj
            cur = head
            continue
        if cur.dep_ == "acl" and cur.tag_ == "VBG" and cur.head.pos_ in ("NOUN", "PROPN"):
            # "a statement saying ...": the statement's issuer when it has one ("His office
            # put out a statement saying"), else the noun itself ("a video of X talking")
            noun = cur.head
            if noun.dep_ in ("dobj",) and noun.lemma_.lower() in DOCUMENT_NOUNS:
                issuer = _subject_of(noun.head)
                if issuer is not None:
                    return issuer
            of = next((g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ == "pobj"), None)
            return of if of is not None and noun.lemma_.lower() not in DOCUMENT_NOUNS else noun
        if cur.dep_ in ("xcomp", "conj", "advcl") and cur.head != cur:
            if cur.dep_ == "xcomp" and any(c.dep_ in ("dobj", "dative") for c in cur.head.children):
                return None  # "forced Ukraine to seek": the object is the subject
            if cur.dep_ == "advcl" and cur.tag_ != "VBG":
                return None
            head = cur.head
            subj = _subject_of(head)
            if subj is None and cur.dep_ == "conj":
                subj = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
            if subj is not None:
                return subj
            cur = head
        else:
            return None
    return None


def _verb_attribution(tok, sent, sidx, doc, lex, cue: Cue, quotes, text) -> list[_Found] | None:
    # "point out", "point to": the particle is part of the cue
    cue_start, cue_end = tok.idx, tok.idx + len(tok.text)
    if cue.lemma == "call" and not any(c.dep_ in ("prep", "prt", "oprd", "ccomp", "xcomp") or
                                       (c.dep_ == "dobj") for c in tok.children):
        return None
    if tok.dep_ in ("amod", "compound"):
        return None
    passive, agent = _passive_parts(tok)
    subj = _subject_of(tok)
    if passive:
        subj = agent
    inherited = False
    if subj is None and not passive and cue.kind == "speech":
        # "“…,” said Robin Maynard": after a quotation the parser may not read the inverted
        # name as the subject
        after = next((c for c in tok.children if c.i > tok.i and c.dep_ in ("dobj", "attr", "npadvmod", "appos")
                      and c.pos_ in ("PROPN", "NOUN", "PRON")), None)
        if after is not None and _quote_touching(tok.idx, tok.idx, quotes, text=text) is not None:
            subj = after
    if subj is None and not passive:
        subj = _governing_subject(tok)
        inherited = subj is not None
    if subj is None and tok.tag_ == "VBN" and tok.dep_ in ("advcl", "ROOT", "conj") and cue.agentless:
        passive = True  # "Asked about the strike, he said ...": a reduced passive
    content, is_clause = _content_of_verb(tok, doc, cue)
    # Direct quotations: content inside a quote becomes the whole quote; a cue without a
    # complement takes the quotation right before or after its clause.
    if content is not None:
        q = _covering_quote(content, quotes)
        if q is not None:
            content = (min(q[0], content[0]), max(q[1], content[1]))
    parenthetical = False
    if content is None:
        sub = _trim(list(tok.subtree), doc) or (cue_start, cue_end)
        q = _quote_touching(min(sub[0], cue_start), max(sub[1], cue_end), quotes, text=text)
        if q is not None and cue.kind in ("speech", "evaluation", "cognition", "evidence"):
            content = q
        else:
            exclude = {subj.i} if subj is not None else set()
            content = _clause_content(tok, doc, exclude)
            parenthetical = content is not None
    if content is not None and parenthetical:
        q = _covering_quote(content, quotes)
        if q is not None:
            content = (min(q[0], content[0]), max(q[1], content[1]))
    if content is not None and content[1] <= cue_start:
        # "“A,” she said, “B.”": the quotation resumes after the cue clause.
        sub_end = max(t.idx + len(t.text) for t in tok.subtree if not t.is_punct or t.i == tok.i)
        for qs, qe in quotes.near(sub_end, sub_end + 5):
            if qs >= sub_end and not text[sub_end:qs].strip(" ,:;\u2014-") and qs - sub_end <= 4:
                content = (content[0], qe)
                break
    agentless = passive and agent is None and cue.agentless
    if agentless and content is None:
        # "X is seen as Y", "X is considered Y": the whole clause is what nobody in particular says
        content = _trim([t for t in tok.subtree], doc)
        is_clause = content is not None
    if agentless and any(c.dep_ == "prep" and c.lower_ == "as" for c in tok.children):
        is_clause = True
    if cue.needs == "clause" and not (is_clause or parenthetical or (content and _quote_type(content, quotes, text) != "indirect")):
        return None
    if cue.needs == "content" and content is None:
        return None
    if cue.needs == "quote" and (content is None or _quote_type(content, quotes, text) != "direct"):
        return None
    if cue.kind == "cite":
        # "X, citing undisclosed sources": the cited are a second-hand source of X's report.
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "pobj")), None)
        if obj is None:
            return None
        role = _role_of(obj, lex)
        if _token_is_person(obj) or (role is not None and role.kind in ("person", "group")):
            return [_Found(sidx, obj, _source_tokens(obj), cue_start, cue_end, None, "cite", "indirect",
                           via_tokens=[subj] if subj is not None else None)]
        # "citing internal documents": the citer is the source, the cited material its content.
        if subj is None:
            return None
        content = _trim(list(doc[obj.left_edge.i: obj.right_edge.i + 1]), doc)
        return [_Found(sidx, subj, _source_tokens(subj), cue_start, cue_end, content, "speech", "indirect")]
    if subj is None:
        if passive and cue.agentless:
            return [_Found(sidx, None, None, cue_start, cue_end, content, cue.kind,
                           _quote_type(content, quotes, text))]
        return None
    if subj.lower_ == "it" and passive is False and subj.dep_ == "nsubj" and any(
            c.dep_ == "ccomp" for c in tok.children) and cue.kind == "evidence":
        return None
    if subj.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "X", "DET", "ADJ", "ADV") and subj.dep_ != "csubj":
        return None
    if subj.dep_ == "csubj":
        return None
    if (inherited or cue.kind in ("cognition", "intention", "evaluation")) and not _plausible_source(subj, lex):
        # "these attacks threaten to ...", "his role reporting on ...": things do not speak
        return None
    if subj.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL") \
            and cue.kind in ("evidence",):
        return None
    if subj.lower_ == "it" and any(c.dep_ in ("ccomp",) for c in tok.children) and passive:
        # "it is believed that ...": expletive subject, agentless
        return [_Found(sidx, None, None, cue_start, cue_end, content, cue.kind, _quote_type(content, quotes, text))]
    if cue.kind == "evaluation" and not is_clause and not _person_like(subj, lex):
        # "troops backed by artillery", "the army supports ...": only people and their
        # organisations take stances worth counting as sourcing
        return None
    skip = None
    if content is not None and content[0] < cue_start < content[1]:
        around = [tok] + ([subj] if subj is not None else [])
        skip = (min(t.idx for t in around), max(t.idx + len(t.text) for t in around))
    qtype = _quote_type(content, quotes, text, skip)
    if cue.kind in ("evaluation", "intention") and qtype == "indirect" and not is_clause:
        qtype = "other"
    return [_Found(sidx, subj, _source_tokens(subj), cue_start, cue_end, content, cue.kind, qtype)]


def _plausible_source(tok, lex: Lexicon) -> bool:
    """Can this subject be a source? Names, pronouns, numbers of people ("most", "4 in 10")
    and role nouns can; other common nouns (attacks, roles, prices) cannot."""
    if tok.lower_ in ("which", "that") and tok.head.dep_ == "relcl":
        return _plausible_source(tok.head.head, lex)
    if tok.pos_ != "NOUN":
        return True
    if tok.ent_type_ or _role_of(tok, lex) is not None:
        return True
    return any(c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or c.dep_ == "poss" for c in tok.children)


def _person_like(tok, lex: Lexicon) -> bool:
    """A subject that can hold a stance: a person, a pronoun for one, an organisation, or a
    role noun for people or institutions (not troops or weapons)."""
    if tok.lower_ in PERSON_PRONOUNS | PLURAL_PRONOUNS | SPEAKER_PRONOUNS | RELATIVE_PRONOUNS:
        return True
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if tok.pos_ == "PROPN" and tok.ent_type_ in ("", "WORK_OF_ART"):
        return True  # a name the small model did not type ("Pence praised ...")
    role = _role_of(tok, lex)
    return role is not None and role.source_type not in ("military", "document")


def _noun_attribution(tok, sidx, doc, cue: Cue) -> _Found | None:
    """Reporting nouns: "his claim that", "a statement by the ministry", and with no one
    behind them "the claim that ..." (vague)."""
    source = None
    for c in tok.children:
        if c.dep_ == "poss":
            source = c
        elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
            source = next((g for g in c.children if g.dep_ == "pobj"), source)
    clause = [c for c in tok.children if c.dep_ in ("acl", "ccomp") and any(
        g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
    content = None
    if clause:
        toks = sorted((t for c in clause for t in c.subtree), key=lambda t: t.i)
        content = _trim(_contiguous(toks, doc), doc)
    if content is None:
        # Without a reported clause a reporting noun is mostly a topic ("his comments"), not
        # an attribution of something said.
        return None
    if source is not None and source.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    if source is None:
        return _Found(sidx, None, None, tok.idx, tok.idx + len(tok.text), content, "noun", "indirect")
    return _Found(sidx, source, [source] if source.pos_ == "PRON" else _source_tokens(source),
                  tok.idx, tok.idx + len(tok.text), content, "noun", "indirect" if content else "other")


def _clip_to_paragraph(content: tuple[int, int], cue_start: int, cue_end: int, text: str) -> tuple[int, int] | None:
    """Reported speech stays within the cue's paragraph (the parser can join a headline and
    the first paragraph into one sentence); quotations may run on, other content may not."""
    para_start = text.rfind("\n", 0, cue_start) + 1
    para_end = text.find("\n", cue_end)
    para_end = len(text) if para_end < 0 else para_end
    cs, ce = max(content[0], para_start), min(content[1], para_end)
    while ce > cs and text[ce - 1].isspace():
        ce -= 1
    while cs < ce and text[cs].isspace():
        cs += 1
    return (cs, ce) if cs < ce else None


# ----------------------------------------------------------------------------- learned cue detector

# Candidate cue tokens for the learned detector: PolNeAR marks verbs, reporting nouns, "according
# to", "in a poll", "for voters", "reportedly" and evaluative adjectives as cues.
CANDIDATE_POS = frozenset({"VERB", "AUX", "NOUN", "ADP", "ADV", "ADJ"})
CUE_MODEL_NAME = "sourcing_cue_model.json"


def _subject_class_at(doc, subj: int | None, attrs, lex: Lexicon) -> str:
    """A coarse type of a cue's subject, the token at index `subj`: who can be speaking. Read
    from the attribute lists (a Token is built only for the role lookup)."""
    if subj is None:
        return "none"
    low = attrs.lower[subj]
    if low in PERSON_PRONOUNS:
        return "pron_person"
    if low in PLURAL_PRONOUNS:
        return "pron_plural"
    if low in SPEAKER_PRONOUNS:
        return "pron_speaker"
    if low in THING_PRONOUNS:
        return "pron_it"
    if low in RELATIVE_PRONOUNS:
        return "pron_rel"
    if attrs.ent_type[subj] in ("PERSON", "ORG", "NORP", "GPE"):
        return "ent_" + attrs.ent_type[subj]
    if _role_of(doc[subj], lex) is not None:
        return "role"
    if attrs.pos[subj] == "PROPN":
        return "propn"
    return "other_" + attrs.pos[subj]


def cue_features(doc, quotes: Quotes | None = None, lex: Lexicon | None = None) -> list[tuple[int, list[str]]]:
    """(token index, feature names) for every candidate cue token of the Doc.

    One pass over the tokens; features are parse facts (lemma, POS, dependency label, the
    subject's type, complement clauses, quotation marks nearby, the cue lexicon), combined in
    a few pairs with the lemma. Shared by the shipped detector and its training script
    (scripts/train_sourcing_cues.py), so that both see the same thing."""
    lex = lex or lexicon()
    text = nlp.doc_text(doc)
    if quotes is None:
        quotes = Quotes(find_quotes(text))
    # per-character "inside a quotation" lookups through the sorted quote list
    q_starts = quotes.starts
    q_list = list(quotes)

    def in_quote(pos: int) -> bool:
        k = bisect_right(q_starts, pos) - 1
        while k >= 0:
            s, e = q_list[k]
            if s < pos < e:
                return True
            if pos - s > quotes.max_len:
                break
            k -= 1
        return False

    out: list[tuple[int, list[str]]] = []
    # Read from the token attribute lists and the tree's index lists, not from spaCy Tokens:
    # this runs for a third of all tokens.
    attrs = nlp.token_attrs(doc)
    tree = nlp.tree(doc)
    deps, lowers, lemmas, head_of = attrs.dep, attrs.lower, attrs.lemma, attrs.head
    for i, pos in enumerate(attrs.pos):
        if pos not in CANDIDATE_POS or not attrs.is_alpha[i]:
            continue
        lemma = lemmas[i]
        children = tree.children[i]
        if pos in ("NOUN", "ADJ", "ADV") and lemma not in lex.noun_cues and lemma not in lex.verb_cues \
                and deps[i] != "ROOT" and not any(deps[c] in ("ccomp", "acl", "prep", "poss") for c in children):
            # most nouns, adjectives and adverbs can be skipped cheaply: no clause, no
            # possessor, no prepositional phrase, not in the cue list
            continue
        dep = deps[i]
        cdeps = dict.fromkeys(deps[c] for c in children)  # ordered: the same sum in every process
        subj = None
        passive = False
        agent = None
        for c in children:
            if deps[c] in ("nsubj", "csubj") and subj is None:
                subj = c
            elif deps[c] in ("nsubjpass", "auxpass"):
                passive = True
            elif deps[c] == "agent":
                agent = next((g for g in tree.children[c] if deps[g] == "pobj"), None)
        if pos in ("VERB", "AUX") and subj is None and not passive and dep in ("xcomp", "conj", "advcl", "acl"):
            governing = _governing_subject(doc[i])
            subj = None if governing is None else governing.i
            inherited = "inh"
        else:
            inherited = "own"
        if agent is not None:
            subj = agent
        sclass = _subject_class_at(doc, subj, attrs, lex)
        clause = bool(cdeps.keys() & {"ccomp", "xcomp", "csubj"})
        that = any(deps[g] == "mark" and lowers[g] == "that" for c in children if deps[c] in ("ccomp", "acl")
                   for g in tree.children[c])
        start, end = attrs.idx[i], attrs.idx[i] + attrs.length[i]
        touching = _quote_touching(start, end, quotes, text=text) is not None
        right = tree.right_edge[i]
        sub = (attrs.idx[tree.left_edge[i]], attrs.idx[right] + attrs.length[right])
        sub_touch = touching or _quote_touching(sub[0], sub[1], quotes, text=text) is not None
        inside = in_quote(start)
        cue = lex.verb_cues.get(lemma) if pos in ("VERB", "AUX") else lex.noun_cues.get(lemma)
        kind = cue.kind if cue is not None else "none"
        nxt = lowers[i + 1] if i + 1 < len(lowers) else ""
        preps = [lowers[c] for c in children if deps[c] == "prep"]
        pobj_lemma = ""
        if pos == "ADP":
            pobj = next((c for c in children if deps[c] == "pobj"), None)
            pobj_lemma = lemmas[pobj] if pobj is not None else ""
        poss = "poss" in cdeps or any(deps[c] == "prep" and lowers[c] in ("by", "from") for c in children)
        feats = [
            "bias_pos=" + pos, "tag=" + attrs.tag[i], "dep=" + dep, "lemma=" + lemma,
            "lemma_pos=" + lemma + "|" + pos, "lemma_dep=" + lemma + "|" + dep,
            "dep_pos=" + dep + "|" + pos, "head_pos=" + attrs.pos[head_of[i]] + "|" + dep,
            "subj=" + sclass, "subj_pos=" + sclass + "|" + pos, "subj_lemma=" + sclass + "|" + lemma,
            "inherit=" + inherited + "|" + sclass,
            "kind=" + kind, "kind_pos=" + kind + "|" + pos, "kind_subj=" + kind + "|" + sclass,
            "clause=" + str(clause), "lemma_clause=" + lemma + "|" + str(clause),
            "that=" + str(that), "passive=" + str(passive), "agent=" + str(agent is not None),
            "lemma_passive=" + lemma + "|" + str(passive),
            "touch=" + str(touching), "subtouch=" + str(sub_touch), "inside=" + str(inside),
            "lemma_touch=" + lemma + "|" + str(sub_touch), "kind_inside=" + kind + "|" + str(inside),
            "next=" + nxt, "lemma_next=" + lemma + "|" + nxt,
            "poss=" + str(poss) + "|" + pos,
        ]
        feats.extend("cdep=" + d for d in cdeps)
        feats.extend("prep=" + lemma + "|" + p for p in preps)
        if pobj_lemma:
            feats.append("pobj=" + lemma + "|" + pobj_lemma)
        out.append((i, feats))
    return out


@dataclass(frozen=True)
class CueModel:
    """A logistic-regression cue scorer as plain numbers: weight per feature name, intercept,
    and the decision threshold on the probability (tuned on the training part of PolNeAR)."""
    weights: dict[str, float]
    intercept: float
    threshold: float
    sure: float  # above this a cue needs no speaker-like source
    meta: dict = field(default_factory=dict, hash=False, compare=False)

    def score(self, feats: list[str]) -> float:
        z = self.intercept + sum(map(self.weights.get, feats, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def raising_verbs() -> frozenset[str]:
    """Lemmas whose subject is no source of a learned cue (resources/raising_verbs.txt)."""
    with config.resource("raising_verbs.txt").open(encoding="utf-8") as fh:
        return frozenset(ln.strip().lower() for ln in fh if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=1)
def cue_model() -> CueModel | None:
    """The shipped learned cue detector (resources/sourcing_cue_model.json), or None when the
    file is absent (the rules then work alone)."""
    import json

    path = config.RESOURCES_DIR / CUE_MODEL_NAME
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return CueModel(dict(data["weights"]), float(data["intercept"]), float(data["threshold"]),
                    float(data.get("sure", 0.0)), data.get("meta", {}))


_ANY_CUE = Cue("", "VERB", "learned", "any", False)


def _learned_attribution(tok, sidx: int, doc, lex: Lexicon, quotes, text: str) -> _Found:
    """An attribution around a cue the learned detector found and the rules did not: the
    source and content are read off the parse as for rule cues (subject or agent of a verb,
    possessor or "by" phrase of a noun, the object of "in"/"for"), the source left empty when
    there is none (PolNeAR annotates source-less cues too)."""
    cue_start, cue_end = tok.idx, tok.idx + len(tok.text)
    pos = tok.pos_
    lemma = tok.lemma_.lower()
    src = None
    content = None
    if pos in ("VERB", "AUX", "ADJ"):
        passive, agent = _passive_parts(tok)
        src = agent if passive else (_subject_of(tok) or _governing_subject(tok))
        if src is None and pos == "ADJ" and tok.head.pos_ in ("AUX", "VERB"):
            src = _subject_of(tok.head)
        content, _ = _content_of_verb(tok, doc, _ANY_CUE)
    elif pos == "NOUN":
        for c in tok.children:
            if c.dep_ == "poss":
                src = c
            elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
                src = next((g for g in c.children if g.dep_ == "pobj"), src)
        if src is None and tok.dep_ == "dobj":
            src = _subject_of(tok.head)  # "X issued a statement"
        clause = [c for c in tok.children if c.dep_ in ("acl", "ccomp")]
        if clause:
            toks = sorted((t for c in clause for t in c.subtree), key=lambda t: t.i)
            content = _trim(_contiguous(toks, doc), doc)
    elif pos == "ADP":
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            owner = next((c for c in pobj.children if c.dep_ == "poss"), None)
            src = owner if owner is not None else pobj
        content = _clause_content(tok, doc, {t.i for t in tok.subtree})
    else:
        content = _clause_content(tok, doc, set())
    if content is None:
        sub = _trim(list(tok.subtree), doc) or (cue_start, cue_end)
        content = _quote_touching(min(sub[0], cue_start), max(sub[1], cue_end), quotes, text=text)
    elif (q := _covering_quote(content, quotes)) is not None:
        content = (min(q[0], content[0]), max(q[1], content[1]))
    if src is not None and pos in ("VERB", "AUX") and lemma in raising_verbs():
        # "Clinton appeared to assuage ...": an impression with no one behind it; the subject
        # is part of what is reported
        lo = src.left_edge.idx
        content = (min(lo, content[0]), content[1]) if content else (lo, cue_end)
        src = None
    if src is not None and (src.pos_ not in ("NOUN", "PROPN", "PRON", "NUM") or src.i == tok.i):
        src = None
    cue = lex.verb_cues.get(lemma) if pos in ("VERB", "AUX") else lex.noun_cues.get(lemma)
    kind = cue.kind if cue is not None else "learned"
    return _Found(sidx, src, _source_tokens(src) if src is not None else None, cue_start, cue_end, content,
                  kind, _quote_type(content, quotes, text))


def _learned_found(doc, sents: list, lex: Lexicon, quotes, text: str, found: list[_Found]) -> list[_Found]:
    """The rules' cues plus the cues the learned detector adds (it never removes one: a veto
    on rule cues it scores below 0.1 gained 0.004 held-out cue F1 but dropped war-news cues
    such as "frame" that PolNeAR rarely uses)."""
    model = cue_model()
    if model is None:
        return found
    scores = {i: model.score(feats) for i, feats in cue_features(doc, quotes, lex)}
    taken = sorted((f.cue_start, f.cue_end) for f in found)
    taken_starts = {f.cue_start for f in found}
    sidx_of: dict[int, int] = {}
    for sidx, sent in enumerate(sents):
        for i in range(sent.start, sent.end):
            sidx_of[i] = sidx
    out = []
    for i, p in scores.items():
        if p < model.threshold or i not in sidx_of:
            continue
        tok = doc[i]
        start, end = tok.idx, tok.idx + len(tok.text)
        if any(s < end and start < e for s, e in taken):
            continue
        if any(c.dep_ == "xcomp" and c.idx in taken_starts for c in tok.children):
            continue  # "continued to frame": the rules already took the reporting verb
        f = _learned_attribution(tok, sidx_of[i], doc, lex, quotes, text)
        if f.source_head is not None and not _speaker_like(f.source_head, lex):
            if p < model.sure:
                # Below the sure threshold a cue needs someone who can speak or hold a view
                # ("the ministry responded", not "a war that shows no signs").
                continue
            # A sure cue keeps a subject that is a thing ("the poll shows", "records show"):
            # PolNeAR counts documents and surveys as sources.
        elif f.source_head is None and p < model.sure:
            continue
        out.append(f)
    return found + out


def _speaker_like(tok, lex: Lexicon) -> bool:
    """A source that can speak or hold a view: a person, an organisation, a pronoun or role
    noun for one; a relative pronoun stands for the noun its clause hangs on."""
    if tok is None:
        return False
    if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        return tok.head.head.i != tok.i and _speaker_like(tok.head.head, lex)
    if tok.lower_ in RELATIVE_PRONOUNS:
        return False
    return _person_like(tok, lex)


def _attribution_rows(article_id: str, doc, learned: bool = True) -> list[dict]:
    lex = lexicon()
    text = nlp.doc_text(doc)
    quotes = Quotes(find_quotes(text))
    index, sents = _sentence_index_map(doc)
    found: list[tuple[_Found, int]] = []
    for sidx, sent in enumerate(sents):
        for f in _find_in_sentence(sent, sidx, doc, lex, quotes, text):
            found.append((f, sidx))
    if learned:
        found = [(f, f.sentence_index) for f in _learned_found(doc, sents, lex, quotes, text, [f for f, _ in found])]
    # One attribution per cue token (a cue reached twice keeps its first reading).
    seen: set[tuple[int, int | None]] = set()
    unique = []
    for f, _ in found:
        key = (f.cue_start, f.source_head.i if f.source_head is not None else None)
        if key in seen:
            continue
        seen.add(key)
        unique.append(f)
    unique.sort(key=lambda f: (f.sentence_index, f.cue_start))
    # Thoughts and wishes inside what someone is reported to have said ("she says she thinks
    # ...") are part of that report, not a separate act of sourcing.
    reporting = [f for f in unique if f.content is not None and f.cue_kind in ("speech", "according", "cognition")]
    unique = [f for f in unique if not (f.cue_kind in ("cognition", "intention", "evidence") and any(
        g is not f and g.content[0] <= f.cue_start < g.content[1] for g in reporting))]

    for f in unique:
        if f.content is not None and f.quote_type != "direct":
            f.content = _clip_to_paragraph(f.content, f.cue_start, f.cue_end, text)

    resolver = _Resolver(doc, lex, persons=_person_ents(doc))
    rows = []
    per_sentence: dict[int, list[Mention]] = {}
    mentions: list[Mention | None] = []
    for f in unique:
        mention = None
        src_span = None
        if f.source_head is not None:
            toks = f.source_tokens or [f.source_head]
            mention = _describe(toks, f.source_head, resolver, quotes, per_sentence.get(f.sentence_index, []))
            src_span = _extend_by_quote(toks, quotes)
            if f.source_head.lower_ in RELATIVE_PRONOUNS or f.source_head.pos_ == "PRON":
                src_span = (f.source_head.idx, f.source_head.idx + len(f.source_head.text))
            if mention.source_type != "vague" and (mention.named or mention.kind in ("org", "media", "group", "person")):
                resolver.history.append((src_span[0], mention))
            per_sentence.setdefault(f.sentence_index, []).append(mention)
        mentions.append(mention)
        rows.append((f, mention, src_span))

    out = []
    for n, (f, mention, src_span) in enumerate(rows):
        via = None
        second_hand = False
        if f.cue_kind == "cite":
            second_hand = True
            if f.via_tokens and f.via_tokens[0] is not None:
                via_head = f.via_tokens[0]
                via_m = _describe(_source_tokens(via_head), via_head, resolver, quotes,
                                  per_sentence.get(f.sentence_index, [])[:-1] or [])
                via = via_m.canonical
            else:
                earlier = [m for m in per_sentence.get(f.sentence_index, []) if m is not mention]
                via = earlier[-1].canonical if earlier else None
        else:
            # A cue inside another attribution's content is relayed by that attribution's source.
            for g, gm, _ in rows[max(0, n - NEST_WINDOW): n + NEST_WINDOW]:
                if g is f or g.content is None or gm is None or g.quote_type != "indirect":
                    continue
                if g.content[0] <= f.cue_start and f.cue_end <= g.content[1] and (
                        src_span is None or g.content[0] <= src_span[0]):
                    second_hand, via = True, gm.canonical
                    break
        if mention is None:
            source_type, affiliation, named, canonical = "vague", "unknown", False, None
        else:
            source_type, affiliation, named, canonical = (mention.source_type, mention.affiliation,
                                                          mention.named, mention.canonical)
        cs, ce = f.content if f.content else (None, None)
        out.append({
            "article_id": article_id,
            "sentence_index": f.sentence_index,
            "source_text": text[src_span[0]:src_span[1]] if src_span else None,
            "source_start": src_span[0] if src_span else None,
            "source_end": src_span[1] if src_span else None,
            "cue_text": text[f.cue_start:f.cue_end],
            "cue_start": f.cue_start,
            "cue_end": f.cue_end,
            "content_text": text[cs:ce] if cs is not None else None,
            "content_start": cs,
            "content_end": ce,
            "quote_type": f.quote_type,
            "source_canonical": canonical,
            "source_type": source_type if source_type in schema.SOURCE_TYPES else "other",
            "named": bool(named),
            "affiliation": affiliation if affiliation in schema.AFFILIATIONS else "unknown",
            "attribution_id": f"{article_id}:a{n}",
            "cue_kind": f.cue_kind,
            "second_hand": second_hand,
            "via": via,
        })
    return out


# ----------------------------------------------------------------------------- public API


def from_doc(ctx: components.DocContext) -> dict[str, list[dict]]:
    """Attributions of one parsed article: {"attributions": [row dicts]}.

    Never raises on odd input: an empty text gives nothing, a broken parse a warning.
    The setting `learned_cues=False` switches the learned cue detector off (the rules alone;
    what its training script needs)."""
    if not ctx.text.strip():
        return {"attributions": []}
    try:
        rows = _attribution_rows(ctx.article_id, ctx.doc, learned=ctx.settings["learned_cues"])
    except (IndexError, ValueError, RecursionError) as exc:  # a broken parse must not stop a corpus run
        warnings.warn(f"article {ctx.article_id!r}: attribution extraction failed ({exc!r})", stacklevel=2)
        rows = []
    return {"attributions": rows}


components.register("sourcing", assigns={"attributions": ATTRIBUTION_COLUMNS}, from_doc=from_doc,
                    defaults={"learned_cues": True})


def extract_attributions(articles: pd.DataFrame, docs: dict | None = None) -> pd.DataFrame:
    """One row per attribution (schema.ATTRIBUTIONS plus attribution_id, cue_kind,
    second_hand, via). `docs` maps article_id -> spaCy Doc; without it articles are parsed
    through the disk cache."""
    if articles is None or len(articles) == 0:
        return schema.conform(pd.DataFrame(), ATTRIBUTION_COLUMNS)
    df = components.run(articles, ["attributions"], docs=docs)["attributions"]
    return df.sort_values(["article_id", "sentence_index", "cue_start"], kind="stable").reset_index(drop=True)
