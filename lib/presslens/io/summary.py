"""`load_summary`: what a load produced, as one small tidy table for the corpus-overview
notebook: articles per outlet and language, the date range, rejects by reason, duplicates.
"""

from __future__ import annotations

import pandas as pd

SUMMARY_COLUMNS = {"section": "string", "item": "string", "count": "Int64", "detail": "string"}


def load_summary(articles: pd.DataFrame, report: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows `section, item, count, detail`, sorted within each section by count then name.

    Sections: total (articles, outlets, words), outlet, language, published (first, last,
    missing), rejected / warning / info (report rows by code), duplicates. The report defaults
    to `articles.attrs["load_report"]`.
    """
    if report is None:
        report = articles.attrs.get("load_report")
    rows: list[tuple[str, str, int | None, str | None]] = []
    n = len(articles)
    rows.append(("total", "articles", n, None))
    if "outlet" in articles:
        rows.append(("total", "outlets", int(articles["outlet"].nunique()), None))
    if "n_words" in articles:
        rows.append(("total", "words", int(articles["n_words"].fillna(0).sum()), None))
    for column, section in (("outlet", "outlet"), ("language", "language")):
        if column in articles:
            values = articles[column].astype("string").fillna("(none)")
            counts = values.value_counts()
            for item, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                rows.append((section, str(item), int(count), None))
    if "published" in articles:
        published = pd.to_datetime(articles["published"], utc=True)
        present = published.dropna()
        if len(present):
            rows.append(("published", "first", None, present.min().isoformat()))
            rows.append(("published", "last", None, present.max().isoformat()))
        rows.append(("published", "missing", int(published.isna().sum()), None))
    if report is not None and len(report):
        sections = {"error": "rejected", "warning": "warning", "info": "info"}
        grouped = report.groupby(["severity", "code"], dropna=False).size()
        rank = {"error": 0, "warning": 1, "info": 2}
        ordered = sorted(grouped.items(),
                         key=lambda kv: (rank.get(str(kv[0][0]), 3), -kv[1], str(kv[0][1])))
        for (severity, code), count in ordered:
            rows.append((sections.get(str(severity), str(severity)), str(code), int(count), None))
    if "duplicate_ids" in articles:
        sizes = articles["duplicate_ids"].map(lambda ids: len(ids) if isinstance(ids, list) else 0)
        n_dropped = int(sizes.sum())
        n_kept = int((sizes > 0).sum())
        rows.append(("duplicates", "dropped", n_dropped, None))
        rows.append(("duplicates", "articles with duplicates", n_kept, None))
    frame = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    return frame.astype(SUMMARY_COLUMNS)
