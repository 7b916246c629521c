"""Tabular readers: CSV/TSV (streamed row by row with the csv module, so 200,000-character
articles and multi-line quoted fields work) and Parquet (read in record batches).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq

from presslens.io.encoding import iter_text_lines
from presslens.io.registry import ReadContext, Reader, RecordIterator, register_reader

# Articles are long; the csv module's default field limit (131,072 chars) is not enough.
csv.field_size_limit(2**31 - 1)
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
MAX_CONSECUTIVE_CSV_ERRORS = 1000
PARQUET_BATCH_ROWS = 2048


def _pick_delimiter(header_line: str, default: str) -> str:
    """The delimiter that splits the header line most (outside quotes)."""
    counts = dict.fromkeys(CANDIDATE_DELIMITERS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(CANDIDATE_DELIMITERS, key=lambda d: (counts[d], d == default))
    return best if counts[best] else default


def _read_delimited(path: Path, context: ReadContext, default_delimiter: str) -> RecordIterator:
    file = str(path)
    lines = iter_text_lines(path, context.report, context.encoding)
    first = next(lines, None)
    if first is None:
        context.report.warning(file, None, None, "file is empty", "empty_file")
        return
    delimiter = (
        default_delimiter if default_delimiter == "\t"
        else _pick_delimiter(first[1], default_delimiter)
    )

    def all_lines() -> Iterator[str]:
        yield first[1]
        for _, line in lines:
            yield line

    # strict: a stray or unbalanced quote raises (and is reported with its lines) instead of
    # silently gluing the following rows into one field.
    reader = csv.reader(all_lines(), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows = 0
    errors_in_a_row = 0
    previous_end = 0
    after_error = False
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors_in_a_row += 1
            first_line = previous_end + 1
            one_line = reader.line_num <= first_line
            span = (f"line {first_line}" if one_line
                    else f"lines {first_line}-{reader.line_num} (one or more records)")
            # Over several lines the span may be one record with a multi-line field or several
            # records glued by a stray quote: how many were lost is not known.
            context.report.error(
                file, first_line, None,
                f"malformed CSV ({exc}); {span} not loaded (a stray or unbalanced quote?)",
                "malformed_csv", not_loaded=1 if one_line else None,
            )
            previous_end = reader.line_num
            after_error = True
            if errors_in_a_row >= MAX_CONSECUTIVE_CSV_ERRORS:
                context.report.error(file, reader.line_num, None,
                                     "too many malformed rows; rest of file skipped",
                                     "malformed_csv", not_loaded=None)
                return
            continue
        errors_in_a_row = 0
        start_line = previous_end + 1
        previous_end = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lstrip("\ufeff") for cell in row]
            if not any(header):
                context.report.error(file, start_line, None, "empty header row; file not loaded",
                                     "malformed_csv", not_loaded=None)
                return
            continue
        if len(row) != len(header):
            context.report.warning(
                file, start_line, None,
                f"row has {len(row)} fields, header has {len(header)}"
                + ("; extra fields ignored" if len(row) > len(header) else "; missing ones empty"),
                "field_count",
            )
        if after_error:
            # The csv module resumes on the line after a malformed one, which may be in the
            # middle of a multi-line field: this row may be a fragment.
            context.report.warning(
                file, start_line, None,
                "first row after a malformed one: check that it was split correctly",
                "after_malformed_csv",
            )
            after_error = False
        record = {name: value for name, value in zip(header, row, strict=False) if name}
        rows += 1
        yield start_line, record
    if header is None:
        context.report.warning(file, None, None, "file holds no rows", "empty_file")
    elif not rows:
        context.report.warning(file, None, None, "file holds a header but no rows", "empty_file")


def read_csv(path: Path, context: ReadContext) -> RecordIterator:
    """Comma-separated (or ; | tab, told from the header line), with a header row."""
    return _read_delimited(path, context, ",")


def read_tsv(path: Path, context: ReadContext) -> RecordIterator:
    """Tab-separated with a header row."""
    return _read_delimited(path, context, "\t")


def read_parquet(path: Path, context: ReadContext) -> RecordIterator:
    """Parquet, batch by batch; `line` is the 1-based row number."""
    parquet = pq.ParquetFile(path)
    number = 0
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
        names = [n for n in batch.schema.names if not n.startswith("__index_level_")]
        for row in batch.select(names).to_pylist():
            number += 1
            yield number, row


def _sniff_tsv(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf \r\n").split(b"\n", 1)[0]
    return first.count(b"\t") >= 1 and first[:1] not in (b"{", b"[", b"<")


def _sniff_parquet(head: bytes) -> bool:
    return head.startswith(b"PAR1")


register_reader(Reader(
    "csv", read_csv, (".csv", ".csv.gz"), description="CSV with a header row",
))
register_reader(Reader(
    "tsv", read_tsv, (".tsv", ".tab", ".tsv.gz"), sniff=_sniff_tsv,
    description="TSV with a header row",
))
register_reader(Reader(
    "parquet", read_parquet, (".parquet", ".pq"), sniff=_sniff_parquet,
    description="Parquet, one article per row",
))
