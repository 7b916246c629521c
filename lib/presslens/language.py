"""Language of the news: persuasion techniques, contested war terms, place-name spellings,
hedges and boosters, and tone.

Everything here is rules-as-data (lexicons in `presslens/resources/`) applied to the spaCy Docs
of `presslens.nlp`, and every finding keeps character offsets into the article `text`:

- `detect_persuasion`: loaded_language, name_calling, doubt, appeal_to_fear spans (SemEval-2023
  Task 3 technique definitions) from `persuasion_lexicon.tsv` and parse patterns;
- `extract_terms`: the Analysis `terms` table: contested terms (`contested_terms.tsv`), Russian-
  vs Ukrainian-style place spellings (`place_spellings.tsv`), hedges and boosters (Hyland 2005,
  `stance_*.txt`) and persuasion cues. `category` says how the writer uses a term:
  contested terms `distance` (scare quotes), `source_quote` (inside someone's quoted words),
  `attributed` (unquoted inside the content of a reported source, given sourcing's attributions)
  or `adopted` (the writer's own voice); places `russian_style` / `ukrainian_style`; hedges,
  boosters and persuasion cues `writer` / `source_quote` / `distance`;
- `spelling_profile` / `spelling_hits`: place spellings per article (text only, no parse);
- `stance`, `tone`, `language_profile`: per-sentence hedging and VADER tone, per-article summary.

`from_doc` is the per-document entry point `presslens.analyze()` calls while streaming Docs.
"""

from __future__ import annotations

import bisect
import csv
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import components, config, nlp, schema
from .regexscan import Anchored, alternation

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
PERSUASION = {**schema.PERSUASION, "sentence_index": "Int64", "cue": "string"}
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

# A quotation this short is a scare quote (the writer holding a word at a distance), not a
# source's quoted speech: "‘liberated.’" vs a quoted sentence.
SCARE_QUOTE_MAX_WORDS = 4
# Span limits so that a parse error cannot turn one label into a paragraph.
MAX_NAME_CALLING_TOKENS = 8
MAX_SENTENCE_SPAN_CHARS = 400
# loaded_language: a loaded modifier's span runs on to the word it qualifies when adjacent.
LOADED_EXTEND_TO_HEAD = True
# appeal_to_fear: a threat word counts when a modal / future / conditional marker precedes it
# within this many tokens of the same sentence ("could lead to a humanitarian crisis").
FEAR_MODAL_WINDOW = 10


# --------------------------------------------------------------------------- resources

def _data_lines(name: str) -> Iterator[str]:
    with config.resource(name).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n")


def _tsv(name: str) -> list[dict]:
    return list(csv.DictReader(_data_lines(name), delimiter="\t", quoting=csv.QUOTE_NONE))


@dataclass(frozen=True)
class PlaceForm:
    form: str
    style: str  # russian_style | ukrainian_style
    place: str  # Ukrainian-style canonical name
    kind: str
    oblast: str


@lru_cache(maxsize=1)
def place_forms() -> dict[str, PlaceForm]:
    """Every spelling of `place_spellings.tsv` -> its style and canonical place. A form listed
    in both styles (none should be) is left out: it cannot tell the styles apart."""
    forms: dict[str, PlaceForm] = {}
    clash: set[str] = set()
    for row in _tsv("place_spellings.tsv"):
        canonical = (row.get("ukrainian_style") or "").strip()
        if not canonical:
            continue
        kind, oblast = (row.get("kind") or "").strip(), (row.get("oblast") or "").strip()
        columns = (("ukrainian_style", "ukrainian_style"), ("ukrainian_variants", "ukrainian_style"),
                   ("russian_style", "russian_style"), ("variants", "russian_style"))
        for column, style in columns:
            for form in (row.get(column) or "").split("|"):
                form = form.strip()
                if not form:
                    continue
                if form in forms and forms[form].style != style:
                    clash.add(form)
                forms.setdefault(form, PlaceForm(form, style, canonical, kind, oblast))
    for form in clash:
        forms.pop(form, None)
    return forms


@lru_cache(maxsize=1)
def _place_regex() -> re.Pattern:
    # Longest forms first so that a hyphenated compound (Kupyansk-Uzlovka) wins over its first
    # part (Kupyansk); case-sensitive, whole words; hyphens around are allowed ("pro-Kiev",
    # "Kyiv-based"), and so are quotation marks and possessives.
    names = sorted(place_forms(), key=lambda s: (-len(s), s))
    return re.compile(rf"(?<!\w){alternation(names)}(?!\w)")


@dataclass(frozen=True)
class ContestedPattern:
    concept: str
    regex: Anchored
    side: str
    neutral: str
    note: str
    technique: str = ""  # persuasion technique a hit also counts as ("" = none)


@lru_cache(maxsize=1)
def contested_patterns() -> tuple[ContestedPattern, ...]:
    out = []
    for row in _tsv("contested_terms.tsv"):
        concept = row["concept"].strip()
        flags = 0
        if concept.startswith("cs:"):
            concept = concept[3:]
        else:
            flags = re.IGNORECASE
        regex = Anchored(re.compile(rf"(?<![\w-])(?:{row['pattern'].strip()})(?![\w-])", flags))
        out.append(ContestedPattern(concept, regex, row["side"].strip(), row["neutral"].strip(),
                                    (row.get("note") or "").strip(), (row.get("technique") or "").strip()))
    return tuple(out)


@dataclass(frozen=True)
class StanceEntry:
    term: str
    constraint: str  # "" | MD | NUM | TO


@lru_cache(maxsize=2)
def stance_lexicon(name: str) -> tuple[dict[str, StanceEntry], tuple[tuple[str, re.Pattern], ...]]:
    """(single-word entries by lowercase form, multi-word phrases as regexes) of a stance list."""
    words: dict[str, StanceEntry] = {}
    phrases = []
    for line in _data_lines(name):
        term, _, constraint = line.strip().partition("/")
        if " " in term:
            phrases.append((term, Anchored(re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE))))
        else:
            words[term.lower()] = StanceEntry(term.lower(), constraint.upper())
    return words, tuple(phrases)


@dataclass(frozen=True)
class PersuasionLexicon:
    lemmas: dict[str, dict[str, str]]  # technique -> {lemma: pos or ""}
    phrases: dict[str, tuple[tuple[str, Anchored], ...]]
    fear_explicit: tuple[Anchored, ...]
    fear_modal: re.Pattern | None
    dropped: frozenset[tuple[str, str]] = frozenset()


@lru_cache(maxsize=2)
def persuasion_lexicon(pruned: bool = True) -> PersuasionLexicon:
    """The persuasion cues: hand-built entries plus those derived from the SemEval train split,
    minus (when `pruned`) the entries the train split showed to be almost never persuasive
    (`use = drop` rows of persuasion_derived.tsv)."""
    lemmas: dict[str, dict[str, str]] = {t: {} for t in TECHNIQUES}
    phrases: dict[str, list] = {t: [] for t in TECHNIQUES}
    fear_explicit: list[Anchored] = []
    fear_modal = None
    protected: set[tuple[str, str]] = set()
    for row in _tsv("persuasion_lexicon.tsv"):
        technique, match, pos = row["technique"].strip(), row["match"].strip(), (row["pos"] or "").strip()
        entries = [e.strip() for e in (row["entries"] or "").split("|") if e.strip()]
        if technique not in lemmas:
            continue
        protected.update((technique, e[1:].lower()) for e in entries if e.startswith("!"))
        entries = [e.lstrip("!") for e in entries]
        if match == "lemma":
            for entry in entries:
                lemmas[technique].setdefault(entry.lower(), pos)
        elif match == "phrase":
            for entry in entries:
                phrases[technique].append(
                    (entry, Anchored(re.compile(rf"(?<![\w-])(?:{entry})(?![\w-])", re.IGNORECASE))))
        elif match == "regex":
            regex = re.compile("|".join(entries), re.IGNORECASE)
            if pos == "MODAL":
                fear_modal = regex
            elif technique == "appeal_to_fear":
                fear_explicit.append(Anchored(regex))
            else:
                phrases[technique].append((entries[0], Anchored(regex)))
    # Entries derived from the SemEval train split (see presslens.evaluate.language.derive_lexicon);
    # hand-built entries keep their part-of-speech restriction where both list a lemma.
    derived = config.RESOURCES_DIR / "persuasion_derived.tsv"
    dropped: set[tuple[str, str]] = set()
    if derived.exists():
        for row in _tsv("persuasion_derived.tsv"):
            use, technique, key = row.get("use", "yes").strip(), row["technique"], row["lemma"].strip().lower()
            if use == "yes" and technique in lemmas:
                lemmas[technique].setdefault(key, row["pos"].strip())
            elif use == "drop" and pruned and (technique, key) not in protected:
                dropped.add((technique, key))
    for technique, key in dropped:
        lemmas.get(technique, {}).pop(key, None)
    kept_phrases = {t: tuple(p for p in ps if (t, p[0].lower()) not in dropped) for t, ps in phrases.items()}
    return PersuasionLexicon(lemmas, kept_phrases, tuple(fear_explicit), fear_modal, frozenset(dropped))


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


# --------------------------------------------------------------------------- quotation marks

# Unambiguous double quotes, and single quotes / straight quotes whose role depends on context.
_OPEN_CLOSE = {"“": "”", "„": "“", "«": "»"}
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class QuoteRegion:
    start: int  # position of the opening mark
    end: int  # position after the closing mark (or the paragraph end when never closed)
    n_words: int  # words inside
    speech: bool = False  # introduced or followed by a speech verb: someone's words

    @property
    def is_scare(self) -> bool:
        return self.n_words <= SCARE_QUOTE_MAX_WORDS and not self.speech


# A short quotation is still quoted speech, not a scare quote, when a speech verb frames it:
# “We will win,” he said. / He said: “Never.”
_SPEECH_AFTER = re.compile(
    r"\s*[,.!?]?\s*(?:(?:he|she|they|it|we|I|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})\s+)?"
    r"(?:said|says|say|told|tells|added|adds|wrote|writes|asked|asks|replied|declared|stated|insisted)\b")
_SPEECH_BEFORE = re.compile(
    r"(?:\b(?:said|says|say|added|adds|wrote|writes|asked|replied|declared|stated)\s*,?|:)\s*$")


def _framed_by_speech(text: str, start: int, end: int) -> bool:
    return bool(_SPEECH_AFTER.match(text, end, min(len(text), end + 60))
                or _SPEECH_BEFORE.search(text, max(0, start - 40), start))


def _is_opening(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/") and (after.isalnum() or after in "‘“\"'…$£€")


def _is_closing(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def quote_regions(text: str) -> list[QuoteRegion]:
    """Quoted stretches of `text`, per paragraph: “…”, „…“, «…», ‘…’, "…", '…'.

    Single quotes double as apostrophes (People’s, troops’), so a ‘ or ' opens a quote only
    after a space or an opening bracket and before a letter, and closes only after a non-space
    and before a non-letter; an unclosed single quote is ignored. An unclosed double quote runs
    to the paragraph's end (news style for quotations that continue into the next paragraph)."""
    regions: list[QuoteRegion] = []
    offset = 0
    for paragraph in _PARAGRAPH.split(text) if text else []:
        start_par = text.find(paragraph, offset)
        offset = start_par + len(paragraph)
        stack: list[tuple[int, str]] = []  # (position, expected closing mark)
        for j, ch in enumerate(paragraph):
            i = start_par + j
            if stack and ch == stack[-1][1] and (ch not in "’'\"" or _is_closing(text, i)):
                begin, _ = stack.pop()
                regions.append(QuoteRegion(begin, i + 1, len(text[begin + 1:i].split()),
                                           _framed_by_speech(text, begin, i + 1)))
            elif ch in _OPEN_CLOSE and not (stack and stack[-1][1] == ch):
                stack.append((i, _OPEN_CLOSE[ch]))
            elif ch == "‘" and _is_opening(text, i):
                stack.append((i, "’"))
            elif ch in "'\"" and _is_opening(text, i):
                stack.append((i, ch))
        for begin, closing in stack:
            if closing in "”“»":
                end = start_par + len(paragraph)
                regions.append(QuoteRegion(begin, end, len(text[begin + 1:end].split()), True))
    regions.sort(key=lambda r: (r.start, r.end))
    return regions


def quote_status(regions: list[QuoteRegion], start: int, end: int) -> str | None:
    """"scare" when [start, end) stands in a short quotation of its own, "source" when inside a
    longer quotation (someone's quoted words), None when in the writer's own voice."""
    inside = [r for r in regions if r.start < start and end <= r.end]
    if not inside:
        return None
    innermost = max(inside, key=lambda r: r.start)
    return "scare" if innermost.is_scare else "source"


# --------------------------------------------------------------------------- text-only finders

def spelling_hits_in_text(text: str) -> list[dict]:
    """Place-name spellings in one text: form, style, place, start, end (text order)."""
    if not text:
        return []
    forms = place_forms()
    out = []
    for m in _place_regex().finditer(text):
        form = forms[m.group(0)]
        out.append({"form": m.group(0), "style": form.style, "place": form.place,
                    "kind": form.kind, "start": m.start(), "end": m.end()})
    return out


def contested_hits_in_text(text: str, regions: list[QuoteRegion] | None = None) -> list[dict]:
    """Contested war terms in one text with whether the writer distances, adopts or quotes them."""
    if not text:
        return []
    regions = quote_regions(text) if regions is None else regions
    out = []
    for pattern in contested_patterns():
        for m in pattern.regex.finditer(text):
            status = quote_status(regions, m.start(), m.end())
            category = {"scare": "distance", "source": "source_quote", None: "adopted"}[status]
            out.append({"term": m.group(0), "canonical": pattern.neutral, "category": category,
                        "quoted": status is not None, "side": pattern.side,
                        "concept": pattern.concept, "start": m.start(), "end": m.end()})
    out.sort(key=lambda r: (r["start"], r["end"], r["concept"]))
    return out


# --------------------------------------------------------------------------- doc helpers

class _Sentences:
    """Character offset -> sentence_index (presslens.nlp.iter_sentences numbering)."""

    def __init__(self, doc):
        self.spans = [(i, s.start_char, s.end_char, s) for i, s in nlp.iter_sentences(doc)]
        self.starts = [s for _, s, _, _ in self.spans]

    def index(self, char: int):
        k = bisect.bisect_right(self.starts, char) - 1
        if k >= 0 and char < self.spans[k][2]:
            return self.spans[k][0]
        return pd.NA

    def __iter__(self):
        return iter(self.spans)


# Speech verbs whose complement clause shifts "will" to "would" (sequence of tenses).
_SPEECH_LEMMAS = frozenset({"say", "tell", "announce", "state", "report", "claim", "warn", "add",
                            "promise", "pledge", "vow", "insist", "declare", "confirm", "write"})


def _is_reported_speech(tok) -> bool:
    verb = tok.head
    return verb.dep_ in ("ccomp", "conj") and verb.head.lemma_ in _SPEECH_LEMMAS


def _stance_hits(doc, lexicon_name: str) -> list[tuple[int, int, str]]:
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


def _persuasion_spans(doc, sentences: _Sentences, lex: PersuasionLexicon | None = None) -> list[dict]:
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


# --------------------------------------------------------------------------- per document

def _attribution_contents(article_id: str, attributions) -> list[tuple[int, int, str]]:
    """(content_start, content_end, source) of the article's attributions from sourcing."""
    out = []
    for row in attributions or []:
        if str(row.get("article_id", article_id)) != article_id:
            continue
        start, end = row.get("content_start"), row.get("content_end")
        if start is None or end is None or pd.isna(start) or pd.isna(end):
            continue
        source = row.get("source_canonical")
        if source is None or pd.isna(source):
            source = row.get("source_text")
        out.append((int(start), int(end), str(source) if source is not None and not pd.isna(source) else ""))
    return out


def from_doc(ctx: components.DocContext) -> dict[str, list[dict]]:
    """Per-document language analysis: rows for the `terms`, `persuasion`, `stance` and `tone`
    tables (see TERMS, PERSUASION, STANCE, TONE for the columns). Never raises on odd input:
    an empty text gives nothing, a broken parse a warning and what could be found."""
    out: dict[str, list[dict]] = {"terms": [], "persuasion": [], "stance": [], "tone": []}
    if ctx.doc is None or not ctx.text.strip():
        return out
    try:
        _analyse_doc(ctx.article_id, ctx.doc, ctx.rows("attributions"), out)
    except (IndexError, ValueError, KeyError, RecursionError) as exc:  # one bad parse must not stop a corpus
        warnings.warn(f"article {ctx.article_id!r}: language analysis incomplete ({exc!r})", stacklevel=2)
    return out


def _analyse_doc(article_id: str, doc, attributions: list[dict], out: dict[str, list[dict]]) -> None:
    text = nlp.doc_text(doc)
    sentences = _Sentences(doc)
    regions = quote_regions(text)
    attributed = _attribution_contents(article_id, attributions)

    def source_of(start: int, end: int):
        for c_start, c_end, source in attributed:
            if c_start <= start and end <= c_end:
                return source
        return pd.NA

    def quoted_info(start: int, end: int) -> tuple[bool, str]:
        status = quote_status(regions, start, end)
        return status is not None, {"scare": "distance", "source": "source_quote", None: "writer"}[status]

    terms = out["terms"]
    for hit in contested_hits_in_text(text, regions):
        source = source_of(hit["start"], hit["end"])
        # In the writer's voice but inside what a source is reported to say: the source's term.
        category = "attributed" if hit["category"] == "adopted" and source is not pd.NA else hit["category"]
        terms.append({"article_id": article_id, "sentence_index": sentences.index(hit["start"]),
                      "kind": "contested_term", "term": hit["term"], "canonical": hit["canonical"],
                      "category": category, "quoted": hit["quoted"], "start": hit["start"],
                      "end": hit["end"], "text": hit["term"], "side": hit["side"],
                      "concept": hit["concept"]})
    for hit in spelling_hits_in_text(text):
        quoted, _ = quoted_info(hit["start"], hit["end"])
        terms.append({"article_id": article_id, "sentence_index": sentences.index(hit["start"]),
                      "kind": "place_spelling", "term": hit["form"], "canonical": hit["place"],
                      "category": hit["style"], "quoted": quoted, "start": hit["start"],
                      "end": hit["end"], "text": hit["form"], "side": pd.NA, "concept": hit["kind"]})
    stance_by_sentence: dict[int, dict[str, list[str]]] = {}
    boosters = _stance_hits(doc, "stance_boosters.txt")
    # "no doubt", "without doubt" are boosters; the hedge "doubt" inside them is not counted.
    hedges = [h for h in _stance_hits(doc, "stance_hedges.txt")
              if not any(b[0] < h[1] and h[0] < b[1] for b in boosters)]
    for kind, hits in (("hedge", hedges), ("booster", boosters)):
        for start, end, entry in hits:
            k = sentences.index(start)
            quoted, voice = quoted_info(start, end)
            terms.append({"article_id": article_id, "sentence_index": k, "kind": kind,
                          "term": text[start:end], "canonical": entry, "category": voice,
                          "quoted": quoted, "start": start, "end": end, "text": text[start:end],
                          "side": pd.NA, "concept": pd.NA})
            if k is not pd.NA:
                stance_by_sentence.setdefault(k, {"hedge": [], "booster": []})[kind].append(text[start:end])
    for span in _persuasion_spans(doc, sentences):
        k = sentences.index(span["start"])
        span_text = text[span["start"]:span["end"]]
        out["persuasion"].append({"article_id": article_id, "technique": span["technique"],
                                  "start": span["start"], "end": span["end"], "text": span_text,
                                  "sentence_index": k, "cue": span["cue"]})
        quoted, voice = quoted_info(span["start"], span["end"])
        terms.append({"article_id": article_id, "sentence_index": k, "kind": span["technique"],
                      "term": span["cue"], "canonical": span["cue"].split("+")[0], "category": voice,
                      "quoted": quoted, "start": span["start"], "end": span["end"],
                      "text": span_text, "side": pd.NA, "concept": pd.NA})
    for row in terms:
        row["source"] = source_of(row["start"], row["end"])
    terms.sort(key=lambda r: (r["start"], r["end"], r["kind"]))
    vader = _vader()
    for k, s_start, s_end, _ in sentences:
        found = stance_by_sentence.get(k, {"hedge": [], "booster": []})
        out["stance"].append({"article_id": article_id, "sentence_index": k, "start": s_start,
                              "end": s_end, "n_hedges": len(found["hedge"]),
                              "n_boosters": len(found["booster"]), "hedges": "; ".join(found["hedge"]),
                              "boosters": "; ".join(found["booster"])})
        scores = vader.polarity_scores(text[s_start:s_end])
        out["tone"].append({"article_id": article_id, "sentence_index": k, "start": s_start,
                            "end": s_end, "compound": scores["compound"], "pos": scores["pos"],
                            "neu": scores["neu"], "neg": scores["neg"]})


# --------------------------------------------------------------------------- DataFrame level

components.register("language", assigns={"terms": TERMS, "persuasion": PERSUASION, "stance": STANCE,
                                         "tone": TONE},
                    requires=("attributions",), from_doc=from_doc)


def _run(articles: pd.DataFrame, docs: Mapping | None,
         attributions: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The language tables of `articles`; the attributions only when given (without them a
    contested term in a source's reported words counts as the writer's)."""
    if attributions is None:
        attributions = schema.empty(schema.ATTRIBUTIONS)
    return components.run(articles, ["terms", "persuasion", "stance", "tone"], docs=docs,
                          given={"attributions": attributions})


def _frame(rows: Iterable[dict] | pd.DataFrame, columns: dict[str, str], sort: list[str]) -> pd.DataFrame:
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if len(df):
        df = df.sort_values(sort, kind="stable")
    return schema.conform(df, columns)


def detect_persuasion(articles: pd.DataFrame, docs: Mapping | None = None) -> pd.DataFrame:
    """Persuasion-technique spans: `article_id, technique, start, end, text, sentence_index, cue`.
    technique in TECHNIQUES; doubt and appeal_to_fear spans are whole sentences (the cue says
    which word or pattern fired), loaded_language and name_calling spans are words/phrases."""
    return _frame(_run(articles, docs)["persuasion"], PERSUASION, ["article_id", "start", "end", "technique"])


def extract_terms(articles: pd.DataFrame, docs: Mapping | None = None,
                  attributions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Analysis `terms` table (see TERMS): contested terms, place spellings, hedges, boosters
    and persuasion cues with offsets, category and whether they stand in quotation marks.

    category of a contested term: `distance` (scare quotes), `source_quote` (inside someone's
    quoted words), `attributed` (unquoted, but inside the content of an attribution: pass
    `attributions` from presslens.sourcing, which analyze() does), else `adopted`."""
    return _frame(_run(articles, docs, attributions)["terms"], TERMS, ["article_id", "start", "end", "kind"])


def stance(articles: pd.DataFrame, docs: Mapping | None = None) -> pd.DataFrame:
    """Per sentence: counts and forms of hedges and boosters (spans in `extract_terms`)."""
    return _frame(_run(articles, docs)["stance"], STANCE, ["article_id", "sentence_index"])


def tone(articles: pd.DataFrame, docs: Mapping | None = None) -> pd.DataFrame:
    """Per sentence VADER scores. Print TONE_CAVEAT wherever these are shown."""
    return _frame(_run(articles, docs)["tone"], TONE, ["article_id", "sentence_index"])


def spelling_hits(articles: pd.DataFrame) -> pd.DataFrame:
    """Place-name spellings: `article_id, form, style, place, start, end` (no parse needed)."""
    rows = []
    if articles is not None and len(articles):
        for article_id, text in zip(articles["article_id"].astype(str), articles["text"].fillna("")):
            for hit in spelling_hits_in_text(str(text)):
                rows.append({"article_id": article_id, **hit})
    return _frame(rows, SPELLING_HITS, ["article_id", "start"])


def summarize_spellings(hits: pd.DataFrame, article_ids: Iterable[str] = ()) -> pd.DataFrame:
    """Per article: n_russian_style, n_ukrainian_style, share_russian_style (NaN with no hits)
    from a hits table (`spelling_hits`, or the place_spelling rows of `terms` with
    style = category)."""
    ids = sorted(set(map(str, article_ids)) | set(hits["article_id"].astype(str)))
    style_col = "style" if "style" in hits.columns else "category"
    counts = (hits.assign(article_id=hits["article_id"].astype(str))
              .groupby(["article_id", style_col]).size().unstack(fill_value=0))
    out = pd.DataFrame({"article_id": ids})
    for style in ("russian_style", "ukrainian_style"):
        col = counts[style] if style in counts.columns else pd.Series(dtype="int64")
        out[f"n_{style}"] = out["article_id"].map(col).fillna(0).astype("Int64")
    total = out["n_russian_style"] + out["n_ukrainian_style"]
    out["share_russian_style"] = (out["n_russian_style"] / total.where(total > 0)).astype("float64")
    out["article_id"] = out["article_id"].astype("string")
    return out


def spelling_profile(articles: pd.DataFrame) -> pd.DataFrame:
    """Per article: n_russian_style, n_ukrainian_style, share_russian_style. The hits table
    (`article_id, form, style, place, start, end`) is in `.attrs["hits"]` (and `spelling_hits`)."""
    ids = articles["article_id"].astype(str) if articles is not None and len(articles) else []
    hits = spelling_hits(articles)
    profile = summarize_spellings(hits, ids)
    profile.attrs["hits"] = hits
    return profile


def language_profile(articles: pd.DataFrame, docs: Mapping | None = None,
                     tables: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Per-article summary: tone (mean, min, share of negative sentences), hedges and boosters
    per 1,000 words, place spellings, contested terms by category, persuasion spans by technique.
    `tables` may pass already computed `terms`, `stance`, `tone` (e.g. an Analysis's)."""
    if tables is None:
        raw = _run(articles, docs)
        tables = {"terms": _frame(raw["terms"], TERMS, ["article_id", "start"]),
                  "tone": _frame(raw["tone"], TONE, ["article_id", "sentence_index"])}
    terms, tone_table = tables["terms"], tables["tone"]
    ids = sorted(articles["article_id"].astype(str)) if articles is not None and len(articles) else []
    out = pd.DataFrame({"article_id": ids})
    if not ids:
        return out.astype({"article_id": "string"})
    n_words = dict(zip(articles["article_id"].astype(str),
                       articles["text"].fillna("").astype(str).str.split().str.len()))
    out["n_words"] = out["article_id"].map(n_words).astype("Int64")
    tone_by = tone_table.assign(article_id=tone_table["article_id"].astype(str)).groupby("article_id")["compound"]
    out["n_sentences"] = out["article_id"].map(tone_by.size()).fillna(0).astype("Int64")
    out["tone_mean"] = out["article_id"].map(tone_by.mean()).astype("float64")
    out["tone_min"] = out["article_id"].map(tone_by.min()).astype("float64")
    out["share_negative_sentences"] = out["article_id"].map(
        tone_by.apply(lambda s: float((s <= -0.05).mean()))).astype("float64")
    t = terms.assign(article_id=terms["article_id"].astype(str))
    per_1k = 1000 / out["n_words"].where(out["n_words"] > 0).astype("float64")
    for kind in ("hedge", "booster"):
        n = out["article_id"].map(t[t["kind"] == kind].groupby("article_id").size()).fillna(0)
        out[f"n_{kind}s"] = n.astype("Int64")
        out[f"{kind}s_per_1k_words"] = (n * per_1k).astype("float64")
    places = t[t["kind"] == "place_spelling"]
    spell = summarize_spellings(places[["article_id", "category"]], ids)
    out = out.merge(spell.assign(article_id=spell["article_id"].astype(str)), on="article_id", how="left")
    contested = t[t["kind"] == "contested_term"]
    for category in ("adopted", "distance", "source_quote"):
        n = contested[contested["category"] == category].groupby("article_id").size()
        out[f"n_contested_{category}"] = out["article_id"].map(n).fillna(0).astype("Int64")
    ru = contested[(contested["side"] == "RU") & (contested["category"] == "adopted")].groupby("article_id").size()
    out["n_ru_terms_adopted"] = out["article_id"].map(ru).fillna(0).astype("Int64")
    for technique in TECHNIQUES:
        n = t[t["kind"] == technique].groupby("article_id").size()
        out[f"n_{technique}"] = out["article_id"].map(n).fillna(0).astype("Int64")
    out["article_id"] = out["article_id"].astype("string")
    return out
