"""Results on disk for corpora larger than memory: Parquet file sets queried with DuckDB.

`write_analysis` writes every table of an `Analysis` as its own Parquet file set
(`<dir>/<table>/...`), hive-partitioned by the article's outlet and/or publication month, so
that DuckDB reads only the files a query needs. `open_results` gives a DuckDB connection with
one view per table, and `query` runs SQL over them without loading the tables into pandas:

    presslens.storage.query(results_dir,
        "select articles.outlet, count(*) from claims join articles using (article_id) group by 1")

(`claims` carries its own `outlet` and `published`; qualify such columns in a join, as DuckDB
refuses an ambiguous name.)

`read_analysis` brings a result set back as an `Analysis`, with the tables' row order, dtypes
and nested (list/dict) columns as they were. `mode="append"` adds the results of another batch
of articles to an existing set, so a corpus can be analysed and stored batch by batch.

Layout and conventions:
- Partition keys are added to every table that has `article_id` as columns `part_outlet` and
  `part_month` (`YYYY-MM` of `published`, `unknown` when absent), named so that they never
  collide with a table's own columns in a `join ... using (article_id)`. `read_analysis`
  drops them again.
- Nested columns are stored as JSON text (`presslens.tablefiles`, as the result cache does); the DuckDB views
  cast them to DuckDB's JSON type.
- A column `_row` keeps each table's row order; views hide it.
- `_meta.json` lists tables, dtypes, JSON columns and partition keys. A fresh write goes to
  a temporary sibling folder that is renamed into place, so readers never see half a set.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import __version__
from .atomic import swap_dir, write_via
from .tablefiles import decode_nested, encode_nested

if TYPE_CHECKING:
    import duckdb

    from .analysis import Analysis

META_FILE = "_meta.json"
ROW_COLUMN = "_row"
PARTITION_KEYS = {"outlet": "part_outlet", "month": "part_month"}
UNKNOWN = "unknown"
FORMAT_VERSION = 1


# --------------------------------------------------------------------------- helpers

def _normalise_partition_by(partition_by: str | Iterable[str] | None) -> list[str]:
    if partition_by is None:
        return []
    keys = [partition_by] if isinstance(partition_by, str) else list(partition_by)
    unknown = [k for k in keys if k not in PARTITION_KEYS]
    if unknown:
        raise ValueError(f"partition_by takes {sorted(PARTITION_KEYS)}, not {unknown}")
    return list(dict.fromkeys(keys))


def _article_keys(articles: pd.DataFrame) -> pd.DataFrame:
    """article_id -> part_outlet, part_month: the values the hive folders are named after."""
    keys = pd.DataFrame({"article_id": articles["article_id"].astype(str).to_numpy()})
    if "outlet" in articles.columns:
        outlet = articles["outlet"].astype("string").fillna(UNKNOWN).str.strip()
        keys["part_outlet"] = outlet.mask(outlet == "", UNKNOWN).to_numpy(dtype=object)
    else:
        keys["part_outlet"] = UNKNOWN
    if "published" in articles.columns:
        published = pd.to_datetime(articles["published"], utc=True, errors="coerce")
        keys["part_month"] = published.dt.strftime("%Y-%m").fillna(UNKNOWN).to_numpy(dtype=object)
    else:
        keys["part_month"] = UNKNOWN
    return keys.drop_duplicates("article_id")


def _prepare(df: pd.DataFrame, keys: pd.DataFrame | None, key_columns: list[str],
             row_offset: int) -> tuple[pd.DataFrame, list[str]]:
    """The frame as written: nested columns as JSON text, partition keys and `_row` added."""
    out = df.reset_index(drop=True).copy()
    out, nested = encode_nested(out)
    for column in nested:
        out[column] = out[column].astype("string")
    if key_columns and keys is not None and "article_id" in out.columns:
        looked_up = out[["article_id"]].astype({"article_id": str}).merge(
            keys[["article_id", *key_columns]], on="article_id", how="left")
        for column in key_columns:
            out[column] = looked_up[column].fillna(UNKNOWN).astype(str).to_numpy()
    out[ROW_COLUMN] = pd.RangeIndex(row_offset, row_offset + len(out), dtype="int64")
    return out, nested


def _write_table(df: pd.DataFrame, folder: Path, key_columns: list[str], basename: str) -> None:
    import pyarrow as pa
    import pyarrow.dataset as ds

    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    if len(df) == 0 and not key_columns:
        import pyarrow.parquet as pq

        pq.write_table(table, folder / f"{basename}-0.parquet")
        return
    if not key_columns:
        ds.write_dataset(table, folder, format="parquet", basename_template=f"{basename}-{{i}}.parquet",
                         existing_data_behavior="overwrite_or_ignore")
        return
    if len(df) == 0:
        # Arrow writes no file for an empty partitioned table; one empty file in an `unknown`
        # partition keeps the table's schema and its view (with the key columns) alive.
        import pyarrow.parquet as pq

        leaf = folder.joinpath(*(f"{k}={UNKNOWN}" for k in key_columns))
        leaf.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.drop_columns(key_columns), leaf / f"{basename}-0.parquet")
        return
    partitioning = ds.partitioning(pa.schema([(k, pa.string()) for k in key_columns]), flavor="hive")
    ds.write_dataset(table, folder, format="parquet", partitioning=partitioning,
                     basename_template=f"{basename}-{{i}}.parquet",
                     existing_data_behavior="overwrite_or_ignore",
                     max_rows_per_group=128 * 1024)


def _tables_of(analysis: Analysis | dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    if isinstance(analysis, dict):
        return analysis
    return analysis.tables()


def _read_meta(directory: Path) -> dict:
    path = directory / META_FILE
    if not path.exists():
        raise FileNotFoundError(f"{directory} holds no presslens result set ({META_FILE} missing)")
    return json.loads(path.read_text(encoding="utf-8"))


def _write_meta(directory: Path, meta: dict) -> None:
    write_via(directory / META_FILE,
              lambda tmp: Path(tmp).write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8"))


# --------------------------------------------------------------------------- writing

def write_analysis(
    analysis: Analysis | dict[str, pd.DataFrame],
    directory: Path | str,
    partition_by: str | Iterable[str] | None = ("month",),
    mode: str = "overwrite",
) -> Path:
    """Write every table of `analysis` (an `Analysis` or a dict of table name -> DataFrame)
    as Parquet file sets under `directory`.

    `partition_by`: `"outlet"`, `"month"`, both, or None. Month suits a corpus collected over
    time (most queries select a period); outlet suits comparisons of a few outlets. Keys come
    from the `articles` table and are added to every table that has `article_id`.
    `mode="overwrite"` replaces the set atomically; `mode="append"` adds rows to an existing
    set written with the same partitioning (each new file appears atomically, and
    `_meta.json` is updated last; article ids are not deduplicated)."""
    if mode not in ("overwrite", "append"):
        raise ValueError(f"mode is 'overwrite' or 'append', not {mode!r}")
    directory = Path(directory)
    tables = _tables_of(analysis)
    key_names = _normalise_partition_by(partition_by)
    key_columns = [PARTITION_KEYS[k] for k in key_names]
    articles = tables.get("articles")
    keys = _article_keys(articles) if articles is not None and key_columns and "article_id" in articles.columns else None
    if key_columns and keys is None:
        key_columns, key_names = [], []

    previous = _read_meta(directory) if mode == "append" and (directory / META_FILE).exists() else None
    if previous is not None and previous.get("partition_by", []) != key_names:
        raise ValueError(f"{directory} is partitioned by {previous.get('partition_by')}, "
                         f"cannot append with partition_by={key_names}")

    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        meta_tables: dict[str, dict] = dict(previous["tables"]) if previous else {}
        basename = f"part-{uuid.uuid4().hex[:12]}"
        for name in sorted(tables):
            df = tables[name]
            if df is None:
                continue
            before = meta_tables.get(name, {})
            offset = int(before.get("rows", 0))
            table_keys = key_columns if "article_id" in df.columns else []
            prepared, nested = _prepare(df, keys, table_keys, offset)
            _write_table(prepared, tmp / name, table_keys, basename)
            dtypes = {c: str(t) for c, t in df.dtypes.items() if c not in nested}
            if before:
                nested = sorted(set(nested) | set(before.get("json_columns", [])))
                dtypes = {**before.get("dtypes", {}), **dtypes}
            meta_tables[name] = {
                "rows": offset + len(df),
                "columns": list(dict.fromkeys([*before.get("columns", []), *map(str, df.columns)])),
                "dtypes": dtypes,
                "json_columns": nested,
                "partition_columns": table_keys,
            }
        meta = {
            "format": FORMAT_VERSION,
            "presslens": __version__,
            "partition_by": key_names,
            "fingerprint": getattr(analysis, "fingerprint", "") or (previous or {}).get("fingerprint", ""),
            "tables": meta_tables,
        }
        if previous is None:
            _write_meta(tmp, meta)
            swap_dir(tmp, directory)
        else:
            for path in sorted(tmp.rglob("*.parquet")):
                target = directory / path.relative_to(tmp)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
            _write_meta(directory, meta)
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory


# --------------------------------------------------------------------------- reading

def _table_glob(directory: Path, name: str) -> str:
    return str(directory / name / "**" / "*.parquet")


def read_table(directory: Path | str, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """One table as a DataFrame, in its original row order and dtypes, nested columns
    restored (partition keys and `_row` dropped)."""
    import pyarrow.dataset as ds

    directory = Path(directory)
    meta = _read_meta(directory)
    info = meta["tables"].get(table)
    if info is None:
        raise KeyError(f"no table {table!r} in {directory}; tables: {sorted(meta['tables'])}")
    wanted = list(info["columns"]) if columns is None else list(columns)
    if not wanted:
        return pd.DataFrame()  # a table that never had columns (e.g. a step that did not run)
    dataset = ds.dataset(directory / table, format="parquet", partitioning="hive")
    present = set(dataset.schema.names)
    arrow = dataset.to_table(columns=[c for c in [*wanted, ROW_COLUMN] if c in present])
    df = arrow.to_pandas()
    if ROW_COLUMN in df.columns:
        df = df.sort_values(ROW_COLUMN, kind="stable").drop(columns=ROW_COLUMN)
    df = df.reset_index(drop=True)
    for column in wanted:
        if column not in df.columns:
            df[column] = pd.NA
    df = df[wanted]
    decode_nested(df, info.get("json_columns", []))
    for column, dtype in info.get("dtypes", {}).items():
        if column in df.columns and str(df[column].dtype) != dtype:
            try:
                df[column] = df[column].astype(dtype)
            except (TypeError, ValueError):
                pass  # keep what Arrow gave rather than fail on a reader's dtype quirk
    return df


def read_analysis(directory: Path | str) -> Analysis:
    """The result set as an `Analysis` (tables it does not know are ignored)."""
    from .analysis import Analysis

    directory = Path(directory)
    meta = _read_meta(directory)
    known = set(Analysis.table_names())
    tables = {name: read_table(directory, name) for name in sorted(meta["tables"]) if name in known}
    if "articles" not in tables:
        tables["articles"] = pd.DataFrame()
    return Analysis(**tables, fingerprint=meta.get("fingerprint", ""))


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def open_results(directory: Path | str, connection: duckdb.DuckDBPyConnection | None = None,
                 threads: int | None = None, memory_limit: str | None = None,
                 ) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection (in memory, or `connection`) with one view per table of the result
    set. Views read the Parquet files lazily (hive partitions pruned by `part_outlet` /
    `part_month` filters), expose JSON columns as JSON and hide the `_row` order column.
    Timestamps are shown in UTC."""
    import duckdb

    directory = Path(directory)
    meta = _read_meta(directory)
    con = connection or duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute(f"SET memory_limit = {_quote_literal(memory_limit)}")
    for name, info in sorted(meta["tables"].items()):
        if not info.get("columns"):
            continue  # a table without columns (a step that did not run) has no view
        partition_columns = info.get("partition_columns", [])
        hive_types = ", ".join(f"{_quote_literal(c)}: 'VARCHAR'" for c in partition_columns)
        source = (f"read_parquet({_quote_literal(_table_glob(directory, name))}, "
                  f"hive_partitioning = {'true' if partition_columns else 'false'}"
                  + (f", hive_types = {{{hive_types}}}" if hive_types else "")
                  + ", union_by_name = true)")
        replaced = ", ".join(f"CAST({_quote_identifier(c)} AS JSON) AS {_quote_identifier(c)}"
                             for c in info.get("json_columns", []))
        select = f"* EXCLUDE ({ROW_COLUMN})" + (f" REPLACE ({replaced})" if replaced else "")
        # No ORDER BY: a view sorted by `_row` would sort the whole table for every query.
        con.execute(f"CREATE OR REPLACE VIEW {_quote_identifier(name)} AS SELECT {select} FROM {source}")
    return con


def query(directory: Path | str, sql: str | None = None, table: str | None = None,
          as_frame: bool | None = None):
    """Run `sql` over the result set's views, or select one `table`.

    With `sql`, returns a pandas DataFrame (the answer of an aggregate is small even when the
    corpus is not); with only `table`, returns a lazy DuckDB relation that can be filtered
    and aggregated before anything is read (`.filter(...)`, `.aggregate(...)`, `.df()`).
    `as_frame` overrides either default."""
    if (sql is None) == (table is None):
        raise ValueError("query() takes either sql= or table=")
    con = open_results(directory)
    relation = con.sql(sql) if sql is not None else con.table(table)
    frame = (sql is not None) if as_frame is None else as_frame
    return relation.df() if frame else relation


def tables_in(directory: Path | str) -> list[str]:
    """The table names of a result set."""
    return sorted(_read_meta(Path(directory))["tables"])
