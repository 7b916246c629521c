"""The terms a claim is clustered by: what the sentence asserts, without who says it or when,
normalised so that paraphrases and other spellings meet ("Russian troops hold over 80% of
Volchansk" and "Russian forces control the majority of Vovchansk" -> russian force <qty>
vovchansk).

From a parse (`core_terms_of`), or from the text alone (`fallback_terms`) for claims that come
without a Doc. Places take their Ukrainian-style spelling (place_spellings.tsv), synonyms are
folded (claims_synonyms.tsv), figures and vague quantities become `<qty>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from .. import nlp
from .lexicon import place_canon, read_tsv, reporting_lemmas, synonyms
from .quantities import quantity_words

_STOP_POS = {"PUNCT", "SPACE", "SYM", "DET", "ADP", "CCONJ", "SCONJ", "PART", "PRON", "AUX", "INTJ"}
# appositions, relative clauses and parentheticals describe or attribute; they are not what
# is asserted ("Volchansk, a strategic city located ...", "it says")
_DROP_DEPS = {"appos", "relcl", "parataxis"}
_TIME_ENTS = {"DATE", "TIME"}


def _core_tokens(sent, exclude: list[tuple[int, int]]) -> list[int]:
    """The indices of the tokens that carry the assertion of a sentence, for clustering:
    without the source and cue spans of its attribution, the reporting verb and its subject
    ("X claims that"), "according to X", appositions, relative clauses, parentheticals and
    dates (the same claim is dated differently by every outlet)."""
    reporting = reporting_lemmas()
    attrs = nlp.token_attrs(sent.doc)
    tree = nlp.tree(sent.doc)
    dep, head, children = attrs.dep, attrs.head, tree.children
    drop: set[int] = set()
    span = range(sent.start, sent.end)
    for i in span:
        if i in drop:
            continue
        if dep[i] in _DROP_DEPS and head[i] != i:
            drop.update(tree.subtree(i))
        elif attrs.lower[i] == "according" and dep[i] == "prep":
            drop.update(tree.subtree(i))
        elif attrs.lemma[i] in reporting and any(dep[c] == "ccomp" for c in children[i]):
            drop.add(i)
            for c in children[i]:
                if dep[c] in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "npadvmod"):
                    drop.update(tree.subtree(c))
        if attrs.ent_type[i] in _TIME_ENTS:
            drop.add(i)
    idx = attrs.idx
    kept = [i for i in span if i not in drop and not any(s <= idx[i] < e for s, e in exclude)]
    # a core stripped to almost nothing is worse than the whole sentence
    return kept if sum(attrs.is_alpha[i] for i in kept) >= 3 else list(span)


def core_terms_of(sent, exclude: list[tuple[int, int]], quantities: Sequence[Mapping]) -> list[str]:
    """Clustering terms of a sentence Span: its core tokens normalised, each quantity span
    replaced by one `<qty>` so that differing figures do not keep claims apart.

    The core leaves out the `exclude` spans (the attribution's source and cue), the reporting
    verb and its subject ("X claims that"), "according to X", appositions, relative clauses,
    parentheticals and dates.

    Parameters
    ----------
    sent : spacy.tokens.Span
        The sentence.
    exclude : list of (int, int)
        Character spans (document offsets) to leave out.
    quantities : sequence of Mapping
        The sentence's quantities (`extract_quantities` with document offsets).

    Returns
    -------
    list of str

    Examples
    --------
    >>> from presslens import nlp
    >>> from presslens.claims import extract_quantities
    >>> doc = nlp.parse_text("The ministry said Russian troops hold over 80% of Volchansk.")
    >>> sent = next(iter(doc.sents))
    >>> core_terms_of(sent, [], extract_quantities(sent.text, sent.start_char))
    ['russian', 'force', 'control', '<qty>', 'vovchansk']
    """
    spans = [(int(q["start"]), int(q["end"])) for q in quantities]
    attrs = nlp.token_attrs(sent.doc)
    text = nlp.doc_text(sent.doc)
    triples: list[tuple[str, str, bool]] = []
    in_quantity: set[int] = set()
    for i in _core_tokens(sent, exclude):
        idx = attrs.idx[i]
        hit = next((k for k, (s, e) in enumerate(spans) if s <= idx < e), None)
        if hit is not None:
            if hit not in in_quantity:
                in_quantity.add(hit)
                triples.append(("<qty>", "NUM", True))
            continue
        triples.append((attrs.lemma_exact[i] or text[idx:idx + attrs.length[i]], attrs.pos[i], attrs.like_num[i]))
    return normalise_terms(triples)


def normalise_terms(words: Iterable[tuple[str, str, bool]]) -> list[str]:
    """(lemma, pos, like_num) triples -> clustering terms: places in one spelling, synonyms
    folded, numbers and vague quantities masked so figures never block a match.

    Parameters
    ----------
    words : iterable of (str, str, bool)
        Lemma, coarse part of speech (function words are dropped) and whether it looks like
        a number.

    Returns
    -------
    list of str

    Examples
    --------
    >>> normalise_terms([("troops", "NOUN", False), ("the", "DET", False),
    ...                  ("Volchansk", "PROPN", False), ("80", "NUM", True)])
    ['force', 'vovchansk', '<qty>']
    """
    places, synonym, vague = place_canon(), synonyms(), quantity_words()
    out = []
    for lemma, pos, like_num in words:
        low = lemma.lower().strip()
        if not low or pos in _STOP_POS:
            continue
        if like_num or re.fullmatch(r"[\d.,%]+", low) or low in vague:
            out.append("<qty>")
            continue
        if low in places:
            out.append(places[low])
            continue
        if len(low) < 2 or not re.search(r"\w", low):
            continue
        out.append(synonym.get(low, low))
    return out


@lru_cache(maxsize=1)
def _attribution_clause_regex() -> re.Pattern:
    """Attribution clauses at the edges of a sentence ("..., the ministry said on Monday.",
    "According to X, ...", "X claimed that ..."), from the reporting cues of claims_cues.tsv."""
    verbs = sorted({row["cue"] for row in read_tsv("claims_cues.tsv")
                    if row["category"] == "reporting" and " " not in row["cue"]}, key=len, reverse=True)
    verb = "|".join(map(re.escape, verbs))
    return re.compile(
        rf"(?:^according to [^,]{{1,80}},\s*"
        rf"|,\s*according to [^,.;]{{1,80}}(?=[.;]?\s*$)"
        rf"|,\s*(?:[^,.;]{{1,60}}\s)?(?:{verb})\b[^,.;]{{0,40}}(?=[.;]?\s*$)"
        rf"|^[^,.;]{{1,60}}\s(?:{verb})\s+(?:that\s+)?)",
        re.IGNORECASE)


def fallback_terms(text: str) -> list[str]:
    """Clustering terms for a claim that comes without a Doc: the sentence without its
    attribution clause, regex tokens, a crude plural strip, then `normalise_terms`.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str

    Examples
    --------
    >>> fallback_terms("Russian troops now hold over 80% of Volchansk.")
    ['russian', 'force', 'control', '<qty>', 'vovchansk']
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    text = _attribution_clause_regex().sub(" ", (text or "").strip())
    triples = []
    for tok in re.findall(r"\d[\d.,]*%?|%|[^\W\d_][\w'’-]*", text):
        low = tok.lower()
        if low in ENGLISH_STOP_WORDS:
            continue
        if low not in place_canon() and len(low) > 4 and low.endswith("s") and not low.endswith("ss"):
            low = low[:-1]
        triples.append((low, "X", bool(re.match(r"\d", tok))))
    return normalise_terms(triples)


def places_in(terms: Iterable[str]) -> list[str]:
    """The canonical place names among clustering terms, sorted and distinct.

    Parameters
    ----------
    terms : iterable of str

    Returns
    -------
    list of str

    Examples
    --------
    >>> places_in(["force", "vovchansk", "hold", "vovchansk"])
    ['vovchansk']
    """
    canon = set(place_canon().values())
    return sorted({t for t in terms if t in canon})
