"""The reader registry: which reader handles which file, by name, extension or content.

A reader is a function `read(path, context) -> iterator of (line, record dict)`; it reports the
problems it meets (a malformed line, an unreadable WARC record) through `context.report` and
goes on with the next record. `format="auto"` picks a reader by the file's extension (longest
match, so `.warc.gz` beats `.gz`, and `.jsonl.gz` is JSON Lines) and, for unknown extensions,
by sniffing the first bytes. New formats are added with `register_reader`. Which files a
source names is `presslens.io.paths`' job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from presslens.io.encoding import GZIP_MAGIC, bom_encoding, read_head, wide_encoding
from presslens.io.report import LoadReport

RecordIterator = Iterator[tuple[int | None, dict]]


@dataclass
class ReadContext:
    """What a reader needs besides the path."""

    report: LoadReport
    encoding: str | None = None  # force a text encoding instead of detecting it
    title_line: bool = True  # .txt: first line is the title


@dataclass
class Reader:
    name: str
    read: Callable[[Path, ReadContext], RecordIterator]
    extensions: tuple[str, ...] = ()
    sniff: Callable[[bytes], bool] | None = None
    # Field mapping implied by the format (news-please's `maintext`...), below the caller's.
    columns: dict[str, str] = field(default_factory=dict)
    description: str = ""
    # False for flavours of another format (news-please JSON is JSON): chosen only by name.
    auto_detect: bool = True
    # Records in every file of the format (1 for a .txt or an HTML page), None when it varies:
    # what a file that cannot be read at all counts as lost in the report.
    records_per_file: int | None = None


READERS: dict[str, Reader] = {}
FORMAT_ALIASES = {
    "ndjson": "jsonl", "jsonlines": "jsonl", "json_lines": "jsonl", "news-please": "newsplease",
    "news_please": "newsplease", "newspaper": "newspaper4k", "newspaper3k": "newspaper4k",
    "text": "txt", "htm": "html", "warc.gz": "warc", "pq": "parquet",
}
# Order in which content sniffers are tried for files with an unknown extension.
SNIFF_ORDER: list[str] = []


def register_reader(reader: Reader, sniff_priority: int | None = None) -> Reader:
    """Add (or replace) a reader; `sniff_priority` places its sniffer in SNIFF_ORDER."""
    READERS[reader.name] = reader
    if reader.sniff is not None and reader.name not in SNIFF_ORDER:
        if sniff_priority is None:
            SNIFF_ORDER.append(reader.name)
        else:
            SNIFF_ORDER.insert(sniff_priority, reader.name)
    return reader


def get_reader(name: str) -> Reader:
    """The registered reader of a format name or alias (case-insensitive).

    Parameters
    ----------
    name : str
        "jsonl", "csv", "html", "txt", ... or an alias such as "ndjson".

    Returns
    -------
    Reader

    Raises
    ------
    ValueError
        When no reader has that name, listing the known ones.

    Examples
    --------
    >>> get_reader("JSONL").name
    'jsonl'
    """
    key = FORMAT_ALIASES.get(name.lower(), name.lower())
    if key not in READERS:
        raise ValueError(f"unknown format {name!r}; known: {', '.join(sorted(READERS))}")
    return READERS[key]


def reader_for_extension(path: Path) -> Reader | None:
    name = path.name.lower()
    best: tuple[int, Reader] | None = None
    for reader in READERS.values():
        if not reader.auto_detect:
            continue
        for ext in reader.extensions:
            if name.endswith(ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), reader)
    if best is not None:
        return best[1]
    return None


def sniff_reader(path: Path) -> Reader | None:
    """A reader chosen from the first bytes of the (gunzipped) file, or None."""
    head = read_head(path, 8192)
    if head.startswith(GZIP_MAGIC):  # gzip inside gzip
        return None
    wide = bom_encoding(head) or wide_encoding(head)
    if wide is not None:  # UTF-16/32: the sniffers look at ASCII bytes
        head = head.decode(wide, errors="ignore").lstrip("\ufeff").encode("utf-8")
    for name in SNIFF_ORDER:
        reader = READERS[name]
        if reader.sniff is not None and reader.sniff(head):
            return reader
    return None
