"""JSON readers: JSON Lines (streamed line by line), JSON arrays and single objects, and the
JSON written by news-please and newspaper4k (their field names are in the alias table; the
named formats only make the mapping explicit).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from presslens.io.encoding import FileProblem, iter_text_lines, read_head, read_text
from presslens.io.normalize import load_aliases, normalise_key
from presslens.io.registry import ReadContext, Reader, RecordIterator, register_reader

# Keys under which API dumps wrap their list of articles ({"articles": [...]}, NewsAPI...).
# A JSON document is parsed whole (Python objects take 5-10 times the text); beyond this, and
# for a gzip bomb, the file is refused: JSON Lines of the same records stream in any size.
MAX_DOCUMENT_BYTES = 2**30
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
WRAPPER_KEYS = ("articles", "data", "items", "results", "records", "documents", "docs", "hits",
                "stories", "entries", "news")


def _loads(line: str) -> tuple[object | None, str | None]:
    """(value, None) or (None, reason) for one JSON document."""
    try:
        return json.loads(line), None
    except json.JSONDecodeError as exc:
        return None, f"malformed JSON: {exc.msg} (column {exc.colno})"
    except (ValueError, RecursionError) as exc:  # over-long integers, absurd nesting
        return None, f"malformed JSON: {type(exc).__name__}: {str(exc)[:80]}"


def read_jsonl(path: Path, context: ReadContext) -> RecordIterator:
    """One JSON object per line; blank lines are skipped; a bad line is reported with its
    number and reading goes on."""
    file = str(path)
    records = 0
    for number, line in iter_text_lines(path, context.report, context.encoding):
        stripped = line.strip()
        if not stripped:
            continue
        records += 1
        value, problem = _loads(stripped)
        if problem is not None:
            context.report.error(file, number, None, problem, "malformed_json")
            continue
        if not isinstance(value, dict):
            context.report.error(
                file, number, None,
                f"JSON line is a {type(value).__name__}, not an object", "not_an_object",
            )
            continue
        yield number, value
    if not records:
        context.report.warning(file, None, None, "file holds no JSON lines", "empty_file")


def _looks_like_article(value: dict) -> bool:
    text_keys = set(load_aliases()[0]["text"])
    return any(normalise_key(key) in text_keys for key in value)


def read_json(path: Path, context: ReadContext) -> RecordIterator:
    """A JSON array of objects, one object, an object mapping ids to objects, or an API dump
    wrapping a list; a `.json` file that is really JSON Lines is read as such. `line` is the
    1-based record number."""
    file = str(path)
    try:
        text = read_text(path, context.report, context.encoding, limit=MAX_DOCUMENT_BYTES)
    except FileProblem as exc:
        if exc.code == "truncated_file" and _sniff_jsonl(read_head(path)):
            # A cut .json.gz of JSON Lines: stream it, keeping the lines before the break.
            yield from read_jsonl(path, context)
            return
        raise
    if not text.strip():
        context.report.warning(file, None, None, "file is empty", "empty_file")
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            yield from _read_json_lines_text(text, file, context)
            return
        context.report.error(
            file, exc.lineno, None,
            f"malformed JSON: {exc.msg} (column {exc.colno}); file not loaded",
            "malformed_json", not_loaded=None,
        )
        return
    except (ValueError, RecursionError) as exc:
        context.report.error(
            file, None, None,
            f"malformed JSON: {type(exc).__name__}: {str(exc)[:80]}; file not loaded",
            "malformed_json", not_loaded=None,
        )
        return
    del text
    if isinstance(value, dict) and not _looks_like_article(value):
        for key in WRAPPER_KEYS:
            inner = value.get(key)
            if isinstance(inner, list) and any(isinstance(item, dict) for item in inner):
                value = inner
                break
    if isinstance(value, dict) and not _looks_like_article(value) and value and all(
        isinstance(item, dict) and _looks_like_article(item) for item in value.values()
    ):
        # {"<id>": {article}, ...}: the keys are the ids unless the articles carry their own.
        id_keys = set(load_aliases()[0]["article_id"])
        for number, (key, item) in enumerate(value.items(), start=1):
            if not any(normalise_key(k) in id_keys for k in item):
                item = {"article_id": key, **item}
            yield number, item
        return
    if isinstance(value, dict):
        yield 1, value
        return
    if not isinstance(value, list):
        context.report.error(
            file, None, None, f"JSON document is a {type(value).__name__}, not an object or array",
            "not_an_object",
        )
        return
    if not value:
        context.report.warning(file, None, None, "JSON document is empty", "empty_file")
        return
    for number, item in enumerate(value, start=1):
        if isinstance(item, dict):
            yield number, item
        else:
            context.report.error(
                file, number, None, f"record {number} is a {type(item).__name__}, not an object",
                "not_an_object",
            )


def _read_json_lines_text(text: str, file: str, context: ReadContext) -> RecordIterator:
    # Split as iter_text_lines does (\n, \r\n, \r): str.splitlines would also split at
    # U+2028 and U+0085, which JSON strings may hold.
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        value, problem = _loads(stripped)
        if problem is not None:
            context.report.error(file, number, None, problem, "malformed_json")
        elif not isinstance(value, dict):
            context.report.error(
                file, number, None, f"JSON line is a {type(value).__name__}, not an object",
                "not_an_object",
            )
        else:
            yield number, value


def _sniff_jsonl(head: bytes) -> bool:
    """JSON Lines: a first line that is a whole JSON object, and a second line that starts
    another (a file without an extension, often a gzipped dump)."""
    lines = [line.strip() for line in head.lstrip(b"\xef\xbb\xbf").split(b"\n", 2)[:2]]
    if len(lines) < 2 or not lines[0].startswith(b"{") or not lines[1].startswith(b"{"):
        return False
    value, problem = _loads(lines[0].decode("utf-8", errors="replace"))
    return problem is None and isinstance(value, dict)


def _sniff_json(head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped[:1] in (b"{", b"[")


register_reader(Reader(
    "jsonl", read_jsonl, (".jsonl", ".ndjson", ".jsonlines", ".jsonl.gz", ".ndjson.gz"),
    sniff=_sniff_jsonl, description="JSON Lines: one article object per line, streamed",
))
register_reader(Reader(
    "json", read_json, (".json", ".json.gz"), sniff=_sniff_json,
    description="a JSON array of article objects, one object, or a wrapped list",
))
register_reader(Reader(
    "newsplease", read_json, (".json", ".json.gz"), auto_detect=False,
    columns={"maintext": "text", "date_publish": "published", "source_domain": "outlet",
             "title": "title", "authors": "authors", "url": "url", "language": "language"},
    description="news-please output: one JSON object per article",
))
register_reader(Reader(
    "newspaper4k", read_json, (".json", ".json.gz"), auto_detect=False,
    columns={"text": "text", "publish_date": "published", "source_url": "outlet",
             "title": "title", "authors": "authors", "url": "url", "meta_lang": "language"},
    description="newspaper4k Article JSON (text, title, publish_date, authors, url, source_url)",
))
