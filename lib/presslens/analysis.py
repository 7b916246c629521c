"""analyze(): parse each article once, run every analysis on the parse, keep the results.

The corpus is streamed in partitions: each partition's texts are parsed (or read from the
parse cache) and every analysis's `from_doc` runs on the Docs of one parse batch (DOC_GROUP,
32) before the next batch is taken, so Docs are never all in memory. Corpus-level steps (claim clustering, source profiles) run on
the collected rows. Results are cached as Parquet under a fingerprint of the corpus, the
pipeline and the package's rules, so rerunning a notebook on the same corpus recomputes
nothing. Partitions can run in local worker processes (`n_process`) or on a Dask cluster
(`engine="dask"`); both use `analyze_partition`, so results are the same row for row.
"""

from __future__ import annotations

import gc
import hashlib
import math
import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from . import __version__, components, config, nlp, resultcache, schema

# Docs analysed together where an analysis batches work across articles (the parser's batch).
DOC_GROUP = 32
# What could not be analysed: one row per article (or corpus-level step) that failed.
ERRORS_TABLE = "errors"
ERRORS = {"article_id": "string", "stage": "string", "error": "string", "message": "string"}
ERRORS_MODES = ("report", "raise")


class Analysis:
    """The result of `analyze`: tidy DataFrames sharing `article_id` and character offsets
    into `articles.text`.

    Attributes
    ----------
    articles : pandas.DataFrame
        The articles analysed.
    fingerprint : str
        Identifies the corpus, the spaCy pipeline and the package's rules; names the result
        cache folder.
    <table> : pandas.DataFrame
        One attribute per table that a registered analysis assigns (`presslens.components`):
        `sentences`, `attributions`, `claims`, `claim_clusters`, `frames`, `frame_evidence`,
        `terms`, `persuasion`, `tone`, ... `table_names()` lists them.

    Examples
    --------
    >>> result = presslens.analyze(articles)                    # doctest: +SKIP
    >>> result.claims.sort_values("check_worthiness").tail()    # doctest: +SKIP
    >>> result.article("seed-kharkiv")["attributions"]          # doctest: +SKIP
    >>> result.save("results/may"); presslens.Analysis.load("results/may")  # doctest: +SKIP
    """

    def __init__(self, articles: pd.DataFrame | None = None, fingerprint: str = "",
                 errors: pd.DataFrame | None = None, **tables: pd.DataFrame) -> None:
        schemas = components.table_schemas()
        unknown = sorted(set(tables) - set(schemas))
        if unknown:
            raise TypeError(f"Analysis has no table {unknown[0]!r}; its tables: {sorted(schemas)}")
        self.articles = articles if articles is not None else schema.empty(schema.ARTICLES)
        for name, columns in schemas.items():
            table = tables.get(name)
            setattr(self, name, table if table is not None else schema.empty(dict(columns)))
        self.errors = schema.conform(errors, ERRORS)
        self.fingerprint = fingerprint

    @classmethod
    def table_names(cls) -> list[str]:
        """`articles`, every registered analysis's tables in the order they are made, then
        `errors` (what could not be analysed: article_id, stage, error, message)."""
        return ["articles", *components.table_schemas(), ERRORS_TABLE]

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in self.table_names()}

    def article(self, article_id: str) -> dict[str, pd.DataFrame]:
        """Every table restricted to one article."""
        return {name: df[df["article_id"] == article_id] if "article_id" in df.columns else df
                for name, df in self.tables().items()}

    def save(self, directory: Path | str) -> Path:
        """Write one Parquet file per table, atomically (a temp folder renamed into place)."""
        return resultcache.save_tables(self.tables(), directory, meta={"fingerprint": self.fingerprint})

    @classmethod
    def load(cls, directory: Path | str) -> Analysis:
        """A set written by `save`, verified first (`resultcache.CacheDamaged` when a table is
        missing or its file changed)."""
        tables, meta = resultcache.load_tables(directory, expected=cls.table_names())
        schemas = components.table_schemas()
        known = {k: schema.conform(v, dict(schemas[k])) if k in schemas else v
                 for k, v in tables.items() if k in cls.table_names()}
        return cls(**known, fingerprint=meta.get("fingerprint", ""))

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(df)}" for name, df in self.tables().items())
        return f"Analysis({sizes})"


# --------------------------------------------------------------------------- fingerprints

def rules_hash() -> str:
    """Hash of the package's code and of every rule file in resources/: a changed lexicon or
    analysis invalidates cached results (a developer's edit as much as a new release)."""
    h = hashlib.sha256(__version__.encode())
    files = [*config.PACKAGE_DIR.rglob("*.py"), *config.RESOURCES_DIR.rglob("*")]
    for path in sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(config.PACKAGE_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def corpus_fingerprint(articles: pd.DataFrame) -> str:
    """Identifies a corpus by its ids, texts and the metadata the analyses use."""
    h = hashlib.sha256()
    cols = [c for c in ("article_id", "outlet", "published", "title", "language") if c in articles.columns]
    # str() per value: under pandas 3, astype(str) leaves missing values as NaN floats.
    for row in articles[cols].itertuples(index=False):
        h.update("\x1f".join("<NA>" if schema.is_missing(v) else str(v) for v in row).encode("utf-8", "surrogatepass"))
    for text in articles["text"].tolist():
        h.update(nlp.text_hash("" if schema.is_missing(text) else str(text)).encode())
    return h.hexdigest()[:20]


# --------------------------------------------------------------------------- the per-partition work

class AnalysisError(RuntimeError):
    """An article could not be analysed, with `analyze(..., errors="raise")`."""


def error_row(article_id: str | None, stage: str, exc: BaseException) -> dict:
    """One row of the errors table: which article, at which stage, what went wrong."""
    message = (str(exc).strip().splitlines() or [""])[0]
    return {"article_id": article_id, "stage": stage, "error": type(exc).__name__,
            "message": message[:300]}


def _fail(article_id: str | None, stage: str, exc: Exception, errors: str,
          failures: list[dict]) -> None:
    if errors == "raise":
        what = f"article {article_id!r}" if article_id is not None else "the corpus"
        raise AnalysisError(f"{what}, {stage}: {type(exc).__name__}: {exc}") from exc
    failures.append(error_row(article_id, stage, exc))


def analyze_docs(records: list[dict], docs: Iterable[tuple[str, object]],
                 inputs: dict[str, components.ArticleInput] | None = None,
                 errors: str = "report", failures: list[dict] | None = None
                 ) -> dict[str, list[dict]]:
    """Run every registered per-document analysis over (article_id, Doc) pairs, a parse batch
    at a time; rows per table. `inputs`: what `components.article_input` made of each article
    (its page furniture). An article whose analysis raises keeps no rows and becomes a row of
    `failures` (with `errors="raise"`, an AnalysisError)."""
    inputs = inputs or {}
    ordered = components.ordered()
    by_id = {r["article_id"]: r for r in records}
    failures = [] if failures is None else failures
    out: dict[str, list[dict]] = {}
    for group in _groups(docs, DOC_GROUP):
        try:
            components.prepare_batch(ordered, [doc for _, doc in group])
            prepared = True
        except Exception:  # one article spoils the batch: prepare each article alone below
            prepared = False
        for article_id, doc in group:
            article = {k: v for k, v in by_id[article_id].items() if k != "text"}
            furniture = inputs[article_id].boilerplate if article_id in inputs else ()
            try:
                if not prepared:
                    components.prepare_batch(ordered, [doc])
                produced = components.run_doc(ordered, article_id, article, doc,
                                              furniture=furniture)
            except Exception as exc:
                _fail(article_id, "analysis", exc, errors, failures)
                continue
            for table, rows in produced.items():
                out.setdefault(table, []).extend(rows)
    return out


def _groups(items: Iterable, size: int) -> Iterator[list]:
    group: list = []
    for item in items:
        group.append(item)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def parse_isolated(texts: list[tuple[str, str]], pipeline, cache_dir: str | None,
                   use_cache: bool, batch_size: int, errors: str, failures: list[dict]
                   ) -> Iterator[tuple[str, object]]:
    """(article_id, Doc) for the records that parse. A text over the pipeline's `max_length`
    (spaCy's E088, a guard against running out of memory) is not tried; when parsing a batch
    fails anyway, the rest are parsed one by one so that only the culprit is lost."""
    todo = []
    for article_id, text in texts:
        if len(text) > pipeline.max_length:
            exc = ValueError(f"text of {len(text):,} characters is over the parser's limit of "
                             f"{pipeline.max_length:,} (spaCy E088); split the article to analyse it")
            _fail(article_id, "parse", exc, errors, failures)
        else:
            todo.append((article_id, text))
    done: set[str] = set()
    try:
        for article_id, doc in nlp.parse(todo, nlp=pipeline, cache_dir=cache_dir,
                                         use_cache=use_cache, batch_size=batch_size):
            done.add(article_id)
            yield article_id, doc
        return
    except Exception:  # the culprit is found again, article by article, below
        pass
    for article_id, text in todo:
        if article_id in done:
            continue
        try:
            parsed = list(nlp.parse([(article_id, text)], nlp=pipeline, cache_dir=cache_dir,
                                    use_cache=use_cache, batch_size=batch_size))
        except Exception as exc:
            _fail(article_id, "parse", exc, errors, failures)
            continue
        yield from parsed


def analyze_partition(records: list[dict], cache_dir: str | None = None,
                      use_cache: bool = True, batch_size: int = 32,
                      errors: str = "report") -> dict[str, list[dict]]:
    """Parse and analyse one partition of article records (dicts with article_id and text).
    Top-level and picklable: local worker processes and Dask workers call it. Articles that
    could not be parsed or analysed are rows of the `errors` table."""
    pipeline = nlp.load_pipeline()
    failures: list[dict] = []
    inputs = {}
    for r in records:
        try:
            inputs[r["article_id"]] = components.article_input(
                r["article_id"], r.get("text") or "", r.get("title"), marked=r.get("boilerplate"))
        except Exception as exc:
            _fail(r["article_id"], "boilerplate", exc, errors, failures)
    texts = [(r["article_id"], inputs[r["article_id"]].parse_text) for r in records
             if r["article_id"] in inputs]
    docs = parse_isolated(texts, pipeline, cache_dir, use_cache, batch_size, errors, failures)
    out = analyze_docs(records, docs, inputs, errors, failures)
    out[ERRORS_TABLE] = failures
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value) -> str:
    """An article's text as the analyses get it: missing is "", a lone surrogate (which no
    parser or file format takes) is U+FFFD, so offsets still count the same characters."""
    if schema.is_missing(value):
        return ""
    return _SURROGATE.sub("\ufffd", value if isinstance(value, str) else str(value))


def article_records(articles: pd.DataFrame) -> list[dict]:
    """The records the analyses see: article_id, text (`clean_text`) and the metadata they use
    (missing values None, text fields cleaned like the text)."""
    cols = [c for c in ("article_id", "text", "title", "outlet", "published", "language", "url",
                        "boilerplate") if c in articles.columns]
    frame = articles[cols].astype(object)
    records = frame.where(frame.notna(), None).to_dict("records")
    for record in records:
        record["article_id"] = str(record["article_id"])
        record["text"] = clean_text(record["text"])
        for key in ("title", "outlet", "language", "url"):
            if isinstance(record.get(key), str):
                record[key] = clean_text(record[key])
    return records


def partitions(records: list[dict], size: int) -> Iterator[list[dict]]:
    for i in range(0, len(records), size):
        yield records[i:i + size]


def merge_rows(parts: Iterable[dict[str, list[dict]]], into: dict[str, list]) -> None:
    """Each partition's rows become one DataFrame per table as they arrive: a DataFrame holds
    a row in about an eighth of the memory of a dict (measured: ~490 bytes per row dict), which
    keeps the peak of a 10,000-article run low."""
    for part in parts:
        for table, rows in part.items():
            frames = into.setdefault(table, [])
            if rows:
                frames.append(pd.DataFrame(rows))


def table_from(parts: list) -> pd.DataFrame:
    """One table from a list of row dicts, or from the per-partition frames of `merge_rows`, with
    the columns and dtypes one DataFrame built from all the rows would have: a column whose
    dtype differs between partitions (or that some partitions lack) is inferred again over
    all its values, so results do not depend on how the corpus was partitioned."""
    if not parts or not isinstance(parts[0], pd.DataFrame):
        return pd.DataFrame(parts)
    frames = [f for f in parts if len(f)]
    if not frames:
        return pd.DataFrame()
    if len(frames) == 1:
        return frames[0]
    out = pd.concat(frames, ignore_index=True, sort=False)
    for column in out.columns:
        dtypes = {str(f[column].dtype) for f in frames if column in f.columns}
        if len(dtypes) > 1 or any(column not in f.columns for f in frames):
            out[column] = pd.Series(out[column].tolist(), index=out.index)
    return out


def run_local(records, cache_dir, use_cache, n_process, partition_size, progress,
              errors="report"):
    from tqdm.auto import tqdm

    rows: dict[str, list[dict]] = {}
    if n_process > 1:
        # At least ~4 partitions per worker: with one big partition a second process would
        # sit idle, and small tails keep both busy until the end.
        partition_size = max(1, min(partition_size, math.ceil(len(records) / (4 * n_process))))
    parts = list(partitions(records, partition_size))
    bar = tqdm(total=len(records), desc="analysing", unit="article", disable=not progress)
    if n_process <= 1 or len(parts) == 1:
        for part in parts:
            merge_rows([analyze_partition(part, cache_dir, use_cache, errors=errors)], rows)
            bar.update(len(part))
    else:
        import concurrent.futures as cf

        ctx = _worker_context()
        with cf.ProcessPoolExecutor(max_workers=n_process, mp_context=ctx) as pool:
            futures = [pool.submit(analyze_partition, part, cache_dir, use_cache, errors=errors)
                       for part in parts]
            for part, fut in zip(parts, futures):  # in order: results are deterministic
                merge_rows([fut.result()], rows)
                bar.update(len(part))
    bar.close()
    return rows


def warm_up() -> None:
    """Load the pipeline, every analysis's lexicons, matchers and models, and the corpus-level
    steps' imports in this process by analysing two short texts, so forked workers inherit
    them instead of loading their own (and a benchmark can time the analyses apart from
    their one-off start-up)."""
    text = "Officials said on Monday that 12 drones were shot down near Kharkiv."
    records = [{"article_id": f"_warm_up_{k}", "text": text} for k in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # through analyze_partition, so that the page-furniture rules are compiled here too
        rows = analyze_partition(records, use_cache=False)
        assemble(pd.DataFrame(records), {table: [pd.DataFrame(r)] if r else [] for table, r in rows.items()}, "")


def _worker_context():
    """Worker processes for n_process > 1. On Linux they are forked from a warmed-up parent:
    starting them costs milliseconds instead of seconds of imports and model loading per worker,
    which on small corpora ate the gain of the second process. Elsewhere (macOS, Windows, where
    fork is unsafe or absent) a forkserver starts clean workers that load everything once."""
    import multiprocessing as mp

    if sys.platform.startswith("linux"):
        warm_up()
        return mp.get_context("fork")
    return mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")


@contextmanager
def _gc_frozen():
    """Keep the objects alive before the run (the pipeline, lexicons, models, the caller's
    own) out of the garbage collector's full scans while it lasts: the rows a run creates
    trigger full collections, and each one re-scanned those few hundred thousand objects
    (measured: 0.25 s per scan, a tenth of parsing 30 articles). Objects made during the run
    are collected as usual; afterwards everything is unfrozen. Forked workers also share
    the frozen objects' pages instead of copying them. Left alone when the caller froze
    objects itself."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run_dask(records, cache_dir, use_cache, partition_size, progress, scheduler,
             errors="report"):
    from dask.distributed import Client

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        parts = list(partitions(records, partition_size))
        futures = client.map(analyze_partition, parts, cache_dir=cache_dir, use_cache=use_cache,
                             errors=errors,
                             pure=False)
        rows: dict[str, list[dict]] = {}
        for fut in futures:  # gather in submission order
            merge_rows([fut.result()], rows)
        return rows
    finally:
        if not isinstance(scheduler, Client):
            client.close()


# --------------------------------------------------------------------------- the public entry point

def analyze(
    articles: pd.DataFrame,
    cache_dir: Path | str | None = None,
    n_process: int = 1,
    progress: bool = True,
    use_cache: bool = True,
    engine: str = "local",
    scheduler=None,
    partition_size: int = 200,
    errors: str = "report",
) -> Analysis:
    """Parse each article once, run every registered analysis on it, and return one Analysis.

    Parameters
    ----------
    articles : pandas.DataFrame
        At least `article_id` (unique) and `text`; the canonical table of
        `presslens.load_articles` is best (`outlet`, `published`, `language` are used too).
    cache_dir : path, optional
        Where parses and results are cached (default `config.cache_dir()`, `.cache/presslens`
        or `$PRESSLENS_CACHE`).
    n_process : int
        Local worker processes.
    progress : bool
        Show a progress bar (tqdm) while analysing.
    use_cache : bool
        False recomputes everything and writes nothing.
    engine : {"local", "dask"}
        "dask" sends partitions to a Dask cluster.
    scheduler : dask.distributed.Client or str, optional
        With `engine="dask"`: a client or a scheduler address such as "tcp://10.0.0.5:8786".
    partition_size : int
        Articles per partition (a worker's unit of work).
    errors : {"report", "raise"}
        "report": an article that cannot be parsed or analysed (a text over spaCy's length
        limit, a rule that fails on it) keeps no rows and becomes a row of `result.errors`,
        and the run goes on; so does a corpus-level step that fails (its tables stay empty)
        and a result cache that cannot be written. "raise": an `AnalysisError` naming the
        article at the first such problem.

    Returns
    -------
    Analysis
        One attribute per table (`attributions`, `claims`, `frames`, `terms`, ...), all
        sharing `article_id` and character offsets into `articles.text`, and `errors`.

    Examples
    --------
    >>> import presslens
    >>> articles = presslens.load_articles("data/sample/articles.jsonl")   # doctest: +SKIP
    >>> result = presslens.analyze(articles, progress=False)                 # doctest: +SKIP
    >>> result.claims[["article_id", "text", "attributed_to"]].head()       # doctest: +SKIP
    """
    if "article_id" not in articles.columns or "text" not in articles.columns:
        raise ValueError("analyze() needs an articles DataFrame with `article_id` and `text` columns")
    if articles["article_id"].duplicated().any():
        dup = articles.loc[articles["article_id"].duplicated(), "article_id"].head(5).tolist()
        raise ValueError(f"article_id must be unique; repeated: {dup}")
    if errors not in ERRORS_MODES:
        raise ValueError(f"errors is 'report' or 'raise', not {errors!r}")
    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r}: 'local' or 'dask'")
    cache_root = Path(cache_dir) if cache_dir else config.cache_dir()
    articles = articles.reset_index(drop=True)
    fingerprint = "-".join([
        corpus_fingerprint(articles), nlp.pipeline_fingerprint(nlp.load_pipeline()), rules_hash()])
    result_dir = cache_root / "results" / fingerprint
    if use_cache and resultcache.exists(result_dir):
        try:
            cached = Analysis.load(result_dir)
        except resultcache.CacheDamaged as exc:
            warnings.warn(f"result cache {result_dir} is damaged ({exc}); recomputing it",
                          stacklevel=2)
            resultcache.discard(result_dir)
        else:
            cached.articles = articles
            return cached

    records = article_records(articles)
    parse_cache = str(cache_root)
    with _gc_frozen():
        if engine == "dask":
            rows = run_dask(records, parse_cache, use_cache, partition_size, progress, scheduler,
                            errors)
        else:
            rows = run_local(records, parse_cache, use_cache, n_process, partition_size, progress,
                             errors)
        analysis = assemble(articles, rows, fingerprint, errors)
    if use_cache:
        try:
            analysis.save(result_dir)
        except Exception as exc:  # the result stands without its cache
            if errors == "raise":
                raise
            warnings.warn(f"could not cache the result in {result_dir}: {type(exc).__name__}: "
                          f"{exc}", stacklevel=2)
    return analysis


def assemble(articles: pd.DataFrame, rows: dict[str, list], fingerprint: str,
             errors: str = "report") -> Analysis:
    """The per-document rows as tables conformed to their schemas, then every corpus-level
    step (claim clustering and frequency, source profiles), whose tables are conformed too:
    every table has its declared columns and dtypes. A corpus-level step that fails leaves
    its tables empty and becomes a row of `errors` (with `errors="raise"`, an AnalysisError)."""
    rows = dict(rows)
    failures = [row for part in rows.pop(ERRORS_TABLE, []) for row in
                (part.to_dict("records") if isinstance(part, pd.DataFrame) else [part])]
    ordered = components.ordered()
    frames = {name: table_from(parts) for name, parts in rows.items()}
    tables = components.conform_doc_tables(ordered, frames)
    schemas = components.table_schemas()
    for component in ordered:
        try:
            components.finalize([component], articles, tables)
        except Exception as exc:
            _fail(None, component.name, exc, errors, failures)
            for table in component.assigns:
                if table not in component.doc_tables:
                    tables[table] = schema.empty(dict(schemas[table]))
    tables = {name: schema.conform(df, dict(schemas[name])) if name in schemas else df
              for name, df in tables.items()}
    return Analysis(articles=articles, fingerprint=fingerprint,
                    errors=pd.DataFrame(failures, columns=list(ERRORS)), **tables)


def filter_articles(articles: pd.DataFrame, outlets=None, since=None, until=None) -> pd.DataFrame:
    """The notebooks' corpus window: outlets (list or comma-separated string), and a
    published-date window with inclusive ISO dates (`until` covers its whole day)."""
    out = articles
    if outlets:
        if isinstance(outlets, str):
            outlets = [o.strip() for o in outlets.split(",") if o.strip()]
        out = out[out["outlet"].isin(outlets)]
    if since:
        out = out[out["published"] >= pd.Timestamp(since, tz="UTC")]
    if until:
        out = out[out["published"] < pd.Timestamp(until, tz="UTC") + pd.Timedelta(days=1)]
    return out.reset_index(drop=True)
