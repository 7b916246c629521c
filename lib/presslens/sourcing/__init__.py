"""Sourcing patterns: who is cited in an article, how (direct quote, indirect speech, "according
to", partial quote) and how openly (named, role only, anonymous, nobody at all).

`extract_attributions(articles, docs=None)` returns one row per attribution with character
offsets of its source, cue and content; `from_doc` does the same for one parsed Doc (what
`presslens.analyze()` calls); `source_profile` summarises the rows per article or outlet.

The method is rule-based on spaCy's dependency parse, with every word list kept as data in
`resources/` (cues.tsv, vague_cues.tsv, source_roles.tsv, organisations.tsv,
anonymity_markers.txt, actors.tsv, national_bodies.tsv): a cue word is found and its speaker
and content read off the parse (`rules`), the speaker resolved within the article and classified
(`resolve`). Its side (`affiliation`) is a country (ISO 3166-1 alpha-2) or a bloc or
organisation (EU, NATO, UN, INT), read by `presslens.geo` from the source phrase, its resolved
name, the person's other mentions, an earlier mention, and for unqualified bodies and local
people the sentence, the dateline or the article's setting; a `bloc` column groups the codes
for charts (Russia, Ukraine, West, international, other, unknown). A learned cue detector (`CueDetector`, a scikit-learn estimator over
`cue_features`, trained on a fixed 70 % of PolNeAR by `presslens.sourcing.train`, shipped as
resources/sourcing_cue_model.json, see its .md) adds the cues the word lists miss
("defended", "attacked", "shows", "in a poll"); below a sure score (resources/tuned.toml) it
needs a speaker-like source. It never removes a rule cue. The setting
`learned_cues=False` runs the rules alone.

Modules: `quotes` (quotation spans), `lexicon` (word lists), `syntax` (spans off the parse),
`resolve` (mentions and coreference), `affiliation` (sides), `rules` (rule cues),
`features` and `cues` (the learned detector), `learned` (the attributions it adds),
`extract` (rows, the component), `train` (fitting the detector; not imported here).

Constants
---------
ATTRIBUTION_COLUMNS, EXTRA_COLUMNS : dict
    The columns of the attributions table and those beyond the DESIGN.md contract.
QUOTE_TYPES : tuple of str
CANDIDATE_POS : frozenset of str
    Parts of speech of the learned detector's candidate tokens.
CUE_MODEL_NAME : str
    File name of the shipped detector in resources/.
OPEN_DOUBLE, CLOSE_DOUBLE : str
    Double quotation marks that say which side they are on.
MIN_QUOTE_CHARS, NEST_WINDOW : int
    Quotations at least this long are somebody's words; an attribution nests inside one of
    its NEST_WINDOW neighbours' content.
PERSON_PRONOUNS, THING_PRONOUNS, PLURAL_PRONOUNS, RELATIVE_PRONOUNS, SPEAKER_PRONOUNS : set
    Pronouns by what they can stand for.
PLACE_PREPOSITIONS, TOPONYM_SUFFIXES, DIRECTION_WORDS : set or tuple
    What marks a PERSON entity as a mislabelled place.
GENERIC_INSTITUTIONS, DOCUMENT_NOUNS : set
    Institutions never resolved to a named one; nouns for texts that carry someone's words.
"""

from __future__ import annotations

import importlib

from ..profiles import source_profile
from .extract import (
    ATTRIBUTION_COLUMNS,
    EXTRA_COLUMNS,
    NEST_WINDOW,
    QUOTE_TYPES,
    extract_attributions,
    from_doc,
)
from .features import CANDIDATE_POS, cue_features
from .lexicon import Cue, Lexicon, Org, Role, lexicon, normalise, raising_verbs
from .quotes import CLOSE_DOUBLE, MIN_QUOTE_CHARS, OPEN_DOUBLE, Quotes, find_quotes
from .resolve import GENERIC_INSTITUTIONS, Mention
from .syntax import (
    DIRECTION_WORDS,
    DOCUMENT_NOUNS,
    PERSON_PRONOUNS,
    PLACE_PREPOSITIONS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
    SPEAKER_PRONOUNS,
    THING_PRONOUNS,
    TOPONYM_SUFFIXES,
)

# The learned detector's names load scikit-learn: imported on first use.
_LAZY = {"CueDetector": "cues", "CueModel": "cues", "cue_model": "cues", "CUE_MODEL_NAME": "cues"}

__all__ = [
    # the analysis
    "extract_attributions", "from_doc", "source_profile",
    "ATTRIBUTION_COLUMNS", "EXTRA_COLUMNS", "QUOTE_TYPES",
    # quotations
    "find_quotes", "Quotes", "OPEN_DOUBLE", "CLOSE_DOUBLE", "MIN_QUOTE_CHARS",
    # word lists
    "lexicon", "Lexicon", "Cue", "Role", "Org", "raising_verbs", "normalise",
    # sources
    "Mention", "GENERIC_INSTITUTIONS", "DOCUMENT_NOUNS", "NEST_WINDOW",
    "PERSON_PRONOUNS", "THING_PRONOUNS", "PLURAL_PRONOUNS", "RELATIVE_PRONOUNS", "SPEAKER_PRONOUNS",
    "PLACE_PREPOSITIONS", "TOPONYM_SUFFIXES", "DIRECTION_WORDS",
    # the learned cue detector
    "cue_features", "CANDIDATE_POS", "CueDetector", "CueModel", "cue_model", "CUE_MODEL_NAME",
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
