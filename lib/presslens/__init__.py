"""presslens: how the news frames events, which claims it repeats, and whom it relies on.

The public names: load_articles (io), analyze (analysis), and the analysis modules
sourcing, claims, framing and language, each DataFrame in, DataFrame out.
"""

from __future__ import annotations

__version__ = "0.1.0"
