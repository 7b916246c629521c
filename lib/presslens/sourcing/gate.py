"""Is a candidate attribution cue a communication or cognition act with a speaker?

A cue detector trained on political news takes many ordinary verbs of war reporting for
reporting verbs ("troops attacked the mall", "Ukraine refuses to surrender", "the video shows a
tank firing"). `cue_verdict(tok)` checks one candidate cue token against the speech lexicon
(`resources/speech_verbs.tsv`) and the parse:

- its lemma must be listed for its part of speech, and not in the `never` class;
- what the entry `needs` must be present: a complement clause, a direct quotation, an object,
  an "as" predicate ("described it as", "seen as"), a raising passive ("is said to be"), a
  to-infinitive ("urged them to"), one of the entry's prepositions ("called for"), a
  parenthetical position ("..., he said."), an object and a to-infinitive ("charged the
  scholars to"), a figure put at a value ("put the death toll at four") or an episode
  recounted ("recalled an incident"; the noun classes of `resources/speech_object_nouns.tsv`);
- evidence verbs ("show", "reveal", "indicate") count with a clause ("data shows that ...") or
  with a document or data noun as subject ("the poll shows strong support"); a picture shows
  a scene, it does not report one, so "the video shows a tank firing" and "footage appears to
  show a strike" are not cues, while "footage appears to show that the strike hit a school" is,
  and so is a picture with its publisher ("footage on state television showed ...").

The check reads only the token's children and a few characters around it: it is cheap enough
to run on every candidate. `passes(tok)` is the boolean.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from .. import config, nlp
from .syntax import circumstance

LEXICON_NAME = "speech_verbs.tsv"
OBJECT_NOUNS_NAME = "speech_object_nouns.tsv"
NOUN_CLASSES = ("figure", "episode", "publisher")
BROAD_NAME = "speech_cues_broad.txt"
# "news": issue #13's convention (a communication or cognition act with a speaker); "broad":
# PolNeAR's, which also counts intentions, stances and impressions ("wants", "supports", "seems").
CONVENTIONS = ("news", "broad")
# Content types an entry may need (the `needs` column, "|"-separated).
NEEDS = frozenset({"any", "clause", "that", "that_mark", "quote", "object", "speech_object", "person_object", "as",
                   "raising", "infinitive", "prep", "paren", "doc_subject", "object_infinitive", "figure_at",
                   "episode_object"})
QUOTE_MARKS = frozenset("\"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019'")
WH_WORDS = frozenset({"what", "who", "whom", "whose", "which", "where", "when", "why", "how"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "they", "them", "i", "we", "you", "me", "us"})
REFLEXIVES = frozenset({"himself", "herself", "itself", "themselves", "myself", "ourselves", "yourself",
                        "yourselves", "oneself"})
# Entities that are amounts, not people or things: "charged $5 to enter" is a price.
AMOUNT_ENTS = frozenset({"MONEY", "QUANTITY", "CARDINAL", "PERCENT"})
# Who can publish a picture: "footage on Russian state television", "a video released by the ministry".
PUBLISHER_ENTS = frozenset({"ORG", "PERSON"})
PUBLISH_VERBS = frozenset({"release", "post", "publish", "share", "air", "broadcast", "distribute", "circulate"})


@dataclass(frozen=True)
class SpeechEntry:
    lemma: str
    pos: str
    cls: str
    needs: frozenset[str]
    preps: frozenset[str]


@dataclass(frozen=True)
class SpeechLexicon:
    entries: dict[tuple[str, str], SpeechEntry]  # (lemma, POS) -> entry
    never: frozenset[str]
    document_nouns: frozenset[str]  # subjects that can report evidence ("data", "poll")
    visual_nouns: frozenset[str]  # subjects that only depict ("video", "footage")
    broad: frozenset[str] = frozenset()  # lemmas the broad convention passes as they are
    figure_nouns: frozenset[str] = frozenset()  # what a figure is put at ("the death toll")
    episode_nouns: frozenset[str] = frozenset()  # what one recalls in words ("an incident")
    publisher_nouns: frozenset[str] = frozenset()  # who publishes pictures ("television", "ministry")

    def entry(self, lemma: str, pos: str) -> SpeechEntry | None:
        return self.entries.get((lemma, pos))


@lru_cache(maxsize=1)
def speech_lexicon() -> SpeechLexicon:
    """The speech lexicon, read once per process from resources/speech_verbs.tsv (and the noun
    classes of speech_object_nouns.tsv)."""
    with config.resource(LEXICON_NAME).open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    entries: dict[tuple[str, str], SpeechEntry] = {}
    never: set[str] = set()
    documents: set[str] = set()
    visual: set[str] = set()
    for row in csv.DictReader(lines, delimiter="\t"):
        lemma, pos, cls = row["lemma"].strip().lower(), row["pos"].strip().upper(), row["class"].strip()
        needs = frozenset(n for n in (row.get("needs") or "").strip().split("|") if n and n != "-")
        unknown = needs - NEEDS
        if unknown:
            raise ValueError(f"{LEXICON_NAME}: {lemma}/{pos}: unknown needs {sorted(unknown)}")
        preps = frozenset(p for p in (row.get("preps") or "").strip().split("|") if p and p != "-")
        if cls == "never":
            never.add(lemma)
            continue
        if cls == "visual":
            visual.add(lemma)
            continue
        if cls == "document":
            documents.add(lemma)
        entries[(lemma, pos)] = SpeechEntry(lemma, pos, cls, needs, preps)
    with config.resource(BROAD_NAME).open(encoding="utf-8") as fh:
        broad = frozenset(ln.strip().lower() for ln in fh if ln.strip() and not ln.startswith("#"))
    noun_classes: dict[str, set[str]] = {c: set() for c in NOUN_CLASSES}
    with config.resource(OBJECT_NOUNS_NAME).open(encoding="utf-8") as fh:
        for row in csv.DictReader([ln for ln in fh if ln.strip() and not ln.startswith("#")], delimiter="\t"):
            cls = row["class"].strip()
            if cls not in noun_classes:
                raise ValueError(f"{OBJECT_NOUNS_NAME}: {row['word']}: unknown class {cls!r}")
            noun_classes[cls].add(row["word"].strip().lower())
    return SpeechLexicon(entries, frozenset(never), frozenset(documents), frozenset(visual), broad,
                         frozenset(noun_classes["figure"]), frozenset(noun_classes["episode"]),
                         frozenset(noun_classes["publisher"]))


# ----------------------------------------------------------------------------- parse facts


def _subject(tok):
    """The token's own subject (or the agent of its passive), else the subject of the verb it
    hangs on for "continued to say", "appears to show", "..., adding that"."""
    for c in tok.children:
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    own = next((c for c in tok.children if c.dep_ in ("nsubj", "csubj")), None)
    if own is not None and own.lower_ in ("that", "which", "who") and tok.dep_ == "relcl":
        return tok.head  # "a video that shows ...": the antecedent
    if own is not None:
        return own
    cur = tok
    for _ in range(3):
        if cur.dep_ not in ("xcomp", "conj", "advcl") or cur.head is cur:
            return None
        cur = cur.head
        own = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if own is not None:
            return own
    return None


def _is_passive(tok) -> bool:
    # a participle with a subject of its own is a past tense the tagger misread ("as the
    # monitors reported in their bulletin")
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ in ("acl", "advcl") and not any(c.dep_ in ("aux", "nsubj") for c in tok.children))


def _finite(verb) -> bool:
    if verb.tag_ in FINITE_TAGS:
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS for c in verb.children)


def _clauses(tok) -> list:
    """Complement clauses of the cue: ccomp/csubj children, "that" clauses the parser hung
    elsewhere (advcl with the mark "that"), and for a noun its "that" or finite clause ("claims
    that ...", "My opinion: ...")."""
    out = []
    for c in tok.children:
        if c.dep_ in ("ccomp", "csubj", "csubjpass"):
            out.append(c)
        elif c.dep_ in ("advcl", "acl", "appos") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            out.append(c)
        elif c.dep_ == "acl" and tok.pos_ == "NOUN" and _finite(c) and c.i > tok.i:
            out.append(c)
    return out


def _bare_infinitive(clause) -> bool:
    """"shows the pilot release his parachute": a base-form verb the tagger read as a present
    tense (VBP) although its subject is a singular noun, which a finite verb would agree with."""
    if clause.tag_ != "VBP" or any(c.dep_ in ("aux", "auxpass") for c in clause.children):
        return False
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is not None and subj.tag_ in ("NN", "NNP") and not any(c.dep_ == "conj" for c in subj.children)


def _that_clause(clause) -> bool:
    """A finite complement or one introduced by "that": a proposition, not a wh-question
    ("can you see why ...") or a scene ("shows a tank firing", "shows the pilot eject")."""
    first = clause.left_edge
    if first.lower_ in WH_WORDS or any(g.dep_ == "mark" and g.lower_ in ("whether", "if") for g in clause.children):
        return False
    if any(g.dep_ == "mark" and g.lower_ == "that" for g in clause.children):
        return True
    return _finite(clause) and not _bare_infinitive(clause)


def _that_mark(clause) -> bool:
    return any(g.dep_ == "mark" and g.lower_ == "that" for g in clause.children)


def _has_quote_inside(tok, doc) -> bool:
    """A quotation is the cue's complement (the parser hung "“…,” he said" on the verb): a child
    phrase of several words that opens or closes with a quotation mark."""
    for c in tok.children:
        if c.dep_ in ("ccomp", "dobj", "parataxis", "xcomp", "attr", "npadvmod", "oprd", "dep"):
            lo, hi = c.left_edge.i, c.right_edge.i
            edges = (lo, hi, lo - 1, hi + 1)
            if hi - lo >= 3 and any(0 <= i < len(doc) and doc[i].text in QUOTE_MARKS for i in edges):
                return True
    return False


_CORE_DEPS = ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "prt", "dative", "npadvmod", "agent")


def _core_span(tok) -> tuple[int, int]:
    """Token range of the cue with its subject, auxiliaries, particle and recipient."""
    lo = hi = tok.i
    for c in tok.children:
        if c.dep_ in _CORE_DEPS:
            lo, hi = min(lo, c.left_edge.i), max(hi, c.right_edge.i)
    return lo, hi


def _quote_adjacent(tok, doc) -> bool:
    """A direct quotation ends right before the cue's clause ("“…,” he said", "“…?” asked X")
    or starts right after it ("he said: “…”", "she told Sky News, “…”"). A scare-quoted word
    ("it is “premature” to talk") is no quotation."""
    if _has_quote_inside(tok, doc):
        return True
    lo, hi = _core_span(tok)
    k = lo - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    # an opening participle never takes the quotation that closed the paragraph before
    # ("…”\n\nDiscussing his family, he added: ...")
    newline = tok.tag_ == "VBG" and tok.dep_ == "advcl" and k >= 0 and \
        "\n" in nlp.doc_text(doc)[doc[k].idx + len(doc[k].text): doc[lo].idx]
    if k >= 1 and not newline and doc[k].text in QUOTE_MARKS and doc[k - 1].text in (",", ".", "!", "?", "…", "—", "-"):
        return True
    k = hi + 1
    while k < len(doc) and k <= hi + 3 and (doc[k].is_space or doc[k].text in (",", ":", "—")):
        k += 1
    if k >= len(doc) or doc[k].text not in QUOTE_MARKS:
        return False
    words = 0
    for t in doc[k + 1: k + 8]:
        if t.text in QUOTE_MARKS or "\n" in t.text:
            break
        words += not t.is_punct and not t.is_space
    return words >= 3


def _parenthetical(tok, doc) -> bool:
    """"..., he said." / "Europe, Michel said, is working": the cue clause stands after a comma
    and before the end of the sentence or another comma, with no object of its own."""
    if tok.dep_ == "parataxis":
        return True
    if tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children) and not any(
            c.dep_ in ("dobj", "ccomp", "xcomp") or (c.dep_ == "prep" and not circumstance(c)) for c in tok.children):
        return True  # "As OBOZ.UA reported, ...", "as we highlighted yesterday", "as the mayor confirmed on Tuesday"
    if any(c.dep_ in ("dobj", "ccomp", "xcomp", "prep", "attr", "acomp", "oprd") for c in tok.children):
        return False
    lo, hi = _core_span(tok)
    before = doc[lo - 1] if lo > 0 else None
    after = doc[hi + 1] if hi + 1 < len(doc) else None
    return before is not None and before.text in (",", "\u2014") and (
        after is None or after.text in (".", ",", "!", "?", "\u2014", ";") or after.is_space)


def _objects(tok) -> list:
    objs = [c for c in tok.children if c.dep_ in ("dobj", "attr")]
    if _is_passive(tok):
        objs += [c for c in tok.children if c.dep_ == "nsubjpass"]
    return objs


def _person_like(tok) -> bool:
    """A person or organisation one can criticise in words; not a country or place (those are
    the objects of military "attacked", "hit", "blasted")."""
    if tok.lower_ in PERSON_PRONOUNS:
        return True
    if tok.ent_type_ in ("PERSON", "ORG", "NORP"):
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ not in ("GPE", "LOC", "FAC")


def _has_prep(tok, entry: SpeechEntry) -> bool:
    """One of the entry's prepositions or particles right after the verb ("called for", "pointed
    out", "fired back"; not "called Niinisto on Saturday"), or anywhere after its object for
    the entries marked "+" ("compared X to Y")."""
    doc = tok.doc
    nxt = tok.i + 1
    # adverbs and other prepositional phrases of the verb may stand between ("spoke
    # passionately in the past about the war"); an object may not ("called Niinisto on Saturday")
    while nxt < len(doc) and doc[nxt].head == tok and doc[nxt].lower_ not in entry.preps:
        t = doc[nxt]
        if t.pos_ == "ADV" and t.dep_ == "advmod":
            nxt += 1
        elif t.dep_ == "prep" and ("+" + t.lower_) not in entry.preps and t.right_edge.i > t.i:
            # the parser may hang "about" on the phrase before it ("in the past about the war")
            pobj = next((g for g in t.children if g.dep_ == "pobj"), None)
            if pobj is not None and "about" in entry.preps and any(
                    g.dep_ == "prep" and g.lower_ == "about" and g.i == pobj.i + 1 for g in pobj.children):
                return True
            nxt = t.right_edge.i + 1
        else:
            break
    near = list(tok.children) + [g for o in _objects(tok) for g in o.children]
    for c in near:
        if c.dep_ not in ("prep", "prt", "advmod") or any(g.ent_type_ in ("DATE", "TIME") for g in c.children):
            continue
        if ("+" + c.lower_) in entry.preps or (c.lower_ in entry.preps and c.i == nxt):
            return True
    return False


def _as_follows(tok, as_tok) -> bool:
    """Whether "as" belongs to the verb's predicate ("seen as a threat", "was seen by many as a
    bluff", "described it as"): only adverbs, the agent or the object stand between them. After
    a place or time phrase it is a clause of its own ("seen in the video as the tank fires")."""
    allowed = {t.i for c in tok.children if c.dep_ in ("advmod", "agent", "dobj", "npadvmod", "neg", "dative")
               for t in c.subtree}
    return all(i in allowed for i in range(tok.i + 1, as_tok.i))


def publisher_of(picture, lex: SpeechLexicon | None = None):
    """The publisher of a picture, or None: "footage on Russian state television" (television),
    "the ministry's video" (ministry), "a video released by the army" (army); none for "footage
    of the strike" or "a video shows"."""
    lex = lex if lex is not None else speech_lexicon()

    def channel(prep):  # "on state television", "from the ministry"
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
        if pobj is not None and (pobj.ent_type_ in PUBLISHER_ENTS or pobj.lemma_.lower() in lex.publisher_nouns):
            return pobj
        return None

    for c in picture.children:
        if c.dep_ == "poss" and (_person_like(c) or c.lemma_.lower() in lex.publisher_nouns):
            return c
        if c.dep_ == "prep" and c.lower_ in ("on", "from", "by") and (pobj := channel(c)) is not None:
            return pobj
        if c.dep_ == "acl" and c.lemma_.lower() in PUBLISH_VERBS:
            # "released by the army", "broadcast on Ukrainian television"
            agent = next((g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"), None)
            if agent is not None:
                return agent
            on = next((pobj for a in c.children if a.dep_ == "prep" and a.lower_ in ("on", "by")
                       and (pobj := channel(a)) is not None), None)
            if on is not None:
                return on
    return None


def _has(need: str, tok, doc, entry: SpeechEntry, lex: SpeechLexicon) -> bool:
    if need == "any":
        return True
    if need == "clause":
        return bool(_clauses(tok))
    if need == "that":
        return any(_that_clause(c) for c in _clauses(tok))
    if need == "that_mark":
        return any(_that_mark(c) for c in _clauses(tok))
    if need == "quote":
        return _quote_adjacent(tok, doc)
    if need == "object":
        return bool(_objects(tok))
    if need == "speech_object":
        return any((e := lex.entry(o.lemma_.lower(), "NOUN")) is not None and e.cls in ("speech", "cognition")
                   for o in _objects(tok))
    if need == "person_object":
        return any(_person_like(o) for o in _objects(tok))
    if need == "as":
        # "described it as", "seen as", "called it a bluff" (oprd), "found him guilty" (small clause)
        for c in tok.children:
            if c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as" and _as_follows(tok, c)):
                return True
            if c.dep_ == "ccomp" and c.pos_ == "ADJ" and not any(g.dep_ == "mark" for g in c.children):
                return True
            if c.dep_ == "dobj" and any(g.dep_ == "prep" and g.lower_ == "as" for g in c.children):
                return True
        return False
    if need == "raising":
        # "is said to be", "what's believed to have been": "to" opens the infinitive
        return _is_passive(tok) and any(
            c.dep_ == "xcomp" and any(t.tag_ == "TO" for t in doc[max(tok.i + 1, c.left_edge.i): c.i])
            for c in tok.children)
    if need == "infinitive":
        # "urged them to", "vowed to", "called for the UN to investigate" (parsed as advcl)
        return not _is_passive(tok) and any(
            c.dep_ in ("xcomp", "ccomp", "advcl") and c.i > tok.i
            and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children) for c in tok.children)
    if need == "prep":
        return _has_prep(tok, entry)
    if need == "paren":
        return _parenthetical(tok, doc)
    if need == "object_infinitive":
        # "charged the scholars to abide by the law": a directive to someone, not a price
        return not _is_passive(tok) and any(o.ent_type_ not in AMOUNT_ENTS and not o.like_num
                                            for o in _objects(tok)) and _has("infinitive", tok, doc, entry, lex)
    if need == "figure_at":
        # "the governor put the death toll at four": a figure given by someone
        return any(o.lemma_.lower() in lex.figure_nouns and any(
            c.dep_ == "prep" and c.lower_ == "at" for c in list(o.children) + list(tok.children))
            for o in _objects(tok))
    if need == "episode_object":
        # "recalling an incident with two scholars": an account of an event, not a recalled envoy
        return any(o.lemma_.lower() in lex.episode_nouns for o in _objects(tok))
    if need == "doc_subject":
        subj = _subject(tok)
        return subj is not None and subj.lemma_.lower() in lex.document_nouns and bool(_objects(tok) or _clauses(tok))
    return False


def _lookup(tok, lex: SpeechLexicon) -> tuple[object, SpeechEntry | None, str]:
    """The token whose entry decides, its entry, and the POS it was read as. "according to" is
    read on "according"; an auxiliary "be" with an adjective ("officials are concerned that")
    on the adjective."""
    lemma, pos = tok.lemma_.lower(), tok.pos_
    if pos == "AUX" and lemma == "be":
        adj = next((c for c in tok.children if c.dep_ == "acomp"), None)
        if adj is not None:
            return adj, lex.entry(adj.lemma_.lower(), "ADJ"), "ADJ"
    if pos == "AUX":
        pos = "VERB"
    if pos in ("VERB", "NOUN", "ADJ", "ADV", "ADP"):
        entry = lex.entry(lemma, pos) or (lex.entry(tok.lower_, pos) if pos == "VERB" else None)
        return tok, entry, pos
    # a cue verb the tagger read as a proper noun in a title-case headline ("Kremlin Denies")
    if pos == "PROPN":
        for form in nlp.base_forms(tok.lower_):
            entry = lex.entry(form, "VERB")
            if entry is not None:
                return tok, entry, "VERB"
        return tok, None, "VERB"
    return tok, None, pos


def _colon_verdict(tok, doc) -> tuple[bool, str]:
    """"Zelensky: ‘We will not give up’" is a cue; a dateline ("Kyiv: Russia is adapting ...")
    or a heading with no statement after it ("Kyrylo Budanov: A targeted spy chief") is not."""
    sent = tok.sent
    left = [t for t in doc[sent.start: tok.i] if not t.is_space]
    right = [t for t in doc[tok.i + 1: sent.end] if not t.is_space]
    if right and right[0].text in QUOTE_MARKS:
        return True, "colon before a quotation"
    if left and all(t.ent_type_ in ("GPE", "LOC") for t in left):
        return False, "a dateline (a place before a colon)"
    if not any(t.pos_ in ("VERB", "AUX") for t in right):
        return False, "a heading: no statement after the colon"
    return True, "colon after a speaker (headline or transcript style)"


def cue_verdict(tok, doc=None, convention: str = "news") -> tuple[bool, str]:
    """(passes, reason) for a candidate cue token: whether it is a communication or cognition
    act per the speech lexicon and the parse. `doc` defaults to the token's Doc. Under the
    "broad" convention the lemmas of resources/speech_cues_broad.txt pass as they are."""
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, not {convention!r}")
    doc = doc if doc is not None else tok.doc
    lex = speech_lexicon()
    if convention == "broad" and (tok.text if tok.text == ":" else tok.lemma_.lower()) in lex.broad:
        return True, "counted by the broad convention"
    if tok.text == ":":
        return _colon_verdict(tok, doc)
    if tok.lower_ == "according":
        return True, "according to"
    head, entry, pos = _lookup(tok, lex)
    lemma = head.lemma_.lower()
    if lemma in lex.never:
        return False, f"{lemma!r} is never a speech cue by itself"
    if entry is None:
        return False, f"{lemma!r}/{pos} is not in the speech lexicon"
    if entry.cls == "evidence":
        subj = _subject(head)
        if subj is not None and subj.lemma_.lower() in lex.visual_nouns:
            if publisher_of(subj, lex) is not None and (_objects(head) or _clauses(head)):
                return True, "a picture someone published: the publisher shows it"
            ok = any(_that_mark(c) for c in _clauses(head))
            return ok, ("a picture with a that-clause: evidence" if ok else
                        "a picture shows a scene, it reports nothing")
    if entry.cls in ("cognition", "perception") and pos == "VERB" and _subject(head) is None \
            and not _is_passive(head) and head.dep_ in ("ROOT", "ccomp", "conj"):
        return False, f"{lemma!r} without a holder (an imperative or a heading)"
    if convention == "news" and lemma in INQUIRY_VERBS and pos == "VERB" and _is_passive(head) \
            and not any(c.dep_ == "agent" for c in head.children) and not _has("quote", head, doc, entry, lex):
        # "when asked whether Beijing had changed course, Michel ...": its subject was asked, by
        # nobody named, and what it reports is a question, not something anyone stated (PolNeAR's
        # broad convention counts such questions: 0.720 -> 0.719 relation F1 held out without this)
        return False, f"passive {lemma!r} with no asker: a question put to its subject"
    if entry.cls in ("speech", "commissive") and pos == "VERB" and _is_passive(head) \
            and not any(c.dep_ == "agent" for c in head.children) \
            and not any(_has(n, head, doc, entry, lex) for n in ("clause", "raising", "quote", "as")):
        # "what more needs to be said", "the aid promised to Kyiv": nobody says anything
        return False, f"passive {lemma!r} with neither a speaker nor what was said"
    if pos == "VERB" and any(o.lower_ in REFLEXIVES for o in _objects(head)) \
            and any(c.dep_ == "oprd" for c in head.children):
        # "hackers who call themselves Cyber Resistance": a name, not a statement
        return False, f"{lemma!r} oneself a name"
    for need in sorted(entry.needs):
        if _has(need, head, doc, entry, lex):
            return True, f"{entry.cls} {lemma!r} with {need}"
    return False, f"{entry.cls} {lemma!r} lacks {'|'.join(sorted(entry.needs))}"


# Verbs of asking (VerbNet inquire-37.1.2): in the passive, their subject is the one asked.
INQUIRY_VERBS = frozenset({"ask", "inquire", "enquire", "query"})


# Needs that are a content of the cue's own (what was said, not only whom or what about).
CONTENT_NEEDS = ("clause", "that", "that_mark", "quote", "as", "raising", "infinitive", "object_infinitive",
                 "figure_at", "episode_object")


def has_own_content(tok, doc=None) -> bool:
    """Whether a cue token reports a content of its own: a clause or a quotation, or what its
    entry's needs count as one ("described it as", "urged them to", "recalled an incident"),
    or any stance other than plain speech ("accusing X of ..."); not a topic ("referring to the
    colonel") or an object alone ("reiterating his stand")."""
    doc = doc if doc is not None else tok.doc
    lex = speech_lexicon()
    head, entry, _ = _lookup(tok, lex)
    if entry is None:
        return False
    if entry.cls != "speech":
        return True
    return any(_has(n, head, doc, entry, lex) for n in CONTENT_NEEDS if n in entry.needs or n in ("clause", "quote"))


def passes(tok, doc=None, convention: str = "news") -> bool:
    """Whether a candidate cue token is a communication or cognition act (see `cue_verdict`)."""
    return cue_verdict(tok, doc, convention)[0]
