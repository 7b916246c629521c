"""Who is building which report run: a run id is taken by one process at a time
(`out/.<run-id>.lock`, holding its pid), its build folder is `out/.<run-id>.<pid>.tmp`, and the
folders and locks of runs that were killed are found by their dead pid and removed."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

# A run in progress holds out/.<run-id>.lock (its pid) and builds in out/.<run-id>.<pid>.tmp.
_BUILD = re.compile(r"^\.(?P<run_id>.+)\.(?P<pid>\d+)\.tmp$")


def alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def claim_run_id(out: Path, run_id: str) -> Path:
    """Take the run id for this process (out/.<run-id>.lock, created exclusively): a second
    run with the same id while the first builds is refused, instead of the two writing into
    one folder and publishing a mix. A lock left by a killed run is taken over."""
    lock = out / f".{run_id}.lock"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                holder = int(lock.read_text().strip() or 0)
            except (OSError, ValueError):
                holder = 0
            if holder and alive(holder):
                raise FileExistsError(
                    f"run id {run_id!r} is being built by another presslens report (pid "
                    f"{holder}); wait for it or choose another --run-id") from None
            lock.unlink(missing_ok=True)  # left by a run that was killed
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(f"{os.getpid()}\n")
        return lock
    raise FileExistsError(f"could not take run id {run_id!r} ({lock})")


def remove_stale_builds(out: Path) -> list[Path]:
    """Remove build folders (and locks) of runs that were killed (SIGKILL, a power cut):
    `.<run-id>.<pid>.tmp` whose process is gone. Returns what was removed."""
    removed = []
    for path in out.glob(".*.tmp"):
        match = _BUILD.match(path.name)
        if match and path.is_dir() and not alive(int(match["pid"])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for lock in out.glob(".*.lock"):
        try:
            holder = int(lock.read_text().strip() or 0)
        except (OSError, ValueError):
            continue
        if holder and not alive(holder):
            lock.unlink(missing_ok=True)
    return removed


def terminate_as_interrupt():
    """SIGTERM (a scheduler's timeout, `kill`) unwinds like Ctrl-C, so the build folder is
    removed and the lock released; returns a function restoring the previous handler."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)


