"""Shared fixtures: the seed record, a per-session parse cache, dataset skipping."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from presslens import config


@pytest.fixture(scope="session")
def seed_record() -> dict:
    with open(config.SEED_ARTICLE, encoding="utf-8") as fh:
        record = json.loads(fh.readline())
    record["article_id"] = record.pop("id")
    return record


@pytest.fixture(scope="session")
def seed_articles(seed_record) -> pd.DataFrame:
    return pd.DataFrame([{k: seed_record.get(k) for k in ("article_id", "title", "text", "outlet", "language")}])


@pytest.fixture(scope="session")
def datasets_dir():
    if not config.DATASETS_DIR.exists():
        pytest.skip(f"gold datasets not found at {config.DATASETS_DIR}")
    return config.DATASETS_DIR

# Fixture notebooks (tests/fixtures/notebooks) are inputs of the report tests, not tests.
collect_ignore_glob = ["fixtures/*"]
