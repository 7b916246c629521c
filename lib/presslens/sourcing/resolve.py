"""Who a source is: a source phrase classified (type, side, named or not) and resolved within
the article to the last compatible named antecedent ("the channel", "it", "he", a surname),
using the gazetteer (actors, organisations), role words and the side words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import nlp
from .affiliation import affiliation_of
from .lexicon import Lexicon, Role, match_sequence, normalise, role_of
from .quotes import CLOSE_DOUBLE, quoted_name_after
from .syntax import (
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    THING_PRONOUNS,
    contiguous,
    subtree_tokens,
)

# Institutions a text names without antecedent ("the government", "the army"): never resolved
# to the last named organisation.
GENERIC_INSTITUTIONS = {"government", "administration", "authority", "military", "army", "police",
                        "parliament", "cabinet", "kremlin", "council", "court"}


@dataclass
class Mention:
    """A resolved source: what it is called in the article and what it is.

    Parameters
    ----------
    canonical : str
        The name the source resolves to ("Valery Gerasimov" for "he").
    source_type : str
        One of schema.SOURCE_TYPES.
    affiliation : str
        Its side (see `presslens.sourcing.affiliation`).
    named : bool
    kind : str
        person, org, media, group, document or unknown: what a later pronoun or definite
        noun can refer back to.
    text : str
        The phrase as written.
    head_lemma : str
        The lemma of the phrase's head word.
    """

    canonical: str
    source_type: str
    affiliation: str
    named: bool
    kind: str  # person|org|media|group|document|unknown
    text: str = ""
    head_lemma: str = ""


@dataclass
class Resolver:
    """In-article coreference: the last compatible named antecedent by kind."""
    doc: object
    lex: Lexicon
    persons: list = field(default_factory=list)  # PERSON entity spans, in order
    history: list[tuple[int, Mention]] = field(default_factory=list)  # (char offset, mention)

    def person_full_name(self, ent) -> str:
        """A surname resolved to the longest earlier (or same) PERSON mention ending in it."""
        key = tuple(normalise(t.text) for t in ent)
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
                if head_lemma in normalise(m.text).split() or head_lemma == m.head_lemma:
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


def describe(tokens: list, head, resolver: Resolver, quotes, sentence_sources: list[Mention]) -> Mention:
    """Classify and resolve one source phrase (its tokens and syntactic head)."""
    lex = resolver.lex
    text = resolver.text[tokens[0].idx: tokens[-1].idx + len(tokens[-1].text)] if tokens else ""
    low = head.lower_
    start = tokens[0].idx if tokens else head.idx
    # Pronouns: the last compatible antecedent.
    if head.pos_ == "PRON" or low in RELATIVE_PRONOUNS:
        if low in RELATIVE_PRONOUNS:
            if head.head.dep_ == "relcl":
                return describe(source_tokens(head.head.head), head.head.head, resolver, quotes,
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
    role = role_of(head, lex)
    # A definite role noun with no name of its own refers back ("the channel", "the ministry").
    has_name = any(t.ent_type_ in ("PERSON", "ORG") for t in span_tokens) or \
        quoted_name_after(span_tokens[-1], quotes) is not None
    determiner = next((c.lower_ for c in head.children if c.dep_ == "det"), None)
    if determiner in ("the", "this", "that") and not has_name and head.tag_ in ("NN", "NNP"):
        m = resolver.antecedent(start, (), head_lemma=head_lemma)
        if m is None and role is not None and role.kind in ("org", "media") and head_lemma not in GENERIC_INSTITUTIONS:
            # "the agency" after "the World Food Programme said": the last named source of its kind
            m = resolver.antecedent(start, (role.kind,), named_only=True)
        if m is not None:
            return m

    affiliation = affiliation_of(span_tokens)
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
    orgs = match_sequence(span_tokens, lex.orgs, lex.max_org_len)
    quoted = quoted_name_after(span_tokens[-1], quotes) or quoted_name_after(head, quotes)
    anonymous = head_lemma in ("source", "official", "person", "people", "insider") and any(
        t.lower_ in lex.anonymity for t in subtree_tokens(head))
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
                        if (r := role_of(c, lex)) is not None and r.kind == "person"]
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
        role = next((r for t in span_tokens if (r := role_of(t, lex)) is not None), None)
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
                role = role_of(tok, lex)
                if role is not None and role.kind == "org":
                    return role.source_type
    return None


def _person_titles(span_tokens, lex: Lexicon) -> list[Role]:
    """Person roles of a source phrase, the head word of a title first: in "chief economist"
    the modifier "chief" does not count, but in "Governor Ihor Savchenko" or "military expert
    Andrei Zotov" the title is a compound of the name and does."""
    titles = []
    for t in span_tokens:
        if t.dep_ in ("compound", "amod") and role_of(t.head, lex) is not None:
            continue  # a modifier inside a title
        if (r := role_of(t, lex)) is not None and r.kind == "person":
            titles.append(r)
    return titles


_LEADING = re.compile(r"^(?:a|an|the|this|that|these|those)\s+", re.I)


def _canonical_text(text: str) -> str:
    """A mention as a name: no leading article, plain apostrophes, no edge punctuation."""
    out = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", "").replace("\u201d", "")
    out = re.sub(r"\s+", " ", out).strip(" \"',.;:")
    out = _LEADING.sub("", out)
    return out.strip(" \"',.;:")


def source_tokens(head) -> list:
    """The source phrase: the head's subtree without relative or adverbial clauses, and
    extended by a quoted name right after it ("the channel ‘Go and See,’")."""
    toks = subtree_tokens(head, ("relcl", "acl", "advcl", "ccomp", "parataxis"))
    doc = head.doc
    toks = contiguous(toks, doc)
    # cut at a comma followed by a clause (the parse sometimes hangs a verb under the noun)
    out = []
    for t in toks:
        if t.pos_ == "VERB" and t.i != head.i and t.dep_ not in ("amod", "compound"):
            break
        out.append(t)
    while out and (out[-1].is_punct or out[-1].is_space) and out[-1].text not in CLOSE_DOUBLE + "\u2019\"":
        out.pop()
    return out or [head]


def extend_by_quote(tokens: list, quotes) -> tuple[int, int]:
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1].text)
    q = quoted_name_after(tokens[-1], quotes)
    if q is not None:
        end = q[1]
    return start, end
