"""The result cache of `analyze()`: one folder per result set, one Parquet file per table,
verified before it is trusted.

A set is written to a temporary sibling folder and renamed into place, so a reader never sees
half of one. Nested columns go through `presslens.tablefiles`; `_meta.json` lists them with
the caller's metadata (the result's fingerprint). `_manifest.json`, written last, lists every
file with its size and sha256: a set whose manifest is missing, or whose files are missing,
extra-short or changed, is damaged (`CacheDamaged`), and `analyze` recomputes it instead of
returning empty or partial tables.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from . import __version__
from .atomic import swap_dir, write_text
from .tablefiles import decode_nested, encode_nested

META_FILE = "_meta.json"
MANIFEST_FILE = "_manifest.json"
MANIFEST_VERSION = 1


class CacheDamaged(Exception):
    """A cached result set that cannot be trusted; the message says why."""


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _manifest(directory: Path, tables: Iterable[str]) -> dict:
    files = {p.name: {"bytes": p.stat().st_size, "sha256": _digest(p)}
             for p in sorted(directory.iterdir()) if p.is_file() and p.name != MANIFEST_FILE}
    return {"format": MANIFEST_VERSION, "tables": sorted(tables), "files": files}


def save_tables(tables: dict[str, pd.DataFrame], directory: Path | str, meta: dict | None = None) -> Path:
    """Tables as Parquet in `directory`; nested (list/dict) columns are stored as JSON text and
    listed in `_meta.json` so `load_tables` restores them; `_manifest.json` last."""
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
        write_text(tmp / META_FILE, json.dumps(
            {**(meta or {}), "json_columns": json_columns, "presslens": __version__}, indent=2))
        write_text(tmp / MANIFEST_FILE, json.dumps(_manifest(tmp, tables), indent=2))
        swap_dir(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory


def verify(directory: Path | str, expected: Iterable[str] = ()) -> dict:
    """Raise CacheDamaged unless every file the manifest lists is there with its size and
    sha256, and every table of `expected` is among them."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        files = manifest["files"]
        tables = set(manifest["tables"])
    except FileNotFoundError:
        raise CacheDamaged(f"no {MANIFEST_FILE} (written last: the set was never finished)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise CacheDamaged(f"unreadable {MANIFEST_FILE}: {exc}") from None
    missing_tables = sorted(set(expected) - tables)
    if missing_tables:
        raise CacheDamaged(f"tables not in the set: {', '.join(missing_tables)}")
    for name in [META_FILE, *(f"{t}.parquet" for t in sorted(tables))]:
        if name not in files:
            raise CacheDamaged(f"{name} is not in the manifest")
    for name, info in files.items():
        path = directory / name
        if not path.is_file():
            raise CacheDamaged(f"{name} is missing")
        size = path.stat().st_size
        if size != info["bytes"]:
            raise CacheDamaged(f"{name} has {size:,} bytes, the manifest says {info['bytes']:,}")
        if _digest(path) != info["sha256"]:
            raise CacheDamaged(f"{name} does not match its sha256")
    return manifest


def load_tables(directory: Path | str, expected: Iterable[str] = ()
                ) -> tuple[dict[str, pd.DataFrame], dict]:
    """The tables of a set written by `save_tables`, and its metadata, after `verify`."""
    directory = Path(directory)
    manifest = verify(directory, expected)
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        tables = {}
        for name in manifest["tables"]:
            df = pd.read_parquet(directory / f"{name}.parquet")
            tables[name] = decode_nested(df, meta.get("json_columns", {}).get(name, []))
    except Exception as exc:  # verified bytes that still do not read: a writer's bug
        raise CacheDamaged(f"{type(exc).__name__}: {exc}") from exc
    return tables, meta


def exists(directory: Path | str) -> bool:
    """Whether anything is cached at `directory` (complete or not)."""
    return Path(directory).is_dir()


def discard(directory: Path | str) -> None:
    """Remove a damaged set (moved aside first, so a concurrent reader never sees half)."""
    directory = Path(directory)
    if not directory.exists():
        return
    aside = directory.with_name(f".{directory.name}.damaged-{uuid.uuid4().hex[:8]}")
    try:
        directory.rename(aside)
    except OSError:
        aside = directory
    shutil.rmtree(aside, ignore_errors=True)
