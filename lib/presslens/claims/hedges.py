"""Hedges: the words by which a writer or a source marks an assertion as uncertain, possible
or second-hand ("reportedly", "could", "claims that"), from resources/claims_hedges.txt."""

from __future__ import annotations

from .lexicon import hedge_regex


def find_hedges(text: str, offset: int = 0) -> list[dict]:
    """Hedging cues in `text` (claims_hedges.txt).

    Parameters
    ----------
    text : str
    offset : int, default 0
        Added to every offset (a sentence's start_char gives article offsets).

    Returns
    -------
    list of dict
        One dict per cue: `text, start, end`.

    Examples
    --------
    >>> [h["text"] for h in find_hedges("The town reportedly fell, he claims that it is over.")]
    ['reportedly', 'claims that']
    >>> find_hedges("Troops entered the town on Monday.")
    []
    """
    if not text:
        return []
    return [{"text": m.group(0), "start": offset + m.start(), "end": offset + m.end()}
            for m in hedge_regex().finditer(text)]
