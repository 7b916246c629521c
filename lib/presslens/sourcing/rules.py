"""The rule-based attribution finder: cue words of the lexicon ("said", "according to", a
colon after a name, a headline's "X Reports", "his claim that") found in a sentence, their
speaker read off the parse (subject, agent of a passive, possessor of a noun, subject of the
governing verb for "continued to say" and "..., adding that") and their content (the
complement clause, an adjacent quotation, or the clause around a parenthetical cue).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import nlp
from .gate import publisher_of, speech_lexicon
from .lexicon import Cue, Lexicon, role_of
from .quotes import CLOSE_DOUBLE, MIN_QUOTE_CHARS, covering_quote, quote_touching, quote_type
from .resolve import source_tokens
from .syntax import (
    DOCUMENT_NOUNS,
    REPORT_NOUNS,
    as_mark,
    as_phrase_subject,
    clause_content,
    content_of_verb,
    contiguous,
    governing_subject,
    passive_parts,
    person_like,
    subject_of,
    token_is_person,
    trim,
)

# Named entities that can speak whatever part of speech the tagger gave them.
SPEAKER_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# Quotation marks a nested quotation may open with.
QUOTE_MARKS = frozenset("\"\u201c\u201d\u2018\u2019'")


@dataclass
class Found:
    """One attribution as the rules (or the learned detector) find it, before its source is
    resolved: the source's head token and phrase, the cue's and the content's character
    spans, the cue's kind and the quote type; `via_tokens` the relayer of a second-hand
    source ("X, citing sources"); `news_only` when only the news convention counts it (speech
    narrated inside a quotation, an unowned estimate, a cue of cues.tsv marked news)."""

    sentence_index: int
    source_head: object | None
    source_tokens: list | None
    cue_start: int
    cue_end: int
    content: tuple[int, int] | None
    cue_kind: str
    quote_type: str
    via_tokens: list | None = None
    news_only: bool = False  # sourcing by the news convention only (dropped under PolNeAR's)


def find_in_sentence(sent, sidx: int, doc, lex: Lexicon, quotes, text: str) -> list[Found]:
    """The attributions whose cue is in one sentence, by the rules of the module docstring."""
    found: list[Found] = []
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
        # think", "as I said"): annotators (PolNeAR, the seed's analyst) do not count it; unless
        # the quotation narrates someone speaking ("I said ‘What started?’", "the first time a
        # commander said the fighting had stalled").
        narrated = False
        if long_quotes and any(s < attrs.idx[i] < e for s, e in long_quotes):
            if not _narrated_speech(doc[i], lex):
                continue
            narrated = True
        low, pos = attrs.lower[i], attrs.pos[i]
        # Most tokens are none of the cues below: tested on the attribute lists first.
        if not (low in ("according", ":") or pos in ("VERB", "AUX")
                or (title_case and pos in ("NOUN", "PROPN") and low in lex.verb_forms)
                or (pos == "NOUN" and attrs.lemma[i] in lex.noun_cues)
                or (pos == "ADJ" and attrs.lemma[i] in lex.adj_cues) or low in lex.adj_cues
                or (pos == "ADV" and low in lex.vague_adverbs)
                or (pos == "NOUN" and attrs.lemma[i] in lex.vague_nouns)
                or low in lex.vague_figures):
            continue
        tok = doc[i]
        if low in lex.vague_figures and pos in ("ADJ", "VERB", "NOUN") and tok.dep_ != "ROOT":
            f = _hedged_figure(tok, sidx, doc, quotes, text)
            if f is not None:
                found.append(f)
                continue
        # "are worried that" with the participle tagged as a verb is the adjective all the same
        adj = lex.adj_cues.get(attrs.lemma[i]) if pos == "ADJ" else (
            lex.adj_cues.get(low) if pos == "VERB" and tok.dep_ == "acomp" else None)
        if adj is not None:
            f = _adjective_attribution(tok, sidx, doc, lex, adj, quotes, text)
            if f is not None:
                f.news_only = f.news_only or narrated
                found.append(f)
            continue
        if pos == "ADV" or (pos == "NOUN" and attrs.lemma[i] in lex.vague_nouns):
            f = _hearsay(tok, sidx, doc, lex, quotes, text)
            if f is not None:
                found.append(f)
            continue
        # "according to X"
        if low == "according" and tok.i + 1 < len(doc) and attrs.lower[tok.i + 1] == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            source_head = pobj
            # "according to reports from X": the reporter is X
            if pobj.lemma_.lower() in REPORT_NOUNS:
                for prep in pobj.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                        inner = next((c for c in prep.children if c.dep_ == "pobj"), None)
                        if inner is not None:
                            source_head = inner
                    elif prep.dep_ == "acl" and prep.tag_ == "VBN":
                        # "according to data published by the statistics office"
                        agent = next((g for c in prep.children if c.dep_ == "agent"
                                      for g in c.children if g.dep_ == "pobj"), None)
                        if agent is not None:
                            source_head = agent
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
            content = trim(contiguous(toks, doc), doc) if toks else None
            found.append(Found(sidx, source_head, source_tokens(source_head), tok.idx, to.idx + len(to.text),
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
            for g in f or []:
                g.news_only = cue.news_only or narrated
                found.append(g)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.noun_cues:
            f = _noun_attribution(tok, sidx, doc, lex.noun_cues[tok.lemma_.lower()])
            if f is not None:
                found.append(f)
    return found


def _narrated_speech(tok, lex: Lexicon) -> bool:
    """A speech verb inside a quotation that reports a speech act of its own: it opens a
    quotation of its own right after it ("I said ‘What started?’", "she said, ‘It started’"),
    or a named or described speaker says a clause ("a commander said the fighting had stalled");
    not the quoted speaker's asides ("I think", "as I said", "I told them").
    """
    cue = lex.verb_cues.get(tok.lemma_.lower()) if tok.pos_ == "VERB" and tok.tag_ in ("VBD", "VBZ", "VBP") else None
    if cue is None or cue.kind != "speech":
        return False  # "people saying ...", "I want to say": no act of its own
    doc = tok.doc
    k = tok.i + 1
    while k < len(doc) and k <= tok.i + 2 and (doc[k].text in (",", ":") or doc[k].is_space):
        k += 1
    if k < len(doc) and doc[k].text in QUOTE_MARKS and k + 1 < len(doc) and doc[k + 1].is_alpha:
        return True
    subj = subject_of(tok)
    return subj is not None and subj.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "ccomp" for c in tok.children)


def _has_figure(noun) -> bool:
    """A number in the noun phrase: the noun itself ("$300 billion"), a numeral on it
    ("190,000 troops") or on the object of its "of" ("the price tag of $500 billion")."""
    def numeric(t) -> bool:
        return t.like_num or t.ent_type_ in ("MONEY", "CARDINAL", "QUANTITY", "PERCENT") or any(
            c.dep_ == "nummod" or (c.dep_ in ("compound", "quantmod") and c.like_num) for c in t.children)
    if numeric(noun):
        return True
    return any(g.dep_ == "pobj" and numeric(g) for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
               for g in c.children)


def _hedged_figure(tok, sidx, doc, quotes, text: str) -> Found | None:
    """A figure given as an estimate with no one behind it (vague sourcing): "the estimated
    $300 billion", "the projected cost of $5 billion" (the figure's phrase is the content), "An
    estimate of 190,000 troops have been deployed" (the clause is). Not when someone owns the
    estimate ("his estimated wealth", "an estimate by the ministry", "officials estimated")."""
    if tok.pos_ in ("ADJ", "VERB") and tok.dep_ == "amod":
        noun = tok.head
        phrase = noun
    elif tok.pos_ == "NOUN":
        noun = tok
        phrase = tok.head if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX") else tok
    else:
        return None
    if not _has_figure(noun) or any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("by", "from"))
                                    for c in noun.children):
        return None
    content = trim(list(phrase.subtree), doc)
    if content is None:
        return None
    return Found(sidx, None, None, tok.idx, tok.idx + len(tok.text), content, "vague", quote_type(content, quotes, text),
                 news_only=True)


def _hearsay(tok, sidx, doc, lex: Lexicon, quotes, text: str) -> Found | None:
    """Vague sourcing with no one behind it: an evidential adverb ("the convoy was reportedly
    hit": the clause it modifies) or a hearsay noun as the subject of a verb with a
    that-clause ("Rumours spread that the general had fled"; a cue verb there is read as
    an attribution of its own, with the noun as a vague source)."""
    verb = tok.head
    if tok.pos_ == "ADV":
        if verb.pos_ not in ("VERB", "AUX") or verb.i == tok.i:
            return None
        content = trim(list(verb.subtree), doc)
    else:
        if tok.dep_ not in ("nsubj", "nsubjpass") or verb.lemma_.lower() in lex.verb_cues:
            return None
        clause = [c for c in verb.children if c.dep_ in ("ccomp", "advcl") and any(
            g.dep_ == "mark" and g.lower_ == "that" for g in c.children) or c.dep_ == "ccomp"]
        if not clause:
            return None
        content = trim(contiguous(sorted((t for c in clause for t in c.subtree), key=lambda t: t.i), doc), doc)
    if content is None:
        return None
    return Found(sidx, None, None, tok.idx, tok.idx + len(tok.text), content, "vague",
                 quote_type(content, quotes, text))


def _colon_cue(tok, sent, sidx, doc, lex: Lexicon, quotes, text: str) -> Found | None:
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
    if not named and role_of(head, lex) is None:
        return None
    content = trim(right, doc)
    if content is None:
        return None
    q = covering_quote(content, quotes)
    content = q or content
    return Found(sidx, head, left, tok.idx, tok.idx + 1, content, "speech", quote_type(content, quotes, text))


def _is_headline(sent) -> bool:
    """Title Case: at least 80% of a sentence's longer words capitalised, no final full stop."""
    attrs = nlp.token_attrs(sent.doc)
    text = nlp.doc_text(sent.doc)
    words = [attrs.idx[i] for i in range(sent.start, sent.end) if attrs.is_alpha[i] and attrs.length[i] > 3]
    return len(words) >= 3 and sum(text[idx].isupper() for idx in words) / len(words) >= 0.8 and \
        not nlp.span_text(sent).strip().endswith(".")


def _headline_cue(tok, sent, sidx, doc, cue: Cue) -> Found | None:
    """Headline style ("Russian Forces Report Major Gains"): the words before the cue verb are
    the source, those after it the content."""
    left = [t for t in sent if t.i < tok.i and not t.is_space]
    right = [t for t in sent if t.i > tok.i and not t.is_space]
    if not left or len(left) > 6 or not right or not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in left):
        return None
    head = left[-1]
    return Found(sidx, head, left, tok.idx, tok.idx + len(tok.text), trim(right, doc), cue.kind, "indirect")


def _verb_attribution(tok, sent, sidx, doc, lex, cue: Cue, quotes, text) -> list[Found] | None:
    # "point out", "point to": the particle is part of the cue
    cue_start, cue_end = tok.idx, tok.idx + len(tok.text)
    if cue.lemma == "call" and not any(c.dep_ in ("prep", "prt", "oprd", "ccomp", "xcomp") or
                                       (c.dep_ == "dobj") for c in tok.children):
        return None
    if tok.dep_ in ("amod", "compound"):
        return None
    passive, agent = passive_parts(tok, lex)
    subj = subject_of(tok)
    subj_tokens = None
    if subj is not None and not passive:
        subj, subj_tokens = _second_subject(tok, subj, doc)
    if passive:
        subj = agent
    if cue.kind == "evidence" and subj is not None and subj.lemma_.lower() in speech_lexicon().visual_nouns:
        return _published_picture(tok, subj, sidx, doc)
    # "Fears grow as Russia's defence minister said ...", parsed with the speaker under a
    # preposition "as": the speaker all the same
    as_subj = as_phrase_subject(tok) if subj is None and not passive else None
    if as_subj is not None and person_like(as_subj, lex):
        subj = as_subj
    else:
        as_subj = None
    inherited = False
    if subj is None and not passive and cue.kind == "speech":
        # "“…,” said Robin Maynard": after a quotation the parser may not read the inverted
        # name as the subject
        after = next((c for c in tok.children if c.i > tok.i and c.dep_ in ("dobj", "attr", "npadvmod", "appos")
                      and c.pos_ in ("PROPN", "NOUN", "PRON")), None)
        if after is not None and quote_touching(tok.idx, tok.idx, quotes, text=text) is not None:
            subj = after
    if subj is None and not passive:
        subj = governing_subject(tok)
        inherited = subj is not None
    if subj is None and tok.tag_ == "VBN" and tok.dep_ in ("advcl", "ROOT", "conj") and cue.agentless:
        passive = True  # "Asked about the strike, he said ...": a reduced passive
    comment = as_subj is not None or as_mark(tok)
    content, is_clause = content_of_verb(tok, doc, cue, comment=comment, lex=lex)
    if content is not None and agent is not None and agent.head.head != tok and content[0] < agent.idx <= content[1]:
        # a "by" phrase the parser hung on the predicate is the speaker, not what is said
        content = trim([t for t in doc[tok.i + 1: agent.head.i] if t.idx >= content[0]], doc)
    if content is None and as_subj is not None and as_subj.head.i > sent.start:
        # "Shelling went on as the governor warned": the clause the comment is on
        content = trim(list(doc[sent.start: as_subj.head.i]), doc)
        parenthetical_main = content is not None
    else:
        parenthetical_main = False
    # Direct quotations: content inside a quote becomes the whole quote; a cue without a
    # complement takes the quotation right before or after its clause.
    if content is not None:
        q = covering_quote(content, quotes)
        # a quotation around the cue itself is someone else's words the cue is narrated in
        if q is not None and not q[0] < cue_start < q[1]:
            content = (min(q[0], content[0]), max(q[1], content[1]))
    parenthetical = parenthetical_main
    if content is None:
        sub = trim(list(tok.subtree), doc) or (cue_start, cue_end)
        q = quote_touching(min(sub[0], cue_start), max(sub[1], cue_end), quotes, text=text)
        if q is not None and cue.kind in ("speech", "evaluation", "cognition", "evidence"):
            content = q
        else:
            exclude = {subj.i} if subj is not None else set()
            content = clause_content(tok, doc, exclude)
            parenthetical = content is not None
    if content is not None and parenthetical:
        q = covering_quote(content, quotes)
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
        content = trim([t for t in tok.subtree], doc)
        is_clause = content is not None
    if agentless and any(c.dep_ == "prep" and c.lower_ == "as" for c in tok.children):
        is_clause = True
    # "reports indicating a surge in arrests", "data showing record losses": what a document
    # shows is its content, clause or not (news convention when it is no clause)
    document_shows = (cue.kind == "evidence" and tok.dep_ == "acl"
                      and (tok.head.lemma_.lower() in REPORT_NOUNS or tok.head.lemma_.lower() in DOCUMENT_NOUNS))
    if document_shows and not is_clause:
        obj = [t for c in tok.children if c.dep_ == "dobj" for t in c.subtree]
        content = trim(contiguous(sorted(obj, key=lambda t: t.i), doc), doc) if obj else None
        document_shows = content is not None
    if cue.needs == "clause" and not (is_clause or parenthetical or document_shows
                                      or (content and quote_type(content, quotes, text) != "indirect")):
        return None
    if cue.needs == "content" and content is None:
        return None
    if cue.needs == "quote" and (content is None or quote_type(content, quotes, text) != "direct"):
        return None
    if cue.kind == "cite":
        # "X, citing undisclosed sources": the cited are a second-hand source of X's report.
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "pobj")), None)
        if obj is None:
            return None
        role = role_of(obj, lex)
        if token_is_person(obj) or (role is not None and role.kind in ("person", "group")):
            return [Found(sidx, obj, source_tokens(obj), cue_start, cue_end, None, "cite", "indirect",
                          via_tokens=[subj] if subj is not None else None)]
        # "citing internal documents": the citer is the source, the cited material its content.
        if subj is None:
            return None
        content = trim(list(doc[obj.left_edge.i: obj.right_edge.i + 1]), doc)
        return [Found(sidx, subj, source_tokens(subj), cue_start, cue_end, content, "speech", "indirect")]
    if subj is None:
        if passive and cue.agentless:
            return [Found(sidx, None, None, cue_start, cue_end, content, cue.kind,
                          quote_type(content, quotes, text))]
        return None
    if subj.lower_ == "it" and passive is False and subj.dep_ == "nsubj" and any(
            c.dep_ == "ccomp" for c in tok.children) and cue.kind == "evidence":
        return None
    if subj.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "X", "DET", "ADJ", "ADV") and subj.dep_ != "csubj" \
            and subj.ent_type_ not in SPEAKER_ENTS:
        return None  # a named speaker the tagger misread ("Denmark/VERB too is among those calling") speaks
    if subj.dep_ == "csubj":
        return None
    if (inherited or cue.kind in ("cognition", "intention", "evaluation")
            or (cue.kind == "speech" and not is_clause and not passive and content is not None and subj.tag_ == "NN"
                and quote_type(content, quotes, text) == "indirect")) and not _plausible_source(subj, lex):
        # nor does a thing state what it merely brings about ("the hack confirmed his identity";
        # people in the plural, "former prisoners described it as", stay speakers)
        # "these attacks threaten to ...", "his role reporting on ...": things do not speak
        return None
    if subj.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL") \
            and cue.kind in ("evidence",):
        return None
    if subj.lower_ == "it" and any(c.dep_ in ("ccomp",) for c in tok.children) and passive:
        # "it is believed that ...": expletive subject, agentless
        return [Found(sidx, None, None, cue_start, cue_end, content, cue.kind, quote_type(content, quotes, text))]
    if cue.kind == "evaluation" and not is_clause and not person_like(subj, lex):
        # "troops backed by artillery", "the army supports ...": only people and their
        # organisations take stances worth counting as sourcing
        return None
    skip = None
    if content is not None and content[0] < cue_start < content[1]:
        around = [tok] + ([subj] if subj is not None else [])
        skip = (min(t.idx for t in around), max(t.idx + len(t.text) for t in around))
    qtype = quote_type(content, quotes, text, skip)
    if cue.kind in ("evaluation", "intention") and qtype == "indirect" and not is_clause:
        qtype = "other"
    return [Found(sidx, subj, subj_tokens or source_tokens(subj), cue_start, cue_end, content, cue.kind, qtype,
                  news_only=document_shows and not is_clause)]


def _published_picture(verb, picture, sidx, doc) -> list[Found] | None:
    """"Footage on Russian state television showed people fleeing": a picture its publisher
    put out shows what the publisher reports, so the publisher is the source and what the
    picture shows the content (news convention; the speech gate passes only such pictures).
    A picture nobody is named for ("the video shows a tank") reports nothing."""
    publisher = publisher_of(picture)
    if publisher is None:
        return None
    content = trim([t for t in verb.subtree if t.i > verb.i], doc)
    if content is None:
        return None
    phrase = [t for t in source_tokens(publisher) if t.dep_ != "case"]  # "the ministry's" -> "the ministry"
    return [Found(sidx, publisher, phrase, verb.idx, verb.idx + len(verb.text), content,
                  "evidence", "indirect", news_only=True)]


def _adjective_attribution(tok, sidx, doc, lex: Lexicon, cue: Cue, quotes, text: str) -> Found | None:
    """A stance held in a predicative adjective with its clause: "officials are confident that
    the line will hold", "Rostovsky is surprised that ...". The holder is the subject of the
    linking verb; "a confident general" or "sure enough" report nothing."""
    if tok.dep_ != "acomp" or tok.head.pos_ not in ("AUX", "VERB"):
        return None
    clause = [c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i]
    if not clause:
        return None
    subj = subject_of(tok.head)
    if subj is None or subj.dep_ == "csubj" or (subj.lower_ == "it" and not subj.ent_type_):
        return None  # "it is certain that ...": nobody holds it
    if not _plausible_source(subj, lex):
        return None
    content = trim(contiguous(sorted((t for c in clause for t in c.subtree), key=lambda t: t.i), doc), doc)
    if content is None:
        return None
    return Found(sidx, subj, source_tokens(subj), tok.idx, tok.idx + len(tok.text), content, cue.kind,
                 quote_type(content, quotes, text), news_only=cue.news_only)


def _second_subject(verb, subj, doc) -> tuple:
    """(head, phrase or None) of a verb the parser gave two subjects: the later one speaks. A
    dateline before it is no part of the source ("MOSCOW (AP) — The Foreign Ministry said");
    a title set off by a comma is ("The Minister of Education, Prof Tahir Mamman said")."""
    later = [c for c in verb.children if c.dep_ == "nsubj" and c.i > subj.i]
    if not later:
        return subj, None
    second = later[-1]
    between = [t for t in doc[subj.right_edge.i + 1: second.left_edge.i] if not t.is_space]
    if between and all(t.text == "," for t in between):
        return second, contiguous([subj.left_edge, second.right_edge], doc)
    return second, None


def _plausible_source(tok, lex: Lexicon) -> bool:
    """Can this subject be a source? Names, pronouns, numbers of people ("most", "4 in 10"),
    role nouns and what people publish (reports, statements) can; other common nouns (attacks,
    roles, prices) cannot."""
    if tok.lower_ in ("which", "that") and tok.head.dep_ == "relcl":
        return _plausible_source(tok.head.head, lex)
    if tok.pos_ != "NOUN":
        return True
    if tok.ent_type_ or role_of(tok, lex) is not None:
        return True
    if tok.lemma_.lower() in REPORT_NOUNS or tok.lemma_.lower() in DOCUMENT_NOUNS:
        return True  # "several reports indicating that ...", "a statement saying ..."
    return any(c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or c.dep_ == "poss" for c in tok.children)


def _noun_attribution(tok, sidx, doc, cue: Cue) -> Found | None:
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
        content = trim(contiguous(toks, doc), doc)
    if content is None:
        # Without a reported clause a reporting noun is mostly a topic ("his comments"), not
        # an attribution of something said.
        return None
    if source is not None and source.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    if source is None:
        return Found(sidx, None, None, tok.idx, tok.idx + len(tok.text), content, "noun", "indirect")
    return Found(sidx, source, [source] if source.pos_ == "PRON" else source_tokens(source),
                 tok.idx, tok.idx + len(tok.text), content, "noun", "indirect" if content else "other")
