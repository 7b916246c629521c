"""Canonical tables: their columns and dtypes, empty frames of them, and validate().

Every analysis returns one of these tidy tables. Offsets are Python string indices into the
article's `text`, end exclusive; an absent span is <NA> in a nullable Int64 column.
"""

from __future__ import annotations

import pandas as pd

ARTICLES = {
    "article_id": "string",
    "outlet": "string",
    "url": "string",
    "title": "string",
    "authors": "object",  # list[str]
    "published": "datetime64[ns, UTC]",
    "language": "string",
    "text": "string",
    "n_words": "Int64",
    "source_path": "string",
}

SENTENCES = {
    "article_id": "string",
    "sentence_index": "Int64",
    "start": "Int64",
    "end": "Int64",
    "text": "string",
}

ATTRIBUTIONS = {
    "article_id": "string",
    "sentence_index": "Int64",
    "source_text": "string",
    "source_start": "Int64",
    "source_end": "Int64",
    "cue_text": "string",
    "cue_start": "Int64",
    "cue_end": "Int64",
    "content_text": "string",
    "content_start": "Int64",
    "content_end": "Int64",
    "quote_type": "string",
    "source_canonical": "string",
    "source_type": "string",
    "named": "boolean",
    "affiliation": "string",
}
QUOTE_TYPES = ("direct", "indirect", "mixed", "according_to", "other")
SOURCE_TYPES = (
    "official", "military", "media", "social_media", "expert", "ngo_international",
    "civilian", "anonymous", "vague", "document", "other",
)
# `affiliation` is a country (ISO 3166-1 alpha-2) or a bloc/organisation (EU, NATO, UN, INT), or
# unknown: the codes are those of resources/countries.tsv (presslens.geo). `bloc` is the coarse
# group of the code that charts use.
BLOCS = ("Russia", "Ukraine", "West", "international", "other", "unknown")

CLAIMS = {
    "article_id": "string",
    "claim_id": "string",
    "sentence_index": "Int64",
    "start": "Int64",
    "end": "Int64",
    "text": "string",
    "check_worthiness": "float64",
    "attributed_to": "string",
    "hedged": "boolean",
    "quantities": "object",  # list[dict]: text, start, end, op, value, unit
}

FRAMES = {
    "article_id": "string",
    "scheme": "string",
    "frame": "string",
    "score": "float64",
    "present": "boolean",
}
GENERIC_FRAMES = ("conflict", "human_interest", "economic", "morality", "responsibility")
MFC_FRAMES = (
    "economic", "capacity_and_resources", "morality", "fairness_and_equality",
    "legality_constitutionality_and_jurisprudence", "policy_prescription_and_evaluation",
    "crime_and_punishment", "security_and_defense", "health_and_safety", "quality_of_life",
    "cultural_identity", "public_opinion", "political", "external_regulation_and_reputation",
)

PERSUASION = {
    "article_id": "string",
    "technique": "string",
    "start": "Int64",
    "end": "Int64",
    "text": "string",
}

TABLES = {
    "articles": ARTICLES,
    "sentences": SENTENCES,
    "attributions": ATTRIBUTIONS,
    "claims": CLAIMS,
    "frames": FRAMES,
    "persuasion": PERSUASION,
}


def is_missing(value) -> bool:
    """None, NaN, NaT and pandas NA are missing; lists and arrays are values, never missing."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# The outlet of an article that names none (a folder of .txt files), in every table and chart.
UNKNOWN_OUTLET = "(unknown outlet)"


def outlet_labels(articles: pd.DataFrame) -> pd.Series:
    """Each article's outlet, UNKNOWN_OUTLET where it has none (a folder of .txt files names
    none), so that grouping by outlet never drops an article."""
    if "outlet" not in articles.columns:
        return pd.Series(UNKNOWN_OUTLET, index=articles.index, dtype="string")
    outlet = articles["outlet"].astype("string").str.strip()
    return outlet.mask(outlet.isna() | (outlet == ""), UNKNOWN_OUTLET)


def empty(columns: dict[str, str]) -> pd.DataFrame:
    """An empty frame with the given columns and dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def conform(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Put the canonical columns first, with their dtypes; keep any extra columns after them."""
    if df is None or len(df) == 0:
        out = empty(columns)
        if df is not None:
            for extra in df.columns:
                if extra not in out.columns:
                    out[extra] = pd.Series(dtype=df[extra].dtype)
        return out
    out = df.copy()
    for name, dtype in columns.items():
        if name not in out.columns:
            out[name] = pd.NA
        if dtype == "object":
            continue
        if dtype.startswith("datetime64"):
            # to_datetime picks its own unit (seconds for an all-missing column, say): the
            # declared one makes a table's dtypes the same however its values came.
            stamps = pd.to_datetime(out[name], utc=True)
            try:
                out[name] = stamps.astype(dtype)
            except (ValueError, OverflowError):  # a date the declared unit cannot hold
                out[name] = stamps
        else:
            out[name] = out[name].astype(dtype)
    ordered = list(columns) + [c for c in out.columns if c not in columns]
    return out[ordered].reset_index(drop=True)


class SchemaError(ValueError):
    """A table does not have the columns or values its contract promises."""


def validate(df: pd.DataFrame, table: str | dict[str, str]) -> pd.DataFrame:
    """Check that `df` carries the columns of `table` (a name from TABLES or a column dict)
    and that offset columns are consistent (start <= end). Returns df unchanged."""
    columns = TABLES[table] if isinstance(table, str) else table
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(f"missing columns {missing}; expected {list(columns)}")
    for prefix in ("", "source_", "cue_", "content_"):
        s, e = f"{prefix}start", f"{prefix}end"
        if s in df.columns and e in df.columns:
            both = df[s].notna() & df[e].notna()
            bad = both & (df[s].astype("Int64") > df[e].astype("Int64"))
            if bool(bad.any()):
                raise SchemaError(f"{int(bad.sum())} rows have {s} > {e}")
    return df
