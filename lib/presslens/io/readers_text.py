"""Plain-text reader: one article per `.txt` file (a folder of them is the usual corpus).

The first line is the title and the rest, after the blank lines that follow the title, is the
text (the layout of the seed article and of the PolNeAR / SemEval article files). The file
name without its extension is the article id, so results join back to the files.
Pass `title_line=False` to keep the whole file as text (when offsets must match the file).
"""

from __future__ import annotations

from pathlib import Path

from presslens.io.encoding import read_text
from presslens.io.normalize import MAX_RECORD_CHARS
from presslens.io.registry import ReadContext, Reader, RecordIterator, register_reader


def split_title(content: str) -> tuple[str | None, str]:
    """('Title', 'body...') from 'Title\\n\\nbody...'."""
    first, _, rest = content.partition("\n")
    title = " ".join(first.split()) or None
    return title, rest.lstrip("\r\n")


def read_txt(path: Path, context: ReadContext) -> RecordIterator:
    # A file far larger than any article is not read whole (a misnamed dump, a log).
    content = read_text(path, context.report, context.encoding, limit=4 * MAX_RECORD_CHARS)
    if content.startswith("\ufeff"):
        content = content[1:]
    if context.title_line:
        title, text = split_title(content)
    else:
        title, text = None, content
    stem = path.name[: -len(".txt.gz")] if path.name.endswith(".txt.gz") else path.stem
    yield 1, {"article_id": stem, "title": title, "text": text}


register_reader(Reader(
    "txt", read_txt, (".txt", ".txt.gz"), records_per_file=1,
    description="plain text, one article per file: first line title, rest text",
))
