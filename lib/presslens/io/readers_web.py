"""Web readers: saved HTML pages and web archives (WARC / WARC.gz), the main text found by
trafilatura, the publication date by htmldate, title/author/site from the page's metadata.

A page is an article only when trafilatura finds a body: a section front, a menu or a cookie
wall, where trafilatura falls back to the page's link and footer text, is rejected
("navigation_only"), and the date comes from the page's metadata, URL and date elements, never
from a "(c) 2024" footer (htmldate's extensive search is off).

Paragraphs come out separated by a blank line, as in the seed article, so sentence splitting
and offsets behave the same on every source. WARC `response` and `resource` records holding
HTML are extracted like pages; other records (requests, metadata, images) are counted in one
info row per file.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from presslens.io.encoding import (
    BINARY_REASON,
    SNIFF_BYTES,
    FileProblem,
    declared_html_charset,
    decode_bytes,
    is_binary,
    read_bytes,
)
from presslens.io.registry import ReadContext, Reader, RecordIterator, register_reader
from presslens.io.report import LoadReport

_HTML_LANG = re.compile(r"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
# Fewer words than this in a page's main text usually means a section front, a video page or a
# paywall stub rather than an article: kept, but reported.
MIN_ARTICLE_WORDS = 25
# Saved pages carry scripts and styles; beyond this a file is not one article page.
MAX_PAGE_BYTES = 20_000_000
# Containers of site furniture: their text, and link text, is navigation, not an article.
_FURNITURE_TAGS = ("nav", "header", "footer", "aside", "menu")
_FURNITURE_NAME = re.compile(r"nav|menu|footer|header|breadcrumb|sidebar|cookie|banner", re.I)
DATE_PARAMS = {"original_date": True, "extensive_search": False,
               "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.I | re.S)


def extract_html(html: str, url: str | None = None) -> dict | str | None:
    """Canonical fields of the article in an HTML page; None when no main text is found, or
    "navigation" when the only text found is the page's navigation (links, menus, footer)."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lxml FutureWarnings inside trafilatura/htmldate
        try:
            document = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False, include_tables=True,
                deduplicate=False, date_extraction_params=dict(DATE_PARAMS),
            )
        except Exception:  # trafilatura on broken markup: treat as "no main text"
            document = None
    if document is None:
        return None
    fields = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    title = fields.get("title")
    paragraphs = [" ".join(line.split()) for line in (fields.get("text") or "").split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and title and paragraphs[0] == " ".join(title.split()):
        paragraphs = paragraphs[1:]  # the headline repeated as the first block
    if not paragraphs:
        return None
    if is_navigation(paragraphs, html):
        return "navigation"
    language = _HTML_LANG.search(html[:5000])
    return {
        "title": title,
        "text": "\n\n".join(paragraphs),
        "published": fields.get("date"),
        "authors": [a for a in (fields.get("author") or "").split(";") if a.strip()],
        "outlet": fields.get("sitename") or fields.get("hostname"),
        "url": url or fields.get("url"),
        "language": language.group(1) if language else None,
    }


def is_navigation(paragraphs: list[str], html: str) -> bool:
    """True when the extracted paragraphs are mostly the page's link texts or the text of its
    navigation, header, footer and sidebar blocks, with too little else to be an article."""
    furniture = _furniture_texts(html)
    if furniture is None:
        return False
    links, blocks = furniture
    nav_words = body_words = 0
    for paragraph in paragraphs:
        words = len(paragraph.split())
        if paragraph in links or paragraph in blocks:
            nav_words += words
        else:
            body_words += words
    return body_words < MIN_ARTICLE_WORDS and nav_words >= body_words


def _furniture_texts(html: str) -> tuple[set[str], str] | None:
    """(texts of the page's links, the text of its furniture blocks joined), whitespace
    collapsed; None when the page cannot be parsed."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError, TypeError):
        return None
    links = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    blocks = []
    for element in tree.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        names = f"{element.get('class') or ''} {element.get('id') or ''} {element.get('role') or ''}"
        if tag in _FURNITURE_TAGS or (names.strip() and _FURNITURE_NAME.search(names)):
            blocks.append(" ".join(element.text_content().split()))
    return links - {""}, "\n".join(blocks)


def read_html(path: Path, context: ReadContext) -> RecordIterator:
    data = read_bytes(path, MAX_PAGE_BYTES)
    if context.encoding is None and is_binary(data[:SNIFF_BYTES]):
        raise FileProblem(BINARY_REASON, "binary_file")
    html = decode_html(data, context.report, str(path), context.encoding)
    del data
    fields = extract_html(html)
    if not isinstance(fields, dict):
        report_no_article(fields, context.report, str(path), 1, None)
        return
    warn_if_short(fields, context.report, str(path), 1)
    yield 1, fields


def report_no_article(outcome: str | None, report: LoadReport, file: str, line: int | None,
                      url: str | None) -> None:
    where = f" {url}" if url else ""
    if outcome == "navigation":
        report.error(file, line, url, f"no article body in the HTML page{where}: the only text "
                     "found is navigation (links, menus, header, footer)", "navigation_only")
    else:
        report.error(file, line, url, f"no main text found in the HTML page{where}", "no_text")


def warn_if_short(fields: dict, report: LoadReport, file: str, line: int | None) -> None:
    n_words = len(fields["text"].split())
    if n_words < MIN_ARTICLE_WORDS:
        report.warning(file, line, fields.get("url"),
                       f"main text has only {n_words} words: perhaps not an article page",
                       "short_text")


def decode_html(
    data: bytes, report: LoadReport, file: str, forced: str | None = None,
    declared: str | None = None, line: int | None = None,
) -> str:
    if forced:
        return data.decode(forced, errors="replace")
    return decode_bytes(data, report, file, declared=declared or declared_html_charset(data),
                        line=line)


def read_warc(path: Path, context: ReadContext) -> RecordIterator:
    """HTML responses of a WARC file; `line` is the 1-based record number in the archive."""
    from warcio.archiveiterator import ArchiveIterator

    file = str(path)
    skipped = 0
    number = 0
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as exc:  # warcio raises ArchiveLoadFailed and zlib errors
                context.report.error(
                    file, number + 1, None,
                    "unreadable WARC record (damaged header or truncated archive; "
                    f"{type(exc).__name__}: {str(exc)[:100]}); rest of the archive skipped",
                    "malformed_warc", not_loaded=None,
                )
                break
            number += 1
            if record.rec_type not in ("response", "resource"):
                skipped += 1
                continue
            headers = record.http_headers if record.rec_type == "response" else record.rec_headers
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type == "response" and headers is not None:
                status = headers.get_statuscode()
                if status and not str(status).startswith("2"):
                    skipped += 1
                    continue
            content_type = (headers.get_header("Content-Type") if headers is not None else "") or ""
            try:
                data = record.content_stream().read(MAX_PAGE_BYTES + 1)
            except Exception as exc:  # a truncated or badly chunked payload
                context.report.error(file, number, url, f"unreadable WARC payload: {str(exc)[:120]}",
                                     "malformed_warc")
                continue
            if len(data) > MAX_PAGE_BYTES:
                context.report.error(file, number, url, f"WARC payload over {MAX_PAGE_BYTES / 1e6:.0f}"
                                     " MB: too large for one article page; not loaded",
                                     "record_too_large")
                continue
            if "html" not in content_type.lower() and not _HTML_START.match(data[:2048]):
                skipped += 1
                continue
            charset = _CHARSET.search(content_type)
            html = decode_html(data, context.report, file, context.encoding,
                               declared=charset.group(1) if charset else None, line=number)
            fields = extract_html(html, url=url)
            if not isinstance(fields, dict):
                report_no_article(fields, context.report, file, number, url)
                continue
            warn_if_short(fields, context.report, file, number)
            yield number, fields
    if skipped:
        context.report.info(file, None, None,
                            f"skipped {skipped} WARC record(s) that are not HTML pages "
                            "(requests, metadata, other media, non-2xx responses)",
                            "skipped_record", not_loaded=skipped)


def _sniff_warc(head: bytes) -> bool:
    return head.startswith(b"WARC/")


def _sniff_html(head: bytes) -> bool:
    return bool(_HTML_START.match(head.lstrip(b"\xef\xbb\xbf")))


register_reader(Reader(
    "warc", read_warc, (".warc", ".warc.gz", ".arc.gz"), sniff=_sniff_warc,
    description="web archive (WARC, optionally gzipped): HTML responses",
))
register_reader(Reader(
    "html", read_html, (".html", ".htm", ".xhtml", ".html.gz"), sniff=_sniff_html,
    records_per_file=1,
    description="a saved web page; main text, title, date and author extracted",
))
