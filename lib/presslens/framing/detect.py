"""The registered `framing` component and the DataFrame-level functions: frames, their evidence
and per-sentence scores, from the indicators (no training) or from a trained `FrameModel`."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import components, schema
from .lexicon import SCHEMES, FrameLexicon, load_lexicon
from .scoring import DocFrames, score_doc, sentence_scores

if TYPE_CHECKING:
    from .model import FrameModel

FRAME_EVIDENCE = {
    "article_id": "string",
    "scheme": "string",
    "frame": "string",
    "indicator": "string",  # "<item id>:<lexicon entry or pattern id>"
    "sentence_index": "Int64",
    "start": "Int64",
    "end": "Int64",
    "text": "string",
    "item": "string",  # the questionnaire item / codebook clause id
    "question": "string",
    "weight": "float64",
}
SENTENCE_FRAMES = {
    "article_id": "string",
    "sentence_index": "Int64",
    "scheme": "string",
    "frame": "string",
    "score": "float64",
}


def _rows_for(article_id: str, result: DocFrames, lexicon: FrameLexicon) -> dict[str, list[dict]]:
    frames = [{
        "article_id": article_id, "scheme": lexicon.scheme, "frame": frame,
        "score": round(result.frame_scores[frame], 6),
        "present": bool(result.frame_scores[frame] >= lexicon.thresholds[frame]),
    } for frame in lexicon.frames]
    evidence = []
    for hit in result.evidence:
        item = lexicon.items[hit["item"]]
        evidence.append({
            "article_id": article_id, "scheme": lexicon.scheme, "frame": item.frame,
            "indicator": f"{item.id}:{hit['entry']}", "sentence_index": hit["sentence_index"],
            "start": hit["start"], "end": hit["end"], "text": hit["text"],
            "item": item.id, "question": item.question, "weight": item.weight,
        })
    sentences = [{
        "article_id": article_id, "sentence_index": sentence_index, "scheme": lexicon.scheme,
        "frame": frame, "score": score,
    } for sentence_index, frame, score in sentence_scores(result, lexicon)]
    return {"frames": frames, "frame_evidence": evidence, "sentence_frames": sentences}


def from_doc(ctx: components.DocContext) -> dict[str, list[dict]]:
    """Frames (of the schemes in the setting `schemes`), their evidence and per-sentence scores
    for one parsed article.

    Parameters
    ----------
    ctx : presslens.components.DocContext
        The article's Doc and the component's settings.

    Returns
    -------
    dict
        Row dicts for the tables `frames`, `frame_evidence` and `sentence_frames`.

    Examples
    --------
    >>> from presslens import nlp
    >>> from presslens.components import DocContext
    >>> doc = nlp.parse_text("Russia accused Ukraine of violating the truce.")
    >>> rows = from_doc(DocContext.of("a1", doc, "framing"))
    >>> sorted(rows)
    ['frame_evidence', 'frames', 'sentence_frames']
    """
    out: dict[str, list[dict]] = {"frames": [], "frame_evidence": [], "sentence_frames": []}
    for scheme in ctx.settings["schemes"]:
        lexicon = load_lexicon(scheme)
        rows = _rows_for(ctx.article_id, score_doc(ctx.doc, scheme, lexicon), lexicon)
        for table, table_rows in rows.items():
            out[table].extend(table_rows)
    return out


components.register("framing", assigns={"frames": schema.FRAMES, "frame_evidence": FRAME_EVIDENCE,
                                        "sentence_frames": SENTENCE_FRAMES},
                    from_doc=from_doc, defaults={"schemes": tuple(SCHEMES)})


def check_articles(articles: pd.DataFrame | None) -> pd.DataFrame:
    """A copy of `articles` with string ids and missing texts as "" (None: no articles).

    Parameters
    ----------
    articles : pandas.DataFrame or None
        At least `article_id` and `text`.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValueError
        When `article_id` or `text` is missing.

    Examples
    --------
    >>> check_articles(pd.DataFrame({"article_id": [1], "text": [None]}))["text"].tolist()
    ['']
    """
    if articles is None:
        articles = pd.DataFrame({"article_id": pd.Series(dtype="string"),
                                 "text": pd.Series(dtype="string")})
    missing = [c for c in ("article_id", "text") if c not in articles.columns]
    if missing:
        raise ValueError(f"articles lacks columns {missing}")
    articles = articles.copy()
    articles["article_id"] = articles["article_id"].astype(str)
    articles["text"] = articles["text"].astype(object).where(articles["text"].notna(), "")
    return articles


def _analyse(articles: pd.DataFrame, schemes: Iterable[str], docs=None) -> dict[str, pd.DataFrame]:
    return components.run(check_articles(articles), ["frames", "frame_evidence", "sentence_frames"],
                          docs=docs, settings={"framing": {"schemes": tuple(schemes)}})


def detect_frames(articles: pd.DataFrame, scheme: str = "generic", model: FrameModel | None = None,
                  docs: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """One row per article x frame: `article_id, scheme, frame, score, present`.

    Without `model`, scores come from the transparent indicators (see `frame_evidence` for the
    spans behind them) and `present` compares them with the resource's per-frame thresholds;
    with a trained `FrameModel`, from its classifiers and tuned thresholds.

    Parameters
    ----------
    articles : pandas.DataFrame
        At least `article_id` and `text`.
    scheme : {"generic", "mfc"}
        Ignored (with a warning when different) when `model` is given: the model's scheme wins.
    model : FrameModel, optional
    docs : Mapping, optional
        article_id -> parsed Doc; otherwise parsed by `presslens.nlp` (disk-cached).

    Returns
    -------
    pandas.DataFrame
        Columns of `schema.FRAMES`; scores in [0, 1].

    Examples
    --------
    >>> articles = pd.DataFrame({"article_id": ["a"], "text": ["The two parties clashed."]})
    >>> detect_frames(articles, scheme="generic")["frame"].tolist()[:2]
    ['conflict', 'human_interest']
    """
    if model is not None:
        if scheme != model.scheme:
            warnings.warn(f"model was trained on scheme {model.scheme!r}; using it instead of "
                          f"{scheme!r}", stacklevel=2)
        return model.predict_frames(articles, docs=docs)
    load_lexicon(scheme)  # an unknown scheme fails before any parsing
    return _analyse(articles, [scheme], docs)["frames"]


def frame_evidence(articles: pd.DataFrame | None = None, scheme: str | None = "generic",
                   frames_or_analysis: Any = None,
                   docs: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The spans behind the indicator scores, with offsets into each article's `text`.

    Parameters
    ----------
    articles : pandas.DataFrame, optional
        At least `article_id` and `text`; with `frames_or_analysis`, only selects articles.
    scheme : {"generic", "mfc"} or None
        None keeps both schemes.
    frames_or_analysis : Analysis or pandas.DataFrame, optional
        Take the rows from an existing `Analysis` or frame_evidence table instead of parsing.
    docs : Mapping, optional
        article_id -> parsed Doc.

    Returns
    -------
    pandas.DataFrame
        `article_id, scheme, frame, indicator, sentence_index, start, end, text, item, question,
        weight` (`FRAME_EVIDENCE`).

    Raises
    ------
    ValueError
        When `frames_or_analysis` is neither an Analysis nor a frame_evidence table.

    Examples
    --------
    >>> articles = pd.DataFrame({"article_id": ["a"], "text": ["The two parties clashed."]})
    >>> row = frame_evidence(articles).iloc[0]
    >>> articles["text"][0][row["start"]:row["end"]] == row["text"]
    True
    """
    if frames_or_analysis is not None:
        table = getattr(frames_or_analysis, "frame_evidence", frames_or_analysis)
        if not isinstance(table, pd.DataFrame) or "indicator" not in table.columns:
            raise ValueError("frames_or_analysis must be an Analysis or a frame_evidence table")
        table = table if scheme is None else table[table["scheme"] == scheme]
        if articles is not None and "article_id" in articles.columns:
            table = table[table["article_id"].isin(articles["article_id"].astype(str))]
        return schema.conform(table, FRAME_EVIDENCE)
    schemes = list(SCHEMES) if scheme is None else [scheme]
    return _analyse(articles, schemes, docs)["frame_evidence"]


def sentence_frames(articles: pd.DataFrame, scheme: str | None = "generic",
                    docs: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Per-sentence frame scores in [0, 1]; only sentences with at least one indicator hit have
    rows (absent = 0).

    Parameters
    ----------
    articles : pandas.DataFrame
        At least `article_id` and `text`.
    scheme : {"generic", "mfc"} or None
        None keeps both schemes.
    docs : Mapping, optional
        article_id -> parsed Doc.

    Returns
    -------
    pandas.DataFrame
        `article_id, sentence_index, scheme, frame, score` (`SENTENCE_FRAMES`).

    Examples
    --------
    >>> articles = pd.DataFrame({"article_id": ["a"], "text": ["The two parties clashed."]})
    >>> sentence_frames(articles)["frame"].tolist()
    ['conflict']
    """
    schemes = list(SCHEMES) if scheme is None else [scheme]
    return _analyse(articles, schemes, docs)["sentence_frames"]
