"""The registry of analyses: each analysis is a component that declares what it produces and
what it needs, in the spirit of spaCy's `Language.component(assigns=, requires=)`.

A component has a name, the tables it assigns (with their columns and dtypes), the tables it
requires from other components, its default settings, and up to three steps:

- `from_doc(ctx)`: one parsed article in, rows per table out (`{"claims": [row dicts]}`);
  `ctx` is a `DocContext` carrying the Doc, the article's metadata, the language decided for it
  once, the rows other components produced for this article so far, and the settings;
- `prepare(docs)`: optional, once per parse batch before `from_doc` (a model scoring the
  sentences of 32 articles in one call);
- `finalize(ctx)`: optional, once per corpus on the collected tables (`CorpusContext`): claim
  clustering, source profiles.

`analyze()` and the DataFrame-level functions of every analysis (`extract_claims`, ...) run
components through this module, so there is one path from a Doc to a table. Components never
import each other: one that reads another's rows lists its tables in `requires`, and the
runner orders components by those. Built-in analyses register themselves when their package
is imported; `registered()` imports them.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from . import boilerplate, nlp, schema

BUILTIN_MODULES = ("presslens.sourcing", "presslens.claims", "presslens.framing",
                   "presslens.language", "presslens.profiles")

# Tables every run has before any component: the articles themselves and their sentences.
BASE_TABLES = ("articles",)


@dataclass
class DocContext:
    """What a component's `from_doc` sees of one article.

    Attributes
    ----------
    article_id : str
    doc : spacy.tokens.Doc
        The parse, shared by every component (read `presslens.nlp`'s per-Doc views).
    article : Mapping
        The article's fields other than `text` (outlet, published, title, url...); missing
        values are None.
    language : str or None
        The article's language, decided once by the runner: the record's own `language` when
        it has one, else a guess from the parse.
    english : bool
        Whether the English rules are meaningful for the article.
    tables : dict
        Rows other components produced for this article so far, by table name.
    settings : Mapping
        The component's settings: its defaults, updated by the caller's.
    """

    article_id: str
    doc: Any
    article: Mapping[str, Any] = field(default_factory=dict)
    language: str | None = None
    english: bool = True
    tables: dict[str, list[dict]] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return nlp.doc_text(self.doc)

    def rows(self, table: str) -> list[dict]:
        """This article's rows of another component's table (empty when none ran)."""
        return self.tables.get(table) or []

    @classmethod
    def of(cls, article_id: str, doc, analysis: str | None = None, language: str | None = "en",
           tables: Mapping[str, list[dict]] | None = None, **settings) -> DocContext:
        """A context for calling one analysis's `from_doc` by hand (tests, scripts): its
        defaults (when `analysis` names it) updated by `settings`."""
        status = language_status(doc, language)
        merged = get(analysis).settings(settings) if analysis else MappingProxyType(dict(settings))
        return cls(article_id=str(article_id), doc=doc, article={"language": language},
                   language=status.language, english=status.english,
                   tables=dict(tables or {}), settings=merged)


@dataclass
class CorpusContext:
    """What a component's `finalize` sees: the articles, every table collected so far, and
    the component's settings."""

    articles: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    settings: Mapping[str, Any] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]


@dataclass(frozen=True)
class Component:
    """One registered analysis (see the module docstring). `doc_tables` are the tables its
    `from_doc` fills; the others of `assigns` come from its `finalize`."""

    name: str
    assigns: Mapping[str, Mapping[str, str]]
    requires: tuple[str, ...] = ()
    from_doc: Callable[[DocContext], dict[str, list[dict]]] | None = None
    prepare: Callable[[Sequence[Any]], None] | None = None
    finalize: Callable[[CorpusContext], dict[str, pd.DataFrame]] | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    doc_tables: tuple[str, ...] = ()
    languages: tuple[str, ...] | None = ("en",)

    def runs_on(self, status: LanguageStatus) -> bool:
        """Whether `from_doc` runs on an article of this language: English-rule analyses
        (`languages=("en",)`) skip other languages; `languages=None` runs on any article
        and reads `ctx.english` itself."""
        return self.languages is None or status.english or status.empty

    def settings(self, overrides: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        """The defaults updated by `overrides`; an unknown setting is a TypeError."""
        merged = dict(self.defaults)
        for key, value in (overrides or {}).items():
            if key not in merged:
                raise TypeError(f"analysis {self.name!r} has no setting {key!r}; it has {sorted(merged)}")
            merged[key] = value
        return MappingProxyType(merged)


_REGISTRY: dict[str, Component] = {}


def register(name: str, *, assigns: Mapping[str, Mapping[str, str]], requires: Iterable[str] = (),
             from_doc: Callable | None = None, prepare: Callable | None = None,
             finalize: Callable | None = None, defaults: Mapping[str, Any] | None = None,
             doc_tables: Iterable[str] | None = None,
             languages: Iterable[str] | None = ("en",)) -> Component:
    """Register an analysis; registering a name again replaces it. `doc_tables`: the tables
    `from_doc` fills (default: all of `assigns` without a `finalize`, none without a
    `from_doc`; say it when a component has both). `languages`: the article languages its
    rules are for (default English; None when it handles any language itself). Articles in
    other languages are skipped and say so in the `article_status` table."""
    if from_doc is None and finalize is None:
        raise ValueError(f"analysis {name!r} needs from_doc, finalize or both")
    if doc_tables is None:
        if from_doc is not None and finalize is not None:
            raise ValueError(f"analysis {name!r} has from_doc and finalize: say which tables from_doc fills")
        doc_tables = assigns if finalize is None else ()
    doc_tables = tuple(doc_tables)
    if set(doc_tables) - set(assigns):
        raise ValueError(f"analysis {name!r}: doc_tables {sorted(set(doc_tables) - set(assigns))} "
                         "are not in assigns")
    for other in _REGISTRY.values():
        clash = set(other.assigns) & set(assigns)
        if other.name != name and clash:
            raise ValueError(f"analysis {name!r} assigns {sorted(clash)}, which {other.name!r} "
                             "already assigns")
    component = Component(
        name=name, assigns=MappingProxyType({t: MappingProxyType(dict(c)) for t, c in assigns.items()}),
        requires=tuple(requires), from_doc=from_doc, prepare=prepare, finalize=finalize,
        defaults=MappingProxyType(dict(defaults or {})), doc_tables=doc_tables,
        languages=None if languages is None else tuple(languages))
    _REGISTRY[name] = component
    return component


def registered() -> dict[str, Component]:
    """Every registered analysis by name: the built-in ones first, in the order of
    BUILTIN_MODULES (whatever order they were imported in), then any others as registered."""
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    order = list(_REGISTRY)

    def rank(name: str) -> tuple[int, int]:
        step = _REGISTRY[name].from_doc or _REGISTRY[name].finalize
        module = getattr(step, "__module__", "")
        builtin = next((k for k, m in enumerate(BUILTIN_MODULES) if module == m or module.startswith(m + ".")),
                       len(BUILTIN_MODULES))
        return (-1 if module == __name__ else builtin, order.index(name))

    return {name: _REGISTRY[name] for name in sorted(order, key=rank)}


def get(name: str) -> Component:
    components = registered()
    if name not in components:
        raise KeyError(f"no analysis {name!r}; registered: {sorted(components)}")
    return components[name]


def producers() -> dict[str, str]:
    """Table name -> the analysis that assigns it."""
    return {table: c.name for c in registered().values() for table in c.assigns}


def table_schemas() -> dict[str, Mapping[str, str]]:
    """Table name -> columns and dtypes, for every table an analysis assigns and the runner's
    own `article_status`."""
    return {**RUNNER_TABLES, **{table: columns for c in ordered() for table, columns in c.assigns.items()}}


def ordered(names: Iterable[str] | None = None) -> list[Component]:
    """Components in an order where each comes after the producers of what it requires;
    with `names`, those and everything they need. Ties keep registration order."""
    components = registered()
    made_by = producers()
    wanted = list(components) if names is None else list(names)
    needed: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in needed:
            return
        if name in path:
            raise ValueError(f"analyses require each other in a cycle: {' -> '.join(path + (name,))}")
        if name not in components:
            raise KeyError(f"no analysis {name!r}; registered: {sorted(components)}")
        for table in components[name].requires:
            if table in BASE_TABLES:
                continue
            if table not in made_by:
                raise KeyError(f"analysis {name!r} requires table {table!r}, which no analysis assigns")
            if made_by[table] != name:
                visit(made_by[table], path + (name,))
        needed.append(name)

    for name in sorted(wanted, key=list(components).index):
        visit(name, ())
    return [components[n] for n in needed]


# --------------------------------------------------------------------------- language, once

@dataclass(frozen=True)
class LanguageStatus:
    language: str | None
    english: bool
    empty: bool


def language_status(doc, declared: str | None) -> LanguageStatus:
    """The one decision on an article's language that every analysis shares: the record's own
    `language` when it has one; else English when the parse looks English (the share of
    English stop words, `nlp.looks_english`), else langdetect's guess."""
    text = nlp.doc_text(doc) if doc is not None else ""
    if not text.strip():
        return LanguageStatus(None if schema.is_missing(declared) else declared, False, True)
    if isinstance(declared, str) and declared and not schema.is_missing(declared):
        return LanguageStatus(declared, declared in ("en", "und"), False)
    if nlp.looks_english(doc):
        return LanguageStatus("en", True, False)
    guess = nlp.guess_language(text)
    return LanguageStatus(guess, guess in (None, "en"), False)


def warn_language(article_id: str, status: LanguageStatus) -> None:
    """One warning per article whose analysis means little: empty or not English."""
    if status.empty:
        warnings.warn(f"article {article_id!r}: empty text, nothing to analyse", stacklevel=3)
    elif not status.english:
        what = f"language {status.language!r}" if status.language else "the text does not look English"
        warnings.warn(f"article {article_id!r}: {what}; the English rules and models are not "
                      "meaningful for it", stacklevel=3)


# --------------------------------------------------------------------------- running

# The table the runner itself fills: one row per article saying what was done with it.
ARTICLE_STATUS = {
    "article_id": "string",
    "language": "string",  # as decided once for every analysis (record's own, else detected)
    "status": "string",    # "analysed", "skipped: language xx", "skipped: empty text"
    "skipped": "string",   # the analyses that did not run on it, comma-separated
}
# Page furniture found in the article text (presslens.boilerplate): parsed as blanks, so no
# analysis finds anything in it, and listed here with the reason.
BOILERPLATE = {
    "article_id": "string",
    "start": "Int64",
    "end": "Int64",
    "reason": "string",
    "rule": "string",
    "text": "string",
}
RUNNER_TABLES = {"article_status": ARTICLE_STATUS, "boilerplate": BOILERPLATE}
# A row whose span (a cue for attributions) is more than this share furniture is dropped: the
# masking leaves nothing to find there; this catches a span a Doc given by the caller has.
BOILERPLATE_DROP_SHARE = 0.5


@dataclass(frozen=True)
class ArticleInput:
    """An article as the runner hands it to the parser: the text to parse (page furniture
    blanked with spaces, so every offset still points into the original text) and the
    furniture's table rows."""

    parse_text: str
    boilerplate: list[dict]


def article_input(article_id: str, text: str, title: str | None = None,
                  exclude_boilerplate: bool = True, marked=None) -> ArticleInput:
    """The text to parse and the furniture of one article. `marked`: the spans
    `load_articles` already found (its `boilerplate` column: [start, end, reason, rule]); else
    they are found here."""
    if not exclude_boilerplate or not text:
        return ArticleInput(text or "", [])
    if isinstance(marked, (list, tuple)):
        spans = [boilerplate.Boilerplate(int(m[0]), int(m[1]), str(m[2]), str(m[3]) if len(m) > 3 else "")
                 for m in marked]
    else:
        spans = boilerplate.find_boilerplate(text, title if isinstance(title, str) else None)
    rows = [{"article_id": article_id, "start": b.start, "end": b.end, "reason": b.reason,
             "rule": b.rule, "text": text[b.start:b.end]} for b in spans]
    return ArticleInput(boilerplate.mask_text(text, spans) if spans else text, rows)


def _drop_in_furniture(rows: list[dict], index) -> list[dict]:
    def inside(row: dict) -> bool:
        for start_key, end_key in (("cue_start", "cue_end"), ("start", "end")):
            start, end = row.get(start_key), row.get(end_key)
            if start_key in row and not schema.is_missing(start) and not schema.is_missing(end):
                return index.coverage(int(start), int(end)) > BOILERPLATE_DROP_SHARE
        return False

    return [row for row in rows if not inside(row)]


def status_text(status: LanguageStatus) -> str:
    if status.empty:
        return "skipped: empty text"
    if not status.english:
        return f"skipped: language {status.language or 'unknown'}"
    return "analysed"


def run_doc(components: Sequence[Component], article_id: str, article: Mapping[str, Any], doc,
            settings: Mapping[str, Mapping[str, Any]] | None = None,
            given: Mapping[str, list[dict]] | None = None,
            warn: bool = True, furniture: Sequence[dict] = ()) -> dict[str, list[dict]]:
    """Every component's `from_doc` on one article, in order; rows per table, plus the
    article's `article_status` row. Analyses whose rules are not for the article's language
    are skipped (and listed in the status row)."""
    status = language_status(doc, article.get("language"))
    if warn:
        warn_language(article_id, status)
    tables: dict[str, list[dict]] = {t: list(rows) for t, rows in (given or {}).items()}
    out: dict[str, list[dict]] = {}
    skipped = [c.name for c in components if c.from_doc is not None and not c.runs_on(status)]
    out["article_status"] = [{"article_id": article_id, "language": status.language,
                              "status": status_text(status), "skipped": ",".join(skipped)}]
    out["boilerplate"] = list(furniture)
    furniture_index = boilerplate.BoilerplateIndex((r["start"], r["end"]) for r in furniture)
    for component in components:
        if component.from_doc is None or component.name in skipped:
            continue
        ctx = DocContext(article_id=article_id, doc=doc, article=article, language=status.language,
                         english=status.english, tables=tables,
                         settings=component.settings((settings or {}).get(component.name)))
        with warnings.catch_warnings():
            if not status.english or status.empty:  # said once above, not once per analysis
                warnings.simplefilter("ignore")
            produced = component.from_doc(ctx)
        for table, rows in produced.items():
            if furniture_index:
                rows = _drop_in_furniture(rows, furniture_index)
            out.setdefault(table, []).extend(rows)
            tables[table] = rows
    return out


def prepare_batch(components: Sequence[Component], docs: Sequence[Any]) -> None:
    for component in components:
        if component.prepare is not None:
            component.prepare(docs)


def finalize(components: Sequence[Component], articles: pd.DataFrame,
             tables: dict[str, pd.DataFrame],
             settings: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, pd.DataFrame]:
    """Every component's corpus-level step, in order; `tables` updated in place and returned."""
    for component in components:
        if component.finalize is None:
            continue
        ctx = CorpusContext(articles=articles, tables=tables,
                            settings=component.settings((settings or {}).get(component.name)))
        tables.update(component.finalize(ctx))
    return tables


def conform_doc_tables(components: Sequence[Component], frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The per-document tables of `components` and the runner's own, each conformed to its
    declared schema."""
    out = {name: schema.conform(frames.get(name), dict(columns)) for name, columns in RUNNER_TABLES.items()}
    for component in components:
        for table in component.doc_tables:
            out[table] = schema.conform(frames.get(table), dict(component.assigns[table]))
    return out


def run(articles: pd.DataFrame, wanted: Iterable[str], docs: Mapping[str, Any] | None = None,
        given: Mapping[str, pd.DataFrame | None] | None = None,
        settings: Mapping[str, Mapping[str, Any]] | None = None,
        exclude_boilerplate: bool = True) -> dict[str, pd.DataFrame]:
    """The tables `wanted` for `articles`, computing what they need: the DataFrame-level entry
    of every analysis. `given` supplies tables the caller already has (they are not computed
    again); `docs` maps article_id -> Doc (else the articles are parsed through the cache, page
    furniture blanked unless `exclude_boilerplate=False`); `settings` maps an analysis name to
    its settings."""
    wanted = list(wanted)
    made_by = producers()
    given = {k: v for k, v in (given or {}).items() if v is not None}
    names = [made_by[t] for t in wanted if t not in given]
    components = [c for c in ordered(dict.fromkeys(names))
                  if not (set(c.assigns) <= set(given))]
    rows: dict[str, list[dict]] = {}
    given_rows = {t: _rows_by_article(df) for t, df in given.items()}
    if articles is not None and len(articles):
        ids = articles["article_id"].astype(str).tolist()
        texts = articles["text"].fillna("").astype(str).tolist()
        titles = articles["title"].tolist() if "title" in articles.columns else [None] * len(ids)
        marks = articles["boilerplate"].tolist() if "boilerplate" in articles.columns else [None] * len(ids)
        inputs = [article_input(a, t, title, exclude_boilerplate, m)
                  for a, t, title, m in zip(ids, texts, titles, marks)]
        to_parse = articles if docs is not None else articles.assign(text=[i.parse_text for i in inputs])
        for (article_id, article, doc), prepared in zip(nlp.article_docs(to_parse, docs), inputs):
            prepare_batch(components, [doc])
            supplied = {t: by.get(article_id, []) for t, by in given_rows.items()}
            for table, table_rows in run_doc(components, article_id, article, doc, settings,
                                             supplied, furniture=prepared.boilerplate).items():
                rows.setdefault(table, []).extend(table_rows)
    frames = {t: pd.DataFrame(r) for t, r in rows.items()}
    tables: dict[str, pd.DataFrame] = {**given, **conform_doc_tables(components, frames)}
    finalize(components, articles if articles is not None else pd.DataFrame(), tables, settings)
    return {t: tables[t] for t in wanted}


def _rows_by_article(df: pd.DataFrame) -> dict[str, list[dict]]:
    if df is None or len(df) == 0 or "article_id" not in df.columns:
        return {}
    out: dict[str, list[dict]] = {}
    for row in df.astype(object).where(df.notna(), None).to_dict("records"):
        out.setdefault(str(row["article_id"]), []).append(row)
    return out


def _sentences(ctx: DocContext) -> dict[str, list[dict]]:
    return {"sentences": nlp.sentence_rows(ctx.article_id, ctx.doc)}


register("sentences", assigns={"sentences": schema.SENTENCES}, from_doc=_sentences, languages=None)
