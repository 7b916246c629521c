"""Reading spans off the dependency parse: subjects, agents and governing subjects of cue
verbs, the content clause of a cue, trimmed character spans, and who can be a source at all
(a person, an organisation, a pronoun or role noun for one; places the small model calls
persons are not).
"""

from __future__ import annotations

from .lexicon import Cue, Lexicon, raising_verbs, role_of
from .quotes import CLOSE_DOUBLE, OPEN_DOUBLE

# Pronouns by what they can stand for (a person, a thing or organisation, a group, the
# clause's noun, the speaker).
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
# Nouns for texts that carry someone's words ("a statement saying", "an article stating").
DOCUMENT_NOUNS = {"statement", "article", "report", "letter", "tweet", "post", "memo", "release",
                  "message", "email", "video", "op-ed", "editorial", "interview", "note", "column"}
# Nouns for what an organisation publishes: "according to data published by X" cites X.
REPORT_NOUNS = {"report", "statement", "data", "datum", "figure", "estimate", "account", "source",
                "information", "statistics", "survey", "poll", "study", "analysis", "assessment"}
# ... and for any text someone issues: "an indictment filed by the Department of Justice" keeps
# its issuer in the source phrase (the document is the source, the department its side).
ISSUED_NOUNS = REPORT_NOUNS | {"indictment", "ruling", "lawsuit", "filing", "document", "complaint"}


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


def person_ents(doc) -> list:
    return [e for e in doc.ents if e.label_ == "PERSON" and not _is_place_like_person(e)]


def token_is_person(tok) -> bool:
    return tok.ent_type_ == "PERSON" and tok.ent_iob_ != "O"


def trim(tokens: list, doc) -> tuple[int, int] | None:
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


def subtree_tokens(tok, exclude_deps: tuple[str, ...] = ()) -> list:
    """tok's subtree, leaving out children (and their subtrees) with the given dependencies."""
    out = [tok]
    for child in tok.children:
        if child.dep_ in exclude_deps:
            continue
        out.extend(subtree_tokens(child, ()))
    return sorted(out, key=lambda t: t.i)


def contiguous(tokens: list, doc) -> list:
    if not tokens:
        return []
    return list(doc[tokens[0].i: tokens[-1].i + 1])


def subject_of(verb):
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            return child
    return None


# Verbs that link a predicate to its subject ("considered to look credible").
LINKING_VERBS = frozenset({"be", "look", "sound", "remain", "become", "prove"})
# A "by" phrase naming a time or an amount is no agent ("announced by Monday").
NOT_AGENT_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})


def _agent_like(pobj) -> bool:
    """Whether the object of a passive's "by" is its doer: not a time or amount ("by Monday"),
    nor a bare singular noun, which names a means ("reported by phone", "by video link")."""
    if pobj.ent_type_ in NOT_AGENT_ENTS:
        return False
    return not (pobj.tag_ == "NN" and not pobj.ent_type_ and not any(
        c.dep_ in ("det", "poss", "amod", "nummod") for c in pobj.children))


def passive_parts(verb, lex: Lexicon | None = None):
    """(is passive, agent pobj or None). A participle with an agent is passive even without an
    auxiliary ("as reported by the ministry"). With the lexicon, a "by" phrase the parser hung
    on the passive's predicate is its agent too (`misplaced_agent`)."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in verb.children)
    agent = None
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj" and _agent_like(g):
                    agent = g
    if agent is not None and verb.tag_ == "VBN":
        passive = True
    if passive and agent is None and lex is not None:
        agent = misplaced_agent(verb, lex)
    return passive, agent


def misplaced_agent(verb, lex: Lexicon):
    """The agent of a passive cue that the parser hung on the cue's predicate: "is seen as a
    provocation by Kyiv", "is considered to appear credible by expert X" (a closing "by" phrase
    on the noun or adjective of the "as" phrase or small clause, through "to be"/"to appear").
    Not a "by" inside a clause of its own ("seen as having been hit by a drone"), nor one naming
    a time, a means ("by phone") or something that cannot hold a view ("by Russian forces",
    "by a missile")."""
    for by in verb.subtree:
        if by.dep_ != "prep" or by.lower_ != "by" or by.head == verb or by.i < verb.i:
            continue
        if any(c.i > by.i for c in by.head.children):
            continue  # the "by" phrase must close its phrase
        pobj = next((g for g in by.children if g.dep_ == "pobj"), None)
        if pobj is None or not _agent_like(pobj) or pobj.lower_ in RELATIVE_PRONOUNS:
            continue
        role = role_of(pobj, lex)
        if not (person_like(pobj, lex) or (role is not None and role.source_type == "military" and role.kind == "org")):
            continue  # "an attack by Russian troops": the doer of the noun, not a view; "the army" speaks
        cur, ok = by.head, True
        while cur != verb and ok:
            if cur.pos_ in ("VERB", "AUX"):
                # only a raising or copular link keeps the predicate the cue's ("to appear", "to be")
                ok = cur.dep_ == "xcomp" and cur.tag_ == "VB" and (
                    cur.lemma_.lower() in raising_verbs() or cur.lemma_.lower() in LINKING_VERBS)
            elif cur.dep_ not in ("oprd", "acomp", "attr", "pobj", "prep", "amod", "advmod", "dobj") or (
                    cur.dep_ == "prep" and cur.lower_ != "as"):
                ok = False  # "seen in the harbour by satellites": a place, not the predicate
            cur = cur.head
        if ok:
            return pobj
    return None


def governing_subject(verb):
    """Subject for a cue without its own: "continued to frame" (xcomp), "smiled and said" (conj),
    "..., adding that" (participle), climbing while the verb has no subject."""
    cur = verb
    for _ in range(4):
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.head.pos_ in ("VERB", "AUX"):
            # "defended it by citing a poll", "after hinting that ...": the verb's subject
            head = cur.head.head
            subj = subject_of(head)
            if subj is not None:
                return subj
            cur = head
            continue
        if cur.dep_ == "acl" and cur.tag_ == "VBG" and cur.head.pos_ in ("NOUN", "PROPN", "PRON"):
            # "a statement saying ...": the statement's issuer when it has one ("His office
            # put out a statement saying"), else the noun itself ("a video of X talking")
            noun = cur.head
            among = _among_subject(noun)
            if among is not None:
                return among  # "Denmark is among those calling for ...": Denmark calls
            if noun.dep_ in ("dobj",) and noun.lemma_.lower() in DOCUMENT_NOUNS:
                issuer = subject_of(noun.head)
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
            if cur.dep_ == "advcl" and head.dep_ == "relcl" and cur.i > 0 and cur.doc[cur.i - 1].text == ",":
                # "She advised them to avoid activities that could take their lives, recalling an
                # incident": a participle after a comma belongs to the main clause, not to the
                # relative clause the parser hung it on
                main = head.head
                while main.dep_ not in ("ROOT", "ccomp") and main.head is not main and main.pos_ not in ("VERB", "AUX"):
                    main = main.head
                subj = (subject_of(main) or governing_subject(main)) if main.pos_ in ("VERB", "AUX") else None
                if subj is not None:
                    return subj
            subj = subject_of(head)
            if subj is None and cur.dep_ == "conj":
                subj = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
            if subj is not None:
                return subj
            if cur.dep_ == "conj" and head.dep_ == "ccomp" and head.head.pos_ in ("VERB", "AUX") \
                    and not any(c.dep_ == "expl" for c in head.children):
                # "X said there “was no justification” and expressed ...": the parser joined
                # the second verb to the subjectless reported one; it is X's
                subj = subject_of(head.head)
                if subj is not None:
                    return subj
            cur = head
        else:
            return None
    return None


def as_mark(verb) -> bool:
    """A verb of a comment clause: "..., as the governor warned", "As Reuters reported, ..."."""
    return any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)


def as_phrase_subject(verb):
    """The speaker of a verb in an "as" clause that the parser broke up: "Fears grow as
    Russia's defence minister said a bomb could be used" parsed with the minister as the
    object of a preposition "as" and "said" as a clause of its own. The noun phrase right
    before the verb (auxiliaries and adverbs aside), after "as", is its subject; None when the
    verb has a subject of its own or no such phrase stands before it."""
    if subject_of(verb) is not None:
        return None
    doc = verb.doc
    k = verb.i - 1
    while k >= 0 and doc[k].head == verb and doc[k].dep_ in ("aux", "advmod", "neg"):
        k -= 1  # "as the minister had also said"
    if k < 0:
        return None
    for noun in doc[max(verb.sent.start, k - 12): k + 1]:
        if noun.dep_ == "pobj" and noun.right_edge.i == k and noun.head.lower_ == "as" \
                and noun.head.dep_ == "prep" and noun.head.i == noun.left_edge.i - 1:
            return noun
    return None


def _among_subject(noun):
    """The subject of "X is among those / the countries ...", else None."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "among" or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    return subject_of(prep.head)


def clause_content(cue, doc, exclude_tokens: set[int]) -> tuple[int, int] | None:
    """The content of a cue that sits inside the clause it reports ("X, it says, Y" or
    "X, he said."): the head clause without the cue's own subtree."""
    root = cue.head if cue.dep_ in ("parataxis", "advcl", "conj", "prep", "npadvmod") else cue
    if root == cue:
        return None
    cue_sub = {t.i for t in cue.subtree} | exclude_tokens
    toks = [t for t in root.subtree if t.i not in cue_sub and t.sent == cue.sent]
    return trim(toks, doc) if toks else None


def circumstance(prep) -> bool:
    """A prepositional phrase of time, place or channel ("on Tuesday", "in Kyiv", "at a
    briefing", "on Telegram"), not a topic ("on the war", "about the losses")."""
    if prep.lower_ in ("about", "of", "over", "against", "for") or any(g.dep_ == "pcomp" for g in prep.children):
        return False  # a topic, or "admitted to working for an oligarch": what was admitted
    if prep.lower_ in ("in", "at", "during", "after", "before", "from", "via", "to"):
        return True
    return any(g.dep_ == "pobj" and (g.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC", "ORG") or g.pos_ == "PROPN")
               for g in prep.children)


def content_of_verb(cue, doc, cue_info: Cue, comment: bool = False,
                    lex: Lexicon | None = None) -> tuple[tuple[int, int] | None, bool]:
    """(content span, is a complement clause) for a verb cue. In a comment clause ("..., as
    Reuters reported on Monday"; `comment`) only a clause after the cue or a topic is the
    verb's own content: its addressee, time and place are not, and without a content the
    clause commented on is (`clause_content`)."""
    clause = [c for c in cue.children if c.dep_ in ("ccomp", "xcomp", "csubj") and (not comment or c.i > cue.i)]
    if any(c.i > cue.i for c in clause) and any(c.i < cue.i for c in clause):
        # a complement after the verb is what it reports; an unquoted clause before it as well is
        # one the parser hung there ("the façade falls away—the elites believe the US has no
        # peers"), while a quotation split around the verb is said in both parts
        clause = [c for c in clause if c.i > cue.i or _opens_quote(c.left_edge)]
    # "said that" before a quote, "told reporters that ..."
    if clause:
        toks = []
        for c in clause:
            toks.extend(c.subtree)
        toks.sort(key=lambda t: t.i)
        return trim(contiguous(toks, doc), doc), True
    # "vowed to boycott" comes out as a purpose clause at times
    clause_like = [c for c in cue.children if c.dep_ == "advcl" and c.i > cue.i and any(
        g.dep_ == "aux" and g.lower_ == "to" for g in c.children)]
    if clause_like:
        toks = sorted((t for c in clause_like for t in c.subtree), key=lambda t: t.i)
        return trim(contiguous(toks, doc), doc), True
    objs = [c for c in cue.children if c.dep_ in ("dobj", "attr", "oprd", "dative") or
            (c.dep_ == "prep" and c.i > cue.i and c.lower_ in ("as", "about", "of", "on", "for", "to", "at", "against")
             and not any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in c.children))]
    if comment:
        objs = [c for c in objs if c.dep_ != "dative" and not (c.dep_ == "dobj" and lex is not None and person_like(c, lex))
                and not (c.dep_ == "prep" and circumstance(c))]
    if objs and cue_info.needs != "clause":
        first = min(o.left_edge.i for o in objs)
        last = max(o.right_edge.i for o in objs)
        return trim(list(doc[first:last + 1]), doc), False
    return None, False


def _opens_quote(tok) -> bool:
    """Whether a quotation mark opens at this token or right before it."""
    before = tok.doc[tok.i - 1] if tok.i > 0 else None
    return tok.text[:1] in OPEN_DOUBLE + '"' or (before is not None and before.text[:1] in OPEN_DOUBLE + '"')


def person_like(tok, lex: Lexicon) -> bool:
    """A subject that can hold a stance: a person, a pronoun for one, an organisation, or a
    role noun for people or institutions (not troops or weapons)."""
    if tok.lower_ in PERSON_PRONOUNS | PLURAL_PRONOUNS | SPEAKER_PRONOUNS | RELATIVE_PRONOUNS:
        return True
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if tok.pos_ == "PROPN" and tok.ent_type_ in ("", "WORK_OF_ART"):
        return True  # a name the small model did not type ("Pence praised ...")
    role = role_of(tok, lex)
    return role is not None and role.source_type not in ("military", "document")
