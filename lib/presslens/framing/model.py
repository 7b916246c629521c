"""`FrameModel`: a trained frame model (a scikit-learn pipeline from the model-input table to
per-frame probabilities, with its tuned cuts), its predictions as the `frames` table, and its
persistence."""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from ..atomic import swap_dir
from .detect import check_articles
from .features import model_inputs
from .lexicon import lexicon_digest


@dataclass
class FrameModel:
    """A trained frame model: `pipeline` maps the model-input table (`model_inputs`) to one
    probability per frame (scikit-learn `Pipeline`: the `frame_features` ColumnTransformer, then
    a one-vs-rest classifier per frame), `thresholds` decide presence.

    Attributes
    ----------
    scheme : str
    frames : tuple of str
        The pipeline's output columns, in order.
    pipeline : sklearn.pipeline.Pipeline
    thresholds : dict
        frame -> probability cut (present at or above it).
    C : float
        The word model's inverse regularisation strength.
    indicator_weight : float
        Factor of the indicator values (0: not used).
    metadata : dict
        Training settings and inner cross-validation figures (saved in model.json).
    uses_embeddings : bool
        Whether the pipeline reads the article's sentence embedding.

    Examples
    --------
    >>> model = train_frame_model(articles, labels, scheme="mfc")  # doctest: +SKIP
    >>> FrameModel.load(model.save("models/frames")).predict_frames(articles)  # doctest: +SKIP
    """

    scheme: str
    frames: tuple[str, ...]
    pipeline: Any
    thresholds: dict[str, float]
    C: float
    indicator_weight: float
    metadata: dict = field(default_factory=dict)
    uses_embeddings: bool = False

    FILE = "model.joblib"
    META = "model.json"

    # ---- features and prediction
    def inputs(self, articles: pd.DataFrame, docs: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """The model-input table of `articles` for this model's pipeline.

        Parameters
        ----------
        articles : pandas.DataFrame
            At least `article_id` and `text`.
        docs : Mapping, optional
            article_id -> parsed Doc (for the indicator values).

        Returns
        -------
        pandas.DataFrame
            See `model_inputs`.
        """
        return model_inputs(articles, docs=docs,
                            title_weight=int(self.metadata.get("title_weight", 0)),
                            indicators=self.indicator_weight > 0,
                            embeddings=self.uses_embeddings)

    def present(self, proba: np.ndarray) -> np.ndarray:
        """Presence decisions: each frame's probability at or above its threshold.

        Parameters
        ----------
        proba : numpy.ndarray
            Articles x `frames`.

        Returns
        -------
        numpy.ndarray
            bool, same shape.
        """
        proba = np.asarray(proba)
        return np.column_stack([proba[:, j] >= self.thresholds[f]
                                for j, f in enumerate(self.frames)])

    def predict_proba(self, articles: pd.DataFrame, docs: Mapping[str, Any] | None = None
                      ) -> pd.DataFrame:
        """Probability per article and frame.

        Parameters
        ----------
        articles : pandas.DataFrame
            At least `article_id` and `text`.
        docs : Mapping, optional
            article_id -> parsed Doc; otherwise parsed (disk-cached).

        Returns
        -------
        pandas.DataFrame
            Index article_id, one column per frame.
        """
        articles = check_articles(articles)
        if len(articles) == 0:
            return pd.DataFrame(columns=list(self.frames), dtype="float64")
        proba = self.pipeline.predict_proba(self.inputs(articles, docs=docs))
        return pd.DataFrame(proba, index=articles["article_id"].tolist(), columns=list(self.frames))

    def predict_frames(self, articles: pd.DataFrame, docs: Mapping[str, Any] | None = None
                       ) -> pd.DataFrame:
        """The `detect_frames` table for `articles`.

        Parameters
        ----------
        articles : pandas.DataFrame
            At least `article_id` and `text`.
        docs : Mapping, optional
            article_id -> parsed Doc.

        Returns
        -------
        pandas.DataFrame
            `article_id, scheme, frame, score, present`: score = probability, present = score at
            or above the frame's tuned threshold.
        """
        proba = self.predict_proba(articles, docs=docs)
        rows = []
        for article_id, row in proba.iterrows():
            for frame in self.frames:
                score = float(row[frame])
                rows.append({"article_id": article_id, "scheme": self.scheme, "frame": frame,
                             "score": round(score, 6),
                             "present": bool(score >= self.thresholds[frame])})
        return schema.conform(pd.DataFrame(rows), schema.FRAMES)

    # ---- persistence
    def save(self, path: Path | str) -> Path:
        """Write the model to a folder, atomically.

        Parameters
        ----------
        path : Path or str
            The folder: model.joblib (the model) and model.json (settings and figures), written
            into a temporary folder beside it, then renamed into place (replacing an old one).

        Returns
        -------
        Path
        """
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
        try:
            joblib.dump(self, tmp / self.FILE)
            meta = {
                "scheme": self.scheme, "frames": list(self.frames), "C": self.C,
                "indicator_weight": self.indicator_weight,
                "thresholds": {f: self.thresholds[f] for f in self.frames},
                "lexicon_digest": lexicon_digest(), **self.metadata,
            }
            (tmp / self.META).write_text(json.dumps(meta, indent=2, sort_keys=True, default=str),
                                         encoding="utf-8")
            swap_dir(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return path

    @classmethod
    def load(cls, path: Path | str) -> FrameModel:
        """Read a model written by `save`.

        Parameters
        ----------
        path : Path or str
            The model's folder.

        Returns
        -------
        FrameModel
            Warns when the frame lexicons changed since training (the indicator features
            differ then).

        Raises
        ------
        TypeError
            When the folder holds no FrameModel of this version.
        """
        import joblib

        path = Path(path)
        model = joblib.load(path / cls.FILE)
        if not isinstance(model, cls) or not hasattr(model, "pipeline"):
            raise TypeError(f"{path} does not hold a FrameModel of this version; retrain it")
        meta_path = path / cls.META
        if meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("lexicon_digest") != lexicon_digest() and model.indicator_weight > 0:
                warnings.warn(f"{path}: the frame lexicons changed since this model was trained; "
                              "its indicator features differ, retrain for faithful scores",
                              stacklevel=2)
        return model
