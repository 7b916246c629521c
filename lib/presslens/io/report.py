"""The load report: one row per rejected record, repaired value or skipped file.

Loading never drops a record silently. Each reader hands its problems to a `LoadReport`,
which either collects them (errors="report") or raises `LoadError` at the first error
(errors="raise"). Severities: "error" (the record or file was not loaded), "warning" (loaded,
but something was repaired or left empty: a guessed encoding, an implausible date) and
"info" (nothing lost: a dropped exact duplicate, files skipped in a folder).

The `not_loaded` column makes the report add up: for every file read, the records in it are
the table's rows from that file (`source_path`) plus the sum of `not_loaded` over the file's
report rows. A rejected record or a dropped duplicate counts 1, a repair or a note 0, and a
file-level failure the records it lost, or <NA> when that cannot be known (a truncated or
unparseable file).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import pandas as pd

REPORT_COLUMNS = {
    "file": "string",
    "line": "Int64",  # 1-based line (JSONL, CSV, TXT) or record number (JSON array, Parquet, WARC)
    "record_id": "string",
    "severity": "string",  # error | warning | info
    "reason": "string",
    "code": "string",  # machine-readable reason, for grouping in load_summary()
    "not_loaded": "Int64",  # input records this row accounts for that are not table rows
}
SEVERITIES = ("error", "warning", "info")


class LoadError(ValueError):
    """A file or record could not be loaded and errors="raise" was asked for."""


class LoadWarning(UserWarning):
    """Loading finished but some records were rejected or repaired (see the load report)."""


class ReportFrame(pd.DataFrame):
    """The load report as a DataFrame that can live in `DataFrame.attrs`.

    pandas deep-copies `attrs` on most operations and compares them in concat/merge/join;
    a plain DataFrame there makes `pd.concat([articles[a], articles[b]])` fail with "truth
    value of a DataFrame is ambiguous". A report is never mutated after loading, so deep copies
    return the same object (cheap), and two reports compare equal only when they are one.
    """

    @property
    def _constructor(self):  # operations on the report give plain DataFrames
        return pd.DataFrame

    def __deepcopy__(self, memo: dict | None = None) -> ReportFrame:
        return self

    def __eq__(self, other):  # type: ignore[override]
        # pandas decides whether concat/merge inputs share attrs with `attrs == attrs`; two
        # reports are "equal" only when they are the same load's, so combining two corpora drops
        # the report instead of raising. Comparing with anything else stays element-wise.
        if isinstance(other, ReportFrame):
            return self is other
        return super().__eq__(other)

    def __ne__(self, other):  # type: ignore[override]
        if isinstance(other, ReportFrame):
            return self is not other
        return super().__ne__(other)

    __hash__ = None  # type: ignore[assignment]  # unhashable, as every DataFrame

    @property
    def rejects(self) -> pd.DataFrame:
        """The rows of records or files that were not loaded (severity "error")."""
        return pd.DataFrame(self[self["severity"] == "error"]).reset_index(drop=True)


@dataclass
class LoadReport:
    """Collects report rows while loading; raises at the first error in raise mode."""

    errors: str = "report"
    rows: list[tuple] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.errors not in ("report", "raise"):
            raise ValueError(f"errors must be 'report' or 'raise', not {self.errors!r}")

    def add(
        self,
        file: str | None,
        line: int | None,
        record_id: str | None,
        severity: str,
        reason: str,
        code: str,
        not_loaded: int | None = 0,
    ) -> None:
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        file, record_id, reason = storable(file), storable(record_id), storable(reason)
        self.rows.append((file, line, record_id, severity, reason, code, not_loaded))
        if severity == "error" and self.errors == "raise":
            where = file if file is not None else "<input>"
            if line is not None:
                where = f"{where}, line {line}"
            raise LoadError(f"{where}: {reason}")

    def error(self, file, line, record_id, reason: str, code: str,
              not_loaded: int | None = 1) -> None:
        """A record (not_loaded=1, the default) or a file (the records it lost, None when
        unknown) that was not loaded."""
        self.add(file, line, record_id, "error", reason, code, not_loaded)

    def warning(self, file, line, record_id, reason: str, code: str) -> None:
        self.add(file, line, record_id, "warning", reason, code, 0)

    def info(self, file, line, record_id, reason: str, code: str, not_loaded: int = 0) -> None:
        """A note; not_loaded=1 for a record left out on purpose (a dropped duplicate)."""
        self.add(file, line, record_id, "info", reason, code, not_loaded)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(SEVERITIES, 0)
        for row in self.rows:
            out[row[3]] += 1
        return out

    def to_frame(self) -> ReportFrame:
        columns = list(REPORT_COLUMNS)
        data = {name: [row[i] for row in self.rows] for i, name in enumerate(columns)}
        frame = pd.DataFrame(
            {name: pd.array(data[name], dtype=dtype) for name, dtype in REPORT_COLUMNS.items()}
        )
        return ReportFrame(frame)

    def warn_summary(self, n_loaded: int) -> None:
        """One Python warning per load when anything was rejected or repaired."""
        counts = self.counts()
        if counts["error"] or counts["warning"]:
            warnings.warn(
                f"presslens.load_articles: {n_loaded} articles loaded, {counts['error']} "
                f"rejected (errors), {counts['warning']} warnings; see "
                "df.attrs['load_report'] or presslens.io.last_load_report()",
                LoadWarning,
                stacklevel=3,
            )


def storable(text: str | None) -> str | None:
    """`text` with lone surrogates as U+FFFD: a file name that is not UTF-8 comes from the file
    system with its bytes escaped as surrogates, which a string column cannot hold."""
    if text is None or text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def empty_report() -> ReportFrame:
    return LoadReport().to_frame()
