"""Hedges and boosters (Hyland 2005) in a parsed article, with the constraints that keep "May"
the month, "military might" and the "would" of reported speech out."""

from __future__ import annotations

from .. import nlp
from .lexicons import stance_lexicon

# Speech verbs whose complement clause shifts "will" to "would" (sequence of tenses).
_SPEECH_LEMMAS = frozenset({"say", "tell", "announce", "state", "report", "claim", "warn", "add",
                            "promise", "pledge", "vow", "insist", "declare", "confirm", "write"})


def _is_reported_speech(tok) -> bool:
    verb = tok.head
    return verb.dep_ in ("ccomp", "conj") and verb.head.lemma_ in _SPEECH_LEMMAS


def stance_hits(doc, lexicon_name: str) -> list[tuple[int, int, str]]:
    """(start, end, lexicon entry) of hedges or boosters in a Doc."""
    words, phrases = stance_lexicon(lexicon_name)
    hits: list[tuple[int, int, str]] = []
    lower = nlp.token_attrs(doc).lower
    for k, low in enumerate(lower):
        entry = words.get(low)
        if entry is None:
            continue
        tok = doc[k]
        nxt = doc[k + 1] if k + 1 < len(lower) else None
        if entry.constraint == "MD" and tok.tag_ != "MD":
            continue  # "May" the month, "military might", "a can"
        if tok.lower_ == "would" and _is_reported_speech(tok):
            continue  # "said it would respond": the tense of indirect speech, not a hedge
        if entry.constraint == "NUM" and not (nxt is not None and (nxt.like_num or nxt.pos_ == "NUM")):
            continue
        if entry.constraint == "TO" and not (
                nxt is not None and (nxt.lower_ in ("to", "that") or nxt.pos_ == "ADJ")):
            continue
        hits.append((tok.idx, tok.idx + len(tok.text), entry.term))
    text = nlp.doc_text(doc)
    taken = [(s, e) for s, e, _ in hits]
    for term, regex in phrases:
        for m in regex.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                hits.append((m.start(), m.end(), term))
    hits.sort()
    return hits
