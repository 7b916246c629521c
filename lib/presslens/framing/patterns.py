"""spaCy matchers for the frame lexicons' token and dependency patterns, built once per
(scheme, vocabulary), and `TreePatterns`, a faster evaluation of the dependency patterns the
lexicons use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from .. import nlp
from .lexicon import FrameLexicon

# Matchers depend on the Doc's vocab; built once per (scheme, vocab) and kept for the process.
_MATCHERS: dict[tuple[str, int], tuple[Any, Any, Any]] = {}


# Token attributes a tree pattern may test, and where TokenAttrs keeps them.
_TREE_ATTRS = {"LEMMA": "lemma_exact", "LOWER": "lower", "POS": "pos", "TAG": "tag", "DEP": "dep",
                "ENT_TYPE": "ent_type"}


class TreePatterns:
    """spaCy DependencyMatcher semantics for the patterns the frame lexicons use (nodes whose
    attributes are strings or {"IN": [...]} sets, joined by ">" child or "<" head), evaluated
    on the token attribute lists: the DependencyMatcher tries the cartesian product of every
    node's candidate tokens in each sentence, this follows the tree from each anchor. Same
    matches (tests/test_framing.py compares the two); callable like the DependencyMatcher.

    Parameters
    ----------
    vocab : spacy.vocab.Vocab
        Match labels are added to its string store.
    patterns : list of tuple
        `(label, DependencyMatcher pattern)`, each pattern `supports`-ed.

    Examples
    --------
    >>> from presslens import nlp
    >>> pipeline = nlp.load_pipeline()
    >>> tree = TreePatterns(pipeline.vocab, [("blame", [
    ...     {"RIGHT_ID": "v", "RIGHT_ATTRS": {"LEMMA": "blame"}},
    ...     {"LEFT_ID": "v", "REL_OP": ">", "RIGHT_ID": "s", "RIGHT_ATTRS": {"DEP": "nsubj"}}])])
    >>> [ids for _, ids in tree(pipeline("Kyiv blamed Moscow."))]
    [[1, 0]]
    """

    def __init__(self, vocab, patterns: list[tuple[str, list[dict]]]):
        self.patterns = []
        for label, nodes in patterns:
            position = {node["RIGHT_ID"]: k for k, node in enumerate(nodes)}
            compiled = []
            for k, node in enumerate(nodes):
                tests = []
                for attr, value in node.get("RIGHT_ATTRS", {}).items():
                    allowed = frozenset(value["IN"]) if isinstance(value, dict) else frozenset([value])
                    tests.append((_TREE_ATTRS[attr], allowed))
                left = position[node["LEFT_ID"]] if k else None
                compiled.append((left, node.get("REL_OP"), tuple(tests)))
            self.patterns.append((vocab.strings.add(label), compiled))

    @staticmethod
    def supports(pattern: list[dict]) -> bool:
        """Whether `pattern` uses only what TreePatterns evaluates (else spaCy's
        DependencyMatcher must)."""
        for k, node in enumerate(pattern):
            if set(node) - {"RIGHT_ID", "RIGHT_ATTRS", "LEFT_ID", "REL_OP"}:
                return False
            if k and (node.get("REL_OP") not in (">", "<") or node.get("LEFT_ID") not in
                      {n["RIGHT_ID"] for n in pattern[:k]}):
                return False
            for attr, value in node.get("RIGHT_ATTRS", {}).items():
                if attr not in _TREE_ATTRS:
                    return False
                if isinstance(value, dict) and (set(value) != {"IN"} or not all(isinstance(v, str) for v in value["IN"])):
                    return False
                if not isinstance(value, (str, dict)):
                    return False
        return bool(pattern)

    def __call__(self, doc) -> list[tuple[int, list[int]]]:
        tokens = nlp.token_attrs(doc)
        children: dict[int, list[int]] = defaultdict(list)
        for i, h in enumerate(tokens.head):
            if h != i:
                children[h].append(i)
        columns = {name: getattr(tokens, name) for name in set(_TREE_ATTRS.values())}
        out: list[tuple[int, list[int]]] = []
        for match_id, nodes in self.patterns:
            anchors: Iterable[int] = range(len(tokens.head))
            for name, allowed in nodes[0][2]:  # one attribute at a time over the whole column
                column = columns[name]
                anchors = [i for i in anchors if column[i] in allowed]
            for i in anchors:
                for assigned in self._walk(nodes, [i], tokens.head, children, columns):
                    out.append((match_id, assigned))
        return out

    @staticmethod
    def _fits(columns: dict, i: int, tests) -> bool:
        return all(columns[name][i] in allowed for name, allowed in tests)

    def _walk(self, nodes, assigned: list[int], head: list[int], children, columns) -> Iterator[list[int]]:
        """Every way to give the remaining nodes tokens, the earlier ones being `assigned`."""
        k = len(assigned)
        if k == len(nodes):
            yield list(assigned)
            return
        left, op, tests = nodes[k]
        anchor = assigned[left]
        options = children.get(anchor, ()) if op == ">" else ((head[anchor],) if head[anchor] != anchor else ())
        for i in options:
            if self._fits(columns, i, tests):
                yield from self._walk(nodes, [*assigned, i], head, children, columns)


def matchers(lexicon: FrameLexicon, vocab) -> tuple[Any, Any]:
    """The token Matcher and the dependency matcher (TreePatterns when it supports every
    pattern, else spaCy's DependencyMatcher) of `lexicon` for `vocab`, built once per process.

    Parameters
    ----------
    lexicon : FrameLexicon
    vocab : spacy.vocab.Vocab

    Returns
    -------
    tuple
        `(matcher, dep_matcher)`; match ids are the strings `"<item index>|<pattern id>"`.

    Examples
    --------
    >>> from presslens import nlp
    >>> from presslens.framing.lexicon import load_lexicon
    >>> matcher, dep_matcher = matchers(load_lexicon("generic"), nlp.load_pipeline().vocab)
    """
    key = (lexicon.scheme, id(vocab))
    cached = _MATCHERS.get(key)
    if cached is not None and cached[0] is vocab:
        return cached[1], cached[2]
    from spacy.matcher import DependencyMatcher, Matcher

    matcher = Matcher(vocab)
    for index, pattern_id, pattern in lexicon.patterns:
        matcher.add(f"{index}|{pattern_id}", [pattern], greedy="LONGEST")
    if all(TreePatterns.supports(pattern) for _, _, pattern in lexicon.dep_patterns):
        dep_matcher = TreePatterns(vocab, [(f"{index}|{pattern_id}", pattern)
                                            for index, pattern_id, pattern in lexicon.dep_patterns])
    else:  # a pattern with operators or attributes of its own: spaCy evaluates it
        dep_matcher = DependencyMatcher(vocab)
        for index, pattern_id, pattern in lexicon.dep_patterns:
            dep_matcher.add(f"{index}|{pattern_id}", [pattern])
    _MATCHERS[key] = (vocab, matcher, dep_matcher)
    return matcher, dep_matcher


