"""Helpers shared by the sourcing test tables: the attribution rows of one invented text, and
the one row of a cue."""

from __future__ import annotations

from presslens import nlp, sourcing
from presslens.components import DocContext


def rows_for(text: str, language: str = "en") -> list[dict]:
    """The `sourcing` component's rows for a text parsed on its own."""
    doc = nlp.parse_text(text)
    return sourcing.from_doc(DocContext.of("t", doc, "sourcing", language=language))["attributions"]


def only(rows: list[dict], cue: str) -> dict:
    """The one row whose cue is `cue` (case-insensitive); fails listing the rows otherwise."""
    hits = [r for r in rows if r["cue_text"].lower() == cue.lower()]
    assert len(hits) == 1, [(r["cue_text"], r["source_text"]) for r in rows]
    return hits[0]
