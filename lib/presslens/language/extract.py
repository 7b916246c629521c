"""The language analysis of one parsed article (`from_doc`, registered as the `language`
component) and its DataFrame-level entry points: `detect_persuasion`, `extract_terms`, `stance`,
`tone`, and the text-only place-spelling tables."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import pandas as pd

from .. import components, nlp, schema
from . import lexicons, persuasion_model
from .persuasion import persuasion_spans
from .quotes import quote_regions, quote_status
from .stance import stance_hits
from .tables import LEXICON_PERSUASION, PERSUASION, SPELLING_HITS, STANCE, TERMS, TONE
from .text import contested_hits_in_text, spelling_hits_in_text


def _attribution_contents(article_id: str, attributions) -> list[tuple[int, int, str]]:
    """(content_start, content_end, source) of the article's attributions from sourcing."""
    out = []
    for row in attributions or []:
        if str(row.get("article_id", article_id)) != article_id:
            continue
        start, end = row.get("content_start"), row.get("content_end")
        if start is None or end is None or pd.isna(start) or pd.isna(end):
            continue
        source = row.get("source_canonical")
        if source is None or pd.isna(source):
            source = row.get("source_text")
        out.append((int(start), int(end), str(source) if source is not None and not pd.isna(source) else ""))
    return out


def from_doc(ctx: components.DocContext) -> dict[str, list[dict]]:
    """Per-document language analysis: rows for the `terms`, `persuasion`, `stance` and `tone`
    tables (see TERMS, PERSUASION, STANCE, TONE for the columns). Never raises on odd input:
    an empty text gives nothing, a broken parse a warning and what could be found."""
    out: dict[str, list[dict]] = {"terms": [], "persuasion": [], "stance": [], "tone": []}
    if ctx.doc is None or not ctx.text.strip():
        return out
    if not ctx.english:  # the English lexicons mean nothing here; place spellings do
        out["terms"] = _spelling_rows(ctx.article_id, ctx.doc, ctx.language, quote_regions(ctx.text))
        return out
    try:
        _analyse_doc(ctx.article_id, ctx.doc, ctx.rows("attributions"), out)
    except (IndexError, ValueError, KeyError, RecursionError) as exc:  # one bad parse must not stop a corpus
        warnings.warn(f"article {ctx.article_id!r}: language analysis incomplete ({exc!r})", stacklevel=2)
    return out


def _spelling_rows(article_id: str, doc, language: str | None, regions) -> list[dict]:
    """`terms` rows of the place-name spellings of one article, for its language."""
    sentences = nlp.sentence_index(doc)
    rows = []
    for hit in spelling_hits_in_text(nlp.doc_text(doc), language):
        rows.append({"article_id": article_id, "sentence_index": sentences.index(hit["start"]),
                     "kind": "place_spelling", "term": hit["form"], "canonical": hit["place"],
                     "category": hit["style"],
                     "quoted": quote_status(regions, hit["start"], hit["end"]) is not None,
                     "start": hit["start"], "end": hit["end"], "text": hit["form"], "side": pd.NA,
                     "concept": hit["kind"], "source": pd.NA})
    return rows


def _analyse_doc(article_id: str, doc, attributions: list[dict], out: dict[str, list[dict]]) -> None:
    text = nlp.doc_text(doc)
    sentences = nlp.sentence_index(doc)
    regions = quote_regions(text)
    attributed = _attribution_contents(article_id, attributions)

    def source_of(start: int, end: int):
        for c_start, c_end, source in attributed:
            if c_start <= start and end <= c_end:
                return source
        return pd.NA

    def quoted_info(start: int, end: int) -> tuple[bool, str]:
        status = quote_status(regions, start, end)
        return status is not None, {"scare": "distance", "source": "source_quote", None: "writer"}[status]

    terms = out["terms"]
    for hit in contested_hits_in_text(text, regions):
        source = source_of(hit["start"], hit["end"])
        # In the writer's voice but inside what a source is reported to say: the source's term.
        category = "attributed" if hit["category"] == "adopted" and source is not pd.NA else hit["category"]
        terms.append({"article_id": article_id, "sentence_index": sentences.index(hit["start"]),
                      "kind": "contested_term", "term": hit["term"], "canonical": hit["canonical"],
                      "category": category, "quoted": hit["quoted"], "start": hit["start"],
                      "end": hit["end"], "text": hit["term"], "side": hit["side"],
                      "concept": hit["concept"]})
    terms.extend(_spelling_rows(article_id, doc, None, regions))
    stance_by_sentence: dict[int, dict[str, list[str]]] = {}
    boosters = stance_hits(doc, "stance_boosters.txt")
    # "no doubt", "without doubt" are boosters; the hedge "doubt" inside them is not counted.
    hedges = [h for h in stance_hits(doc, "stance_hedges.txt")
              if not any(b[0] < h[1] and h[0] < b[1] for b in boosters)]
    for kind, hits in (("hedge", hedges), ("booster", boosters)):
        for start, end, entry in hits:
            k = sentences.index(start)
            quoted, voice = quoted_info(start, end)
            terms.append({"article_id": article_id, "sentence_index": k, "kind": kind,
                          "term": text[start:end], "canonical": entry, "category": voice,
                          "quoted": quoted, "start": start, "end": end, "text": text[start:end],
                          "side": pd.NA, "concept": pd.NA})
            if k is not pd.NA:
                stance_by_sentence.setdefault(k, {"hedge": [], "booster": []})[kind].append(text[start:end])
    # The lexicon's cues, less their neutral uses ("explosive device"), are the terms a reader
    # sees and the evidence of the trained model, which decides which paragraphs persuade.
    lexicon_spans = persuasion_model.drop_neutral_uses(text, persuasion_spans(doc, sentences))
    sentence_spans = [(k, s_start, s_end) for k, s_start, s_end, _ in sentences]
    for row in persuasion_model.detect_in_doc(text, lexicon_spans=lexicon_spans, sentences=sentence_spans,
                                              neutral_uses_dropped=True):
        out["persuasion"].append({"article_id": article_id, **row})
    for span in lexicon_spans:
        k = sentences.index(span["start"])
        span_text = text[span["start"]:span["end"]]
        quoted, voice = quoted_info(span["start"], span["end"])
        terms.append({"article_id": article_id, "sentence_index": k, "kind": span["technique"],
                      "term": span["cue"], "canonical": span["cue"].split("+")[0], "category": voice,
                      "quoted": quoted, "start": span["start"], "end": span["end"],
                      "text": span_text, "side": pd.NA, "concept": pd.NA})
    for row in terms:
        row["source"] = source_of(row["start"], row["end"])
    terms.sort(key=lambda r: (r["start"], r["end"], r["kind"]))
    vader = lexicons.vader()
    for k, s_start, s_end, _ in sentences:
        found = stance_by_sentence.get(k, {"hedge": [], "booster": []})
        out["stance"].append({"article_id": article_id, "sentence_index": k, "start": s_start,
                              "end": s_end, "n_hedges": len(found["hedge"]),
                              "n_boosters": len(found["booster"]), "hedges": "; ".join(found["hedge"]),
                              "boosters": "; ".join(found["booster"])})
        scores = vader.polarity_scores(text[s_start:s_end])
        out["tone"].append({"article_id": article_id, "sentence_index": k, "start": s_start,
                            "end": s_end, "compound": scores["compound"], "pos": scores["pos"],
                            "neu": scores["neu"], "neg": scores["neg"]})


components.register("language", assigns={"terms": TERMS, "persuasion": PERSUASION, "stance": STANCE,
                                         "tone": TONE},
                    requires=("attributions",), from_doc=from_doc, languages=None)


def run_tables(articles: pd.DataFrame, docs: Mapping | None,
         attributions: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The language tables of `articles`; the attributions only when given (without them a
    contested term in a source's reported words counts as the writer's)."""
    if attributions is None:
        attributions = schema.empty(schema.ATTRIBUTIONS)
    return components.run(articles, ["terms", "persuasion", "stance", "tone"], docs=docs,
                          given={"attributions": attributions})


def sorted_table(rows: Iterable[dict] | pd.DataFrame, columns: dict[str, str], sort: list[str]) -> pd.DataFrame:
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if len(df):
        df = df.sort_values(sort, kind="stable")
    return schema.conform(df, columns)


def detect_persuasion(articles: pd.DataFrame, docs: Mapping | None = None) -> pd.DataFrame:
    """Persuasion techniques of each article: the paragraphs the shipped trained model flags
    (`persuasion_model`, trained on SemEval-2023 Task 3 English), each shown by the words that
    drove it.

    Parameters
    ----------
    articles : DataFrame
        At least `article_id` and `text`.
    docs : Mapping, optional
        article_id -> parsed Doc; without it the articles are parsed (through the disk cache).

    Returns
    -------
    DataFrame
        PERSUASION columns, sorted by article and offset: `article_id, technique, start, end,
        text, sentence_index, cue`, then `evidence`, `score`, `paragraph_start`,
        `paragraph_end`, `drivers`, `model`. `technique` is one of TECHNIQUES. A flagged
        paragraph's rows are the rule lexicon's cues of that technique inside it (`evidence`
        "lexicon", `cue` the lexicon entry; loaded_language and name_calling spans are words
        or phrases, doubt and appeal_to_fear spans sentences) or, where the lexicon has none,
        one row on the model's strongest n-gram (`evidence` "model"; for doubt and
        appeal_to_fear its sentence). `score` is the paragraph's probability, `drivers` its
        strongest words for the technique, `model` the encoder that ran (n-grams, or n-grams
        with sentence embeddings where the `embeddings` extra is installed).
        `lexicon_persuasion` gives the rule layer alone.

    Examples
    --------
    >>> presslens.language.detect_persuasion(articles).groupby("technique").size()  # doctest: +SKIP
    """
    return sorted_table(run_tables(articles, docs)["persuasion"], PERSUASION, ["article_id", "start", "end", "technique"])


def extract_terms(articles: pd.DataFrame, docs: Mapping | None = None,
                  attributions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Contested terms, place spellings, hedges, boosters and persuasion cues of each article.

    Parameters
    ----------
    articles : DataFrame
        At least `article_id` and `text`.
    docs : Mapping, optional
        article_id -> parsed Doc; without it the articles are parsed (through the disk cache).
    attributions : DataFrame, optional
        The table of `presslens.sourcing.extract_attributions` (as `analyze()` passes it):
        a contested term inside what a source is reported to say is then `attributed` to it.

    Returns
    -------
    DataFrame
        The Analysis `terms` table (columns TERMS) with offsets, `kind` (TERM_KINDS),
        `category` and `quoted`. A contested term's category is `distance` (scare quotes),
        `source_quote` (inside someone's quoted words), `attributed` (unquoted but inside an
        attribution's content) or `adopted` (the writer's own voice).

    Examples
    --------
    >>> terms = presslens.language.extract_terms(articles)                  # doctest: +SKIP
    >>> terms[terms["kind"] == "contested_term"][["term", "category"]]      # doctest: +SKIP
    """
    return sorted_table(run_tables(articles, docs, attributions)["terms"], TERMS, ["article_id", "start", "end", "kind"])


def stance(articles: pd.DataFrame, docs: Mapping | None = None) -> pd.DataFrame:
    """Hedging and boosting per sentence.

    Parameters
    ----------
    articles : DataFrame
        At least `article_id` and `text`.
    docs : Mapping, optional
        article_id -> parsed Doc.

    Returns
    -------
    DataFrame
        Columns STANCE: per sentence the number and the forms of hedges and boosters (their
        spans are the `hedge` / `booster` rows of `extract_terms`).
    """
    return sorted_table(run_tables(articles, docs)["stance"], STANCE, ["article_id", "sentence_index"])


def tone(articles: pd.DataFrame, docs: Mapping | None = None) -> pd.DataFrame:
    """VADER tone per sentence.

    Parameters
    ----------
    articles : DataFrame
        At least `article_id` and `text`.
    docs : Mapping, optional
        article_id -> parsed Doc.

    Returns
    -------
    DataFrame
        Columns TONE: `compound` (-1 .. +1), `pos`, `neu`, `neg` per sentence. Show
        TONE_CAVEAT wherever these are shown: tone is not stance.
    """
    return sorted_table(run_tables(articles, docs)["tone"], TONE, ["article_id", "sentence_index"])


def spelling_hits(articles: pd.DataFrame) -> pd.DataFrame:
    """Russian- and Ukrainian-style spellings of Ukrainian places, from the text alone.

    Parameters
    ----------
    articles : DataFrame
        At least `article_id` and `text`.

    Returns
    -------
    DataFrame
        `article_id, form, style, place, start, end` (SPELLING_HITS), one row per spelling.
    """
    rows = []
    if articles is not None and len(articles):
        languages = (articles["language"].astype(object).where(articles["language"].notna(), None)
                     if "language" in articles.columns else [None] * len(articles))
        for article_id, text, language in zip(articles["article_id"].astype(str),
                                              articles["text"].fillna(""), languages):
            for hit in spelling_hits_in_text(str(text), language):
                rows.append({"article_id": article_id, **hit})
    return sorted_table(rows, SPELLING_HITS, ["article_id", "start"])


def summarize_spellings(hits: pd.DataFrame, article_ids: Iterable[str] = ()) -> pd.DataFrame:
    """Spelling counts per article from a table of hits.

    Parameters
    ----------
    hits : DataFrame
        `spelling_hits`, or the `place_spelling` rows of `terms` (style in `category`).
    article_ids : iterable of str
        Articles to list even when they have no hits.

    Returns
    -------
    DataFrame
        `article_id, n_russian_style, n_ukrainian_style, share_russian_style` (NaN with no hits).
    """
    ids = sorted(set(map(str, article_ids)) | set(hits["article_id"].astype(str)))
    style_col = "style" if "style" in hits.columns else "category"
    counts = (hits.assign(article_id=hits["article_id"].astype(str))
              .groupby(["article_id", style_col]).size().unstack(fill_value=0))
    out = pd.DataFrame({"article_id": ids})
    for style in ("russian_style", "ukrainian_style"):
        col = counts[style] if style in counts.columns else pd.Series(dtype="int64")
        out[f"n_{style}"] = out["article_id"].map(col).fillna(0).astype("Int64")
    total = out["n_russian_style"] + out["n_ukrainian_style"]
    out["share_russian_style"] = (out["n_russian_style"] / total.where(total > 0)).astype("float64")
    out["article_id"] = out["article_id"].astype("string")
    return out


def spelling_profile(articles: pd.DataFrame) -> pd.DataFrame:
    """Spelling counts per article, from the text alone.

    Parameters
    ----------
    articles : DataFrame
        At least `article_id` and `text`.

    Returns
    -------
    DataFrame
        As `summarize_spellings`; the hits themselves are in `.attrs["hits"]`.
    """
    ids = articles["article_id"].astype(str) if articles is not None and len(articles) else []
    hits = spelling_hits(articles)
    profile = summarize_spellings(hits, ids)
    profile.attrs["hits"] = hits
    return profile


def lexicon_persuasion(articles: pd.DataFrame, docs: Mapping | None = None) -> pd.DataFrame:
    """The rule layer of `detect_persuasion` alone: every lexicon and pattern cue of each
    English article (neutral uses such as "explosive device" left out), whether or not the
    model flags its paragraph. Columns `article_id, technique, start, end, text,
    sentence_index, cue`."""
    rows = []
    for article_id, fields, doc in nlp.article_docs(articles, docs):
        if doc is None or not components.language_status(doc, fields.get("language")).english:
            continue
        text = nlp.doc_text(doc)
        sentences = nlp.sentence_index(doc)
        for span in persuasion_model.drop_neutral_uses(text, persuasion_spans(doc, sentences)):
            rows.append({"article_id": article_id, "technique": span["technique"], "start": span["start"],
                         "end": span["end"], "text": text[span["start"]:span["end"]],
                         "sentence_index": sentences.index(span["start"]), "cue": span["cue"]})
    return sorted_table(rows, LEXICON_PERSUASION, ["article_id", "start", "end", "technique"])
