"""Tests of presslens.evaluate.cue_stages (where a gold attribution is lost) on an article
written here: one attribution found, one cue the gate drops, one nothing proposes, one false."""

from __future__ import annotations

import pandas as pd
from presslens.evaluate import cue_stages
from presslens.evaluate.common import locate_anchor

TEXT = ("The ministry said two drones were downed. Troops attacked the village at dawn. "
        "Officials fear the bridge could fall. The mayor used the same argument last year.")
GOLD = [
    {"anchor": "The ministry said", "cue": "said"},
    {"anchor": "Troops attacked the village", "cue": "attacked"},
    {"anchor": "The mayor used the same argument", "cue": "used"},
    {"anchor": "not in the text", "cue": "said"},
]


def test_stages_of_gold_attributions_and_false_rows():
    article = pd.DataFrame({"article_id": ["a1"], "text": [TEXT]})
    records, false = cue_stages.article_stages(article, GOLD)
    stages = {r["anchor"]: r["stage"] for r in records}
    assert stages["The ministry said"] == "found"
    assert stages["The mayor used the same argument"] == "not proposed"
    assert "not in the text" not in stages  # an anchor the text lacks is skipped, as the scorer does
    # the learned detector proposes "attacked"; the speech gate drops it, and says why
    attacked = next(r for r in records if r["anchor"] == "Troops attacked the village")
    assert attacked["stage"] == "gate" and "lacks" in attacked["detail"]
    assert [f["cue"] for f in false] == ["fear"]
    assert set(cue_stages.STAGES) >= set(stages.values())


def test_gold_anchors_are_located_by_occurrence():
    assert locate_anchor("a b a", "a", 1) == (4, 5)
    assert locate_anchor("a b a", "a", 2) is None
