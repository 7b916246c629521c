"""The indicators of one scheme applied to one parsed Doc: which items each sentence answers,
the evidence spans (character offsets into the article text), item values and frame scores."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .. import nlp
from .lexicon import FrameLexicon, load_lexicon
from .patterns import matchers

# Paired quotation marks: straight, curly and guillemets; a quote never spans 2,000 characters.
_QUOTED = re.compile(r"\"[^\"\n]{1,2000}?\"|“[^”]{1,2000}?”|«[^»]{1,2000}?»|„[^“”]{1,2000}?[“”]")


@dataclass
class DocFrames:
    """What the indicators found in one Doc for one scheme (`score_doc`).

    Attributes
    ----------
    scheme : str
    n_sentences : int
    item_values : numpy.ndarray
        Per indicator, in [0, 1).
    frame_scores : dict
        frame -> score in [0, 1).
    evidence : list of dict
        One per hit: item index, entry, sentence_index, start, end (character offsets), text.
    sentence_items : dict
        sentence_index -> indices of the indicators hit in it.

    Examples
    --------
    >>> from presslens import nlp
    >>> score_doc(nlp.parse_text("Taxes rose."), "generic").n_sentences
    1
    """

    scheme: str
    n_sentences: int
    item_values: np.ndarray  # per indicator, in [0, 1)
    frame_scores: dict[str, float]
    evidence: list[dict]  # one per hit: item index, entry, sentence_index, start, end, text
    sentence_items: dict[int, set[int]]  # sentence_index -> indicator indices hit


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _in_ranges(pos: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _has_parse(doc) -> bool:
    return bool(len(doc)) and doc.has_annotation("DEP")


def score_doc(doc, scheme: str, lexicon: FrameLexicon | None = None) -> DocFrames:
    """Indicator hits, item values and frame scores of one parsed Doc.

    An item's value is the squashed share of sentences that answer it "yes" (each item counts
    once per sentence, so repetition and length do not saturate a score); a frame's score is
    the weighted mean of its items' values, in [0, 1).

    Parameters
    ----------
    doc : spacy.tokens.Doc
    scheme : {"generic", "mfc"}
    lexicon : FrameLexicon, optional
        The scheme's lexicon (default: `load_lexicon(scheme)`).

    Returns
    -------
    DocFrames

    Examples
    --------
    >>> from presslens import nlp
    >>> doc = nlp.parse_text("Russia accused Ukraine of violating the truce.")
    >>> result = score_doc(doc, "generic")
    >>> result.frame_scores["conflict"] > result.frame_scores["economic"]
    True
    """
    lexicon = lexicon or load_lexicon(scheme)
    n_items = len(lexicon.items)
    sentence_of = np.full(len(doc), -1, dtype=np.int64)
    n_sentences = 0
    sentence_spans: dict[int, tuple[int, int]] = {}
    if len(doc):
        try:
            for index, sent in nlp.iter_sentences(doc):
                sentence_of[sent.start:sent.end] = index
                sentence_spans[index] = (sent.start, sent.end)
                n_sentences = index + 1
        except ValueError:  # a Doc without sentence boundaries: treat it as one sentence
            if nlp.doc_text(doc).strip():
                sentence_of[:] = 0
                n_sentences = 1
    hits: dict[tuple[int, int, int], str] = {}  # (item, start token, end token) -> entry

    tokens = nlp.token_attrs(doc)
    lower = tokens.lower
    lemma = [lem or low for lem, low in zip(tokens.lemma, lower)]
    text = nlp.doc_text(doc)
    quoted = None
    terms = lexicon.terms
    for i in [i for i, (lem, low) in enumerate(zip(lemma, lower)) if lem in terms or low in terms]:
        candidates = (lemma[i],) if lemma[i] == lower[i] else (lemma[i], lower[i])  # ordered: same label in every process
        for first in candidates:
            for words, index, entry in terms.get(first, ()):
                n = len(words)
                if i + n > len(doc):
                    continue
                if all(w == lower[i + j] or w == lemma[i + j] for j, w in enumerate(words)):
                    if lexicon.items[index].quote_only:
                        if quoted is None:
                            quoted = _quoted_ranges(text)
                        if not _in_ranges(tokens.idx[i], quoted):
                            continue
                    hits.setdefault((index, i, i + n), entry)

    if lexicon.patterns and len(doc):
        matcher, dep_matcher = matchers(lexicon, doc.vocab)
        for match_id, start, end in matcher(doc):
            label = doc.vocab.strings[match_id]
            index, pattern_id = label.split("|", 1)
            hits.setdefault((int(index), start, end), pattern_id)
    if lexicon.dep_patterns and _has_parse(doc):
        _, dep_matcher = matchers(lexicon, doc.vocab)
        for match_id, token_ids in dep_matcher(doc):
            label = doc.vocab.strings[match_id]
            index, pattern_id = label.split("|", 1)
            start, end = min(token_ids), max(token_ids) + 1
            # A dependency match is evidence within one sentence only.
            if sentence_of[start] != sentence_of[end - 1] or end - start > 40:
                continue
            hits.setdefault((int(index), start, end), pattern_id)
    ent_items = [(k, set(item.ents)) for k, item in enumerate(lexicon.items) if item.ents]
    if ent_items:
        for ent in doc.ents:
            for index, labels in ent_items:
                if ent.label_ in labels:
                    hits.setdefault((index, ent.start, ent.end), f"ent:{ent.label_}")

    cooccur_items = [k for k, item in enumerate(lexicon.items) if item.cooccur_labels]
    if cooccur_items and doc.ents:
        _add_cooccurrence_hits(doc, lexicon, cooccur_items, hits, sentence_of)

    # Within one item, a span inside a longer hit of the same item is the same evidence.
    by_item: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for (index, start, end), entry in hits.items():
        by_item[index].append((start, end, entry))
    evidence: list[dict] = []
    sentence_items: dict[int, set[int]] = defaultdict(set)
    item_sentences = np.zeros(n_items, dtype=np.int64)
    for index in sorted(by_item):
        spans = sorted(by_item[index], key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[tuple[int, int, str]] = []
        for start, end, entry in spans:
            if any(ks <= start and end <= ke for ks, ke, _ in kept):
                continue
            kept.append((start, end, entry))
        sentences_hit: set[int] = set()
        for start, end, entry in kept:
            sentence_index = int(sentence_of[start])
            if sentence_index < 0:
                continue
            start_char, end_char = tokens.idx[start], tokens.idx[end - 1] + tokens.length[end - 1]
            evidence.append({
                "item": index, "entry": entry, "sentence_index": sentence_index,
                "start": start_char, "end": end_char, "text": text[start_char:end_char],
            })
            sentences_hit.add(sentence_index)
            sentence_items[sentence_index].add(index)
        item_sentences[index] = len(sentences_hit)

    denominator = max(n_sentences, lexicon.min_sentences)
    scales = np.array([item.scale or lexicon.scale for item in lexicon.items])
    item_values = 1.0 - np.exp(-(item_sentences / denominator) / scales)
    frame_scores: dict[str, float] = {}
    for frame in lexicon.frames:
        members = lexicon.items_of(frame)
        weights = np.array([lexicon.items[i].weight for i in members])
        values = item_values[members]
        frame_scores[frame] = float(np.dot(weights, values) / weights.sum()) if len(members) else 0.0
    evidence.sort(key=lambda e: (e["start"], e["end"], e["item"]))
    return DocFrames(scheme=scheme, n_sentences=n_sentences, item_values=item_values,
                     frame_scores=frame_scores, evidence=evidence,
                     sentence_items=dict(sentence_items))


def _add_cooccurrence_hits(doc, lexicon: FrameLexicon, cooccur_items: list[int],
                           hits: dict[tuple[int, int, int], str], sentence_of: np.ndarray) -> None:
    """Entities of a co-occurrence item, in sentences that name enough distinct ones and hold
    another hit of the same frame."""
    frame_sentences: dict[str, set[int]] = defaultdict(set)
    for index, start, _ in hits:
        if not lexicon.items[index].cooccur_labels:
            frame_sentences[lexicon.items[index].frame].add(int(sentence_of[start]))
    for index in cooccur_items:
        item = lexicon.items[index]
        by_sentence: dict[int, list] = defaultdict(list)
        for ent in doc.ents:
            sentence_index = int(sentence_of[ent.start])
            if ent.label_ in item.cooccur_labels and sentence_index in frame_sentences[item.frame]:
                by_sentence[sentence_index].append(ent)
        for ents in by_sentence.values():
            names = {(e.ent_id_ or e.lemma_ or e.text).lower() for e in ents}
            if len(names) >= item.cooccur_min:
                for ent in ents:
                    hits.setdefault((index, ent.start, ent.end), f"cooccur:{ent.label_}")


def sentence_scores(result: DocFrames, lexicon: FrameLexicon) -> list[tuple[int, str, float]]:
    """Per sentence with a hit and frame, `1 - exp(-summed item weight / sentence_scale)`.

    Parameters
    ----------
    result : DocFrames
        What `score_doc` found in one Doc.
    lexicon : FrameLexicon
        The lexicon of the same scheme.

    Returns
    -------
    list of tuple
        `(sentence_index, frame, score)`, by sentence then in the scheme's frame order.

    Examples
    --------
    >>> from presslens import nlp
    >>> lexicon = load_lexicon("generic")
    >>> doc = nlp.parse_text("Russia accused Ukraine of violating the truce.")
    >>> sentence_scores(score_doc(doc, "generic", lexicon), lexicon)[0][:2]
    (0, 'conflict')
    """
    rows = []
    for sentence_index in sorted(result.sentence_items):
        weight_by_frame: dict[str, float] = defaultdict(float)
        for index in result.sentence_items[sentence_index]:
            item = lexicon.items[index]
            weight_by_frame[item.frame] += item.weight
        for frame in lexicon.frames:
            if frame in weight_by_frame:
                score = 1.0 - math.exp(-weight_by_frame[frame] / lexicon.sentence_scale)
                rows.append((sentence_index, frame, round(score, 6)))
    return rows
