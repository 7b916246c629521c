"""The side a source is on (its `affiliation`): the one module that reads side words, so that
a fuller geography (country gazetteers) can replace it without touching the resolver.

A source's affiliation comes, in the resolver's order of preference, from the gazetteer entry
of a named actor or organisation (actors.tsv, organisations.tsv, read by `lexicon`), from a
side word inside the source phrase ("Russian", "Kyiv", "the Kremlin": affiliations.tsv, read
here), or from an earlier mention of the same source; anything outside the schema's codes is
`unknown` in the table.
"""

from __future__ import annotations

from functools import lru_cache

from .. import schema
from .lexicon import match_sequence, read_table


@lru_cache(maxsize=1)
def side_words() -> tuple[dict[tuple[str, ...], str], int]:
    """The side words of affiliations.tsv, read once per process.

    Returns
    -------
    (dict, int)
        Token sequence (lower case) -> affiliation, and the longest sequence's length.

    Examples
    --------
    >>> table, longest = side_words()
    >>> table[("russian",)]
    'RU'
    """
    table = {tuple(r["word"].lower().split()): r["affiliation"] for r in read_table("affiliations.tsv")}
    return table, max((len(k) for k in table), default=1)


def affiliation_of(tokens: list) -> str | None:
    """The side the first side word of a source phrase names, pronouns left out.

    Parameters
    ----------
    tokens : list of spacy.tokens.Token
        The source phrase.

    Returns
    -------
    str or None
        An affiliation code, None when the phrase has no side word.

    Examples
    --------
    >>> doc = presslens.nlp.parse_text("Russian forces")   # doctest: +SKIP
    >>> affiliation_of(list(doc))                          # doctest: +SKIP
    'RU'
    """
    table, longest = side_words()
    matches = match_sequence([t for t in tokens if t.pos_ != "PRON"], table, longest)
    return matches[0][2] if matches else None


def column_value(affiliation: str | None) -> str:
    """The value of the `affiliation` column: the code when the schema knows it, else unknown.

    Parameters
    ----------
    affiliation : str or None

    Returns
    -------
    str

    Examples
    --------
    >>> column_value("RU"), column_value("XX")
    ('RU', 'unknown')
    """
    return affiliation if affiliation in schema.AFFILIATIONS else "unknown"
