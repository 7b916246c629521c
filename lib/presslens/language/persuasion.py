"""Persuasion techniques from the lexicon and the parse: loaded language and name calling as
words or phrases, doubt and appeal to fear as sentences, each with the cue that fired."""

from __future__ import annotations

import pandas as pd

from .. import nlp
from .lexicons import PersuasionLexicon, contested_patterns, persuasion_lexicon
from .tables import WORD_LEVEL_TECHNIQUES

# Span limits so that a parse error cannot turn one label into a paragraph.
MAX_NAME_CALLING_TOKENS = 8
MAX_SENTENCE_SPAN_CHARS = 400
# loaded_language: a loaded modifier's span runs on to the word it qualifies when adjacent.
LOADED_EXTEND_TO_HEAD = True
# appeal_to_fear: a threat word counts when a modal / future / conditional marker precedes it
# within this many tokens of the same sentence ("could lead to a humanitarian crisis").
FEAR_MODAL_WINDOW = 10


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _merge_adjacent(spans: list[dict], text: str) -> list[dict]:
    """Merge word-level spans of one technique that touch or are separated only by spaces or
    hyphens ("particularly gruesome torture" is one loaded phrase, not three); sentence-level
    spans stay one per sentence."""
    out: list[dict] = []
    for span in sorted(spans, key=lambda r: (r["technique"], r["start"], r["end"])):
        prev = out[-1] if out else None
        if (prev is not None and prev["technique"] == span["technique"]
                and span["technique"] in WORD_LEVEL_TECHNIQUES and span["start"] <= prev["end"] + 1 and not text[prev["end"]:span["start"]].strip(" -")):
            if span["end"] > prev["end"]:
                prev["end"] = span["end"]
                prev["cue"] = f"{prev['cue']}+{span['cue']}"
            continue
        out.append(dict(span))
    return out


def _noun_chunk_of(doc, token, chunks) -> tuple[int, int] | None:
    for chunk in chunks:
        if chunk.start <= token.i < chunk.end:
            if chunk.end - chunk.start <= MAX_NAME_CALLING_TOKENS:
                return chunk.start_char, chunk.end_char
            return None
    return None


_LEXICON_KEYS: dict[int, tuple[PersuasionLexicon, frozenset[str]]] = {}


def _lexicon_keys(lex: PersuasionLexicon) -> frozenset[str]:
    """Every lemma of every technique's table (cached per lexicon object)."""
    cached = _LEXICON_KEYS.get(id(lex))
    if cached is None or cached[0] is not lex:
        cached = (lex, frozenset(k for table in lex.lemmas.values() for k in table))
        _LEXICON_KEYS[id(lex)] = cached
    return cached[1]


def persuasion_spans(doc, sentences: nlp.SentenceIndex, lex: PersuasionLexicon | None = None) -> list[dict]:
    """Persuasion-technique spans of one Doc (before sentence_index / text are filled in); `cue`
    is the lexicon entry (or pattern) that fired."""
    lex = lex or persuasion_lexicon()
    text = nlp.doc_text(doc)
    spans: list[dict] = []
    chunks: list | None = None  # noun chunks, found the first time a label needs them

    def add(technique, start, end, cue):
        start, end = _trim_span(text, start, end)
        if end > start:
            spans.append({"technique": technique, "start": start, "end": end, "cue": cue})

    def lemma_hit(technique, tok, keys) -> str | None:
        table = lex.lemmas[technique]
        for key in keys:
            if key in table:
                pos = table[key]
                if not pos or tok.pos_ == pos or (pos == "NOUN" and tok.pos_ == "PROPN"):
                    return key
        return None

    # Most tokens are in no lexicon: test that once per token before any per-technique work.
    any_key = _lexicon_keys(lex)

    # Sentence-level techniques: the whole sentence is the span, the cue says why.
    sentence_flags: dict[int, dict[str, str]] = {}

    def flag_sentence(technique: str, char: int, cue: str) -> None:
        k = sentences.index(char)
        if k is not pd.NA:
            sentence_flags.setdefault(k, {}).setdefault(technique, cue)

    tokens = nlp.token_attrs(doc)
    for i, keys in enumerate(zip(tokens.lemma, tokens.lower)):
        if keys[0] not in any_key and keys[1] not in any_key:
            continue
        if tokens.is_space[i] or tokens.is_punct[i]:
            continue
        tok = doc[i]
        if cue := lemma_hit("loaded_language", tok, keys):
            start, end = tok.idx, tok.idx + len(tok.text)
            # A loaded adjective or intensifier is annotated with what it qualifies ("flagrant
            # lies", "totally conflicted"): extend to an adjacent head on its right.
            head = tok.head
            if (LOADED_EXTEND_TO_HEAD and tok.dep_ in ("amod", "advmod") and head.i == tok.i + 1
                    and head.pos_ in ("NOUN", "ADJ", "VERB")):
                end = head.idx + len(head.text)
            add("loaded_language", start, end, cue)
        if cue := lemma_hit("name_calling", tok, keys):
            head = tok.head if tok.pos_ == "ADJ" and tok.dep_ == "amod" else tok
            if tok.pos_ == "ADJ" and head is tok:
                continue  # a predicative adjective is loaded language, not a label
            if head.lemma_.lower() == "regime" and head is tok and not any(
                    c.dep_ in ("compound", "amod", "poss", "nmod") for c in head.children):
                continue  # "regime" alone is descriptive; "Kiev regime", "Assad's regime" label
            if chunks is None:
                chunks = list(doc.noun_chunks) if doc.has_annotation("DEP") else []
            span = _noun_chunk_of(doc, head, chunks) or (head.idx, head.idx + len(head.text))
            add("name_calling", span[0], span[1], cue)
        if cue := lemma_hit("doubt", tok, keys):
            flag_sentence("doubt", tok.idx, cue)
    # Pejorative labels of the war's sides from contested_terms.tsv ("Kiev regime", "orcs").
    for pattern in contested_patterns():
        if pattern.technique in WORD_LEVEL_TECHNIQUES:
            for m in pattern.regex.finditer(text):
                add(pattern.technique, m.start(), m.end(), f"contested:{pattern.concept}")
    for technique in ("loaded_language", "name_calling"):
        for entry, regex in lex.phrases[technique]:
            for m in regex.finditer(text):
                add(technique, m.start(), m.end(), entry)
    for entry, regex in lex.phrases["doubt"]:
        for m in regex.finditer(text):
            flag_sentence("doubt", m.start(), entry)
    for regex in lex.fear_explicit:
        for m in regex.finditer(text):
            if ("appeal_to_fear", m.group(0).lower()) not in lex.dropped:
                flag_sentence("appeal_to_fear", m.start(), m.group(0).lower())
    fear_words = lex.lemmas["appeal_to_fear"]
    lower, lemma = tokens.lower, tokens.lemma
    modal_cache: dict[str, bool] = {}

    def is_modal(words: str) -> bool:
        found = modal_cache.get(words)
        if found is None:
            found = modal_cache[words] = lex.fear_modal.fullmatch(words) is not None
        return found

    for _, s_start, s_end, sent in sentences:
        sent_text = text[s_start:s_end].rstrip()
        if sent_text.endswith("?") or sent_text.rstrip("”\"’'»)").endswith("?"):
            flag_sentence("doubt", s_start, "rhetorical question")
        if lex.fear_modal is None:
            continue
        end = sent.end

        def modal_at(j: int, end: int = end) -> bool:  # a modal word, or two words ("going to")
            return is_modal(lower[j]) or (j + 1 < end and is_modal(f"{lower[j]} {lower[j + 1]}"))

        # A fear word counts when a modal stands within FEAR_MODAL_WINDOW tokens before it
        # (and it is no modal itself); fear words are rare, so the modals are looked for
        # around them only.
        for i in [i for i in range(sent.start, end) if lemma[i] in fear_words or lower[i] in fear_words]:
            if modal_at(i):
                continue
            if any(modal_at(j) for j in range(max(sent.start, i - FEAR_MODAL_WINDOW), i)):
                flag_sentence("appeal_to_fear", tokens.idx[i], lemma[i])
    for k, s_start, s_end, _ in sentences:
        for technique, cue in sorted(sentence_flags.get(k, {}).items()):
            end = min(s_end, s_start + MAX_SENTENCE_SPAN_CHARS)
            add(technique, s_start, end, cue)
    return _merge_adjacent(spans, text)
