"""Where things live: the one place that knows paths (notebooks never build `../data` strings).

Every path can be overridden by an environment variable so that a scheduled run, a test or a
user's own checkout can point presslens elsewhere.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"

# lib/presslens -> lib -> repository root (only meaningful for an editable install).
PROJECT_ROOT = Path(os.environ.get("PRESSLENS_ROOT", PACKAGE_DIR.parent.parent)).resolve()
DATA_DIR = Path(os.environ.get("PRESSLENS_DATA", PROJECT_ROOT / "data"))
SAMPLE_CORPUS = DATA_DIR / "sample" / "articles.jsonl"
SEED_ARTICLE = DATA_DIR / "seed" / "seed_article.jsonl"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = Path(os.environ.get("PRESSLENS_REPORTS", PROJECT_ROOT / "reports"))

# The read-only gold material beside the repository (absent on most users' machines).
SHARED_DIR = Path(os.environ.get("PRESSLENS_SHARED", PROJECT_ROOT.parent / "shared"))
DATASETS_DIR = Path(os.environ.get("PRESSLENS_DATASETS", SHARED_DIR / "datasets"))
SEED_GOLD = SHARED_DIR / "gold" / "seed_article.json"


def cache_dir() -> Path:
    """Disk cache for parses and analysis results (PRESSLENS_CACHE, else .cache/ in the repo,
    else the user's cache folder when the package is installed elsewhere)."""
    env = os.environ.get("PRESSLENS_CACHE")
    if env:
        return Path(env)
    if (PROJECT_ROOT / "pyproject.toml").exists():
        return PROJECT_ROOT / ".cache" / "presslens"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "presslens"


def resource(name: str) -> Path:
    """Path of a data file shipped in presslens/resources."""
    path = RESOURCES_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"presslens resource {name!r} is missing from {RESOURCES_DIR}")
    return path


@cache
def _tuned() -> dict:
    with resource("tuned.toml").open("rb") as fh:
        return tomllib.load(fh)


def tuned(section: str) -> dict:
    """The tuned numbers of one analysis (resources/tuned.toml, each with its provenance)."""
    data = _tuned()
    if section not in data:
        raise KeyError(f"resources/tuned.toml has no section [{section}]; it has {sorted(data)}")
    return dict(data[section])
