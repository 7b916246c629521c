"""The word lists of sourcing, read once from `resources/`: cue words (cues.tsv), role words
(source_roles.tsv), organisations, actors, anonymity markers and raising verbs; and the
lookups on tokens that use them (a phrase against a table of token sequences, a token's role).

The side a source is on is read by `presslens.sourcing.affiliation` (with `presslens.geo`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import config


def read_table(name: str) -> list[dict]:
    """Rows of a tab-separated resource file, its `#` comment lines (provenance) skipped.

    Parameters
    ----------
    name : str
        File name inside `presslens/resources`.

    Returns
    -------
    list of dict
        One dict per row, keyed by the header line.

    Examples
    --------
    >>> read_table("cues.tsv")[0]["lemma"]        # doctest: +SKIP
    'say'
    """
    with config.resource(name).open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _word_list(name: str) -> frozenset[str]:
    with config.resource(name).open(encoding="utf-8") as fh:
        return frozenset(ln.strip().lower() for ln in fh if ln.strip() and not ln.startswith("#"))


def normalise(text: str) -> str:
    """Lower case with typographic apostrophes and quotes made plain, for matching and keys.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> normalise("Kyiv\u2019s Army")
    "kyiv's army"
    """
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace(
        "\u201d", '"').lower()


@dataclass(frozen=True)
class Cue:
    """A cue word of cues.tsv.

    Parameters
    ----------
    lemma, pos : str
    kind : str
        speech, cognition, intention, evaluation, evidence, cite or noun.
    needs : str
        What it needs around it: any (a subject is enough), content, clause or quote.
    agentless : bool
        Whether it reports without an agent ("is seen as").
    news_only : bool
        Whether the rules propose it under the news convention only (a war-news cue PolNeAR's
        annotation does not use in that sense).
    """

    lemma: str
    pos: str
    kind: str
    needs: str
    agentless: bool
    news_only: bool = False


@dataclass(frozen=True)
class Role:
    """A role word of source_roles.tsv.

    Parameters
    ----------
    source_type : str
        The source type it gives.
    kind : str
        person, org, group, media or document.
    proxy : bool
        Whether it speaks for someone else ("a spokesman for").
    """

    source_type: str
    kind: str
    proxy: bool


@dataclass(frozen=True)
class Org:
    """An organisation of organisations.tsv.

    Parameters
    ----------
    canonical, source_type, affiliation : str
    """

    canonical: str
    source_type: str
    affiliation: str


@dataclass
class Lexicon:
    """Every word list of sourcing except the side words, as lookup tables (see `lexicon`).

    Parameters
    ----------
    verb_cues, noun_cues, adj_cues : dict of str to Cue
        By lemma (`adj_cues`: predicative adjectives of a stance, "is confident that").
    verb_forms : dict of str to str
        Inflected lower-case form -> lemma (headline cues the tagger reads as nouns).
    gerunds : dict of str to str
        "-ing" form -> lemma (the lemmatizer reads "hoping" as "hop").
    roles : dict of tuple to Role
    orgs : dict of tuple to Org
        By token sequence (normalised).
    actors : dict of str to (str, str)
        Canonical name -> (source type, affiliation).
    actor_forms : dict of tuple to str
        Token sequence -> canonical name.
    anonymity : frozenset of str
        Single words; `anonymity_phrases` holds the markers of several words.
    max_org_len, max_role_len : int
        The longest key of `orgs` and `roles`.
    """

    verb_cues: dict[str, Cue]
    noun_cues: dict[str, Cue]
    verb_forms: dict[str, str]
    gerunds: dict[str, str]
    roles: dict[tuple[str, ...], Role]
    orgs: dict[tuple[str, ...], Org]
    actors: dict[str, tuple[str, str]]
    actor_forms: dict[tuple[str, ...], str]
    anonymity: frozenset[str]
    max_org_len: int = 1
    max_role_len: int = 1
    acronyms: frozenset = frozenset()  # keys of `orgs` written in capitals ("WHO", not "who")
    anonymity_phrases: tuple[str, ...] = ()  # "not to be named"
    vague_adverbs: frozenset = frozenset()  # "reportedly"
    vague_nouns: frozenset = frozenset()  # "rumours" (spread that ...)
    vague_figures: frozenset = frozenset()  # "the estimated $300 billion", "an estimate of 190,000"
    adj_cues: dict = field(default_factory=dict)  # "is confident that", by lemma


def _inflections(lemma: str) -> set[str]:
    """Plain English inflections, enough to spot a cue verb the tagger read as a noun in a
    title-case headline ("Russian Forces Report Gains")."""
    forms = {lemma}
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d"}
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    elif lemma.endswith(("s", "sh", "ch", "x")):
        forms |= {lemma + "es", lemma + "ed"}
    else:
        forms |= {lemma + "s", lemma + "ed"}
    irregular = {"say": {"says", "said"}, "tell": {"tells", "told"}, "think": {"thinks", "thought"},
                 "write": {"writes", "wrote"}, "see": {"sees", "saw"}, "know": {"knows", "knew"},
                 "find": {"finds", "found"}}
    return forms | irregular.get(lemma, set())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """All word lists, read once per process from resources/.

    Returns
    -------
    Lexicon
        Cue verbs and nouns by lemma, inflected cue-verb forms and gerunds, role words,
        organisations and actors by token sequence, anonymity markers.

    Examples
    --------
    >>> lex = lexicon()
    >>> lex.verb_cues["say"].kind
    'speech'
    """
    verb_cues: dict[str, Cue] = {}
    noun_cues: dict[str, Cue] = {}
    adj_cues: dict[str, Cue] = {}
    for row in read_table("cues.tsv"):
        cue = Cue(row["lemma"].strip().lower(), row["pos"].strip().upper(), row["kind"].strip(),
                  row["needs"].strip(), row["agentless"].strip() == "yes",
                  (row.get("convention") or "all").strip() == "news")
        {"NOUN": noun_cues, "ADJ": adj_cues}.get(cue.pos, verb_cues)[cue.lemma] = cue
    verb_forms = {}
    gerunds = {}
    for lemma, cue in verb_cues.items():
        if cue.kind in ("speech", "evaluation"):
            for form in _inflections(lemma):
                verb_forms[form] = lemma
        stem = lemma[:-1] if lemma.endswith("e") and not lemma.endswith("ee") else lemma
        gerunds[stem + "ing"] = lemma
    roles = {tuple(r["role"].lower().split()): Role(r["source_type"], r["kind"], r["proxy"] == "yes")
             for r in read_table("source_roles.tsv")}
    orgs: dict[tuple[str, ...], Org] = {}
    acronyms = set()
    for r in read_table("organisations.tsv"):
        org = Org(r["canonical"], r["source_type"], r["affiliation"])
        for form in r["pattern"].split("|"):
            key = tuple(normalise(t) for t in _split_tokens(form))
            if key:
                orgs[key] = org
                if form.isupper():
                    acronyms.add(key)
    actors: dict[str, tuple[str, str]] = {}
    actor_forms: dict[tuple[str, ...], str] = {}
    for r in read_table("actors.tsv"):
        if not r.get("canonical"):
            continue
        actors[r["canonical"]] = (r.get("source_type") or "other", r.get("affiliation") or "unknown")
        for form in (r.get("pattern") or "").split("|"):
            key = tuple(normalise(t) for t in _split_tokens(form))
            if key:
                actor_forms[key] = r["canonical"]
    markers = _word_list("anonymity_markers.txt")
    vague = read_table("vague_cues.tsv")
    return Lexicon(
        verb_cues, noun_cues, verb_forms, gerunds, roles, orgs, actors, actor_forms,
        frozenset(m for m in markers if " " not in m),
        anonymity_phrases=tuple(sorted(m for m in markers if " " in m)),
        vague_adverbs=frozenset(r["word"].lower() for r in vague if r["pos"] == "ADV"),
        vague_nouns=frozenset(r["word"].lower() for r in vague if r["pos"] == "NOUN"),
        vague_figures=frozenset(r["word"].lower() for r in vague if r["pos"] == "FIGURE"),
        max_org_len=max((len(k) for k in orgs), default=1),
        max_role_len=max((len(k) for k in roles), default=1),
        acronyms=frozenset(acronyms),
        adj_cues=adj_cues,
    )


@lru_cache(maxsize=1)
def raising_verbs() -> frozenset[str]:
    """Lemmas whose subject is no source of a learned cue (resources/raising_verbs.txt).

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> "seem" in raising_verbs()
    True
    """
    return _word_list("raising_verbs.txt")


_TOKEN_RE = re.compile(r"\w+(?:[-.'’]\w+)*\.?|[^\w\s]")


def _split_tokens(text: str) -> list[str]:
    """Roughly spaCy's tokenisation of a gazetteer entry ("People's" -> "People", "'s")."""
    out = []
    for tok in _TOKEN_RE.findall(text):
        m = re.match(r"^(.*\w)(['’]s)$", tok)
        if m:
            out.extend([m.group(1), m.group(2)])
        else:
            out.append(tok)
    return out


def match_sequence(tokens: list, table: dict, max_len: int,
                   upper_only: frozenset = frozenset()) -> list[tuple[int, int, object]]:
    """Longest matches of table keys (tuples of lower-case token texts or lemmas) in `tokens`.

    Parameters
    ----------
    tokens : list of spacy.tokens.Token
    table : dict
        Token sequence (tuple of normalised texts) -> value.
    max_len : int
        The longest key of `table`.
    upper_only : frozenset, optional
        Keys that match only tokens written in capitals (acronyms: "WHO", not "who").

    Returns
    -------
    list of (int, int, object)
        (start index in tokens, end index, value), left to right, not overlapping.

    Examples
    --------
    >>> doc = presslens.nlp.parse_text("the Russian Defence Ministry")     # doctest: +SKIP
    >>> match_sequence(list(doc), lexicon().orgs, lexicon().max_org_len)   # doctest: +SKIP
    [(1, 4, Org(canonical='Russian Defence Ministry', ...))]
    """
    keys = [normalise(t.text) for t in tokens]
    lemmas = [t.lemma_.lower() for t in tokens]
    out = []
    i = 0
    while i < len(tokens):
        found = None
        for size in range(min(max_len, len(tokens) - i), 0, -1):
            for seq in (tuple(keys[i:i + size]), tuple(lemmas[i:i + size])):
                if seq in table and not (seq in upper_only and not all(
                        t.text.isupper() for t in tokens[i:i + size])):
                    found = (i, i + size, table[seq])
                    break
            if found:
                break
        if found:
            out.append(found)
            i = found[1]
        else:
            i += 1
    return out


def role_of(tok, lex: Lexicon) -> Role | None:
    """The role a token's lemma (or the previous lemma and its own) names, if any.

    Parameters
    ----------
    tok : spacy.tokens.Token
    lex : Lexicon

    Returns
    -------
    Role or None
        None also for anonymous, vague and document roles inside a name ("Business
        Insider", "The Post").

    Examples
    --------
    >>> doc = presslens.nlp.parse_text("The spokesman said so.")   # doctest: +SKIP
    >>> role_of(doc[1], lexicon()).kind                            # doctest: +SKIP
    'person'
    """
    lemma = tok.lemma_.lower()
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and (prev.lemma_.lower(), lemma) in lex.roles:
        return lex.roles[(prev.lemma_.lower(), lemma)]
    role = lex.roles.get((lemma,))
    if role is not None and tok.pos_ == "PROPN" and (
            role.source_type in ("anonymous", "vague") or role.kind == "document"):
        return None  # part of a name ("Business Insider", "The Post"), not a role word
    return role
