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
    text = json.dumps(value, ensure_ascii=False, default=str)
    if not encodable(text):  # a lone surrogate: JSON's \u escapes keep it exactly
        text = json.dumps(value, ensure_ascii=True, default=str)
    return text


def encodable(value: Any) -> bool:
    """Whether a value can be written as Parquet text (UTF-8): not a string holding a lone
    surrogate, which Python strings allow and UTF-8 does not."""
    if not isinstance(value, str):
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unencodable_columns(df: pd.DataFrame) -> list[str]:
    """Text columns with a value that UTF-8 cannot hold (see `encodable`)."""
    return [column for column in df.columns
            if (df[column].dtype == object or isinstance(df[column].dtype, pd.StringDtype))
            and not all(map(encodable, df[column].tolist()))]


def from_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else None


def encode_nested(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """A copy of `df` with its nested columns, and its text columns holding a lone surrogate,
    as JSON text (object dtype, None for missing); and the names of those columns.
    `decode_nested` gives back exactly what was there."""
    out = df.copy()
    nested = nested_columns(out)
    nested += [c for c in unencodable_columns(out) if c not in nested]
    for column in nested:
        out[column] = out[column].astype(object).map(to_json)
    return out, nested


def decode_nested(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`df` with the JSON text of `columns` parsed back into lists and dicts (in place)."""
    for column in columns:
        if column in df.columns:
            df[column] = pd.Series([from_json(v) for v in df[column].astype(object)],
                                   index=df.index, dtype=object)
    return df
