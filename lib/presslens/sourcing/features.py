"""The features of the learned cue detector: every candidate cue token of a parsed article
with the parse facts around it, as feature names ("lemma=say", "subj=ent_PERSON",
"clause=True", ...), shared by the shipped detector and its training (`sourcing.train`) so
that both see the same thing.
"""

from __future__ import annotations

from bisect import bisect_right

from .. import nlp
from .lexicon import Lexicon, lexicon, role_of
from .quotes import Quotes, find_quotes, quote_touching
from .syntax import (
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    SPEAKER_PRONOUNS,
    THING_PRONOUNS,
    governing_subject,
)

# Candidate cue tokens for the learned detector: PolNeAR marks verbs, reporting nouns, "according
# to", "in a poll", "for voters", "reportedly" and evaluative adjectives as cues.
CANDIDATE_POS = frozenset({"VERB", "AUX", "NOUN", "ADP", "ADV", "ADJ"})


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
    if role_of(doc[subj], lex) is not None:
        return "role"
    if attrs.pos[subj] == "PROPN":
        return "propn"
    return "other_" + attrs.pos[subj]


def cue_features(doc, quotes: Quotes | None = None, lex: Lexicon | None = None) -> list[tuple[int, list[str]]]:
    """The candidate cue tokens of a parsed article with their feature names.

    One pass over the tokens; features are parse facts (lemma, POS, dependency label, the
    subject's type, complement clauses, quotation marks nearby, the cue lexicon), combined in
    a few pairs with the lemma.

    Parameters
    ----------
    doc : spacy.tokens.Doc
    quotes : Quotes, optional
        The article's quotations (found when not given).
    lex : Lexicon, optional
        Default: the shipped word lists.

    Returns
    -------
    list of (int, list of str)
        Token index and feature names, in token order.

    Examples
    --------
    >>> import presslens
    >>> doc = presslens.nlp.parse_text("The senator criticized the plan.")
    >>> i, feats = cue_features(doc)[0]
    >>> doc[i].text, "lemma=criticize" in feats
    ('criticized', True)
    """
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
            governing = governing_subject(doc[i])
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
        touching = quote_touching(start, end, quotes, text=text) is not None
        right = tree.right_edge[i]
        sub = (attrs.idx[tree.left_edge[i]], attrs.idx[right] + attrs.length[right])
        sub_touch = touching or quote_touching(sub[0], sub[1], quotes, text=text) is not None
        inside = in_quote(start)
        cue = lex.verb_cues.get(lemma) if pos in ("VERB", "AUX") else lex.noun_cues.get(lemma)
        # the war-news cues of the news convention were no cues when the detector was trained
        kind = cue.kind if cue is not None and not cue.news_only else "none"
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
