"""Loading news articles: one reader per file family, a registry choosing among them, and a
load report so that nothing is dropped silently.

    from presslens.io import load_articles, load_summary, last_load_report
    articles = load_articles("data/sample/articles.jsonl")
    articles.attrs["load_report"]       # rows: file, line, record_id, severity, reason, code,
                                        # not_loaded (records of the file this row accounts for)

Readers: JSON Lines, JSON (array / object / wrapped list), news-please and newspaper4k JSON,
CSV/TSV, Parquet, .txt files (first line title), HTML pages and WARC archives (trafilatura +
htmldate). Add your own with `register_reader(Reader(name, read_function, extensions))`.
"""

from __future__ import annotations

# Reader modules register themselves on import; the sniffing order is fixed below.
from presslens.io import readers_json, readers_table, readers_text, readers_web  # noqa: F401
from presslens.io.dates import EARLIEST_PUBLISHED, parse_published, plausible_window
from presslens.io.loader import last_load_report, load_articles, load_articles_with_report
from presslens.io.normalize import detect_language, fix_text, text_id
from presslens.io.registry import (
    READERS,
    SNIFF_ORDER,
    ReadContext,
    Reader,
    get_reader,
    register_reader,
)
from presslens.io.report import REPORT_COLUMNS, LoadError, LoadReport, LoadWarning, ReportFrame
from presslens.io.summary import load_summary

# Unambiguous signatures first (WARC, Parquet magic), then markup, then JSON Lines (streamed,
# so a truncated dump keeps its first records), then JSON, then TSV.
_FIRST = ("warc", "parquet", "html", "jsonl", "json", "tsv")
SNIFF_ORDER[:] = [n for n in _FIRST if n in READERS] + [n for n in SNIFF_ORDER if n not in _FIRST]

__all__ = [
    "EARLIEST_PUBLISHED",
    "READERS",
    "REPORT_COLUMNS",
    "LoadError",
    "LoadReport",
    "LoadWarning",
    "ReadContext",
    "Reader",
    "ReportFrame",
    "detect_language",
    "fix_text",
    "get_reader",
    "last_load_report",
    "load_articles",
    "load_articles_with_report",
    "load_summary",
    "parse_published",
    "plausible_window",
    "register_reader",
    "text_id",
]
