"""The reader registry: which reader handles which file, by name, extension or content.

A reader is a function `read(path, context) -> iterator of (line, record dict)`; it reports the
problems it meets (a malformed line, an unreadable WARC record) through `context.report` and
goes on with the next record. `format="auto"` picks a reader by the file's extension (longest
match, so `.warc.gz` beats `.gz`, and `.jsonl.gz` is JSON Lines) and, for unknown extensions,
by sniffing the first bytes. New formats are added with `register_reader`.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from presslens.io.encoding import GZIP_MAGIC, read_head
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
    if head.startswith(GZIP_MAGIC):  # gzip inside gzip or a truncated stream
        return None
    for name in SNIFF_ORDER:
        reader = READERS[name]
        if reader.sniff is not None and reader.sniff(head):
            return reader
    return None


def detect_reader(path: Path) -> Reader | None:
    reader = reader_for_extension(path)
    if reader is not None:
        # A .gz with a known inner extension was matched above; a bare unknown .gz is sniffed.
        return reader
    return sniff_reader(path)


def _is_hidden(path: Path, root: Path) -> bool:
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = path.parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def expand_source(
    source: str | Path, report: LoadReport, explicit: Reader | None
) -> list[tuple[Path, Reader | None]]:
    """The files behind one source (a file, a folder walked recursively, or a glob), each with
    its reader (None when the format could not be told; reported by the caller)."""
    text = str(source)
    path = Path(text).expanduser()
    if path.is_dir():
        return _expand_folder(path, report, explicit)
    if path.exists():
        return [(path, explicit or detect_reader(path))]
    if any(ch in text for ch in "*?["):
        matches = sorted(glob.glob(str(path), recursive=True))
        if not matches:
            report.error(text, None, None, "no file matches this pattern", "not_found")
            return []
        files: list[tuple[Path, Reader | None]] = []
        for match in matches:
            match_path = Path(match)
            if match_path.is_dir():
                files.extend(_expand_folder(match_path, report, explicit))
            elif match_path.is_file():
                files.append((match_path, explicit or detect_reader(match_path)))
        return files
    report.error(text, None, None, "no such file or folder", "not_found")
    return []


def _expand_folder(
    folder: Path, report: LoadReport, explicit: Reader | None
) -> list[tuple[Path, Reader | None]]:
    """Files of a folder (recursively, sorted, hidden ones skipped). With an explicit format,
    files carrying one of that format's extensions are read when there are any, else all;
    in auto mode files of unknown type are skipped with one info row per extension."""
    candidates = sorted(
        p for p in folder.rglob("*") if p.is_file() and not _is_hidden(p, folder)
    )
    if explicit is not None:
        own = [p for p in candidates if p.name.lower().endswith(explicit.extensions)]
        return [(p, explicit) for p in (own or candidates)]
    files: list[tuple[Path, Reader | None]] = []
    skipped: dict[str, int] = {}
    for candidate in candidates:
        reader = reader_for_extension(candidate)
        if reader is None and not candidate.suffix:
            reader = sniff_reader(candidate)
        if reader is None:
            suffix = candidate.suffix.lower() or "(no extension)"
            skipped[suffix] = skipped.get(suffix, 0) + 1
            continue
        files.append((candidate, reader))
    for suffix, count in sorted(skipped.items()):
        report.info(
            str(folder), None, None,
            f"skipped {count} file(s) with extension {suffix}: not an article format",
            "skipped_file",
        )
    if not files and not skipped:
        report.warning(str(folder), None, None, "folder holds no files", "empty_folder")
    return files
