"""Opening files and turning their bytes into text: gzip, byte-order marks, UTF-8 first and
charset-normalizer when a file is not UTF-8 (a cp1251 Cyrillic CSV, a Latin-1 export).

Readers stream: `iter_text_lines` decodes line by line so a 1 GB JSONL file is never held
as one bytes object plus one str. A line that is not valid UTF-8 in an otherwise UTF-8 file
is decoded with the encoding guessed for that line, and reported.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from presslens.io.report import LoadReport

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes, transparently gunzipped when it starts with the gzip magic number."""
    handle = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    head = handle.peek(2)[:2] if hasattr(handle, "peek") else b""
    if head == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[return-value]
    return handle


def read_head(path: Path, n: int = SNIFF_BYTES) -> bytes:
    """The first n bytes of a file (after gunzipping)."""
    with open_binary(path) as handle:
        return handle.read(n)


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def is_utf8(sample: bytes, complete: bool) -> bool:
    """True when `sample` decodes as UTF-8; a multibyte character cut at the end of an
    incomplete sample does not count against it."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return False
    return True


def guess_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess, or None when it has none (random bytes)."""
    try:
        best = from_bytes(data[:SNIFF_BYTES]).best()
    except Exception:  # charset-normalizer is a heuristic; never let it break a load
        return None
    if best is None:
        return None
    try:
        codecs.lookup(best.encoding)
    except LookupError:
        return None
    return best.encoding


def declared_html_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(
    data: bytes,
    report: LoadReport,
    file: str,
    declared: str | None = None,
    line: int | None = None,
) -> str:
    """Decode a whole document: BOM, then a declared charset (HTTP header, <meta>), then
    UTF-8, then charset-normalizer's guess (reported as a warning), then UTF-8 with
    replacement characters (reported too)."""
    encoding = bom_encoding(data)
    if encoding:
        return data.decode(encoding, errors="replace")
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guessed = guess_encoding(data)
    if guessed:
        report.warning(
            file, line, None, f"not UTF-8; decoded as {guessed} (guessed by charset-normalizer)",
            "encoding_guessed",
        )
        return data.decode(guessed, errors="replace")
    report.warning(
        file, line, None, "not UTF-8 and no encoding could be guessed; invalid bytes replaced",
        "encoding_replaced",
    )
    return data.decode("utf-8", errors="replace")


def iter_text_lines(
    path: Path, report: LoadReport, encoding: str | None = None
) -> Iterator[tuple[int, str]]:
    """(1-based line number, line with its line ending) for a text file, streaming.

    The encoding is decided from the first 64 KB: a BOM, UTF-8, else charset-normalizer's guess
    (one warning for the file). In a UTF-8 file, a later line that does not decode gets its own
    guess and its own warning.
    """
    file = str(path)
    head = read_head(path)
    complete = len(head) < SNIFF_BYTES
    chosen = encoding or bom_encoding(head)
    if chosen is None:
        if is_utf8(head, complete):
            chosen = "utf-8"
        else:
            chosen = guess_encoding(head) or "utf-8"
            if chosen == "utf-8":
                report.warning(
                    file, None, None,
                    "not UTF-8 and no encoding could be guessed; invalid bytes replaced",
                    "encoding_replaced",
                )
            else:
                report.warning(
                    file, None, None,
                    f"not UTF-8; decoded as {chosen} (guessed by charset-normalizer)",
                    "encoding_guessed",
                )
    if chosen == "utf-8":
        with open_binary(path) as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    yield number, raw.decode("utf-8")
                except UnicodeDecodeError:
                    yield number, decode_bytes(raw, report, file, line=number)
        return
    # Other encodings (UTF-16, cp1251...) cannot be split on b"\n" safely: let the codec do it.
    with open_binary(path) as handle:
        text = io.TextIOWrapper(handle, encoding=chosen, errors="replace", newline="")
        for number, line in enumerate(text, start=1):
            yield number, line


def read_text(path: Path, report: LoadReport, encoding: str | None = None) -> str:
    """A whole (small) text file, decoded as `decode_bytes` does."""
    with open_binary(path) as handle:
        data = handle.read()
    if encoding:
        return data.decode(encoding, errors="replace")
    return decode_bytes(data, report, str(path))
