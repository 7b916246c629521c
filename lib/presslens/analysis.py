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
import json
import math
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from . import __version__, components, config, nlp, schema
from .atomic import swap_dir

# Docs analysed together where an analysis batches work across articles (the parser's batch).
DOC_GROUP = 32


class Analysis:
    """Tidy DataFrames sharing `article_id` and character offsets into `articles.text`: one
    attribute per table that a registered analysis assigns (`presslens.components`), plus
    `articles` and the result's `fingerprint`.

    Examples
    --------
    >>> result = presslens.analyze(articles)                    # doctest: +SKIP
    >>> result.claims.sort_values("check_worthiness").tail()    # doctest: +SKIP
    >>> result.article("seed-kharkiv")["attributions"]          # doctest: +SKIP
    """

    def __init__(self, articles: pd.DataFrame | None = None, fingerprint: str = "",
                 **tables: pd.DataFrame) -> None:
        schemas = components.table_schemas()
        unknown = sorted(set(tables) - set(schemas))
        if unknown:
            raise TypeError(f"Analysis has no table {unknown[0]!r}; its tables: {sorted(schemas)}")
        self.articles = articles if articles is not None else schema.empty(schema.ARTICLES)
        for name, columns in schemas.items():
            table = tables.get(name)
            setattr(self, name, table if table is not None else schema.empty(dict(columns)))
        self.fingerprint = fingerprint

    @classmethod
    def table_names(cls) -> list[str]:
        """`articles`, then every registered analysis's tables in the order they are made."""
        return ["articles", *components.table_schemas()]

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in self.table_names()}

    def article(self, article_id: str) -> dict[str, pd.DataFrame]:
        """Every table restricted to one article."""
        return {name: df[df["article_id"] == article_id] if "article_id" in df.columns else df
                for name, df in self.tables().items()}

    def save(self, directory: Path | str) -> Path:
        """Write one Parquet file per table, atomically (a temp folder renamed into place)."""
        return save_tables(self.tables(), directory, meta={"fingerprint": self.fingerprint})

    @classmethod
    def load(cls, directory: Path | str) -> Analysis:
        tables, meta = load_tables(directory)
        known = {k: v for k, v in tables.items() if k in cls.table_names()}
        return cls(**known, fingerprint=meta.get("fingerprint", ""))

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(df)}" for name, df in self.tables().items())
        return f"Analysis({sizes})"


# --------------------------------------------------------------------------- storage

def _is_nested(series: pd.Series) -> bool:
    if series.dtype != object:
        return False
    sample = series.dropna().head(50)
    return any(isinstance(v, (list, dict, tuple)) for v in sample)


def save_tables(tables: dict[str, pd.DataFrame], directory: Path | str, meta: dict | None = None) -> Path:
    """Tables as Parquet in `directory`; nested (list/dict) columns are stored as JSON text and
    listed in `_meta.json` so `load_tables` restores them. Written to a sibling temp folder and
    renamed into place, so a reader never sees half a result set."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        json_columns: dict[str, list[str]] = {}
        for name, df in tables.items():
            df = df.copy()
            df.attrs = {}  # the load report rides along in attrs; it is not a result
            nested = [c for c in df.columns if _is_nested(df[c])]
            for c in nested:
                df[c] = df[c].map(lambda v: None if v is None or (not isinstance(v, (list, dict, tuple)) and pd.isna(v))
                                  else json.dumps(v, ensure_ascii=False, default=str))
            json_columns[name] = nested
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / "_meta.json").write_text(json.dumps(
            {**(meta or {}), "json_columns": json_columns, "presslens": __version__}, indent=2))
        swap_dir(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory


def load_tables(directory: Path | str) -> tuple[dict[str, pd.DataFrame], dict]:
    directory = Path(directory)
    meta = json.loads((directory / "_meta.json").read_text())
    tables = {}
    for path in sorted(directory.glob("*.parquet")):
        df = pd.read_parquet(path)
        for c in meta.get("json_columns", {}).get(path.stem, []):
            df[c] = df[c].map(lambda v: json.loads(v) if isinstance(v, str) else v)
        tables[path.stem] = df
    return tables, meta


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
    for text in articles["text"].fillna("").astype(str):
        h.update(nlp.text_hash(text).encode())
    return h.hexdigest()[:20]


# --------------------------------------------------------------------------- the per-partition work

def analyze_docs(records: list[dict], docs: Iterable[tuple[str, object]],
                 inputs: dict[str, components.ArticleInput] | None = None) -> dict[str, list[dict]]:
    """Run every registered per-document analysis over (article_id, Doc) pairs, a parse batch
    at a time; rows per table. `inputs`: what `components.article_input` made of each article
    (its page furniture)."""
    ordered = components.ordered()
    inputs = inputs or {}
    by_id = {r["article_id"]: r for r in records}
    out: dict[str, list[dict]] = {}
    for group in _groups(docs, DOC_GROUP):
        components.prepare_batch(ordered, [doc for _, doc in group])
        for article_id, doc in group:
            article = {k: v for k, v in by_id[article_id].items() if k != "text"}
            furniture = inputs[article_id].boilerplate if article_id in inputs else ()
            for table, rows in components.run_doc(ordered, article_id, article, doc,
                                                  furniture=furniture).items():
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


def analyze_partition(records: list[dict], cache_dir: str | None = None,
                      use_cache: bool = True, batch_size: int = 32) -> dict[str, list[dict]]:
    """Parse and analyse one partition of article records (dicts with article_id and text).
    Top-level and picklable: local worker processes and Dask workers call it."""
    pipeline = nlp.load_pipeline()
    inputs = {r["article_id"]: components.article_input(r["article_id"], r.get("text") or "", r.get("title"),
                                                       marked=r.get("boilerplate"))
              for r in records}
    items = ((r["article_id"], inputs[r["article_id"]].parse_text) for r in records)
    docs = nlp.parse(items, nlp=pipeline, cache_dir=cache_dir, use_cache=use_cache,
                     batch_size=batch_size)
    return analyze_docs(records, docs, inputs)


def _records(articles: pd.DataFrame) -> list[dict]:
    cols = [c for c in ("article_id", "text", "title", "outlet", "published", "language", "url",
                        "boilerplate") if c in articles.columns]
    frame = articles[cols].copy()
    frame["text"] = frame["text"].fillna("").astype(str)
    frame["article_id"] = frame["article_id"].astype(str)
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def partitions(records: list[dict], size: int) -> Iterator[list[dict]]:
    for i in range(0, len(records), size):
        yield records[i:i + size]


def _merge(parts: Iterable[dict[str, list[dict]]], into: dict[str, list]) -> None:
    """Each partition's rows become one DataFrame per table as they arrive: a DataFrame holds
    a row in about an eighth of the memory of a dict (measured: ~490 bytes per row dict), which
    keeps the peak of a 10,000-article run low."""
    for part in parts:
        for table, rows in part.items():
            frames = into.setdefault(table, [])
            if rows:
                frames.append(pd.DataFrame(rows))


def _table_from(parts: list) -> pd.DataFrame:
    """One table from a list of row dicts, or from the per-partition frames of `_merge`, with
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


def _run_local(records, cache_dir, use_cache, n_process, partition_size, progress):
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
            _merge([analyze_partition(part, cache_dir, use_cache)], rows)
            bar.update(len(part))
    else:
        import concurrent.futures as cf

        ctx = _worker_context()
        with cf.ProcessPoolExecutor(max_workers=n_process, mp_context=ctx) as pool:
            futures = [pool.submit(analyze_partition, part, cache_dir, use_cache) for part in parts]
            for part, fut in zip(parts, futures):  # in order: results are deterministic
                _merge([fut.result()], rows)
                bar.update(len(part))
    bar.close()
    return rows


def _warm_up() -> None:
    """Load the pipeline, every analysis's lexicons, matchers and models, and the corpus-level
    steps' imports in this process by analysing two short texts, so forked workers inherit
    them instead of loading their own (and a benchmark can time the analyses apart from
    their one-off start-up)."""
    text = "Officials said on Monday that 12 drones were shot down near Kharkiv."
    records = [{"article_id": f"_warm_up_{k}", "text": text} for k in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = analyze_docs(records, nlp.parse([(r["article_id"], r["text"]) for r in records],
                                               use_cache=False))
        _assemble(pd.DataFrame(records), {table: [pd.DataFrame(r)] if r else [] for table, r in rows.items()}, "")


def _worker_context():
    """Worker processes for n_process > 1. On Linux they are forked from a warmed-up parent:
    starting them costs milliseconds instead of seconds of imports and model loading per worker,
    which on small corpora ate the gain of the second process. Elsewhere (macOS, Windows, where
    fork is unsafe or absent) a forkserver starts clean workers that load everything once."""
    import multiprocessing as mp

    if sys.platform.startswith("linux"):
        _warm_up()
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


def _run_dask(records, cache_dir, use_cache, partition_size, progress, scheduler):
    from dask.distributed import Client

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        parts = list(partitions(records, partition_size))
        futures = client.map(analyze_partition, parts, cache_dir=cache_dir, use_cache=use_cache,
                             pure=False)
        rows: dict[str, list[dict]] = {}
        for fut in futures:  # gather in submission order
            _merge([fut.result()], rows)
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
) -> Analysis:
    """Parse once, run sourcing, claims, framing and language, and return one Analysis.

    `articles` needs `article_id` and `text` (the canonical table of `load_articles` is best).
    `cache_dir`: where parses and results are cached (default `config.cache_dir()`);
    `use_cache=False` recomputes everything and writes nothing. `n_process`: local worker
    processes. `engine="dask"` sends partitions to a Dask cluster: `scheduler` is a
    `dask.distributed.Client` or a scheduler address such as "tcp://10.0.0.5:8786"."""
    if "article_id" not in articles.columns or "text" not in articles.columns:
        raise ValueError("analyze() needs an articles DataFrame with `article_id` and `text` columns")
    if articles["article_id"].duplicated().any():
        dup = articles.loc[articles["article_id"].duplicated(), "article_id"].head(5).tolist()
        raise ValueError(f"article_id must be unique; repeated: {dup}")
    cache_root = Path(cache_dir) if cache_dir else config.cache_dir()
    articles = articles.reset_index(drop=True)
    fingerprint = "-".join([
        corpus_fingerprint(articles), nlp.pipeline_fingerprint(nlp.load_pipeline()), rules_hash()])
    result_dir = cache_root / "results" / fingerprint
    if use_cache and (result_dir / "_meta.json").exists():
        cached = Analysis.load(result_dir)
        cached.articles = articles
        return cached

    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r}: 'local' or 'dask'")
    records = _records(articles)
    parse_cache = str(cache_root)
    with _gc_frozen():
        if engine == "dask":
            rows = _run_dask(records, parse_cache, use_cache, partition_size, progress, scheduler)
        else:
            rows = _run_local(records, parse_cache, use_cache, n_process, partition_size, progress)
        analysis = _assemble(articles, rows, fingerprint)
    if use_cache:
        analysis.save(result_dir)
    return analysis


def _assemble(articles: pd.DataFrame, rows: dict[str, list], fingerprint: str) -> Analysis:
    """The per-document rows as tables conformed to their schemas, then every corpus-level
    step (claim clustering and frequency, source profiles)."""
    ordered = components.ordered()
    frames = {name: _table_from(parts) for name, parts in rows.items()}
    tables = components.conform_doc_tables(ordered, frames)
    components.finalize(ordered, articles, tables)
    return Analysis(articles=articles, fingerprint=fingerprint, **tables)


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
