"""`load_articles`: any supported source in, one canonical articles DataFrame out, with a
load report of everything that was rejected, repaired or skipped.

Records stream from the readers through the normaliser into the column builder one at a time;
a problem with one record or one file becomes a report row and loading goes on (or, with
errors="raise", a LoadError naming file, line and reason).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from presslens.io.builder import ArticleTableBuilder
from presslens.io.normalize import CANONICAL_FIELDS, RecordNormaliser
from presslens.io.registry import ReadContext, Reader, expand_source, get_reader
from presslens.io.report import LoadError, LoadReport, ReportFrame, empty_report

MEMORY_SOURCE = "<memory>"
_last_report: ReportFrame | None = None


def last_load_report() -> ReportFrame:
    """The report of the most recent load in this process (empty before any load)."""
    return _last_report if _last_report is not None else empty_report()


def load_articles(
    source: Any,
    format: str = "auto",
    errors: str = "report",
    columns: Mapping[str, str] | None = None,
    *,
    title_line: bool = True,
    detect_language: bool = True,
    drop_duplicates: bool = True,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Load news articles into the canonical table (`presslens.schema.ARTICLES` columns, then
    `duplicate_ids` and any extra columns named in `columns`).

    source: a file, a folder (walked recursively), a glob ("data/**/*.jsonl"), a list of those,
        or records already in memory (a DataFrame, a dict, a list of dicts).
    format: "auto" (by extension, else by content) or one of jsonl, json, csv, tsv, parquet,
        txt, html, warc, newsplease, newspaper4k.
    errors: "report" collects problems in the load report; "raise" raises LoadError (a
        ValueError) at the first error, naming file, line and reason.
    columns: your field names to canonical ones, e.g. {"body": "text", "headline": "title"};
        a target that is not canonical keeps that field as an extra column. Common aliases
        (resources/column_aliases.json) are recognised without it.
    title_line: for .txt files, whether the first line is the title.
    detect_language: detect `language` with langdetect when a record has none ("und" if off).
    drop_duplicates: keep one row per exact (normalised) text, listing the others in
        `duplicate_ids`.
    encoding: force a text encoding instead of detecting it.

    The report (columns file, line, record_id, severity, reason, code) is in
    `df.attrs["load_report"]` and `last_load_report()`. pandas cannot write a DataFrame held in
    attrs to Parquet: `df.attrs.pop("load_report")` before `df.to_parquet(...)`.
    """
    frame, _ = load_articles_with_report(
        source, format=format, errors=errors, columns=columns, title_line=title_line,
        detect_language=detect_language, drop_duplicates=drop_duplicates, encoding=encoding,
    )
    return frame


def load_articles_with_report(
    source: Any,
    format: str = "auto",
    errors: str = "report",
    columns: Mapping[str, str] | None = None,
    *,
    title_line: bool = True,
    detect_language: bool = True,
    drop_duplicates: bool = True,
    encoding: str | None = None,
) -> tuple[pd.DataFrame, ReportFrame]:
    """`load_articles`, returning `(articles, report)`."""
    global _last_report
    report = LoadReport(errors)
    explicit = None if format in (None, "auto") else get_reader(format)
    user_columns = dict(columns or {})
    extra_columns = [t for t in dict.fromkeys(user_columns.values()) if t not in CANONICAL_FIELDS]
    builder = ArticleTableBuilder(report, drop_duplicates, extra_columns)
    normalisers: dict[str, RecordNormaliser] = {}
    context = ReadContext(report=report, encoding=encoding, title_line=title_line)

    def normaliser_for(reader: Reader | None) -> RecordNormaliser:
        key = reader.name if reader is not None else MEMORY_SOURCE
        if key not in normalisers:
            merged = dict(reader.columns) if reader is not None else {}
            merged.update(user_columns)
            normalisers[key] = RecordNormaliser(merged, detect_languages=detect_language)
        return normalisers[key]

    try:
        for item in _source_items(source):
            if isinstance(item, _Records):
                _consume(item.records, MEMORY_SOURCE, normaliser_for(None), builder, report)
                continue
            for path, reader in expand_source(item, report, explicit):
                file = str(path)
                if reader is None:
                    report.error(file, None, None,
                                 "cannot tell the file's format; pass format=... "
                                 "(jsonl, json, csv, tsv, parquet, txt, html, warc)",
                                 "unknown_format")
                    continue
                try:
                    records = reader.read(path, context)
                    _consume(records, file, normaliser_for(reader), builder, report)
                except LoadError:
                    raise
                except (OSError, EOFError) as exc:
                    report.error(file, None, None, f"unreadable file: {exc}", "unreadable_file")
                except Exception as exc:  # a reader's library choking on a damaged file
                    report.error(file, None, None,
                                 f"unreadable file: {type(exc).__name__}: {str(exc)[:160]}",
                                 "unreadable_file")
    finally:
        _last_report = report.to_frame()
    frame = builder.to_frame()
    frame.attrs["load_report"] = _last_report
    report.warn_summary(len(frame))
    return frame, _last_report


class _Records:
    """Records given in memory rather than as files."""

    def __init__(self, records: Iterable[tuple[int | None, dict]]) -> None:
        self.records = records


def _source_items(source: Any) -> Iterator[str | os.PathLike | _Records]:
    if isinstance(source, pd.DataFrame):
        yield _Records(_frame_records(source))
    elif isinstance(source, (str, os.PathLike)):
        yield source
    elif isinstance(source, Mapping):
        yield _Records([(1, dict(source))])
    elif isinstance(source, Iterable):
        items = list(source)
        if items and all(isinstance(item, Mapping) for item in items):
            yield _Records((number, dict(item)) for number, item in enumerate(items, start=1))
            return
        for item in items:
            if isinstance(item, Mapping):
                yield _Records([(None, dict(item))])
            elif isinstance(item, (str, os.PathLike)):
                yield item
            else:
                raise TypeError(f"cannot load articles from a {type(item).__name__}")
    else:
        raise TypeError(
            f"source must be a path, a glob, a folder, a list of those, a DataFrame or records, "
            f"not {type(source).__name__}"
        )


def _frame_records(frame: pd.DataFrame) -> Iterator[tuple[int, dict]]:
    names = [str(c) for c in frame.columns]
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        yield number, dict(zip(names, values, strict=True))


def _consume(
    records: Iterable[tuple[int | None, dict]],
    file: str,
    normaliser: RecordNormaliser,
    builder: ArticleTableBuilder,
    report: LoadReport,
) -> None:
    source_path = None if file == MEMORY_SOURCE else file
    for line, record in records:
        try:
            article, record_id, problems = normaliser.normalise(record)
        except LoadError:
            raise
        except Exception as exc:  # one odd record must not stop the load
            report.error(file, line, None,
                         f"could not read the record: {type(exc).__name__}: {str(exc)[:160]}",
                         "bad_record")
            continue
        if article is None:
            for code, reason in problems:
                report.error(file, line, record_id, reason, code)
            continue
        final_id = builder.add(article, source_path, line)
        for code, reason in problems:
            report.warning(file, line, final_id or record_id, reason, code)
