"""Builds the articles DataFrame column by column while records stream in.

Only one copy of each article's text is ever kept: normalised texts go into a small list that
is turned into an Arrow string array every few thousand records (and the list released), so
loading 100,000 articles holds the text once (in Arrow buffers) rather than as a list of dicts
plus a DataFrame plus a normalised copy. Exact duplicates (same normalised text) are dropped
here, the kept row listing the dropped ids in `duplicate_ids`. `outlet_source` says where each
outlet came from (argument, record, url, folder).
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from presslens import schema
from presslens.io.dates import NAT_NS
from presslens.io.normalize import Article
from presslens.io.report import LoadReport

TEXT_CHUNK_ROWS = 1024


class ArticleTableBuilder:
    """Accumulates normalised articles; `to_frame()` makes the canonical table once."""

    def __init__(
        self,
        report: LoadReport,
        drop_duplicates: bool = True,
        extra_columns: list[str] | None = None,
    ) -> None:
        self.report = report
        self.drop_duplicates = drop_duplicates
        self.extra_columns = list(extra_columns or [])
        self.ids: list[str] = []
        self.outlets: list[str | None] = []
        self.outlet_sources: list[str | None] = []
        self.urls: list[str | None] = []
        self.titles: list[str | None] = []
        self.authors: list[list[str]] = []
        self.published: list[int] = []
        self.languages: list[str] = []
        self.n_words: list[int] = []
        self.source_paths: list[str | None] = []
        self.duplicate_ids: list[list[str]] = []
        self.extras: dict[str, list[Any]] = {name: [] for name in self.extra_columns}
        self._text_chunks: list[pa.Array] = []
        self._text_pending: list[str] = []
        self._row_by_digest: dict[bytes, int] = {}
        self._id_counts: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def add(
        self, article: Article, source_path: str | None, line: int | None,
        file: str | None = None,
    ) -> str | None:
        """Append one article; returns its final id, or None when it was a dropped duplicate.
        `file` names the source in the report (defaults to `source_path`)."""
        file = source_path if file is None else file
        digest = hashlib.sha1(article.text.encode("utf-8", "surrogatepass")).digest()
        article_id = article.record_id or digest.hex()[:16]
        if self.drop_duplicates:
            kept = self._row_by_digest.get(digest)
            if kept is not None:
                kept_id = self.ids[kept]
                self.duplicate_ids[kept].append(article_id)
                self.report.info(
                    file, line, article_id,
                    f"exact duplicate of article {kept_id} (same normalised text); dropped",
                    "duplicate", not_loaded=1,
                )
                return None
            self._row_by_digest[digest] = len(self.ids)
        if article_id in self._id_counts:
            # Two different texts under one id (two files numbering from 1, a re-used uuid):
            # both are kept, the later one renamed, because analyses join on article_id.
            number = self._id_counts[article_id] + 1
            while f"{article_id}~{number}" in self._id_counts:
                number += 1
            self._id_counts[article_id] = number
            renamed = f"{article_id}~{number}"
            self.report.warning(
                file, line, article_id,
                f"article_id {article_id!r} already used by a different text; renamed {renamed!r}",
                "duplicate_id",
            )
            article_id = renamed
        self._id_counts[article_id] = 1
        self.ids.append(article_id)
        self.outlets.append(article.outlet)
        self.outlet_sources.append(article.outlet_source)
        self.urls.append(article.url)
        self.titles.append(article.title)
        self.authors.append(article.authors)
        self.published.append(article.published)
        self.languages.append(article.language)
        self.n_words.append(article.n_words)
        self.source_paths.append(source_path)
        self.duplicate_ids.append([])
        for name in self.extra_columns:
            self.extras[name].append(article.extras.get(name))
        self._text_pending.append(article.text)
        if len(self._text_pending) >= TEXT_CHUNK_ROWS:
            self._flush_text()
        return article_id

    def _flush_text(self) -> None:
        if self._text_pending:
            self._text_chunks.append(pa.array(self._text_pending, type=pa.large_string()))
            self._text_pending = []

    def to_frame(self) -> pd.DataFrame:
        """The canonical articles table (schema.ARTICLES) plus `duplicate_ids`,
        `outlet_source` and any extra columns asked for; the builder's buffers are released."""
        self._flush_text()
        extra_names = ["duplicate_ids", "outlet_source", *self.extra_columns]
        if not self.ids:
            frame = schema.empty(schema.ARTICLES)
            for name in extra_names:
                frame[name] = pd.Series(dtype="string" if name == "outlet_source" else "object")
            return frame
        text = pa.chunked_array(self._text_chunks, type=pa.large_string())
        self._text_chunks = []
        published = np.asarray(self.published, dtype=np.int64)
        published_values = pd.DatetimeIndex(
            np.where(published == NAT_NS, np.int64(NAT_NS), published).view("M8[ns]")
        ).tz_localize("UTC")
        columns: dict[str, Any] = {
            "article_id": pd.array(self.ids, dtype="string"),
            "outlet": pd.array(self.outlets, dtype="string"),
            "url": pd.array(self.urls, dtype="string"),
            "title": pd.array(self.titles, dtype="string"),
            "authors": _object_column(self.authors),
            "published": published_values,
            "language": pd.array(self.languages, dtype="string"),
            "text": pd.arrays.ArrowStringArray(text),
            "n_words": pd.array(self.n_words, dtype="Int64"),
            "source_path": pd.array(self.source_paths, dtype="string"),
            "duplicate_ids": _object_column(self.duplicate_ids),
            "outlet_source": pd.array(self.outlet_sources, dtype="string"),
        }
        for name in self.extra_columns:
            columns[name] = _object_column(self.extras[name])
        frame = pd.DataFrame(columns)
        return schema.conform(frame, schema.ARTICLES)


def _object_column(values: list) -> np.ndarray:
    """An object array holding the given Python objects (lists stay lists, not 2-D)."""
    out = np.empty(len(values), dtype=object)
    for index, value in enumerate(values):
        out[index] = value
    return out
