"""Claim frequency: what is asserted, how often, by whom, and with which figures.

A claim is a check-worthy sentence of an article's `text` (a learned ClaimBuster model,
adjusted for war reporting by general, data-driven features), with its attribution (the
source whose reported content covers it, from `presslens.sourcing`), its hedges and its
quantities normalised ("over 80%" -> op ">" 80 %). Claims that say the same thing in other
words, within and across articles, are clustered, and `claim_frequency` tells how often each
assertion recurs, in how many outlets, from which sources, and which figures travel with it.

    from presslens import claims
    found = claims.extract_claims(articles)          # one row per check-worthy claim
    clustered = claims.cluster_claims(found)         # + cluster_id
    claims.claim_frequency(clustered, articles)      # per cluster: articles, outlets, figures

Modules: `lexicon` (rule files), `quantities`, `hedges`, `features` and `model` (the
check-worthiness model at use), `checkworthiness` (scores with the domain adjustment),
`terms` (clustering terms), `extract` (the `claims` component), `cluster`, `frequency` (the
`claim_clusters` component), `train` (scikit-learn estimators, fitting, the cut).

Rules are data: resources/claims_*.{tsv,txt} (cues, hedges, quantity lexicon, synonyms), the
tuned numbers in resources/tuned.toml [claims], and the model files
claims_checkworthy_model.{npz,json} (retrain with scripts/train_checkworthy.py; see
claims_checkworthy_model.md). Constants: CHECKWORTHY_THRESHOLD (0.5, the contract's cut),
CLAIM_EXTRAS and FREQUENCY_COLUMNS (table columns), the model's feature settings
(N_HASH_FEATURES, WORD_NGRAMS, CHAR_NGRAMS, WORD_TOKEN_PATTERN, HAND_FEATURES, MODEL_STEM)
and the tuned clustering numbers (CLUSTER_THRESHOLD, LINK_THRESHOLD, WORD_WEIGHT,
PLACE_WEIGHT; MAX_COMPONENT and MAX_BLOCK_KEYS bound the work) and DOMAIN_WEIGHTS.
"""

from __future__ import annotations

import importlib

from .checkworthiness import DOMAIN_WEIGHTS, check_worthiness, domain_adjustment, domain_features
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
from .extract import CLAIM_EXTRAS, extract_claims, from_doc, prepare_docs
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
from .quantities import extract_quantities
from .terms import core_terms_of, fallback_terms, normalise_terms

cluster_claims = cluster_events  # the contract's name: claims grouped by the event they report

# The training names import scikit-learn's estimators: loaded on first use, so that
# importing presslens.claims (every analyze() does) stays quick.
_TRAIN_NAMES = (
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
)


def __getattr__(name: str):
    if name in _TRAIN_NAMES:
        value = getattr(importlib.import_module(".train", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CHAR_NGRAMS",
    "CHECKWORTHY_THRESHOLD",
    "CLAIM_EXTRAS",
    "CLUSTER_THRESHOLD",
    "DOMAIN_WEIGHTS",
    "FREQUENCY_COLUMNS",
    "HAND_FEATURES",
    "LINK_THRESHOLD",
    "MAX_BLOCK_KEYS",
    "MAX_COMPONENT",
    "MODEL_STEM",
    "N_HASH_FEATURES",
    "PLACE_WEIGHT",
    "WORD_NGRAMS",
    "WORD_TOKEN_PATTERN",
    "WORD_WEIGHT",
    "CheckWorthinessClassifier",
    "CheckWorthinessModel",
    "HandFeatures",
    "HashedCounts",
    "NBLogCountRatio",
    "char_counts",
    "check_worthiness",
    "checkworthiness_ensemble",
    "claim_frequency",
    "claim_timeline",
    "cluster_claims",
    "cluster_events",
    "cluster_words",
    "repeat_summary",
    "compile_ensemble",
    "core_terms_of",
    "domain_adjustment",
    "domain_features",
    "extract_claims",
    "extract_quantities",
    "f1_optimal_threshold",
    "fallback_terms",
    "finalize_clusters",
    "find_hedges",
    "from_doc",
    "hand_features",
    "hashing_vectorizers",
    "load_checkworthiness_model",
    "nb_pipeline",
    "normalise_terms",
    "prepare_docs",
    "tfidf_pipeline",
    "train_checkworthiness_model",
    "unattributed_share",
]
