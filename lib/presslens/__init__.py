"""presslens: how the news frames events, which claims it repeats, and whom it relies on.

    import presslens
    articles = presslens.load_articles("data/sample/articles.jsonl")
    result = presslens.analyze(articles)          # parse once, run every analysis
    result.attributions, result.claims, result.frames, result.terms

The analysis modules take and return DataFrames: presslens.sourcing, presslens.claims,
presslens.framing, presslens.language. Names are imported on first use, so `import presslens`
stays quick and does not load spaCy.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_articles": ("presslens.io", "load_articles"),
    "load_summary": ("presslens.io", "load_summary"),
    "LoadError": ("presslens.io", "LoadError"),
    "load_articles_with_report": ("presslens.io", "load_articles_with_report"),
    "last_load_report": ("presslens.io", "last_load_report"),
    "analyze": ("presslens.analysis", "analyze"),
    "Analysis": ("presslens.analysis", "Analysis"),
    "filter_articles": ("presslens.analysis", "filter_articles"),
}
_MODULES = ("sourcing", "claims", "framing", "language", "nlp", "plots", "render", "report", "compare", "lesson", "notebook",
            "storage", "evaluate", "config", "schema", "io", "analysis")

__all__ = sorted(_EXPORTS) + list(_MODULES)


def __getattr__(name: str):
    if name in _EXPORTS:
        module, attr = _EXPORTS[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    if name in _MODULES:
        module = importlib.import_module(f"presslens.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'presslens' has no attribute {name!r}")
