"""The result cache of `analyze()`: one folder per result set, one Parquet file per table.

A set is written to a temporary sibling folder and renamed into place, so a reader never sees
half of one. Nested columns go through `presslens.tablefiles`; `_meta.json` lists them with
the caller's metadata (the result's fingerprint).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from . import __version__
from .atomic import swap_dir
from .tablefiles import decode_nested, encode_nested

META_FILE = "_meta.json"


def save_tables(tables: dict[str, pd.DataFrame], directory: Path | str, meta: dict | None = None) -> Path:
    """Tables as Parquet in `directory`; nested (list/dict) columns are stored as JSON text and
    listed in `_meta.json` so `load_tables` restores them."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        json_columns: dict[str, list[str]] = {}
        for name, df in tables.items():
            df, nested = encode_nested(df)
            df.attrs = {}  # the load report rides along in attrs; it is not a result
            json_columns[name] = nested
            df.to_parquet(tmp / f"{name}.parquet", index=False)
        (tmp / META_FILE).write_text(json.dumps(
            {**(meta or {}), "json_columns": json_columns, "presslens": __version__}, indent=2))
        swap_dir(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory


def load_tables(directory: Path | str) -> tuple[dict[str, pd.DataFrame], dict]:
    """The tables of a set written by `save_tables`, and its metadata."""
    directory = Path(directory)
    meta = json.loads((directory / META_FILE).read_text())
    tables = {}
    for path in sorted(directory.glob("*.parquet")):
        df = pd.read_parquet(path)
        tables[path.stem] = decode_nested(df, meta.get("json_columns", {}).get(path.stem, []))
    return tables, meta


def has_results(directory: Path | str) -> bool:
    return (Path(directory) / META_FILE).exists()
