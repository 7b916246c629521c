"""The language analysis's tables (columns and dtypes), its technique names, and the caveat
every tone figure is shown with."""

from __future__ import annotations

from .. import schema

TONE_CAVEAT = (
    "Tone is VADER's compound score (-1 very negative .. +1 very positive) per sentence. VADER was "
    "built for social-media English, not news; tone is not stance or bias: in war reporting, "
    "negative words are often just the events (shelling, deaths), so a negative score says what "
    "happened as much as how the outlet writes about it. Compare outlets on the same events only."
)

TECHNIQUES = ("loaded_language", "name_calling", "doubt", "appeal_to_fear")
# SemEval-2023 Task 3 label -> presslens technique name.
SEMEVAL_TECHNIQUES = {
    "Loaded_Language": "loaded_language",
    "Name_Calling-Labeling": "name_calling",
    "Doubt": "doubt",
    "Appeal_to_Fear-Prejudice": "appeal_to_fear",
}
# Techniques whose spans are words or phrases; the others' spans are sentences.
WORD_LEVEL_TECHNIQUES = ("loaded_language", "name_calling")
TERM_KINDS = ("contested_term", "place_spelling", "hedge", "booster") + TECHNIQUES

TERMS = {
    "article_id": "string",
    "sentence_index": "Int64",
    "kind": "string",
    "term": "string",
    "canonical": "string",
    "category": "string",  # see the module docstring
    "quoted": "boolean",  # inside quotation marks of any kind
    "start": "Int64",
    "end": "Int64",
    "text": "string",  # text[start:end]; for sentence-level techniques the whole sentence
    "side": "string",  # contested terms: RU | UA | neutral
    "concept": "string",  # contested terms: the concept; places: kind of place
    "source": "string",  # source_canonical of the attribution whose content holds the term
}
# The rule layer's cue spans (`lexicon_persuasion`).
LEXICON_PERSUASION = {**schema.PERSUASION, "sentence_index": "Int64", "cue": "string"}
# The trained model's findings (`detect_persuasion`): the evidence spans of each flagged paragraph.
PERSUASION = {
    **LEXICON_PERSUASION,  # cue: the lexicon entry, or the model's strongest n-gram where the lexicon has none
    "evidence": "string",  # lexicon | model
    "score": "float64",  # the paragraph's probability for the technique
    "paragraph_start": "Int64",
    "paragraph_end": "Int64",
    "drivers": "string",  # the paragraph's strongest words for the technique, "; "-joined
    "model": "string",  # which encoder decided: ngrams | ngrams+all-MiniLM-L6-v2
}
SPELLING_HITS = {
    "article_id": "string",
    "form": "string",
    "style": "string",
    "place": "string",
    "start": "Int64",
    "end": "Int64",
}
STANCE = {
    "article_id": "string",
    "sentence_index": "Int64",
    "start": "Int64",
    "end": "Int64",
    "n_hedges": "Int64",
    "n_boosters": "Int64",
    "hedges": "string",  # the matched forms, "; "-joined, in text order
    "boosters": "string",
}
TONE = {
    "article_id": "string",
    "sentence_index": "Int64",
    "start": "Int64",
    "end": "Int64",
    "compound": "float64",
    "pos": "float64",
    "neu": "float64",
    "neg": "float64",
}
