"""Atomic writes: a reader sees the old file or folder or the new one, never half of either.

Everything presslens writes (parse cache entries, result sets, saved models, figures, tables)
goes through these two helpers: write beside the target, then rename into place."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path


def write_via(target: Path | str, write: Callable[[str], object]) -> Path:
    """Call `write(tmp_path)` on a temporary file beside `target`, then rename it over `target`.
    The temporary file is removed if `write` fails."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def write_bytes(target: Path | str, data: bytes) -> Path:
    return write_via(target, lambda tmp: Path(tmp).write_bytes(data))


def write_text(target: Path | str, text: str, encoding: str = "utf-8") -> Path:
    return write_via(target, lambda tmp: Path(tmp).write_text(text, encoding=encoding))


def swap_dir(built: Path | str, target: Path | str) -> Path:
    """Put the finished folder `built` at `target` (same file system), replacing any folder
    there: the old one is moved aside, the new one renamed in, then the old one deleted."""
    built, target = Path(built), Path(target)
    if target.exists():
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(target, old)
        os.replace(built, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(built, target)
    return target
