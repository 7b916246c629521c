"""`load_articles`: any supported source in, one canonical articles DataFrame out, with a
load report of everything that was rejected, repaired or skipped.

Records stream from the readers through the normaliser into the column builder one at a time;
a problem with one record or one file becomes a report row and loading goes on (or, with
errors="raise", a LoadError naming file, line and reason). No other exception escapes for a
problem in the data: a file a reader chokes on becomes one report row, which says how many
records were loaded from it before the failure.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from presslens.io.builder import ArticleTableBuilder
from presslens.io.dates import plausible_window
from presslens.io.encoding import FileProblem
from presslens.io.normalize import CANONICAL_FIELDS, RecordNormaliser
from presslens.io.paths import SourceExpander, SourceFile
from presslens.io.registry import ReadContext, Reader, get_reader
from presslens.io.report import LoadError, LoadReport, ReportFrame, empty_report, storable

MEMORY_SOURCE = "<memory>"
RESERVED_COLUMNS = ("duplicate_ids", "outlet_source", "boilerplate")
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
    outlet: str | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Load news articles into the canonical table (`presslens.schema.ARTICLES` columns, then
    `duplicate_ids`, `outlet_source` and any extra columns named in `columns`).

    Parameters
    ----------
    source : path, glob, list, DataFrame, dict or list of dicts
        A file, a folder (walked recursively), a glob ("data/**/*.jsonl"), a list of those,
        or records already in memory (a DataFrame, a dict, a list of dicts).
    format : str
        "auto" (by extension, else by content) or one of jsonl, json, csv, tsv, parquet,
        txt, html, warc, newsplease, newspaper4k.
    errors : {"report", "raise"}
        "report" collects problems in the load report; "raise" raises LoadError (a
        ValueError) at the first error, naming file, line and reason.
    columns : mapping, optional
        Your field names to canonical ones, e.g. {"body": "text", "headline": "title"}; a
        target that is not canonical keeps that field as an extra column. Common aliases
        (resources/column_aliases.json) are recognised without it.
    title_line : bool
        For .txt files, whether the first line is the title.
    detect_language : bool
        Detect `language` with langdetect when a record has none ("und" if off).
    drop_duplicates : bool
        Keep one row per exact (normalised) text, listing the others in `duplicate_ids`.
    encoding : str, optional
        Force a text encoding instead of detecting it.
    outlet : str, optional
        The outlet of every article loaded, over what the records say. Otherwise the outlet
        is the record's own, else its URL's host, else the folder it is in (see
        `presslens.io.paths`); `outlet_source` says which (argument, record, url, folder).
    progress : bool, optional
        Show a progress bar (tqdm) on stderr; by default only when stderr is a terminal.

    Returns
    -------
    pandas.DataFrame
        One row per article. Publication dates outside 1990-01-01 .. a day after loading
        (`presslens.io.dates`) are left empty and reported. The report (columns file, line,
        record_id, severity, reason, code, not_loaded) is in `df.attrs["load_report"]` and
        `last_load_report()`; for each file, its records are its rows in the table plus the
        report's `not_loaded` for it. pandas cannot write a DataFrame held in attrs to
        Parquet: `df.attrs.pop("load_report")` before `df.to_parquet(...)`.

    Examples
    --------
    >>> import presslens
    >>> articles = presslens.load_articles("data/sample/articles.jsonl")   # doctest: +SKIP
    >>> presslens.load_articles("pages/", outlet="Kyiv Post")              # doctest: +SKIP
    >>> presslens.load_articles("export.csv", columns={"body": "text"})    # doctest: +SKIP
    >>> articles.attrs["load_report"]                                      # doctest: +SKIP
    """
    frame, _ = load_articles_with_report(
        source, format=format, errors=errors, columns=columns, title_line=title_line,
        detect_language=detect_language, drop_duplicates=drop_duplicates, encoding=encoding,
        outlet=outlet, progress=progress,
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
    outlet: str | None = None,
    progress: bool | None = None,
) -> tuple[pd.DataFrame, ReportFrame]:
    """`load_articles`, returning `(articles, report)`."""
    global _last_report
    report = LoadReport(errors)
    explicit = None if format in (None, "auto") else get_reader(format)
    if outlet is not None and not isinstance(outlet, str):
        raise TypeError(f"outlet must be a string, not {type(outlet).__name__}")
    user_columns = dict(columns or {})
    reserved = sorted(set(user_columns.values()) & set(RESERVED_COLUMNS))
    if reserved:
        raise ValueError(f"columns= cannot map to {', '.join(reserved)}: loading makes them")
    extra_columns = [t for t in dict.fromkeys(user_columns.values()) if t not in CANONICAL_FIELDS]
    builder = ArticleTableBuilder(report, drop_duplicates, extra_columns)
    normalisers: dict[str, RecordNormaliser] = {}
    context = ReadContext(report=report, encoding=encoding, title_line=title_line)
    window = plausible_window()

    def normaliser_for(reader: Reader | None) -> RecordNormaliser:
        key = reader.name if reader is not None else MEMORY_SOURCE
        if key not in normalisers:
            merged = dict(reader.columns) if reader is not None else {}
            merged.update(user_columns)
            normalisers[key] = RecordNormaliser(
                merged, detect_languages=detect_language, outlet=outlet, window=window)
        return normalisers[key]

    expander = SourceExpander(report, explicit)
    bar = _progress_bar(progress)
    try:
        for item in _source_items(source):
            if isinstance(item, _Records):
                _consume(item.records, MEMORY_SOURCE, normaliser_for(None), builder, report,
                         None, bar)
                continue
            if isinstance(item, _Rejected):
                report.error(MEMORY_SOURCE, item.number, None, item.reason, "not_an_object")
                continue
            try:
                files = expander.expand(item)
            except LoadError:
                raise
            except Exception as exc:  # a file system that cannot be listed
                report.error(os.fspath(item), None, None,
                             f"cannot list: {type(exc).__name__}: {str(exc)[:160]}",
                             "unreadable_file", not_loaded=None)
                continue
            for number, source_file in enumerate(files, start=1):
                if bar is not None and len(files) > 1:
                    bar.set_description(f"file {number}/{len(files)}", refresh=False)
                _read_file(source_file, context, normaliser_for, builder, report, bar)
    finally:
        if bar is not None:
            bar.close()
        _last_report = report.to_frame()
    frame = builder.to_frame()
    _mark_boilerplate(frame, report)
    _last_report = report.to_frame()
    frame.attrs["load_report"] = _last_report
    report.warn_summary(len(frame))
    return frame, _last_report


def _mark_boilerplate(frame: pd.DataFrame, report: LoadReport) -> None:
    """Page furniture left by crawlers (adverts, subscription prompts, "Most read", image
    credits...: `presslens.boilerplate`) marked once per article, in a `boilerplate` column of
    [start, end, reason, rule] spans the analyses skip, and counted in the report (one note per
    article that has any)."""
    from presslens.boilerplate import find_boilerplate

    marks = []
    for article_id, text, title, path in zip(frame["article_id"], frame["text"], frame["title"],
                                             frame["source_path"]):
        found = find_boilerplate(text, title if isinstance(title, str) else None) if isinstance(text, str) else []
        marks.append([[b.start, b.end, b.reason, b.rule] for b in found])
        if found:
            reasons = Counter(b.reason for b in found)
            detail = ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items()))
            chars = sum(b.end - b.start for b in found)
            report.info(path if isinstance(path, str) else MEMORY_SOURCE, None, article_id,
                        f"page furniture marked and left out of the analyses: {len(found)} "
                        f"piece{'s' if len(found) > 1 else ''} ({detail}), {chars} characters",
                        "boilerplate")
    frame["boilerplate"] = pd.Series(marks, index=frame.index, dtype=object)


def _progress_bar(progress: bool | None):
    """A tqdm bar counting records, or None: shown when asked, or by default when stderr is
    a terminal (not in tests, pipes, CI logs or notebooks)."""
    if progress is None:
        try:
            progress = sys.stderr.isatty()
        except (AttributeError, ValueError):
            progress = False
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(unit=" records", desc="loading", mininterval=0.5, file=sys.stderr)


def _read_file(source_file: SourceFile, context: ReadContext, normaliser_for, builder,
               report: LoadReport, bar) -> None:
    """Read one file into the builder; a failure of the whole file becomes one report row."""
    path, reader = source_file.path, source_file.reader
    file = storable(str(path))
    if reader is None:
        report.error(file, None, None,
                     "cannot tell the file's format; pass format=... "
                     "(jsonl, json, csv, tsv, parquet, txt, html, warc)",
                     "unknown_format", not_loaded=None)
        return
    counter = _Counter()
    try:
        records = reader.read(path, context)
        _consume(records, file, normaliser_for(reader), builder, report,
                 source_file.folder_outlet, bar, counter)
    except LoadError:
        raise
    except FileProblem as exc:
        report.error(file, None, None, _after(counter, exc.reason), exc.code,
                     not_loaded=reader.records_per_file if not counter.n else None)
    except Exception as exc:  # a reader's library choking on a damaged file
        detail = str(exc)[:160] if isinstance(exc, (OSError, EOFError)) else (
            f"{type(exc).__name__}: {str(exc)[:160]}")
        report.error(file, None, None, _after(counter, f"unreadable file: {detail}"),
                     "unreadable_file",
                     not_loaded=reader.records_per_file if not counter.n else None)


def _after(counter: _Counter, reason: str) -> str:
    if not counter.n:
        return reason
    return f"{reason} (after {counter.n} record(s) of the file were read; the rest is lost)"


class _Counter:
    """Records taken from the current file, so a failure can say how far the file was read."""

    def __init__(self) -> None:
        self.n = 0


class _Records:
    """Records given in memory rather than as files."""

    def __init__(self, records: Iterable[tuple[int | None, dict]]) -> None:
        self.records = records


class _Rejected:
    """An item of an in-memory list that is neither a record nor a path."""

    def __init__(self, number: int, reason: str) -> None:
        self.number = number
        self.reason = reason


def _source_items(source: Any) -> Iterator[str | os.PathLike | _Records | _Rejected]:
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
        for number, item in enumerate(items, start=1):
            if isinstance(item, Mapping):
                yield _Records([(number, dict(item))])
            elif isinstance(item, (str, os.PathLike)):
                yield item
            else:  # a None or a number among records is bad data, not a bad argument
                yield _Rejected(number, f"item {number} is a {type(item).__name__}, not a "
                                        "record (dict) or a path")
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
    folder_outlet: str | None = None,
    bar=None,
    counter: _Counter | None = None,
) -> None:
    source_path = None if file == MEMORY_SOURCE else file
    counter = counter if counter is not None else _Counter()
    for line, record in records:
        counter.n += 1
        if bar is not None:
            bar.update(1)
        try:
            article, record_id, problems = normaliser.normalise(record, folder_outlet)
        except LoadError:
            raise
        except Exception as exc:  # one odd record must not stop the load
            report.error(file, line, None,
                         f"could not read the record: {type(exc).__name__}: {str(exc)[:160]}",
                         "bad_record")
            continue
        if article is None:  # the first problem is why it was rejected
            code, reason = problems[0]
            report.error(file, line, record_id, reason, code)
            for code, reason in problems[1:]:
                report.warning(file, line, record_id, reason, code)
            continue
        final_id = builder.add(article, source_path, line, file)
        for code, reason in problems:
            report.warning(file, line, final_id or record_id, reason, code)
