"""The frame indicators as data: one lexicon per scheme, read from its resource file once.

A scheme's file (`resources/frames_generic.json`, `resources/frames_mfc.json`) lists, per frame,
its items (questionnaire items or codebook clauses) with their lemma terms, spaCy Matcher token
patterns, DependencyMatcher patterns and entity labels, and the scoring constants.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from .. import config, schema

SCHEMES: dict[str, str] = {"generic": "frames_generic.json", "mfc": "frames_mfc.json"}
SCHEME_FRAMES: dict[str, tuple[str, ...]] = {
    "generic": schema.GENERIC_FRAMES,
    "mfc": schema.MFC_FRAMES,
}

_TERM_TOKEN = re.compile(r"'\w+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Indicator:
    """One questionnaire item (or codebook clause) of a frame.

    Attributes
    ----------
    id : str
        `<frame>.<item>`, unique in the scheme.
    frame : str
    question : str
        The item as a yes/no question about a sentence.
    weight : float
        Its weight in the frame's score.
    quote_only : bool
        Its terms count only inside quotation marks.
    ents : tuple of str
        Entity labels that answer it.
    cooccur_labels : tuple of str
        Entity labels of which `cooccur_min` distinct ones, in a sentence that also holds
        another indicator of the same frame, answer it (e.g. the parties of a dispute).
    cooccur_min : int
    scale : float or None
        The share of sentences at which the item's value reaches 1 - 1/e (None: the scheme's).

    Examples
    --------
    >>> load_lexicon("generic").items[0].frame
    'conflict'
    """

    id: str
    frame: str
    question: str
    weight: float
    quote_only: bool = False
    ents: tuple[str, ...] = ()
    cooccur_labels: tuple[str, ...] = ()
    cooccur_min: int = 2
    scale: float | None = None


@dataclass
class FrameLexicon:
    """A scheme's indicators as loaded from its resource file, with the lookup structures that
    do not depend on a spaCy vocabulary (the spaCy matchers are built per vocab, once).

    Attributes
    ----------
    scheme : str
    frames : tuple of str
    items : list of Indicator
    thresholds : dict
        frame -> score cut of `present`.
    scale, min_sentences, sentence_scale : float, int, float
        Scoring constants: the default item scale, the fewest sentences an article counts as,
        the per-sentence squashing scale.
    terms : dict
        First word of a term -> `(words of the term, item index, term text)` entries.
    patterns, dep_patterns : list of tuple
        `(item index, pattern id, pattern)` for spaCy's Matcher and DependencyMatcher.
    digest : str
        Hash of the resource file.
    raw : dict
        The parsed resource.

    Examples
    --------
    >>> lexicon = load_lexicon("mfc")
    >>> len(lexicon.frames), lexicon.items[lexicon.items_of("economic")[0]].frame
    (14, 'economic')
    """

    scheme: str
    frames: tuple[str, ...]
    items: list[Indicator]
    thresholds: dict[str, float]
    scale: float
    min_sentences: int
    sentence_scale: float
    # first word of a term -> [(words of the term, item index, term text)]
    terms: dict[str, list[tuple[tuple[str, ...], int, str]]]
    patterns: list[tuple[int, str, list]]  # (item index, pattern id, Matcher pattern)
    dep_patterns: list[tuple[int, str, list]]
    digest: str
    raw: dict = field(repr=False, default_factory=dict)

    def items_of(self, frame: str) -> list[int]:
        """Indices (into `items`) of the indicators of `frame`."""
        return [i for i, item in enumerate(self.items) if item.frame == frame]


def _read_resource_json(name: str) -> tuple[dict, str]:
    """A JSON resource whose leading `#` lines carry its provenance (house rule for data files)."""
    text = config.resource(name).read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return json.loads(body), hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _term_words(term: str) -> tuple[str, ...]:
    return tuple(_TERM_TOKEN.findall(term.lower()))


@cache
def load_lexicon(scheme: str) -> FrameLexicon:
    """The indicators of a scheme, read once per process.

    Parameters
    ----------
    scheme : {"generic", "mfc"}

    Returns
    -------
    FrameLexicon

    Raises
    ------
    ValueError
        For an unknown scheme, or a resource file lacking one of the scheme's frames.

    Examples
    --------
    >>> lexicon = load_lexicon("generic")
    >>> lexicon.frames[0]
    'conflict'
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown frame scheme {scheme!r}; expected one of {sorted(SCHEMES)}")
    data, digest = _read_resource_json(SCHEMES[scheme])
    scoring = data.get("scoring", {})
    frames = SCHEME_FRAMES[scheme]
    items: list[Indicator] = []
    terms: dict[str, list[tuple[tuple[str, ...], int, str]]] = defaultdict(list)
    patterns: list[tuple[int, str, list]] = []
    dep_patterns: list[tuple[int, str, list]] = []
    thresholds: dict[str, float] = {}
    for frame in frames:
        spec = data["frames"].get(frame)
        if spec is None:
            raise ValueError(f"{SCHEMES[scheme]} has no entry for frame {frame!r}")
        thresholds[frame] = float(spec.get("threshold", 0.25))
        for item in spec["items"]:
            index = len(items)
            items.append(Indicator(
                id=item["id"], frame=frame, question=item.get("question", ""),
                weight=float(item.get("weight", 1.0)), quote_only=bool(item.get("quote_only")),
                ents=tuple(item.get("ents", ())),
                cooccur_labels=tuple((item.get("cooccur") or {}).get("ent_labels", ())),
                cooccur_min=int((item.get("cooccur") or {}).get("min_distinct", 2)),
                scale=float(item["scale"]) if "scale" in item else None,
            ))
            seen: set[tuple[str, ...]] = set()
            for term in item.get("terms", ()):
                words = _term_words(term)
                if words and words not in seen:
                    seen.add(words)
                    terms[words[0]].append((words, index, " ".join(words)))
            for k, pattern in enumerate(item.get("patterns", ())):
                patterns.append((index, f"pattern{k}", pattern))
            for k, pattern in enumerate(item.get("dep_patterns", ())):
                dep_patterns.append((index, f"dep{k}", pattern))
    return FrameLexicon(
        scheme=scheme, frames=frames, items=items, thresholds=thresholds,
        scale=float(scoring.get("scale", 0.08)),
        min_sentences=int(scoring.get("min_sentences", 12)),
        sentence_scale=float(scoring.get("sentence_scale", 1.0)),
        terms=dict(terms), patterns=patterns, dep_patterns=dep_patterns, digest=digest, raw=data,
    )


def lexicon_digest() -> str:
    """Identifies the indicator resources a score or a trained model was made with.

    Returns
    -------
    str
        The schemes' file digests joined by "-".

    Examples
    --------
    >>> len(lexicon_digest().split("-"))
    2
    """
    return "-".join(load_lexicon(s).digest for s in sorted(SCHEMES))
