"""Opening files and turning their bytes into text: gzip, byte-order marks, UTF-16 without one,
UTF-8 first and charset-normalizer when a file is not UTF-8 (a cp1251 Cyrillic CSV, a Latin-1
export), binary files told apart from text.

Readers stream: `iter_text_lines` decodes line by line so a 1 GB JSONL file is never held
as one bytes object plus one str, and a single line over `MAX_RECORD_CHARS` is skipped (and
reported) without being held either. Lines end at "\\n", "\\r\\n" or a lone "\\r", which are kept
(the csv module needs them). A line whose bytes are not UTF-8 is decoded with the file's guessed
encoding, or with a guess for that line in a UTF-8 file, and reported; a file mixing UTF-8
lines with lines in another encoding gets a warning naming them. A compressed file that ends
early keeps the lines before the break and reports where it broke.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from presslens.io.normalize import MAX_RECORD_CHARS
from presslens.io.report import LoadReport

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 64 * 1024
_READ_CHUNK = 64 * 1024
# Errors of a damaged or truncated gzip stream, as raised while reading it.
STREAM_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)
# In text, bytes below 0x20 other than tab, newlines, form feed and escape are rare; a file
# whose first 64 KB has more than this share of them is binary (an image, a zip, random bytes).
BINARY_CONTROL_SHARE = 0.05
_CONTROL_BYTES = bytes(sorted(set(range(32)) - {9, 10, 12, 13, 27})) + b"\x7f"
_LINE_ENDS = ("\n", "\r")
MAX_LISTED_LINES = 10

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class FileProblem(Exception):
    """A whole file cannot be read as text; `code` and the message go to the load report."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes, transparently gunzipped when it starts with the gzip magic number."""
    handle = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    head = handle.peek(2)[:2] if hasattr(handle, "peek") else b""
    if head == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[return-value]
    return handle


def read_head(path: Path, n: int = SNIFF_BYTES) -> bytes:
    """The first n bytes of a file (after gunzipping); of a damaged or truncated gzip file,
    the bytes that could be decompressed."""
    parts: list[bytes] = []
    got = 0
    with open_binary(path) as handle:
        reader = getattr(handle, "read1", handle.read)
        while got < n:
            try:
                part = reader(min(_READ_CHUNK, n - got))
            except STREAM_ERRORS:
                break
            if not part:
                break
            parts.append(part)
            got += len(part)
    return b"".join(parts)[:n]


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A whole file (gunzipped). Raises FileProblem when a compressed file is damaged or ends
    early, or when it holds more than `limit` bytes (without reading past the limit)."""
    parts: list[bytes] = []
    got = 0
    with open_binary(path) as handle:
        reader = getattr(handle, "read1", handle.read)
        while True:
            try:
                part = reader(_READ_CHUNK)
            except STREAM_ERRORS as exc:
                raise FileProblem(
                    f"compressed data damaged or cut short after {got:,} bytes "
                    f"({type(exc).__name__}: {str(exc)[:80]}); file not loaded",
                    "truncated_file",
                ) from exc
            if not part:
                break
            got += len(part)
            if limit is not None and got > limit:
                raise FileProblem(
                    f"file holds more than {limit / 1e6:,.0f} MB (uncompressed), more than this "
                    "format is read whole; not loaded", "file_too_large",
                )
            parts.append(part)
    return b"".join(parts)


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where the zero bytes fall (the high
    bytes of ASCII characters, which every JSON, CSV or HTML file is full of) and checked by
    decoding. None for anything else."""
    if not head or bom_encoding(head):
        return None
    for width, name_le, name_be in ((4, "utf-32-le", "utf-32-be"), (2, "utf-16-le", "utf-16-be")):
        sample = head[: len(head) - len(head) % width][:4096]
        units = len(sample) // width
        if units < 2:
            continue
        zeros = [sum(1 for i in range(offset, len(sample), width) if sample[i] == 0)
                 for offset in range(width)]
        low, high = zeros[0], zeros[-1]
        middle = sum(zeros[1:-1])
        if width == 4:
            le = high >= 0.9 * units and zeros[2] >= 0.9 * units and low < 0.1 * units
            be = low >= 0.9 * units and zeros[1] >= 0.9 * units and high < 0.1 * units
        else:
            le = high >= 0.2 * units and low <= 0.02 * units and middle == 0
            be = low >= 0.2 * units and high <= 0.02 * units and middle == 0
        for matched, name in ((le, name_le), (be, name_be)):
            if matched:
                try:
                    codecs.getincrementaldecoder(name)().decode(sample, final=False)
                except UnicodeDecodeError:
                    continue
                return name
    return None


def looks_binary(head: bytes) -> bool:
    """True when the bytes are not text in any ASCII-compatible encoding (checked after BOMs
    and UTF-16/32)."""
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls >= 2 and controls >= BINARY_CONTROL_SHARE * len(head)


def is_ascii_compatible(encoding: str) -> bool:
    """Whether lines of this encoding can be split on newline bytes (cp1251, Shift-JIS: yes;
    UTF-16, EBCDIC: no)."""
    probe = 'a1 {"x"}\r\n<>'
    try:
        return probe.encode(encoding) == probe.encode("ascii")
    except (LookupError, UnicodeError):
        return False


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
    UTF-16/32 without a BOM, then UTF-8, then charset-normalizer's guess (reported as a
    warning), then UTF-8 with replacement characters (reported too)."""
    encoding = bom_encoding(data)
    if encoding:
        return data.decode(encoding, errors="replace")
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    wide = wide_encoding(data[:SNIFF_BYTES])
    if wide:
        report.warning(file, line, None, f"no byte-order mark; decoded as {wide} (zero-byte "
                       "pattern)", "encoding_guessed")
        return data.decode(wide, errors="replace")
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


def read_text(
    path: Path, report: LoadReport, encoding: str | None = None, limit: int | None = None
) -> str:
    """A whole (small) text file, decoded as `decode_bytes` does. Raises FileProblem for a
    damaged compressed file, one over `limit` bytes, or binary content."""
    data = read_bytes(path, limit)
    if encoding:
        return data.decode(encoding, errors="replace")
    if is_binary(data[:SNIFF_BYTES]):
        raise FileProblem(BINARY_REASON, "binary_file")
    return decode_bytes(data, report, str(path))


BINARY_REASON = "binary data (control bytes throughout), not text; file not loaded"


def is_binary(head: bytes) -> bool:
    """Binary content: not UTF-16/32 (with or without a BOM) and `looks_binary`."""
    return not bom_encoding(head) and not wide_encoding(head) and looks_binary(head)


class _LineDecoder:
    """Decodes the byte lines of an ASCII-compatible file: UTF-8 first (or the encoding asked
    for), then the file's guessed encoding or, in a UTF-8 file, a guess for that line."""

    def __init__(self, report: LoadReport, file: str, fallback: str | None,
                 forced: str | None = None) -> None:
        self.report = report
        self.file = file
        self.fallback = fallback  # the file's guessed encoding; None: guess line by line
        self.forced = forced
        self.utf8_lines = 0  # lines with non-ASCII characters that are valid UTF-8
        self.other_lines: list[int] = []

    def decode(self, number: int, raw: bytes) -> str:
        if self.forced is not None:
            return raw.decode(self.forced, errors="replace")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.other_lines.append(number)
            if self.fallback is not None:
                return raw.decode(self.fallback, errors="replace")
            return decode_bytes(raw, self.report, self.file, line=number)
        if self.fallback is not None and not raw.isascii():
            self.utf8_lines += 1
        return line

    def finish(self) -> None:
        if self.fallback is not None and self.utf8_lines and self.other_lines:
            listed = ", ".join(map(str, self.other_lines[:MAX_LISTED_LINES]))
            more = ", ..." if len(self.other_lines) > MAX_LISTED_LINES else ""
            self.report.warning(
                self.file, None, None,
                f"mixed encodings: {self.utf8_lines} line(s) are UTF-8, "
                f"{len(self.other_lines)} were decoded as {self.fallback} (lines {listed}{more}); "
                "check those lines' text",
                "mixed_encoding",
            )


def iter_text_lines(
    path: Path,
    report: LoadReport,
    encoding: str | None = None,
    max_bytes: int = MAX_RECORD_CHARS,
) -> Iterator[tuple[int, str]]:
    """(1-based line number, line with its line ending) for a text file, streaming.

    The encoding is decided from the first 64 KB: a BOM, UTF-16/32 by its zero bytes, UTF-8
    (a line that is not gets a guess of its own, reported), else charset-normalizer's guess
    for the file (one warning; its UTF-8 lines still read as UTF-8, and reported as mixed).
    Binary content raises FileProblem. A line over `max_bytes` is reported
    ("record_too_large") and yielded as an empty line, so that line numbers stay right; a
    compressed file that ends early is reported ("truncated_file") after the lines before the
    break (FileProblem when it breaks before the first line).
    """
    file = str(path)
    head = read_head(path)
    complete = len(head) < SNIFF_BYTES
    wide = None
    decoder: _LineDecoder | None = None
    if encoding:
        if is_ascii_compatible(encoding):
            decoder = _LineDecoder(report, file, None, forced=encoding)
        else:
            wide = encoding
    elif bom_encoding(head):
        bom = bom_encoding(head)
        if bom == "utf-8-sig":
            decoder = _LineDecoder(report, file, None)
        else:
            wide = bom
    elif wide_encoding(head):
        wide = wide_encoding(head)
        report.warning(file, None, None, f"no byte-order mark; decoded as {wide} "
                       "(zero-byte pattern)", "encoding_guessed")
    elif looks_binary(head):
        raise FileProblem(BINARY_REASON, "binary_file")
    elif is_utf8(head, complete):
        decoder = _LineDecoder(report, file, None)
    else:
        guessed = guess_encoding(head)
        if guessed is None:
            report.warning(
                file, None, None,
                "not UTF-8 and no single encoding could be guessed; each line that is not "
                "UTF-8 gets a guess of its own", "encoding_guessed",
            )
            decoder = _LineDecoder(report, file, None)
        else:
            report.warning(
                file, None, None,
                f"not UTF-8; decoded as {guessed} (guessed by charset-normalizer)",
                "encoding_guessed",
            )
            if is_ascii_compatible(guessed):
                decoder = _LineDecoder(report, file, guessed)
            else:
                wide = guessed
    if decoder is None:
        yield from _iter_codec_lines(path, report, wide or "utf-8", max_bytes)
        return
    number = 0
    with open_binary(path) as handle:
        while True:
            try:
                raw = handle.readline(max_bytes + 1)
            except STREAM_ERRORS as exc:
                _stream_broke(report, file, number, exc)
                break
            if not raw:
                break
            number += 1
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                size = _skip_rest_of_line(handle, len(raw), b"\n")
                if not _report_long_line(report, file, number, size, max_bytes, "bytes"):
                    break
                yield number, "\n"
                continue
            line = decoder.decode(number, raw)
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if "\r" in line and _LONE_CR.search(line):
                # Old Mac line ends (a lone CR) inside what newline bytes delimit.
                pieces = [piece for piece in _LONE_CR.split(line) if piece]
                for offset, piece in enumerate(pieces):
                    yield number + offset, piece
                number += len(pieces) - 1
                continue
            yield number, line
    decoder.finish()


_LONE_CR = re.compile(r"(?<=\r)(?!\n)(?=.)", re.S)


def _iter_codec_lines(
    path: Path, report: LoadReport, encoding: str, max_chars: int
) -> Iterator[tuple[int, str]]:
    """Lines of a file whose newlines are not single bytes (UTF-16, UTF-32), decoded by the
    codec, which also splits them."""
    file = str(path)
    number = 0
    with open_binary(path) as handle:
        text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
        while True:
            try:
                line = text.readline(max_chars + 1)
            except STREAM_ERRORS as exc:
                _stream_broke(report, file, number, exc)
                break
            if not line:
                break
            number += 1
            if len(line) > max_chars and not line.endswith(_LINE_ENDS):
                size = _skip_rest_of_line(text, len(line), _LINE_ENDS)
                if not _report_long_line(report, file, number, size, max_chars, "characters"):
                    break
                yield number, "\n"
                continue
            yield number, line


def _stream_broke(report: LoadReport, file: str, number: int, exc: BaseException) -> None:
    if not number:
        raise FileProblem(
            f"compressed data damaged or cut short before the first line "
            f"({type(exc).__name__}: {str(exc)[:80]}); file not loaded",
            "truncated_file") from exc
    report.error(
        file, number + 1, None,
        f"compressed data damaged or cut short after line {number} "
        f"({type(exc).__name__}); line {number + 1} and anything after it are lost",
        "truncated_file", not_loaded=None,
    )


def _report_long_line(report: LoadReport, file: str, number: int, size: int | None,
                      limit: int, unit: str) -> bool:
    """Report an over-long line; False when the stream broke inside it."""
    if size is None:
        report.error(file, number, None, "compressed data damaged or cut short inside line "
                     f"{number}, a line of over {limit:,} {unit}; it and anything after it "
                     "are lost", "truncated_file", not_loaded=None)
        return False
    report.error(file, number, None,
                 f"line of {size:,} {unit} is over the limit of {limit:,} for one record; "
                 "not loaded", "record_too_large")
    return True


def _skip_rest_of_line(handle, size: int, ends) -> int | None:
    """Read to the end of an over-long line without keeping it; its length, or None when
    the stream breaks first."""
    while True:
        try:
            part = handle.readline(_READ_CHUNK)
        except STREAM_ERRORS:
            return None
        size += len(part)
        if not part or part.endswith(ends):
            return size
