"""Which frames an article uses, with the evidence behind every score.

Two schemes: the five generic news frames of Semetko & Valkenburg (2000) (`conflict,
human_interest, economic, morality, responsibility`) and the 14 frames of the Media Frames
Corpus codebook (Boydstun et al. 2014, `schema.MFC_FRAMES`).

The default path needs no training. Each frame is a set of indicators, one per questionnaire
item (generic) or codebook clause (MFC), kept as data in `resources/frames_generic.json` and
`resources/frames_mfc.json`: lemma lexicons, spaCy Matcher token patterns, DependencyMatcher
patterns and entity labels. An item's value in an article is the squashed share of sentences
that answer it "yes" (each item counts once per sentence, so repetition and length do not
saturate a score); a frame's article score is the weighted mean of its items' values, in
[0, 1); `present` compares the score with a per-frame threshold stored in the resource (and
calibrated on development data by `presslens.evaluate.framing`). Every hit is kept as an
evidence span with character offsets into the article text.

The trainable path (`train_frame_model`) is a scikit-learn pipeline: TF-IDF word n-grams plus
the indicator values (`frame_features`, a ColumnTransformer), one classifier per frame
(one-vs-rest), scaled per frame by naive-Bayes log-count ratios, with C, the indicator weight
and the probability cuts chosen by inner cross-validation. For MFC the word model is
late-fused with a logistic regression on the article's sentence embedding
(`presslens.embeddings`, the optional `embeddings` extra); without that package it trains on
words and indicators alone, with a warning. `FrameModel` saves, loads and plugs into
`detect_frames(model=...)`. The recipe and its measured alternatives: `resources/frames_model.md`.

Modules: `lexicon` (the indicator resources), `patterns` (token and dependency matchers),
`scoring` (indicators applied to one Doc), `detect` (the registered `framing` component and the
DataFrame-level functions), `features` (model inputs and labels), `estimators` (the
scikit-learn parts), `model` (`FrameModel`), `train` (fitting and model selection).
"""

import importlib

from .detect import (
    FRAME_EVIDENCE,
    SENTENCE_FRAMES,
    check_articles,
    detect_frames,
    frame_evidence,
    from_doc,
    sentence_frames,
)
from .features import (
    indicator_feature_names,
    indicator_features,
    inputs_table,
    label_matrix,
    model_inputs,
    model_texts,
)
from .lexicon import SCHEME_FRAMES, SCHEMES, FrameLexicon, Indicator, lexicon_digest, load_lexicon
from .model import FrameModel
from .patterns import TreePatterns, matchers
from .scoring import DocFrames, score_doc, sentence_scores

# The trainable path imports scikit-learn: loaded on first use, so that the registered
# component (imported by every analyze()) does not pay for it.
_LAZY = {
    **dict.fromkeys(("LEARNERS", "LateFusionClassifier", "NBScaledClassifier",
                     "RidgeProbability", "embedding_classifier", "fit_per_frame",
                     "frame_features", "word_classifier", "word_learner"), "estimators"),
    **dict.fromkeys(("C_GRID", "DEFAULT_EMBEDDINGS", "DEFAULT_FUSED_LEARNERS",
                     "DEFAULT_LEARNERS", "DEFAULT_TITLE_WEIGHT", "FUSION_C_GRID",
                     "FUSION_WEIGHT_GRID", "INDICATOR_WEIGHT_GRID", "FrameRecipe",
                     "fit_frame_model", "frame_recipe", "out_of_fold_proba",
                     "train_frame_model", "training_data", "tune_thresholds"), "train"),
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "C_GRID", "DEFAULT_EMBEDDINGS", "DEFAULT_FUSED_LEARNERS", "DEFAULT_LEARNERS",
    "DEFAULT_TITLE_WEIGHT", "FRAME_EVIDENCE", "FUSION_C_GRID", "FUSION_WEIGHT_GRID",
    "INDICATOR_WEIGHT_GRID", "LEARNERS", "SCHEMES", "SCHEME_FRAMES", "SENTENCE_FRAMES",
    "DocFrames", "FrameLexicon", "FrameModel", "FrameRecipe", "Indicator", "LateFusionClassifier",
    "NBScaledClassifier", "RidgeProbability", "TreePatterns", "check_articles", "detect_frames",
    "embedding_classifier", "fit_frame_model", "fit_per_frame", "frame_evidence", "frame_features",
    "frame_recipe", "from_doc", "indicator_feature_names", "indicator_features", "inputs_table",
    "label_matrix", "lexicon_digest", "load_lexicon", "matchers", "model_inputs", "model_texts",
    "out_of_fold_proba", "score_doc", "sentence_frames", "sentence_scores", "train_frame_model",
    "training_data", "tune_thresholds", "word_classifier", "word_learner"
]
