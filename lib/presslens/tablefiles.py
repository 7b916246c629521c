"""How presslens writes a table to Parquet and reads it back: nested values (lists, dicts)
become JSON text on the way out and Python objects again on the way in. The result cache
(`presslens.resultcache`) and the DuckDB result sets (`presslens.storage`) share it, so a
table round-trips the same way through both."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd


def is_nested_value(value: Any) -> bool:
    return isinstance(value, (list, dict, tuple))


def nested_columns(df: pd.DataFrame) -> list[str]:
    """Object columns holding lists or dicts anywhere (not only in the first rows: a column
    of mostly-empty values must still be recognised)."""
    return [column for column in df.columns
            if df[column].dtype == object and df[column].map(is_nested_value).any()]


def to_json(value: Any) -> str | None:
    if value is None:
        return None
    if not is_nested_value(value) and pd.isna(value):
        return None
    return json.dumps(value, ensure_ascii=False, default=str)


def from_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else None


def encode_nested(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """A copy of `df` with its nested columns as JSON text (object dtype, None for missing),
    and the names of those columns."""
    out = df.copy()
    nested = nested_columns(out)
    for column in nested:
        out[column] = out[column].map(to_json)
    return out, nested


def decode_nested(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`df` with the JSON text of `columns` parsed back into lists and dicts (in place)."""
    for column in columns:
        if column in df.columns:
            df[column] = pd.Series([from_json(v) for v in df[column].astype(object)],
                                   index=df.index, dtype=object)
    return df
