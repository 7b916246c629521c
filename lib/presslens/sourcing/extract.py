"""Attributions of an article: the rules' and the learned detector's cues, one attribution
per cue, sources resolved within the article, second-hand sourcing, one row each; the
`sourcing` component (`from_doc`) and its DataFrame-level entry (`extract_attributions`).
"""

from __future__ import annotations

import re
import warnings

import pandas as pd

from .. import components, nlp, schema
from . import gate
from .affiliation import bloc, column_value, dateline_side, national_bodies, national_side, setting
from .learned import learned_found
from .lexicon import lexicon, normalise
from .names import names_itself
from .quotes import Quotes, find_quotes
from .resolve import Mention, Resolver, describe, extend_by_quote, outside_quotes, source_tokens
from .rules import Found, find_in_sentence
from .syntax import RELATIVE_PRONOUNS, person_ents

QUOTE_TYPES = schema.QUOTE_TYPES
# Columns beyond the attributions contract (DESIGN.md section 3).
EXTRA_COLUMNS = {
    "bloc": "string",
    "attribution_id": "string",
    "cue_kind": "string",
    "second_hand": "boolean",
    "via": "string",
}
ATTRIBUTION_COLUMNS = {**schema.ATTRIBUTIONS, **EXTRA_COLUMNS}


# An attribution nests inside one of its neighbours' content, never a far one (keeps it linear).
NEST_WINDOW = 8
# Cue kinds the speech gate does not judge: "according to" and the hearsay markers of
# resources/vague_cues.tsv are sourcing by their words alone.
UNGATED_KINDS = frozenset({"according", "vague"})
# Participles that name a source or evidence, never only a frame of another cue.
CITING = frozenset({"cite", "quote"})


def _spoken(found: list[Found], doc, convention: str | None) -> tuple[list[Found], list[Found]]:
    """(kept, dropped): the attributions whose cue is a communication or cognition act with a
    speaker (presslens.sourcing.gate, `convention` "news" or PolNeAR's "broad"), and the
    others; all are kept when `convention` is None. A verb whose subject is a hearsay noun
    ("rumours spread that ...") reports that hearsay whatever the verb."""
    if convention is None:
        return found, []
    # token index by character offset (a spaCy Token only for the cues judged)
    index_at = {idx: i for i, idx in enumerate(nlp.token_attrs(doc).idx)}
    hearsay = {f.cue_start for f in found if f.cue_kind == "vague"}
    kept, dropped = [], []
    for f in found:
        ok = (f.cue_kind in UNGATED_KINDS or f.cue_start not in index_at
              or (f.source_head is not None and f.source_head.idx in hearsay)
              or gate.passes(doc[index_at[f.cue_start]], doc, convention))
        (kept if ok else dropped).append(f)
    return kept, dropped


def _without_framing_participles(found: list[Found], doc) -> list[Found]:
    """A participle that frames another cue of the same speaker and says nothing of its own
    ("Referring to X in a message, the group said ...", "said Orban, reiterating his stand",
    "Discussing his family, he went on to add: ...") is that cue's speech act, not a second
    one (the news convention; PolNeAR counts such participles); "..., adding that ...",
    "..., recalling an incident" (their own content) and "while appealing for aid" (a clause
    of its own) stay."""
    token_at = {tok.idx: tok for tok in doc}
    by_token = {token_at[f.cue_start].i: f for f in found if f.cue_start in token_at}
    out = []
    for f in found:
        tok = token_at.get(f.cue_start)
        if tok is None or tok.tag_ != "VBG" or tok.dep_ != "advcl" or tok.lemma_.lower() in CITING \
                or any(c.dep_ in ("mark", "ccomp", "csubj") for c in tok.children):
            out.append(f)  # "X reported, citing two officials / satellite images": sourcing of its own
            continue
        head = tok.head
        framed = [by_token[i] for i in [head.i] + [c.i for c in head.children if c.dep_ in ("xcomp", "conj")]
                  if i in by_token and by_token[i] is not f]
        # its content is its own unless it is the framed cue's ("Discussing X, he added: “…”")
        own = gate.has_own_content(tok, doc) and not any(
            f.content and g.content and f.content[0] < g.content[1] and g.content[0] < f.content[1] for g in framed)
        if framed and not own:
            continue
        out.append(f)
    return out


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


# Sources whose country an article's setting may tell when nothing else does: never the
# unnamed-on-purpose or vague, and never outlets, experts or documents (often foreign to the story).
_LOCAL_TYPES = ("official", "military", "civilian", "other")
# ... unless the words say the source is of the place the story is set in ("local news",
# "local media", "local residents").
_LOCAL = re.compile(r"\blocal(?:ly)?\b", re.I)


def _article_sides(rows: list, sents: list, text: str, date) -> None:
    """Sources the words leave without a country, read once every source of the article is
    known: an unqualified national body ("the government said") takes the country the article
    places it in (`affiliation.national_side`: the sentence, the dateline, the article's
    official sources); any other official, local person or group ("the Minister", "a
    student", "authorities") the dateline's or the article's setting (`affiliation.setting`),
    when one country clearly dominates the article."""
    open_ = [(f, m, span) for f, m, span in rows if m is not None and m.affiliation == "unknown"
             and (m.national or m.source_type in _LOCAL_TYPES and m.kind in ("person", "group", "org")
                  or _LOCAL.search(m.text))]
    if not open_:
        return
    qualified = [(span[0], m.affiliation, m.source_type) for f, m, span in rows
                 if m is not None and span is not None and m.side_from == "words"
                 and m.source_type in ("official", "military")]
    dateline = dateline_side(text, date)
    scene = None
    for f, m, span in open_:
        if m.affiliation != "unknown":
            continue  # the same mention met twice
        code, how = None, ""
        if m.national:
            sent = sents[f.sentence_index]
            code, how = national_side(span[0] if span else sent.start_char, (sent.start_char, nlp.span_text(sent)),
                                      qualified, dateline, date,
                                      body=national_bodies().get(m.head_lemma) == "body")
        elif dateline:
            code, how = dateline, "dateline"
        if code is None:
            if scene is None:
                scene = setting(text, date) or ""
            code, how = scene or None, "setting"
        if code is not None:
            m.affiliation, m.side_from = code, how


def _agentless_from_according(rows: list) -> list:
    """An agentless cue ("It is said the men conspired ..., according to an indictment filed by
    the Department of Justice") takes the source of the "according to" of its own sentence
    whose content holds it or what it says: the sentence tells who says so."""
    out = []
    for f, mention, span in rows:
        if mention is None and f.source_head is None:
            lead = next((gm for g, gm, _ in rows if g is not f and g.sentence_index == f.sentence_index
                         and g.cue_kind == "according" and gm is not None and gm.source_type != "vague"
                         and g.content is not None and (g.content[0] <= f.cue_start < g.content[1] or (
                             f.content is not None and f.content[0] < g.content[1] and g.content[0] < f.content[1]))),
                        None)
            mention = lead if lead is not None else mention
        out.append((f, mention, span))
    return out


def _attribution_rows(article_id: str, doc, learned: bool = True, date=None,
                      convention: str | None = "news") -> list[dict]:
    lex = lexicon()
    text = nlp.doc_text(doc)
    quotes = Quotes(find_quotes(text))
    sents = [sent for _, sent in nlp.iter_sentences(doc)]
    found: list[tuple[Found, int]] = []
    for sidx, sent in enumerate(sents):
        for f in find_in_sentence(sent, sidx, doc, lex, quotes, text):
            # dropped before the learned detector, which may then read the token by PolNeAR's convention
            if convention == "news" or not f.news_only:
                found.append((f, sidx))
    if learned:
        found = [(f, f.sentence_index) for f in learned_found(doc, sents, lex, quotes, text, [f for f, _ in found])]
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
    unique, not_spoken = _spoken(unique, doc, convention)
    if convention == "news":
        unique = _without_framing_participles(unique, doc)
    # "who call themselves Night Owls": a source's name (read by the resolver), not speech
    unique = [f for f in unique if not names_itself(text, f.cue_start)]
    # Thoughts and wishes inside what someone is reported to have said ("she says she thinks
    # ...") are part of that report, not a separate act of sourcing.
    reporting = [f for f in unique if f.content is not None and f.cue_kind in ("speech", "according", "cognition")]
    # Under the news convention a belief no one holds ("it is believed", no source) is vague
    # sourcing of its own even there.
    unique = [f for f in unique if not (f.cue_kind in ("cognition", "intention", "evidence")
                                        and (f.source_head is not None or convention != "news")
                                        and any(g is not f and g.content[0] <= f.cue_start < g.content[1]
                                                for g in reporting))]

    for f in unique:
        if f.content is not None and f.quote_type != "direct":
            f.content = _clip_to_paragraph(f.content, f.cue_start, f.cue_end, text)
    # "Rumours spread that ...": when a cue verb takes the hearsay noun as its source, the
    # noun is not a second cue
    heads = {f.source_head.idx for f in unique if f.source_head is not None}
    unique = [f for f in unique if not (f.cue_kind == "vague" and f.cue_start in heads)]
    # "an official who asked not to be named": a request for anonymity is part of the source
    unique = [f for f in unique if not (f.content is not None and f.content[1] - f.content[0] < 40 and any(
        p in normalise(text[f.content[0]:f.content[1]]) for p in lex.anonymity_phrases))]

    # names inside quotations are never the antecedent of a later pronoun
    resolver = Resolver(doc, lex, persons=person_ents(doc), date=date, reported=list(quotes))
    rows = []
    per_sentence: dict[int, list[Mention]] = {}
    # The named subjects of verbs that are no speech ("the channel Rybar published a map")
    # are still mentions a later "it" or surname can stand for.
    spoken = {id(f) for f in unique}
    ordered = sorted(unique + [f for f in not_spoken if f.source_head is not None],
                     key=lambda f: (f.sentence_index, f.cue_start))
    for f in ordered:
        if id(f) not in spoken:
            toks = f.source_tokens or [f.source_head]
            m = describe(toks, f.source_head, resolver, quotes, per_sentence.get(f.sentence_index, []))
            if m.named and m.source_type != "vague" and f.source_head.pos_ != "PRON":
                resolver.history.append((f.source_head.idx, m))
            continue
        mention = None
        src_span = None
        if f.source_head is not None:
            toks = f.source_tokens or [f.source_head]
            mention = describe(toks, f.source_head, resolver, quotes, per_sentence.get(f.sentence_index, []))
            src_span = extend_by_quote(toks, quotes)
            if f.source_head.lower_ in RELATIVE_PRONOUNS or f.source_head.pos_ == "PRON":
                src_span = (f.source_head.idx, f.source_head.idx + len(f.source_head.text))
            # never across a quotation mark the tokenizer glued on ("device,”Polyansky said")
            src_span = (src_span[0] + outside_quotes(text[src_span[0]:src_span[1]])[0], src_span[1])
            written = text[src_span[0]:src_span[1]]
            if written.count("(") > written.count(")") and text[src_span[1]:src_span[1] + 1] == ")":
                src_span = (src_span[0], src_span[1] + 1)  # "the Energy Agency (SEA)": the bracket closes
            if mention.source_type != "vague" and (mention.named or mention.kind in ("org", "media", "group", "person")):
                resolver.history.append((src_span[0], mention))
            per_sentence.setdefault(f.sentence_index, []).append(mention)
        if f.content is not None:
            cs, ce = f.content
            if src_span is not None and cs <= src_span[0] < ce:
                # a content span the parse ran over its own source: the source is not reported
                resolver.reported.extend(p for p in ((cs, src_span[0]), (src_span[1], ce)) if p[0] < p[1])
            else:
                resolver.reported.append(f.content)
        rows.append((f, mention, src_span))
    rows = _agentless_from_according(rows)
    _article_sides(rows, sents, text, date)

    out = []
    for n, (f, mention, src_span) in enumerate(rows):
        via = None
        second_hand = False
        if f.cue_kind == "cite":
            second_hand = True
            if f.via_tokens and f.via_tokens[0] is not None:
                via_head = f.via_tokens[0]
                via_m = describe(source_tokens(via_head), via_head, resolver, quotes,
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
        if f.source_head is not None and f.source_head.lower_ == "i":
            # "“... I said ‘What started?’ ...,” he told the show": the quoted speaker narrates
            # their own words
            outer = next((gm for g, gm, _ in rows[max(0, n - NEST_WINDOW): n + NEST_WINDOW]
                          if g is not f and gm is not None and g.content is not None
                          and g.quote_type == "direct" and g.content[0] <= f.cue_start < g.content[1]), None)
            mention = outer or mention
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
            "affiliation": column_value(affiliation),
            "bloc": bloc(affiliation),
            "attribution_id": f"{article_id}:a{n}",
            "cue_kind": f.cue_kind,
            "second_hand": second_hand,
            "via": via,
        })
    return out


def _date(value):
    """The article date for office look-ups, None when missing or unreadable."""
    if value is None or schema.is_missing(value):
        return None
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def from_doc(ctx: components.DocContext) -> dict[str, list[dict]]:
    """Attributions of one parsed article, the `sourcing` component's step.

    Never raises on odd input: an empty text gives nothing, a broken parse a warning.

    Parameters
    ----------
    ctx : presslens.components.DocContext
        The article; its setting `learned_cues=False` switches the learned cue detector off
        (the rules alone, what the detector's training needs); `cue_convention` is what
        counts as a cue: "news" (default: a communication or cognition act with a speaker,
        not intentions, stances or ordinary verbs), "broad" (PolNeAR's annotation
        convention, which counts intentions and stances) or None (no gate).

    Returns
    -------
    dict
        ``{"attributions": [row dicts]}``, the columns of ATTRIBUTION_COLUMNS.

    Examples
    --------
    >>> import presslens
    >>> from presslens.components import DocContext
    >>> doc = presslens.nlp.parse_text("The ministry said two drones were downed.")
    >>> rows = from_doc(DocContext.of("a1", doc, "sourcing"))["attributions"]
    >>> rows[0]["source_text"], rows[0]["cue_text"], rows[0]["quote_type"]
    ('The ministry', 'said', 'indirect')
    """
    if not ctx.text.strip():
        return {"attributions": []}
    try:
        rows = _attribution_rows(ctx.article_id, ctx.doc, learned=ctx.settings["learned_cues"],
                                 date=_date(ctx.article.get("published")),
                                 convention=ctx.settings.get("cue_convention", "news"))
    except (IndexError, ValueError, RecursionError) as exc:  # a broken parse must not stop a corpus run
        warnings.warn(f"article {ctx.article_id!r}: attribution extraction failed ({exc!r})", stacklevel=2)
        rows = []
    return {"attributions": rows}


components.register("sourcing", assigns={"attributions": ATTRIBUTION_COLUMNS}, from_doc=from_doc,
                    defaults={"learned_cues": True, "cue_convention": "news"})


def extract_attributions(articles: pd.DataFrame, docs: dict | None = None) -> pd.DataFrame:
    """One row per attribution of every article.

    Parameters
    ----------
    articles : pandas.DataFrame
        At least `article_id` and `text`.
    docs : dict, optional
        article_id -> spaCy Doc; without it the articles are parsed through the disk cache.

    Returns
    -------
    pandas.DataFrame
        The columns of schema.ATTRIBUTIONS plus attribution_id, cue_kind, second_hand and
        via; sorted by article, sentence and cue offset.

    Examples
    --------
    >>> articles = pd.DataFrame({"article_id": ["a1"],
    ...                          "text": ["Kyiv said the bridge was hit, according to Reuters."]})
    >>> extract_attributions(articles)[["source_text", "cue_text"]]     # doctest: +SKIP
      source_text      cue_text
    0        Kyiv          said
    1     Reuters  according to
    """
    if articles is None or len(articles) == 0:
        return schema.conform(pd.DataFrame(), ATTRIBUTION_COLUMNS)
    df = components.run(articles, ["attributions"], docs=docs)["attributions"]
    return df.sort_values(["article_id", "sentence_index", "cue_start"], kind="stable").reset_index(drop=True)
