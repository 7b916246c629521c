"""Who a source is: a source phrase classified (type, side, named or not) and resolved within
the article to the last compatible named antecedent ("the channel", "it", "he", a surname),
using the gazetteer (actors, organisations), role words, and `affiliation` for the side.

A new mention's side and type are completed from the country gazetteers (`complete`): the
phrase, then its resolved name, then (for a named person) the words next to their other
mentions in the article, then an earlier mention of the same source. An office-holder or a
named institution gives its type too. An unqualified national body ("the Defense Ministry",
"authorities") refers back to an earlier mention of the same kind of body that has a side;
failing that it is marked `national`, and the extractor gives it the country the article
places it in once all sources are read (`affiliation.national_side`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import nlp
from .affiliation import UNKNOWN, holder_of, national_bodies, person_side, side_of_evidence
from .lexicon import Lexicon, Role, match_sequence, normalise, role_of
from .names import acronyms, expand, self_name
from .quotes import CLOSE_DOUBLE, quoted_name_after
from .syntax import (
    DOCUMENT_NOUNS,
    ISSUED_NOUNS,
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    THING_PRONOUNS,
    contiguous,
    subtree_tokens,
)

# Institutions a text names without antecedent ("the government", "the army"): never resolved
# to the last named organisation.
# An indefinite description names one of several, never the holder of an office ("a senior
# advisor to the head of ...").
_INDEFINITE = frozenset({"a", "an", "one", "another", "some", "several", "any", "two", "three"})
_VAGUE_PRONOUNS = frozenset({"some", "many", "others", "few", "everyone", "everybody", "someone",
                             "somebody", "anyone", "anybody", "nobody"})
# Hearsay as a source: "according to reports", "rumours say".
_HEARSAY = frozenset({"report", "rumour", "rumor", "speculation", "gossip", "hearsay"})
_HONORIFICS = frozenset({"sir", "dame", "lord", "lady", "mr", "mrs", "ms", "dr"})
_PARTITIVES = frozenset({"some", "many", "most", "several", "one", "two", "few", "all", "none", "both",
                         "each", "dozens", "hundreds", "thousands"})
# A named person with no office, trade or title: a footballer, a student, a resident.
PERSON_TYPE = "civilian"
GENERIC_INSTITUTIONS = {"government", "administration", "authority", "military", "army", "police",
                        "parliament", "cabinet", "kremlin", "council", "court"}
# Nouns for any body of people: "the group said" stands for the last named group or body.
COLLECTIVE_NOUNS = frozenset({"group", "collective", "outfit", "movement", "organisation", "organization"})
# A description of someone who no longer holds the office is of a person the article has
# named ("the former lieutenant governor of Pennsylvania said"), not of the office's holder.
_FORMER = frozenset({"former", "ex", "onetime", "one-time", "erstwhile", "retired"})
# A name after a place preposition is a place the model took for a person ("facilities in
# Corpus Christi and Sabine Pass"), never the antecedent of "he" or "she".
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "throughout"})


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
    # an unqualified national body ("the government") whose country the article must tell
    national: bool = False
    # where the side came from: words (the phrase or name), article (the person's other
    # mentions), earlier (an earlier mention), national (sentence, dateline or article)
    side_from: str = ""
    # False when the type is the default for its kind (a named person with no title is a
    # civilian): the gazetteers may still type it
    typed: bool = True


@dataclass
class Resolver:
    """In-article coreference: the last compatible named antecedent by kind."""
    doc: object
    lex: Lexicon
    persons: list = field(default_factory=list)  # PERSON entity spans, in order
    history: list[tuple[int, Mention]] = field(default_factory=list)  # (char offset, mention)
    date: object = None  # the article date: the office a named person held then
    reported: list[tuple[int, int]] = field(default_factory=list)  # content spans read so far

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
        if best == ent.text and len([t for t in ent if t.lower_ not in _HONORIFICS]) == 1:
            # "Sir Patrick" after "Sir Patrick Sanders": a first name alone, once one person has it
            full = {o.text for o in self.persons if o.start_char < ent.start_char and len(o) > 1
                    and [t.text for t in o if t.lower_ not in _HONORIFICS][:1] == [last]}
            if len(full) == 1:
                best = full.pop()
        return best

    def __post_init__(self) -> None:
        # doc.text and doc.ents walk the whole Doc: read them once per article, not per mention.
        self.text = nlp.doc_text(self.doc)
        self.entities = list(self.doc.ents)
        self._entity_of = {i: e for e in self.entities for i in range(e.start, e.end)}
        self._person_starts = [e.start for e in self.persons]
        self._person_sides: dict[str, object] = {}
        self.acronyms = acronyms(self.text)

    def inside_reported(self, offset: int) -> bool:
        """Whether a character offset lies in what a source is reported to have said."""
        return any(s <= offset < e for s, e in self.reported)

    def entity_at(self, i: int):
        return self._entity_of.get(i)

    def first_mention(self, ent) -> bool:
        """Whether a PERSON entity is the first mention of that person (by last name)."""
        last = ent[-1].text
        return not any(e[-1].text == last for e in self.persons if e.start_char < ent.start_char)

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

    def last_person_of(self, side: str, before: int) -> Mention | None:
        """The last named person source of a country before an offset, outside what others
        are reported to have said."""
        for offset, m in reversed(self.history):
            if offset < before and m.kind == "person" and m.named and m.affiliation == side \
                    and not self.inside_reported(offset):
                return m
        return None

    def known(self, canonical: str) -> Mention | None:
        """The latest earlier mention of the same source, to carry its type and side."""
        for _, m in reversed(self.history):
            if m.canonical == canonical and (m.source_type != "other" or m.affiliation != "unknown"):
                return m
        return None

    def antecedent(self, before: int, kinds: tuple[str, ...], head_lemma: str | None = None,
                   named_only: bool = False, entities: bool = True) -> Mention | None:
        """The last earlier source of one of `kinds` (or with `head_lemma`); for a person, a
        person introduced after it (named for the first time in the article) wins, the way
        reporters bring in a new speaker ("Kristersson said ... remarks by Finnish Prime
        Minister Petteri Orpo. He claimed": Orpo); never a person inside what a source is
        reported to have said, or inside the source phrase itself ("a spokesman for Putin"), never
        one already met (a name repeated in the writer's own words is rarely the next speaker),
        and never one in the last source's own sentence ("Zotov told Vestnik: ... he said")."""
        found, found_at = None, -1
        for offset, m in reversed(self.history):
            if offset >= before or (named_only and not m.named):
                continue
            if head_lemma is not None:
                if head_lemma in normalise(m.text).split() or head_lemma == m.head_lemma:
                    return m
                continue
            if m.kind in kinds and m.source_type not in ("vague",):
                if m.kind == "person" and self.inside_reported(offset):
                    continue  # the subject of what someone said ("X finds it strange that Y believes")
                found, found_at = m, offset
                break
        if "person" in kinds and head_lemma is None and entities:
            skip_to = found_at + len(found.text) if found is not None else -1
            for ent in reversed(self.persons):
                if ent.start_char <= skip_to:
                    break
                if ent.end_char > before or any(s < ent.end_char and ent.start_char < e for s, e in self.reported) \
                        or _after_place_preposition(ent) or not _name_shaped(ent):
                    continue
                if found is not None and (not self.first_mention(ent) or ent.sent.start_char <= found_at):
                    continue  # met before, or in the last source's own sentence ("X told Vestnik")
                name = self.person_full_name(ent)
                earlier = self.known(name)
                if earlier is not None:
                    return earlier
                st, aff = self.lex.actors.get(name, ("other", "unknown"))
                return self.complete(Mention(name, st, aff, True, "person", ent.text, ""), ent.text)
        return found

    def complete(self, m: Mention, phrase: str) -> Mention:
        """A new mention's side and type from the gazetteers; an unqualified national body
        may resolve to an earlier mention of the same kind of body (see the module docstring)."""
        side, hint = _clues(phrase, self.date)
        if m.kind == "person" and m.named and side is not None:
            employer = _employer_clue(phrase, m.canonical, self.date)
            if employer is not None:
                side = employer  # "Ukrainian hacking expert X, of the Swiss Federal Institute": CH
        if side is None and m.canonical and m.canonical != phrase:
            side, hint_name = _clues(m.canonical, self.date)
            hint = hint or hint_name
        if side is not None:
            m.affiliation, m.side_from = side.code, "words"
        elif m.affiliation and m.affiliation != UNKNOWN:
            m.side_from = "words"  # the gazetteer entry of a named actor or organisation
        else:
            m.affiliation = UNKNOWN
        if hint is not None:
            if hint.rule == "officeholder" and m.kind == "person" and m.named:
                m.source_type = hint.source_type
            elif hint.rule == "institution" and m.named and m.kind in ("org", "media") \
                    and m.source_type not in ("anonymous", "vague"):
                m.source_type = hint.source_type
            elif m.source_type == "other" or not m.typed:
                m.source_type, m.typed = hint.source_type, True
        if m.affiliation == UNKNOWN and m.named and m.kind == "person":
            if m.canonical not in self._person_sides:
                self._person_sides[m.canonical] = person_side(m.canonical, self.text, self.date)
            found = self._person_sides[m.canonical]
            if found is not None:
                m.affiliation, m.side_from = found.code, "article"
        if m.named:
            earlier = self.known(m.canonical)
            if earlier is not None:
                if m.affiliation == UNKNOWN:
                    m.affiliation, m.side_from = earlier.affiliation, "earlier"
                if m.source_type == "other" or not m.typed:
                    m.source_type = earlier.source_type
        if m.kind in ("person", "group") and m.source_type == "official" and m.affiliation in ("UN", "INT") \
                and not (hint is not None and hint.rule == "officeholder"):
            m.source_type = "ngo_international"  # the heads and staff of international bodies
        if side is not None and side.rule in ("country", "capital") and m.source_type in ("other", PERSON_TYPE) \
                and _canonical_text(side.text).lower() == m.canonical.lower():
            m.source_type, m.kind, m.named = "official", "org", True  # "Russia said", "Warsaw said"
        if not m.named and m.kind == "person" and side is not None and phrase.strip() \
                and phrase.split()[0].lower() not in _INDEFINITE and self.date is not None:
            office = holder_of(phrase, self.date)
            if office is not None:
                # "Russia's defence minister" on the article date: Sergei Shoigu (without a
                # date there is no knowing which holder an article means)
                m.canonical, m.source_type = office.name, office.source_type
        if m.affiliation == UNKNOWN and m.head_lemma in national_bodies() \
                and m.source_type not in ("anonymous", "vague"):
            for _, h in reversed(self.history):
                if h.head_lemma == m.head_lemma and h.side_from == "words":
                    return h
            m.national = True
        return m


def describe(tokens: list, head, resolver: Resolver, quotes, sentence_sources: list[Mention]) -> Mention:
    """Classify and resolve one source phrase (its tokens and syntactic head): an earlier
    mention it refers back to, or a new mention with its side and type completed."""
    m = _classify(tokens, head, resolver, quotes, sentence_sources)
    if tokens and head.pos_ != "PRON" and head.lower_ not in RELATIVE_PRONOUNS:
        end = tokens[-1].idx + len(tokens[-1].text)
        verb = head.head
        alias = self_name(resolver.text, end, limit=verb.idx if verb.idx >= end else None)
        if alias is not None:
            # "The hackers, who call themselves Night Owls, claimed": the whole chain of
            # mentions (an earlier "Ukrainian hackers" it resolved to) takes that name
            m.canonical, m.named = alias, True
            if m.kind == "unknown":
                m.kind = "group" if head.tag_ in ("NNS", "NNPS") else "org"
    if m.kind != "person":
        m.canonical = expand(m.canonical, resolver.acronyms)
    if any(m is s for s in sentence_sources) or any(m is h for _, h in resolver.history):
        return m
    phrase = resolver.text[tokens[0].idx: tokens[-1].idx + len(tokens[-1].text)] if tokens else head.text
    phrase = phrase[outside_quotes(phrase)[0]:]
    if any(ch in QUOTE_MARKS for ch in m.canonical):
        m.canonical = _canonical_text(m.canonical[outside_quotes(m.canonical)[0]:]) or m.canonical
    if head.pos_ == "PRON" or head.lower_ in RELATIVE_PRONOUNS:
        phrase = ""  # an unresolved pronoun says nothing of a side
    return resolver.complete(m, phrase)


def _classify(tokens: list, head, resolver: Resolver, quotes, sentence_sources: list[Mention]) -> Mention:
    lex = resolver.lex
    text = resolver.text[tokens[0].idx: tokens[-1].idx + len(tokens[-1].text)] if tokens else ""
    low = head.lower_
    start = tokens[0].idx if tokens else head.idx
    if low in _VAGUE_PRONOUNS and not any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children):
        # "some say", "not everyone agrees": nobody in particular
        return Mention(_canonical_text(text), "vague", UNKNOWN, False, "group", text, low)
    if head_lemma_of(head) in _HEARSAY and not head.ent_type_ and _bare(head, [t for t in tokens if not t.is_space]) \
            and not side_of_evidence(text):
        # "according to reports", "several reports indicate": no one in particular
        return Mention(_canonical_text(text), "vague", UNKNOWN, False, "group", text, head.lemma_.lower())
    if low in _PARTITIVES:
        # "some of the booing protesters": the protesters
        of = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                   for g in c.children if g.dep_ == "pobj"), None)
        if of is not None:
            return _classify(source_tokens(of), of, resolver, quotes, sentence_sources)
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
    if determiner == "the" and [t for t in span_tokens if t.dep_ != "det"] == [head]:
        # "the Briton", "the Ukrainian": the last named person of that country
        demonym = next((d for d in side_of_evidence(head.text) if d.rule == "demonym" and d.text == head.text), None)
        m = resolver.last_person_of(demonym.code, start) if demonym is not None else None
        if m is not None:
            return m
    if determiner in ("the", "this", "that") and not has_name and head.tag_ in ("NN", "NNP"):
        m = resolver.antecedent(start, (), head_lemma=head_lemma)
        if m is None and role is not None and role.kind in ("org", "media") and head_lemma not in GENERIC_INSTITUTIONS:
            # "the agency" after "the World Food Programme said": the last named source of its kind
            m = resolver.antecedent(start, (role.kind,), named_only=True)
        bare = role is not None and _bare(head, span_tokens) and not side_of_evidence(text)
        if m is None and bare and role.kind == "person":
            # "the minister", "the expert": a bare title refers back to the last named person
            m = resolver.antecedent(start, ("person",), named_only=True, entities=False)
        if m is None and role is not None and role.kind == "person" and any(
                t.lower_ in _FORMER and t.dep_ in ("amod", "advmod", "compound") for t in span_tokens):
            m = _former_holder(resolver, start, text)
        if m is None and head_lemma in COLLECTIVE_NOUNS and _bare(head, span_tokens):
            # "the group said" after "a group known as Iron Falcons"
            m = resolver.antecedent(start, ("group", "org"), named_only=True, entities=False)
        if m is None and bare and role.kind == "document" and head_lemma in DOCUMENT_NOUNS:
            # "the statement said": the words of the last source that made one
            m = resolver.antecedent(start, ("person", "org", "media", "group"), entities=False)
        if m is not None:
            return m
    if determiner in ("the", "these", "those") and not has_name and head.tag_ in ("NNS", "NNPS"):
        # "the organizations", "the officials": the last group of that name, else of that kind
        m = resolver.antecedent(start, (), head_lemma=head_lemma)
        if m is None and role is not None and _bare(head, span_tokens) and not side_of_evidence(text):
            m = resolver.antecedent(start, ("group", "org"), entities=False)
        if m is not None:
            return m

    affiliation = None  # set by an organisation inside the phrase; Resolver.complete reads the rest
    # Gazetteer actors and other persons inside the phrase.
    persons = [e for e in resolver.persons_between(span_tokens[0].i, span_tokens[-1].i + 1)]
    head_is_proxy = role is not None and role.proxy
    if persons and not head_is_proxy:
        ent = next((e for e in persons if e.start <= head.i < e.end), persons[-1])
        name = resolver.person_full_name(ent)
        if role is not None and role.kind in ("media", "org") and not ent.start <= head.i < ent.end:
            # "the intelligence site Info Nampalm": a name the model took for a person, in
            # apposition to an outlet or body noun, names that outlet or body
            return Mention(name, role.source_type, "unknown", True, role.kind, text, head_lemma)
        st, aff = lex.actors.get(name, (None, None))
        if st is None:
            # a title or an apposition inside the phrase ("Senator X", "X, a spokesperson for")
            # the head word of a title counts ("chief economist" is an economist)
            titles = _person_titles(span_tokens, lex)
            st = titles[0].source_type if titles else _employer_type(head, lex)
        earlier = resolver.known(name)
        typed = st is not None or earlier is not None
        if st is None:
            st = earlier.source_type if earlier is not None else PERSON_TYPE
        aff = aff if aff and aff != "unknown" else (affiliation or (earlier.affiliation if earlier else "unknown"))
        return Mention(name, st, aff, True, "person", text, head_lemma, typed=typed)
    orgs = match_sequence(span_tokens, lex.orgs, lex.max_org_len, upper_only=lex.acronyms)
    quoted = quoted_name_after(span_tokens[-1], quotes) or quoted_name_after(head, quotes)
    anonymous = (head_lemma in ("source", "official", "person", "people", "insider")
                 or role is not None and role.kind in ("person", "group")) and _unnamed_on_purpose(head, lex)
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
        if not appos_titles and ent is not None and any(t.i < ent.start for t in span_tokens):
            # "The Minister of Education, Prof Tahir Mamman": a title set before the name
            appos_titles = _person_titles([t for t in span_tokens if t.i < ent.start], lex)
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
        return Mention(name, titles[0].source_type if titles else PERSON_TYPE, affiliation or "unknown", True,
                       "person", text, head_lemma, typed=bool(titles))
    if role is None:
        role = next((r for t in span_tokens if (r := role_of(t, lex)) is not None), None)
    st = role.source_type if role else "other"
    if org_type and st == "other":
        st = org_type
    kind = role.kind if role else ("group" if head.tag_ in ("NNS", "NNPS") else "unknown")
    if head.tag_ in ("NNS", "NNPS") and kind == "person":
        kind = "group"
    elif head.tag_ in ("NN", "NNP") and kind == "group":
        kind = "org"  # "the air force", "the army": one body, which a later "it" can stand for
    name = _canonical_text(text)
    issuer = next((g for c in head.children if c.dep_ == "acl" for a in c.children if a.dep_ == "agent"
                   for g in a.children if g.dep_ == "pobj"), None) if head_lemma in ISSUED_NOUNS else None
    if issuer is not None:
        # "a federal indictment filed by the Department of Justice": the Department of Justice indictment
        first, last = issuer.left_edge, issuer.right_edge
        by = resolver.text[first.idx: last.idx + len(last.text)]
        name = _canonical_text(f"{_canonical_text(by)} {head.text}")
    return Mention(name, st, affiliation or "unknown", False, kind, text, head_lemma)


def _former_holder(resolver: Resolver, start: int, phrase: str) -> Mention | None:
    """The named person a description of a former office-holder stands for: the last named
    person source before it, when the description's country (if it names one) is theirs."""
    m = resolver.antecedent(start, ("person",), named_only=True, entities=False)
    if m is None:
        return None
    side, _ = _clues(phrase, resolver.date)
    if side is not None and m.affiliation not in (UNKNOWN, side.code):
        return None
    return m


# Lower-case words inside names ("Ursula von der Leyen", "Charles de Gaulle").
_NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "al", "bin", "ibn", "ben"})


def _name_shaped(ent) -> bool:
    """Whether a PERSON entity looks like a person's name: capitalised words ("McCarthy",
    "O'Brien"), not a unit or acronym the model took for a name ("MMBtu"), nor a name in
    brackets."""
    if ent.start > 0 and ent.doc[ent.start - 1].text == "(":
        return False
    return all(not t.is_alpha or t.lower_ in _NAME_PARTICLES
               or t.text[:1].isupper() and (len(t.text) == 1 or t.text[1].islower()) for t in ent)


def _after_place_preposition(ent) -> bool:
    """A name that is the object of a place preposition, or joined to one ("in Corpus Christi
    and Sabine Pass")."""
    root = ent.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    return root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPOSITIONS


def head_lemma_of(tok) -> str:
    return tok.lemma_.lower()


def _unnamed_on_purpose(head, lex: Lexicon) -> bool:
    """An anonymity marker in the words of the source ("undisclosed sources", "an official who
    asked not to be named", "a diplomat speaking on condition of anonymity")."""
    words = subtree_tokens(head)
    if any(t.lower_ in lex.anonymity for t in words):
        return True
    said = normalise(" ".join(t.text for t in words))
    return any(p in said for p in lex.anonymity_phrases)


def outside_quotes(text: str) -> tuple[int, int]:
    """The part of a source phrase outside quotation marks that a tokenizer left attached
    ("device,”Polyansky" -> "Polyansky"): (start, end) offsets into `text`."""
    start = 0
    for i, ch in enumerate(text):
        if ch in QUOTE_MARKS and any(c.isalnum() for c in text[i + 1:]):
            start = i + 1
    while start < len(text) and text[start] in " ,.;:":
        start += 1
    return start, len(text)


QUOTE_MARKS = "\"“”„«»"


def _bare(head, span_tokens) -> bool:
    """A definite title with nothing that makes it a new person: no possessor, complement,
    name or number ("the minister", "the veteran diplomat"; not "the minister of health",
    "Russia's minister")."""
    return all(t.i == head.i or t.dep_ in ("det", "amod", "compound", "punct") and t.pos_ != "PROPN"
               for t in span_tokens)


def _clues(phrase: str, date) -> tuple:
    """(the strongest clue to the side, the strongest clue that carries a source type) of a
    phrase, either None."""
    if not phrase or not phrase.strip():
        return None, None
    found = side_of_evidence(phrase, date)
    side = next((m for m in found if m.code != UNKNOWN), None)
    hint = next((m for m in found if m.source_type), None)
    return side, hint


_EMPLOYER = re.compile(r"^[\s,]*(?:of|at|from|with)\s+(?:the\s+)?(?=[A-Z])(.+)$")


def _employer_clue(phrase: str, name: str, date):
    """The side of the body a named person speaks from, when the phrase names it after the
    person ("X, of the Swiss Federal Institute of Technology"): the country the source belongs
    to, over a demonym before the name that may be their topic ("Ukrainian hacking expert")."""
    last = name.split()[-1] if name.split() else ""
    at = phrase.rfind(last) if last else -1
    if at < 0:
        return None
    found = _EMPLOYER.match(phrase[at + len(last):])
    if found is None:
        return None
    side, _ = _clues(found.group(1), date)
    return side


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
        if t.i > 0 and t.doc[t.i - 1].text == "-":
            continue  # part of a compound word ("open-source")
        if (r := role_of(t, lex)) is not None and r.kind == "person" and r.source_type not in ("anonymous", "vague"):
            titles.append(r)
    return titles


_LEADING = re.compile(r"^(?:a|an|the|this|that|these|those)\s+", re.I)


def _canonical_text(text: str) -> str:
    """A mention as a name: no leading article, plain apostrophes, no edge punctuation."""
    out = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", "").replace("\u201d", "")
    out = re.sub(r"\s+", " ", out).strip(" \"',.;:")
    out = _LEADING.sub("", out)
    return out.strip(" \"',.;:")


# Focus adverbs after a speaker are no part of its name ("Denmark too is among those calling").
FOCUS_ADVERBS = frozenset({"too", "also", "either", "alone"})


def source_tokens(head) -> list:
    """The source phrase: the head's subtree without relative or adverbial clauses, and
    extended by a quoted name right after it ("the channel ‘Go and See,’")."""
    toks = subtree_tokens(head, ("relcl", "acl", "advcl", "ccomp", "parataxis"))
    for child in head.children:
        # a noun the parser hung as a clause is part of the phrase ("a weapons tracking
        # account"), and so is who issued a document ("an indictment filed by the Department
        # of Justice")
        if child.dep_ == "acl" and (child.pos_ == "NOUN" or head.lemma_.lower() in ISSUED_NOUNS and any(
                c.dep_ == "agent" for c in child.children)):
            toks = sorted(set(toks) | set(child.subtree), key=lambda t: t.i)
    doc = head.doc
    toks = contiguous(toks, doc)
    # cut at a comma followed by a clause (the parse sometimes hangs a verb under the noun)
    out = []
    for t in toks:
        if t.i > head.i and t.lower_ in RELATIVE_PRONOUNS and t.tag_ in ("WP", "WDT", "WP$"):
            break  # a relative clause the parse left in the phrase ("The hackers, who were arrested")
        if t.pos_ == "VERB" and t.i != head.i and t.dep_ not in ("amod", "compound") and not (
                t.dep_ == "acl" and t.head.i == head.i and head.lemma_.lower() in ISSUED_NOUNS
                and any(c.dep_ == "agent" for c in t.children)):
            break
        out.append(t)
    while out and ((out[-1].is_punct or out[-1].is_space) and out[-1].text not in CLOSE_DOUBLE + "\u2019\""
                   or out[-1].i != head.i and out[-1].lower_ in RELATIVE_PRONOUNS
                   or out[-1].i > head.i and out[-1].dep_ == "advmod" and out[-1].lower_ in FOCUS_ADVERBS):
        out.pop()  # "The hackers, who call themselves X, claimed": the phrase ends before "who"
    return out or [head]


def extend_by_quote(tokens: list, quotes) -> tuple[int, int]:
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1].text)
    q = quoted_name_after(tokens[-1], quotes)
    if q is not None:
        end = q[1]
    return start, end
