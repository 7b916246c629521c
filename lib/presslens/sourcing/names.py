"""Names an article gives its sources in its own words: acronyms it defines ("the U.S. Energy
Information Administration (EIA) ... the EIA said") and names a source is said to go by ("the
hackers, who call themselves Cyber Resistance", "a group known as Iron Falcons"). Plain text
functions, read by the resolver (`presslens.sourcing.resolve`) to give a chain of mentions its
most informative name.
"""

from __future__ import annotations

import re

# Words a name keeps in lower case; an acronym may or may not take their initials
# ("Ministry of Defence (MoD)", "Institute for the Study of War (ISW)").
_FUNCTION_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "de", "du", "des", "la", "&"})
_ACRONYM = r"[A-Z][A-Za-z&]{0,1}[A-Z&]{1,8}s?"
_DEFINED_AFTER = re.compile(r"\((" + _ACRONYM + r")\)")
_DEFINED_BEFORE = re.compile(r"\b(" + _ACRONYM + r")\s+\(([A-Z][^()\n]{3,80})\)")
_WORD = re.compile(r"[\w][\w.'\u2019&-]*")
# A name a source goes by, right after the source phrase: ", who call themselves X", ", known
# as X", "calling itself X", "dubbed X", "a man named X".
_REFLEXIVE = r"(?:themselves|itself|himself|herself)"
_NAME = r"[\"\u201c\u2018']?([A-Z][\w'\u2019.-]*(?:\s+(?:of\s+|the\s+|for\s+|and\s+)?[A-Z0-9][\w'\u2019.-]*){0,5})"
_SELF_NAMED = re.compile(
    r"\s*,?\s*(?:(?:who|which|that)\s+(?:call|calls|called|style|styles|styled|dub|dubs|dubbed|name|names|named)\s+"
    + _REFLEXIVE + r"|(?:also\s+)?known\s+as|calling\s+" + _REFLEXIVE + r"|styling\s+" + _REFLEXIVE
    + r"|(?:that|which|who)\s+goes\s+by|going\s+by|dubbed|named|called)\s+(?:the\s+)?" + _NAME)


def _initials(words: list[str], with_function_words: bool) -> str:
    return "".join(w[0] for w in words if with_function_words or w.lower() not in _FUNCTION_WORDS).upper()


def _prefix(word: str) -> bool:
    """A short capitalised prefix of a name ("U.S.", "UN"); never an article, a possessive
    ("Russia's") or a word closing the previous sentence ("Kyiv.")."""
    return word[:1].isupper() and word.lower() not in ("the", "a", "an") and not word.endswith(("'s", "\u2019s")) \
        and ("." in word[:-1] or len(word) <= 4 and not word.endswith("."))


def _expansion(words: list[str], acronym: str) -> str | None:
    """The shortest run of words ending the list whose initials spell `acronym` (with or
    without the initials of function words), extended to the left over capitalised words that
    belong to the name ("U.S. Energy Information Administration"), never over a possessive."""
    letters = acronym.rstrip("s").upper().replace("&", "")
    for k in range(1, min(len(words), 12) + 1):
        run = words[-k:]
        if run[0].lower() in _FUNCTION_WORDS or not run[0][:1].isupper():
            continue
        if letters in (_initials(run, False), _initials(run, True).replace("&", "")):
            start = len(words) - k
            while start > 0 and _prefix(words[start - 1]):
                start -= 1
            return " ".join(words[start:])
    return None


def acronyms(text: str) -> dict[str, str]:
    """Acronyms an article defines, to the name they stand for: "Long Name (LN)" and the
    reverse "LN (Long Name)".

    Parameters
    ----------
    text : str

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> acronyms("the U.S. Energy Information Administration (EIA) said. The EIA added.")
    {'EIA': 'U.S. Energy Information Administration'}
    >>> acronyms("Officials of ISW (Institute for the Study of War) said so.")
    {'ISW': 'Institute for the Study of War'}
    """
    found: dict[str, str] = {}
    for m in _DEFINED_AFTER.finditer(text):
        acronym = m.group(1)
        line_start = text.rfind("\n", 0, m.start()) + 1
        words = _WORD.findall(text[max(line_start, m.start() - 160):m.start()])
        name = _expansion(words, acronym)
        if name is not None:
            found.setdefault(acronym, name)
    for m in _DEFINED_BEFORE.finditer(text):
        acronym, name = m.group(1), m.group(2).strip()
        if acronym not in found and _expansion(_WORD.findall(name), acronym) == " ".join(_WORD.findall(name)):
            found[acronym] = name
    return found


def expand(name: str, defined: dict[str, str]) -> str:
    """A source's name with an acronym the article defines written out, and a definition
    left inside the name dropped ("U.S. Energy Information Administration (EIA" -> "U.S.
    Energy Information Administration").

    Examples
    --------
    >>> expand("EIA", {"EIA": "Energy Information Administration"})
    'Energy Information Administration'
    >>> expand("Energy Information Administration (EIA", {})
    'Energy Information Administration'
    >>> expand("NATO", {})
    'NATO'
    """
    stripped = re.sub(r"\s*\(\s*" + _ACRONYM + r"\s*\)?\s*$", "", name).strip()
    if stripped:
        name = stripped
    return defined.get(name, name)


def self_name(text: str, end: int, limit: int | None = None) -> str | None:
    """The name a source goes by in the words right after its phrase ending at `end`: "The
    hackers, who call themselves Night Owls, claimed" -> "Night Owls"; None when there is none,
    or when the words reach `limit` (the source's own verb: "Zelensky called Putin a liar" names
    no one).

    Examples
    --------
    >>> t = "The hackers, who call themselves Night Owls, claimed it."
    >>> self_name(t, len("The hackers"))
    'Night Owls'
    >>> self_name("A group known as Iron Falcons said so.", len("A group"))
    'Iron Falcons'
    >>> self_name("The hackers, who were caught, said so.", len("The hackers")) is None
    True
    >>> self_name("Zelensky called Putin a liar.", len("Zelensky"), limit=len("Zelensky ")) is None
    True
    """
    m = _SELF_NAMED.match(text, end, min(len(text), end + 160))
    if m is None or limit is not None and end <= limit < m.end():
        return None
    name = m.group(1).rstrip(".'\u2019")
    return name or None


_NAMING_VERB = re.compile(r"(?:call|calls|called|calling|style|styles|styled|styling|dub|dubs|dubbed|dubbing|"
                          r"name|names|named|naming)\s+" + _REFLEXIVE + r"\s+" + _NAME, re.I)


def names_itself(text: str, cue_start: int) -> bool:
    """Whether the cue at `cue_start` is a source naming itself ("who call themselves Night
    Owls"): a name, not an act of speech.

    Examples
    --------
    >>> t = "The hackers, who call themselves Night Owls, claimed it."
    >>> names_itself(t, t.index("call")), names_itself(t, t.index("claimed"))
    (True, False)
    """
    m = _NAMING_VERB.match(text, cue_start)
    return m is not None and m.group(1)[:1].isupper()
