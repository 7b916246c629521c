"""Publication figures for presslens tables: coverage, sourcing, claims, frames and wording.

Every function takes tidy DataFrames with explicit column arguments (defaults follow the
schema in presslens.schema), returns the matplotlib Figure (never calls plt.show()), accepts an
existing `ax` where it draws on one Axes, and draws an Axes saying "no data" when the input is
empty or lacks what it needs, instead of raising. Tables without an `outlet` or `published`
column get it from `articles` by `article_id`.

Colours: one palette for everything, `PALETTE` (Okabe & Ito 2008, safe for the common colour-
vision deficiencies); categories beyond eight repeat a colour with a hatch so they stay
distinct in greyscale print; heatmaps use `SEQUENTIAL_CMAP` ("cividis", designed to be read by
people with colour-vision deficiency) with the values written in the cells.
"""

from .claims import claim_spread, claim_timeline, unattributed_by_outlet
from .coverage import articles_per_day
from .framing import frame_profile, frames_over_time
from .language import hedging_by_outlet, spelling_profile
from .sourcing import (
    affiliations_by_outlet,
    anonymous_shares,
    source_network,
    source_types_by_outlet,
    top_sources,
)
from .style import NEUTRAL_COLOUR, PALETTE, SEQUENTIAL_CMAP, SPELLING_COLOURS, category_colours

__all__ = [
    "NEUTRAL_COLOUR",
    "PALETTE",
    "SEQUENTIAL_CMAP",
    "SPELLING_COLOURS",
    "affiliations_by_outlet",
    "anonymous_shares",
    "articles_per_day",
    "category_colours",
    "claim_spread",
    "claim_timeline",
    "frame_profile",
    "frames_over_time",
    "hedging_by_outlet",
    "source_network",
    "source_types_by_outlet",
    "spelling_profile",
    "top_sources",
    "unattributed_by_outlet",
]
