"""Claim frequency: what is asserted, how often, by whom, and with which figures.

A claim is a check-worthy sentence of an article's `text` (a learned ClaimBuster model, and on
news a layer fitted on hand-labelled war reporting that reads the sentence's parse), with its attribution (the
source whose reported content covers it, from `presslens.sourcing`), its hedges and its
quantities normalised ("over 80%" -> op ">" 80 %). Claims that say the same thing in other
words, within and across articles, are clustered, and `claim_frequency` tells how often each
assertion recurs, in how many outlets, from which sources, and which figures travel with it.

    from presslens import claims
    found = claims.extract_claims(articles)          # one row per check-worthy claim
    clustered = claims.cluster_claims(found)         # + cluster_id
    claims.claim_frequency(clustered, articles)      # per cluster: articles, outlets, figures

Modules: `lexicon` (rule files), `quantities`, `hedges`, `features` and `model` (the
check-worthiness model at use), `news` (the news layer: parse features, the news text model,
the layer's weights), `checkworthiness` (which scores a sentence gets), `terms` (clustering
terms), `extract` (the `claims` component), `cluster`, `frequency` (the `claim_clusters`
component), `train` (scikit-learn estimators, fitting, the cut), `train_news` (fitting the news
layer on resources/war_claim_labels.tsv).

Rules are data: resources/claims_*.{tsv,txt} (cues, hedges, quantity lexicon, synonyms), the
tuned numbers in resources/tuned.toml [claims], and the model files
claims_checkworthy_model.{npz,json} (retrain with scripts/train_checkworthy.py; see
claims_checkworthy_model.md), claims_news_model.{npz,json} and claims_news_layer.json (retrain
with scripts/train_news_layer.py; see claims_news_model.md). Constants: CHECKWORTHY_THRESHOLD (0.5, the contract's cut),
CLAIM_EXTRAS and FREQUENCY_COLUMNS (table columns), the model's feature settings
(N_HASH_FEATURES, WORD_NGRAMS, CHAR_NGRAMS, WORD_TOKEN_PATTERN, HAND_FEATURES, MODEL_STEM)
and the tuned clustering numbers (CLUSTER_THRESHOLD, LINK_THRESHOLD, WORD_WEIGHT,
PLACE_WEIGHT; MAX_COMPONENT and MAX_BLOCK_KEYS bound the work), NEWS_FEATURES and
LOGIT_FEATURES (the news layer's inputs).
"""

from __future__ import annotations

import importlib

from .checkworthiness import check_worthiness, checkworthy_scores
from .cluster import (
    CLUSTER_THRESHOLD,
    LINK_THRESHOLD,
    MAX_BLOCK_KEYS,
    MAX_COMPONENT,
    PLACE_WEIGHT,
    WORD_WEIGHT,
    cluster_words,
)
from .events import cluster_events, repeat_summary
from .extract import CLAIM_EXTRAS, claim_sentences, extract_claims, from_doc, prepare_docs
from .features import (
    CHAR_NGRAMS,
    HAND_FEATURES,
    N_HASH_FEATURES,
    WORD_NGRAMS,
    WORD_TOKEN_PATTERN,
    char_counts,
    hand_features,
    hashing_vectorizers,
)
from .frequency import (
    FREQUENCY_COLUMNS,
    claim_frequency,
    claim_timeline,
    finalize_clusters,
    unattributed_share,
)
from .hedges import find_hedges
from .model import (
    CHECKWORTHY_THRESHOLD,
    MODEL_STEM,
    CheckWorthinessModel,
    load_checkworthiness_model,
)
from .news import (
    LOGIT_FEATURES,
    NEWS_FEATURES,
    NewsLayer,
    load_news_layer,
    load_news_text_model,
    news_feature_matrix,
    news_features,
    news_logits,
)
from .quantities import extract_quantities
from .terms import core_terms_of, fallback_terms, normalise_terms
from .variants import VARIANT_COLUMNS, comparable_figures, variant_figures

cluster_claims = cluster_events  # the contract's name: claims grouped by the event they report

# The training names import scikit-learn's estimators: loaded on first use, so that
# importing presslens.claims (every analyze() does) stays quick.
_TRAIN_NAMES = {name: ".train" for name in (
    "CheckWorthinessClassifier",
    "HandFeatures",
    "HashedCounts",
    "NBLogCountRatio",
    "checkworthiness_ensemble",
    "compile_ensemble",
    "f1_optimal_threshold",
    "nb_pipeline",
    "tfidf_pipeline",
    "train_checkworthiness_model",
)} | {name: ".train_news" for name in ("FittedNewsLayer", "fit_news_layer", "labelled_sentences", "load_labels")}


def __getattr__(name: str):
    if name in _TRAIN_NAMES:
        value = getattr(importlib.import_module(_TRAIN_NAMES[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CHAR_NGRAMS",
    "CHECKWORTHY_THRESHOLD",
    "CLAIM_EXTRAS",
    "CLUSTER_THRESHOLD",
    "CheckWorthinessClassifier",
    "CheckWorthinessModel",
    "FREQUENCY_COLUMNS",
    "FittedNewsLayer",
    "HAND_FEATURES",
    "HandFeatures",
    "HashedCounts",
    "LINK_THRESHOLD",
    "LOGIT_FEATURES",
    "MAX_BLOCK_KEYS",
    "MAX_COMPONENT",
    "MODEL_STEM",
    "NBLogCountRatio",
    "NEWS_FEATURES",
    "N_HASH_FEATURES",
    "NewsLayer",
    "PLACE_WEIGHT",
    "WORD_NGRAMS",
    "WORD_TOKEN_PATTERN",
    "WORD_WEIGHT",
    "char_counts",
    "check_worthiness",
    "checkworthiness_ensemble",
    "checkworthy_scores",
    "claim_frequency",
    "comparable_figures",
    "variant_figures",
    "VARIANT_COLUMNS",
    "claim_sentences",
    "claim_timeline",
    "cluster_claims",
    "cluster_events",
    "cluster_words",
    "repeat_summary",
    "compile_ensemble",
    "core_terms_of",
    "extract_claims",
    "extract_quantities",
    "f1_optimal_threshold",
    "fallback_terms",
    "finalize_clusters",
    "find_hedges",
    "fit_news_layer",
    "from_doc",
    "hand_features",
    "hashing_vectorizers",
    "labelled_sentences",
    "load_checkworthiness_model",
    "load_labels",
    "load_news_layer",
    "load_news_text_model",
    "nb_pipeline",
    "news_feature_matrix",
    "news_features",
    "news_logits",
    "normalise_terms",
    "prepare_docs",
    "tfidf_pipeline",
    "train_checkworthiness_model",
    "unattributed_share",
]
