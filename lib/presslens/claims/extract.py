"""Claims of parsed articles: the check-worthy sentences of each article, with the
attribution that covers them, their hedges, quantities and clustering terms; the `claims`
component (from_doc, prepare_docs) and `extract_claims`, its DataFrame-level entry point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .. import components, nlp, schema
from .checkworthiness import checkworthy_scores
from .hedges import find_hedges
from .model import CHECKWORTHY_THRESHOLD, load_checkworthiness_model, text_counts
from .news import load_news_text_model
from .quantities import extract_quantities
from .terms import core_terms_of, places_in

# Extra columns of the claims table beyond schema.CLAIMS.
CLAIM_EXTRAS = {
    "hedge_cues": "object",        # list[dict]: text, start, end
    "attribution_type": "string",  # source_type of the attribution
    "outlet": "string",
    "published": "datetime64[ns, UTC]",
    "model_score": "float64",      # the ClaimBuster model alone, before the news layer
    "core_terms": "string",        # normalised content lemmas used by clustering
    "core_places": "string",       # canonical place names in the claim, '|'-joined
}


def _attribution_for(span_start: int, span_end: int, sentence_index: int,
                     attributions: Sequence[Mapping], text: str = "") -> Mapping | None:
    """The attribution whose content covers the claim most, one whose source is resolved before
    a bare word left unresolved ("It shows ..., according to a tracking account": the account);
    else one in the same sentence (whose content is not elsewhere); else the "according to"
    that leads the claim's paragraph (`_paragraph_lead`)."""
    best, best_key = None, (False, 0)
    same_sentence = []
    for att in attributions:
        cs, ce = att.get("content_start"), att.get("content_end")
        if cs is not None and ce is not None and not pd.isna(cs) and not pd.isna(ce):
            overlap = min(int(ce), span_end) - max(int(cs), span_start)
            key = (_identified(att), overlap)
            if overlap > 0 and key > best_key:
                best, best_key = att, key
        elif att.get("sentence_index") is not None and not pd.isna(att.get("sentence_index")) \
                and int(att["sentence_index"]) == sentence_index:
            same_sentence.append(att)
    if best is not None:
        return best
    if same_sentence:
        return same_sentence[0]
    if not text:
        return None
    return _paragraph_lead(span_start, attributions, text) or _quote_run(span_start, attributions, text)


def _identified(att: Mapping) -> bool:
    """Whether an attribution's source is more than a word left unresolved ("It shows ...":
    the pronoun itself, unnamed and untyped); a vague "reportedly" with no source counts as
    identified: it is what the claim rests on."""
    canonical, written = att.get("source_canonical"), att.get("source_text")
    if schema.is_missing(canonical) or schema.is_missing(written):
        return True
    return bool(att.get("named")) or att.get("source_type") != "other" \
        or str(canonical).strip().lower() != str(written).strip().lower() or " " in str(written).strip()


# Paragraphs of a quotation run on over several paragraphs open with a quotation mark.
_OPENING_QUOTES = ("\"", "\u201c", "\u00ab", "\u201e")
# How many paragraphs a quotation may run on before its speaker is too far to be assumed.
QUOTE_RUN_PARAGRAPHS = 3


def _quote_run(span_start: int, attributions: Sequence[Mapping], text: str) -> Mapping | None:
    """The speaker of a quotation that runs on over paragraphs with no cue of its own
    ("She advised the students to take care.\n\n\u201cWe regret losing two students ..."): when
    the claim's paragraph and those between opens with a quotation mark and none holds a cue,
    the last attribution of the paragraph before the run, if it has a named source."""
    para_start = text.rfind("\n", 0, span_start) + 1
    for _ in range(QUOTE_RUN_PARAGRAPHS):
        if not text[para_start:para_start + 2].lstrip().startswith(_OPENING_QUOTES):
            return None
        end = text.find("\n", span_start)
        end = len(text) if end < 0 else end
        if any(not schema.is_missing(a.get("cue_start")) and para_start <= int(a["cue_start"]) < end
               for a in attributions):
            return None  # a cue in the run: its attribution covers what it says
        prev_end = para_start - 1
        while prev_end > 0 and text[prev_end - 1].isspace():
            prev_end -= 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        before = [a for a in attributions if not schema.is_missing(a.get("cue_start"))
                  and prev_start <= int(a["cue_start"]) < prev_end]
        if before:
            speaker = max(before, key=lambda a: int(a["cue_start"]))
            return speaker if bool(speaker.get("named")) else None
        span_start, para_start = prev_start, prev_start
    return None


def _paragraph_lead(span_start: int, attributions: Sequence[Mapping], text: str) -> Mapping | None:
    """The attribution of a sentence that continues its paragraph's "according to X" lead
    with no cue of its own ("According to the statistics office, prices rose 14 percent. Food
    prices also rose 40 percent."): the last attribution before the claim in its paragraph,
    when that is the "According to" the paragraph opens with, its content ending before the
    claim."""
    para_start = text.rfind("\n", 0, span_start) + 1
    before = [a for a in attributions if not schema.is_missing(a.get("cue_start"))
              and para_start <= int(a["cue_start"]) < span_start]
    if not before:
        return None
    lead = max(before, key=lambda a: int(a["cue_start"]))
    ce = lead.get("content_end")
    if lead.get("cue_kind") != "according" or schema.is_missing(ce) or int(ce) > span_start \
            or text[para_start:int(lead["cue_start"])].strip():
        return None  # only an "According to X, ..." that opens the paragraph leads it
    return lead


_DATELINE = re.compile(
    r"^[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:, [A-Z][\w.' -]{1,30})*,?\s*"
    r"(?:[A-Z][a-z]{2,8}\.? \d{1,2}\s*)?(?:\([^)]{1,40}\))?\s*[-–—]+\s+")
_LEADING_JUNK = re.compile(r"\s*(?:[\"“”'’]\s*\n\s*)?")


def claim_sentences(doc) -> tuple[list, list[int], list[str]]:
    """The sentences of a Doc as claims are read from them: (sentence_index, Span) pairs, the
    length of leading junk of each (a closing quote left over from the previous paragraph is
    not part of the sentence) and the claim text (sentence without that junk or trailing space).

    Parameters
    ----------
    doc : spacy.tokens.Doc

    Returns
    -------
    tuple of (list of (int, Span), list of int, list of str)
        Memoised on the Doc by the claims component.

    Examples
    --------
    >>> sentences, leads, texts = claim_sentences(nlp.parse_text("Troops left. Nobody knows why."))
    >>> texts
    ['Troops left.', 'Nobody knows why.']
    """
    sentences = nlp.sentences(doc)
    sentence_texts = [nlp.span_text(s) for _, s in sentences]
    leads = [_LEADING_JUNK.match(t).end() for t in sentence_texts]
    return sentences, leads, [t[lead:].rstrip() for t, lead in zip(sentence_texts, leads)]


def prepare_docs(docs: Iterable) -> None:
    """Run the ClaimBuster model and the news text model once over the sentences of several
    Docs.

    The streaming `analyze` passes each parse batch: the vectorizers' per-call cost and the
    hashing of words the articles share are paid once. `from_doc` then reads the Docs'
    logits; without this it computes them itself (the result is the same: the models score
    rows alone).

    Parameters
    ----------
    docs : iterable of spacy.tokens.Doc
        None entries and Docs already scored are skipped.

    Returns
    -------
    None
        The logits are memoised on each Doc (`nlp.doc_memo(doc)["claims.logits"]` and
        `["claims.news_logits"]`).

    Examples
    --------
    >>> from presslens import nlp
    >>> doc = nlp.parse_text("The ministry said 12 drones were shot down.")
    >>> prepare_docs([doc])
    >>> "claims.logits" in nlp.doc_memo(doc), "claims.news_logits" in nlp.doc_memo(doc)
    (True, True)
    """
    docs = [d for d in docs if d is not None and "claims.logits" not in nlp.doc_memo(d)]
    inputs = [nlp.memoized(d, "claims.inputs", claim_sentences)[2] for d in docs]
    texts = [t for doc_texts in inputs for t in doc_texts]
    # both models read the same hashed counts: the sentences are hashed once
    counts = text_counts(texts) if texts else None
    logits = load_checkworthiness_model().decision_function(texts, counts) if texts else np.zeros(0)
    news = load_news_text_model().decision_function(texts, counts) if texts else np.zeros(0)
    k = 0
    for doc, doc_texts in zip(docs, inputs):
        nlp.doc_memo(doc)["claims.logits"] = logits[k:k + len(doc_texts)]
        nlp.doc_memo(doc)["claims.news_logits"] = news[k:k + len(doc_texts)]
        k += len(doc_texts)


def from_doc(ctx: components.DocContext) -> dict[str, list[dict]]:
    """Claims of one parsed article: the `claims` component's per-article step.

    Parameters
    ----------
    ctx : presslens.components.DocContext
        The article's Doc and metadata; its `attributions` rows (from presslens.sourcing)
        attribute the claims; the setting `min_score` is the check-worthiness cut.

    Returns
    -------
    dict
        `{"claims": [row dicts]}`, one row per sentence scoring >= `min_score`, with the
        columns of schema.CLAIMS and CLAIM_EXTRAS.

    Examples
    --------
    >>> from presslens import nlp
    >>> from presslens.components import DocContext
    >>> doc = nlp.parse_text("Shelling killed 14 civilians in Kharkiv on Sunday.")
    >>> rows = from_doc(DocContext.of("a", doc, "claims"))["claims"]
    >>> [(r["claim_id"], r["quantities"][0]["text"]) for r in rows]
    [('a:0-50', '14')]
    """
    doc, article_id = ctx.doc, ctx.article_id
    if doc is None or not ctx.text.strip():
        return {"claims": []}
    min_score = ctx.settings["min_score"]
    attributions = [a for a in ctx.rows("attributions")
                    if str(a.get("article_id", article_id)) == str(article_id)]
    article = ctx.article
    sentences, leads, texts = nlp.memoized(doc, "claims.inputs", claim_sentences)
    if not sentences:
        return {"claims": []}
    prepare_docs([doc])
    memo = nlp.doc_memo(doc)
    model_scores, adjusted = checkworthy_scores(texts, [s for _, s in sentences], logits=memo["claims.logits"],
                                                news_model_logits=memo["claims.news_logits"])
    outlet = article.get("outlet")
    published = article.get("published")
    rows = []
    for (index, sent), lead, text, model_score, score in zip(sentences, leads, texts, model_scores, adjusted):
        if score < min_score or not text:
            continue
        start = sent.start_char + lead
        end = start + len(text)
        att = _attribution_for(start, end, index, attributions, ctx.text)
        exclude = []
        if att is not None:
            for prefix in ("source_", "cue_"):
                s, e = att.get(prefix + "start"), att.get(prefix + "end")
                if not schema.is_missing(s) and not schema.is_missing(e):
                    exclude.append((int(s), int(e)))
        dateline = _DATELINE.match(text)
        if dateline:  # "KYIV, May 6 (Wire) - ": where the copy was filed, not what it claims
            exclude.append((start, start + dateline.end()))
        quantities = extract_quantities(text, start)
        terms = core_terms_of(sent, exclude, quantities)
        source = None if att is None or schema.is_missing(att.get("source_canonical")) else att.get("source_canonical")
        if att is not None and source is None and not schema.is_missing(att.get("source_text")):
            source = att.get("source_text")
        hedges = find_hedges(text, start)
        rows.append({
            "article_id": str(article_id),
            "claim_id": f"{article_id}:{start}-{end}",
            "sentence_index": index,
            "start": start,
            "end": end,
            "text": text,
            "check_worthiness": float(score),
            "attributed_to": source,
            "hedged": bool(hedges),
            "quantities": quantities,
            "hedge_cues": hedges,
            "attribution_type": None if att is None or schema.is_missing(att.get("source_type")) else att.get("source_type"),
            "outlet": None if schema.is_missing(outlet) else outlet,
            "published": None if schema.is_missing(published) else published,
            "model_score": float(model_score),
            "core_terms": " ".join(terms),
            "core_places": "|".join(places_in(terms)),
        })
    return {"claims": rows}


components.register("claims", assigns={"claims": {**schema.CLAIMS, **CLAIM_EXTRAS}},
                    requires=("attributions",), from_doc=from_doc, prepare=prepare_docs,
                    defaults={"min_score": CHECKWORTHY_THRESHOLD})


def extract_claims(articles: pd.DataFrame, attributions: pd.DataFrame | None = None,
                   docs: Mapping[str, object] | None = None,
                   min_score: float = CHECKWORTHY_THRESHOLD) -> pd.DataFrame:
    """One row per check-worthy claim of each article.

    Parameters
    ----------
    articles : pandas.DataFrame
        At least `article_id` and `text`; `outlet` and `published` are copied when present.
    attributions : pandas.DataFrame, optional
        The table of `presslens.sourcing.extract_attributions`; computed when None (pass an
        empty frame with an `article_id` column for claims without attribution).
    docs : mapping of str to spacy.tokens.Doc, optional
        article_id -> Doc; when None the articles are parsed through the disk cache.
    min_score : float, default CHECKWORTHY_THRESHOLD
        The check-worthiness cut.

    Returns
    -------
    pandas.DataFrame
        Columns of schema.CLAIMS (`article_id, claim_id, sentence_index, start, end, text,
        check_worthiness, attributed_to, hedged, quantities`) and CLAIM_EXTRAS; offsets
        index the article's `text`.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["a"], "language": ["en"],
    ...     "text": ["More than 2,000 people were evacuated from Kupiansk. It is sunny."]})
    >>> found = extract_claims(articles, attributions=pd.DataFrame(columns=["article_id"]))
    >>> found[["start", "end", "hedged"]].values.tolist()
    [[0, 52, False]]
    """
    columns = {**schema.CLAIMS, **CLAIM_EXTRAS}
    if articles is None or len(articles) == 0:
        return schema.conform(None, columns)
    return components.run(articles.reset_index(drop=True), ["claims"], docs=docs,
                          given={"attributions": attributions},
                          settings={"claims": {"min_score": min_score}})["claims"]
