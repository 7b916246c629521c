"""Which files a source names: a file, a folder walked recursively, or a glob ("data/**/*.jsonl").

Symbolic links are followed, but a folder is walked once however many links lead to it (a link
back to a parent is a loop, not an endless tree); each file is read once however many ways it
is reached (two globs, a link, the same path twice); a broken link, a socket or a FIFO becomes
a report row instead of vanishing. Hidden files and folders (".git", "__MACOSX") are skipped.

Folder per outlet: when a folder (or the fixed part of a glob, "corpus" in "corpus/*/*.txt")
holds sub-folders, the name of the first sub-folder below it is offered as the outlet of the
records of the files inside (`corpus/kyivindependent/a.txt` -> "kyivindependent"). A record's
own outlet or URL wins over it, and names made only of digits and punctuation ("2024",
"2024-05") are dates, not outlets. Files directly in the loaded folder, and files named one by
one, get no folder outlet.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from presslens.io.registry import Reader, reader_for_extension, sniff_reader
from presslens.io.report import LoadReport

_WILDCARD = re.compile(r"[*?[]")
_NOT_AN_OUTLET = re.compile(r"^[\d\W_]+$")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    reader: Reader | None  # None: the format could not be told (reported by the caller)
    folder_outlet: str | None = None


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def folder_outlet(path: Path, root: Path) -> str | None:
    """The outlet a file's folder names: the first folder below `root`, if any."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    if len(parts) < 2 or _NOT_AN_OUTLET.match(parts[0]):
        return None
    return parts[0]


class SourceExpander:
    """Expands sources into files for one load, remembering what it has already handed out."""

    def __init__(self, report: LoadReport, explicit: Reader | None) -> None:
        self.report = report
        self.explicit = explicit
        self._seen_files: dict[tuple[int, int], str] = {}
        self._walked: dict[tuple[int, int], str] = {}

    def expand(self, source: str | os.PathLike) -> list[SourceFile]:
        text = os.fspath(source)
        path = Path(text).expanduser()
        if _WILDCARD.search(text) and not _lexists(path):
            return self._expand_glob(path, text)
        if path.is_dir():
            return self._expand_folder(path, path)
        if _lexists(path):
            return self._files([(path, None)], None)
        self.report.error(text, None, None, "no such file or folder", "not_found", not_loaded=0)
        return []

    # --- folders -----------------------------------------------------------------------

    def _expand_folder(self, folder: Path, root: Path) -> list[SourceFile]:
        """Files of a folder (recursively, sorted). With an explicit format, files carrying
        one of that format's extensions are read when there are any, else all; in auto mode
        files of unknown type are skipped with one info row per extension."""
        if not self._enter(folder):
            return []
        candidates = sorted(self._walk(folder))
        if not candidates:
            self.report.warning(str(folder), None, None, "folder holds no files", "empty_folder")
            return []
        if self.explicit is not None:
            own = [p for p in candidates if p.name.lower().endswith(self.explicit.extensions)]
            return self._files([(p, self.explicit) for p in own or candidates], root)
        chosen: list[tuple[Path, Reader | None]] = []
        skipped: dict[str, int] = {}
        for candidate in candidates:
            reader = None
            if candidate.is_file():  # broken links and FIFOs are reported by _files
                reader = reader_for_extension(candidate)
                if reader is None and not candidate.suffix:
                    try:
                        reader = sniff_reader(candidate)
                    except OSError:
                        pass  # reported when _files cannot read it either
                if reader is None:
                    suffix = candidate.suffix.lower() or "(no extension)"
                    skipped[suffix] = skipped.get(suffix, 0) + 1
                    continue
            chosen.append((candidate, reader))
        for suffix, count in sorted(skipped.items()):
            self.report.info(
                str(folder), None, None,
                f"skipped {count} file(s) with extension {suffix}: not an article format",
                "skipped_file",
            )
        return self._files(chosen, root)

    def _enter(self, folder: Path) -> bool:
        """Whether to walk a folder: not when it was walked already (reached again through a
        symbolic link: a loop, or two links to one folder)."""
        try:
            info = folder.stat()
        except OSError as exc:
            self._cannot_read(folder, exc)
            return False
        key = (info.st_dev, info.st_ino)
        first = self._walked.get(key)
        if first is not None:
            self.report.info(
                str(folder), None, None,
                f"same folder as {first} (reached again through a symbolic link); walked once",
                "repeated_folder",
            )
            return False
        self._walked[key] = str(folder)
        return True

    def _walk(self, folder: Path) -> Iterator[Path]:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            self._cannot_read(folder, exc)
            return
        for entry in entries:
            if _is_hidden(entry.name):
                continue
            path = Path(entry.path)
            if _is_dir(entry):
                if self._enter(path):
                    yield from self._walk(path)
            else:
                yield path

    def _cannot_read(self, path: Path, exc: OSError) -> None:
        self.report.error(str(path), None, None,
                          f"cannot read: {exc.strerror or exc}; not loaded", "unreadable_file",
                          not_loaded=None)

    # --- globs -------------------------------------------------------------------------

    def _expand_glob(self, pattern: Path, text: str) -> list[SourceFile]:
        parts = pattern.parts
        fixed = next(i for i, part in enumerate(parts) if _WILDCARD.search(part))
        root = Path(*parts[:fixed]) if fixed else Path(".")
        matches = sorted(set(self._match(root, parts[fixed:]))) if root.is_dir() else []
        if not matches:
            self.report.error(text, None, None, "no file matches this pattern", "not_found",
                              not_loaded=0)
            return []
        files: list[SourceFile] = []
        for match in matches:
            if match.is_dir():
                files.extend(self._expand_folder(match, root))
            else:
                files.extend(self._files([(match, None)], root))
        return files

    def _match(self, folder: Path, components: tuple[str, ...],
               descended: dict[tuple[int, int], Path] | None = None) -> Iterator[Path]:
        """Paths below `folder` matching the glob components, as glob.glob(recursive=True)
        does (wildcards skip hidden names unless they start with "."), except that "**"
        descends into each folder once, so links cannot make it loop."""
        descended = {} if descended is None else descended
        if not components:
            yield folder
            return
        head, rest = components[0], components[1:]
        if head == "**":
            try:
                info = folder.stat()
            except OSError:
                return
            key = (info.st_dev, info.st_ino)
            if key in descended:
                self.report.info(
                    str(folder), None, None,
                    f"same folder as {descended[key]} (reached again through a symbolic "
                    "link); searched once", "repeated_folder",
                )
                return
            descended[key] = folder
            if rest:
                yield from self._match(folder, rest, descended)
            for entry in _entries(folder):
                if _is_hidden(entry.name):
                    continue
                if _is_dir(entry):
                    yield from self._match(Path(entry.path), components, descended)
                elif not rest:  # a final "**" matches the files of every folder below
                    yield Path(entry.path)
            return
        if not _WILDCARD.search(head):
            child = folder / head
            if rest:
                if child.is_dir():
                    yield from self._match(child, rest, descended)
            elif _lexists(child):
                yield child
            return
        for entry in _entries(folder):
            if _is_hidden(entry.name) and not head.startswith("."):
                continue
            if not fnmatch.fnmatchcase(entry.name, head):
                continue
            if rest:
                if _is_dir(entry):
                    yield from self._match(Path(entry.path), rest, descended)
            else:
                yield Path(entry.path)

    # --- files -------------------------------------------------------------------------

    def _files(
        self, paths: list[tuple[Path, Reader | None]], root: Path | None
    ) -> list[SourceFile]:
        """Each path with its reader (told by extension or content when not given), once
        per load; broken links and special files reported."""
        out: list[SourceFile] = []
        for path, reader in paths:
            file = str(path)
            try:
                info = path.stat()
            except FileNotFoundError:
                self.report.error(file, None, None, f"broken symbolic link (to "
                                  f"{_link_target(path)}); nothing to read", "broken_link",
                                  not_loaded=None)
                continue
            except OSError as exc:  # a link loop (ELOOP), permissions
                self._cannot_read(path, exc)
                continue
            if stat.S_ISDIR(info.st_mode):
                out.extend(self._expand_folder(path, root if root is not None else path))
                continue
            if not stat.S_ISREG(info.st_mode):
                self.report.error(file, None, None, "not a regular file (a FIFO, socket or "
                                  "device); not read", "not_a_file", not_loaded=None)
                continue
            key = (info.st_dev, info.st_ino)
            first = self._seen_files.get(key)
            if first is not None:
                self.report.info(file, None, None,
                                 f"same file as {first} (named twice, or through a link); "
                                 "read once", "repeated_file")
                continue
            self._seen_files[key] = file
            if reader is None:
                reader = self.explicit or reader_for_extension(path)
            if reader is None:
                try:
                    reader = sniff_reader(path)
                except OSError as exc:
                    self._cannot_read(path, exc)
                    continue
            outlet = folder_outlet(path, root) if root is not None else None
            out.append(SourceFile(path, reader, outlet))
        return out


def _lexists(path: Path) -> bool:
    return os.path.lexists(path)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows links; a broken link is not a folder
    except OSError:
        return False


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        return sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "a missing file"
