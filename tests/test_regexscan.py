"""Anchored regexes find exactly what the plain regex finds."""

import re

import pytest
from presslens.language import contested_patterns, persuasion_lexicon, stance_lexicon
from presslens.regexscan import Anchored, fold, required_literals

TEXTS = [
    "Russian forces ‘liberated.’ the town; critics called it a witch hunt without evidence.",
    "WITHOUT EVIDENCE, the Kiev regime was blamed. False claims spread; FALSE CLAIM repeated.",
    "A ſitting duck: SİTTİNG DUCKS in the crossfire, KILLING MACHINE",  # long s, dotted capital I
    "",
    "nothing here matches at all",
]


@pytest.mark.parametrize("pattern,flags,expected", [
    (r"(?<![\w-])(?:false claims?)(?![\w-])", re.IGNORECASE, ("false claim",)),
    (r"(?<![\w-])(?:scorched earth|meat grinder)(?![\w-])", re.IGNORECASE, ("meat grinder", "scorched earth")),
    (r"(?:Kiev|Kyiv) regime", re.IGNORECASE, (" regime",)),  # the longer required literal wins
    (r"(?:Kiev|Kyiv)(?:an)? forces?", 0, (" force",)),
    (r"(?:Kiev|Kyiv)", re.IGNORECASE, ("iev", "yiv")),  # the parser factors out the common "K"
    (r"(?:Kiev|a)\b", 0, None),  # one branch has no literal worth testing
    (r"liberat(?:e|ed|ion)", re.IGNORECASE, ("liberat",)),
    (r"x+yz", 0, ("yz",)),
    (r"(?:abc)+", 0, ("abc",)),
    (r"(?:abc)?", 0, None),
    (r"(?i)Kiev", 0, None),  # an inline flag the caller's flags do not show: no literal
    (r"Kyiv", 0, ("Kyiv",)),  # case kept when case matters
    (r"ab(?i:cd)ef", 0, ("ab",)),
])
def test_required_literals(pattern, flags, expected):
    assert required_literals(pattern, flags) == expected


def test_fold_maps_case_blind_equivalents():
    assert fold("ſİı") == "sii"
    assert fold("ABC") == "abc"


def test_anchored_matches_equal_plain_regex_for_every_lexicon_pattern():
    regexes = [p.regex for p in contested_patterns()]
    lex = persuasion_lexicon()
    regexes += [r for phrases in lex.phrases.values() for _, r in phrases]
    regexes += list(lex.fear_explicit)
    for name in ("stance_hedges.txt", "stance_boosters.txt"):
        regexes += [r for _, r in stance_lexicon(name)[1]]
    assert regexes and all(isinstance(r, Anchored) for r in regexes)
    assert sum(r.literals is not None for r in regexes) > 0.9 * len(regexes)  # nearly all skippable
    for anchored in regexes:
        for text in TEXTS:
            assert [m.span() for m in anchored.finditer(text)] == \
                [m.span() for m in anchored.regex.finditer(text)], anchored.regex.pattern


def test_anchored_skips_only_when_literal_absent():
    anchored = Anchored(re.compile(r"(?<!\w)sitting ducks(?!\w)", re.IGNORECASE))
    assert anchored.literals == ("sitting ducks",)
    assert [m.group(0) for m in anchored.finditer(TEXTS[2])] == ["SİTTİNG DUCKS"]
    assert not anchored.possible(TEXTS[4])
    assert list(anchored.finditer(TEXTS[4])) == []


def test_alternation_finds_what_the_plain_alternation_finds():
    """Grouping an alternation by first character keeps which word wins at each place."""
    from presslens.language import place_forms
    from presslens.regexscan import alternation

    text = " ".join(TEXTS) + (" Kupyansk-Uzlovka and Kupyansk, pro-Kiev Kyiv-based Volchansk; so-called "
                              "SO CALLED so\ncalled scorched earth, Scorched-earth KİEV")
    names = sorted(place_forms(), key=lambda s: (-len(s), s))
    cases = [(names, 0, None), (["so called", "scorched earth", "scorched", "so", "kiev", "ſo"], re.IGNORECASE, r"\s+"),
             (["ab", "abc", "a", "b"], 0, None), (["x"], 0, None)]
    for words, flags, space in cases:
        plain = "|".join(re.escape(w).replace(r"\ ", space) if space else re.escape(w) for w in words)
        expected = [m.span() for m in re.finditer(rf"(?<!\w)(?:{plain})(?!\w)", text, flags)]
        grouped = alternation(words, ignore_case=bool(flags), space=space)
        assert [m.span() for m in re.finditer(rf"(?<!\w){grouped}(?!\w)", text, flags)] == expected
    assert alternation(["Kharkiv", "Kupyansk", "Vovchansk"]) == "(?:K(?:harkiv|upyansk)|Vovchansk)"
