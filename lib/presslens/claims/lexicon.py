"""The rule files of presslens.claims, read once: cue categories, hedges, synonyms, place
spellings, and the regexes built from them.

Every file lives in `presslens/resources/` with its provenance on its first comment line:
claims_cues.tsv (check-worthiness cues by category), claims_hedges.txt, claims_synonyms.tsv
(clustering), place_spellings.tsv (one spelling per place, shared with presslens.language).
The domain weights of the check-worthiness adjustment are tuned numbers and live in the
`[claims.domain_weights]` table of resources/tuned.toml.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from .. import config
from ..regexscan import alternation

# Month names for telling dates from quantities ("November 20" is a date, not a count).
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
          "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")


def read_tsv(name: str) -> list[dict]:
    """Rows of a tab-separated resource file, comment lines (`#`) skipped, cells stripped.

    Parameters
    ----------
    name : str
        File name inside `presslens/resources/`.

    Returns
    -------
    list of dict
        One dict per row, keyed by the header line.

    Examples
    --------
    >>> rows = read_tsv("claims_synonyms.tsv")
    >>> sorted(rows[0])
    ['canonical', 'term']
    """
    with config.resource(name).open(encoding="utf-8") as fh:
        lines = (ln for ln in fh if ln.strip() and not ln.startswith("#"))
        return [{k: (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(lines, delimiter="\t")]


def resource_hash(*names: str) -> str:
    """A short SHA-256 of resource files' bytes (a model records the hash of the cue file it
    was trained with, so that an edit without retraining is noticed).

    Parameters
    ----------
    *names : str
        File names inside `presslens/resources/`.

    Returns
    -------
    str
        16 hex digits.

    Examples
    --------
    >>> len(resource_hash("claims_cues.tsv"))
    16
    """
    h = hashlib.sha256()
    for name in names:
        h.update(config.resource(name).read_bytes())
    return h.hexdigest()[:16]


def phrase_regex(phrases: Iterable[str]) -> re.Pattern:
    """One case-insensitive alternation, longest phrase first, on word boundaries.

    Parameters
    ----------
    phrases : iterable of str
        Words or phrases; a space matches any run of whitespace.

    Returns
    -------
    re.Pattern

    Examples
    --------
    >>> phrase_regex(["would", "would like"]).search("We would  like it").group(0)
    'would  like'
    """
    alts = sorted({p.lower() for p in phrases if p}, key=lambda p: (-len(p), p))
    body = alternation(alts, ignore_case=True, space=r"\s+")
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def cues() -> dict[str, re.Pattern]:
    """The cue regex of each category of claims_cues.tsv (opinion, reporting, casualty, ...).

    Returns
    -------
    dict of str to re.Pattern
        Category name -> compiled alternation of its cues.

    Examples
    --------
    >>> bool(cues()["opinion"].search("I think so"))
    True
    """
    by_category: dict[str, list[str]] = defaultdict(list)
    for row in read_tsv("claims_cues.tsv"):
        by_category[row["category"]].append(row["cue"])
    return {cat: phrase_regex(phrases) for cat, phrases in sorted(by_category.items())}


@lru_cache(maxsize=16384)
def cue_in(category: str, text: str) -> bool:
    """Whether a cue of a claims_cues.tsv category occurs in a sentence.

    Cached: the model's hand features and the war-reporting features ask about the same
    sentences.

    Parameters
    ----------
    category : str
        A category of claims_cues.tsv.
    text : str
        The sentence.

    Returns
    -------
    bool

    Examples
    --------
    >>> cue_in("prediction", "The war will drag on.")
    True
    """
    return cues()[category].search(text) is not None


@lru_cache(maxsize=1)
def hedge_regex() -> re.Pattern:
    """The regex of the hedging cues of claims_hedges.txt.

    Returns
    -------
    re.Pattern

    Examples
    --------
    >>> hedge_regex().search("The town reportedly fell.").group(0)
    'reportedly'
    """
    with config.resource("claims_hedges.txt").open(encoding="utf-8") as fh:
        phrases = [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]
    return phrase_regex(phrases)


@lru_cache(maxsize=1)
def reporting_lemmas() -> frozenset[str]:
    """Lemmas of reporting verbs (claims_cues.tsv, category `reporting_lemma`).

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> "say" in reporting_lemmas()
    True
    """
    return frozenset(row["cue"].lower() for row in read_tsv("claims_cues.tsv")
                     if row["category"] == "reporting_lemma")


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """Clustering synonyms (claims_synonyms.tsv): term -> canonical term, lowercased.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> synonyms()["troops"]
    'force'
    """
    return {row["term"].lower(): row["canonical"].lower() for row in read_tsv("claims_synonyms.tsv")}


@lru_cache(maxsize=1)
def place_canon() -> dict[str, str]:
    """Every spelling of a place (lowercased) -> its Ukrainian-style name, lowercased
    (place_spellings.tsv).

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> place_canon()["volchansk"]
    'vovchansk'
    """
    out: dict[str, str] = {}
    for row in read_tsv("place_spellings.tsv"):
        canon = row.get("ukrainian_style", "").lower()
        if not canon:
            continue
        for col in ("russian_style", "ukrainian_style", "variants"):
            for name in (row.get(col) or "").split("|"):
                if name.strip():
                    out[name.strip().lower()] = canon
    return out


@lru_cache(maxsize=1)
def place_regex() -> re.Pattern:
    """The regex of every place spelling of place_spellings.tsv (text-only domain features).

    Returns
    -------
    re.Pattern

    Examples
    --------
    >>> place_regex().search("Shelling in Kupyansk").group(0)
    'Kupyansk'
    """
    return phrase_regex(place_canon())
