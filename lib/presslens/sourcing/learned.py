"""The attributions the learned cue detector adds to the rules' ones: every candidate token it
scores at least its threshold that no rule cue covers, with a source and content read off the
parse as for rule cues. It never removes a rule cue: PolNeAR, its training data, rarely uses
war-news cues such as "frame" that the cue list has (see resources/sourcing_cue_model.md).
"""

from __future__ import annotations

from .. import config
from .features import cue_features
from .lexicon import Cue, Lexicon, raising_verbs
from .quotes import covering_quote, quote_touching, quote_type
from .resolve import source_tokens
from .rules import Found
from .syntax import (
    RELATIVE_PRONOUNS,
    as_mark,
    clause_content,
    content_of_verb,
    contiguous,
    governing_subject,
    passive_parts,
    person_like,
    subject_of,
    trim,
)

# Below this probability a learned cue needs a speaker-like source (resources/tuned.toml).
CUE_SURE = float(config.tuned("sourcing")["cue_sure"])
_ANY_CUE = Cue("", "VERB", "learned", "any", False)


def _learned_attribution(tok, sidx: int, doc, lex: Lexicon, quotes, text: str) -> Found:
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
        passive, agent = passive_parts(tok, lex)
        src = agent if passive else (subject_of(tok) or governing_subject(tok))
        if src is None and pos == "ADJ" and tok.head.pos_ in ("AUX", "VERB"):
            src = subject_of(tok.head)
        content, _ = content_of_verb(tok, doc, _ANY_CUE, comment=as_mark(tok), lex=lex)
    elif pos == "NOUN":
        for c in tok.children:
            if c.dep_ == "poss":
                src = c
            elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
                src = next((g for g in c.children if g.dep_ == "pobj"), src)
        if src is None and tok.dep_ == "dobj":
            src = subject_of(tok.head)  # "X issued a statement"
        clause = [c for c in tok.children if c.dep_ in ("acl", "ccomp")]
        if clause:
            toks = sorted((t for c in clause for t in c.subtree), key=lambda t: t.i)
            content = trim(contiguous(toks, doc), doc)
    elif pos == "ADP":
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            owner = next((c for c in pobj.children if c.dep_ == "poss"), None)
            src = owner if owner is not None else pobj
        content = clause_content(tok, doc, {t.i for t in tok.subtree})
    else:
        content = clause_content(tok, doc, set())
    if content is None:
        sub = trim(list(tok.subtree), doc) or (cue_start, cue_end)
        content = quote_touching(min(sub[0], cue_start), max(sub[1], cue_end), quotes, text=text)
    elif (q := covering_quote(content, quotes)) is not None:
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
    return Found(sidx, src, source_tokens(src) if src is not None else None, cue_start, cue_end, content,
                 kind, quote_type(content, quotes, text))


def learned_found(doc, sents: list, lex: Lexicon, quotes, text: str, found: list[Found]) -> list[Found]:
    """The rules' attributions `found` followed by those the shipped learned detector adds
    (none when its file is absent)."""
    from .cues import cue_model  # scikit-learn is loaded when the detector is first used

    model = cue_model()
    if model is None:
        return found
    scores = {i: model.probability(feats) for i, feats in cue_features(doc, quotes, lex)}
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
            if p < CUE_SURE:
                # Below the sure threshold a cue needs someone who can speak or hold a view
                # ("the ministry responded", not "a war that shows no signs").
                continue
            # A sure cue keeps a subject that is a thing ("the poll shows", "records show"):
            # PolNeAR counts documents and surveys as sources.
        elif f.source_head is None and p < CUE_SURE:
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
    return person_like(tok, lex)
