"""Source profiles: per article or per outlet, how many sources of which type and side, how
many are named, anonymous or vague, how diverse, and how much of the factual content is
attributed to anyone.

A corpus-level analysis: it reads the attributions, the claims (its sentences are the factual
ones) and the sentences that other analyses produce, and never parses anything itself.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from . import components, schema
from .geo import bloc_of

# How many countries a profile and a chart name before grouping the rest as "other".
TOP_SIDES = 8

_NUMBER_RE = re.compile(r"\d")
_PROXY_ENTITY_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")


def _factual_proxy_text(sentence: str) -> bool:
    """Text-only stand-in for check-worthiness when neither presslens.claims nor a parse is
    at hand: at least five words, not a question, and a figure or a capitalised name that is
    not the sentence's first word."""
    s = sentence.strip()
    if len(s.split()) < 5 or s.endswith("?"):
        return False
    return bool(_NUMBER_RE.search(s) or _PROXY_ENTITY_RE.search(s[1:]))


def _factual_flags(sentences: pd.DataFrame) -> tuple[pd.Series, str]:
    """(is factual per sentence, method name) when no claims table is given: the text proxy."""
    texts = sentences["text"].fillna("").astype(str)
    return texts.map(_factual_proxy_text), "proxy:words>=5,not-question,number-or-name"


def _entropy(counts: Iterable[int]) -> float:
    values = [c for c in counts if c > 0]
    total = sum(values)
    if total == 0:
        return 0.0
    return -sum(c / total * math.log2(c / total) for c in values)


def top_sides(affiliations: Iterable, top: int = TOP_SIDES) -> dict[str, str]:
    """Side code -> the label a profile or chart shows: the `top` most frequent codes keep
    their own, the others are "other"; missing and unknown are "unknown".

    Examples
    --------
    >>> top_sides(["UA", "UA", "RU", "RU", "PL", "unknown"], top=2)  # ties by code
    {'RU': 'RU', 'UA': 'UA', 'PL': 'other', 'unknown': 'unknown'}
    """
    counts = Counter("unknown" if schema.is_missing(a) else str(a) for a in affiliations)
    known = [code for code, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if code != "unknown"]
    keep = set(known[:top])
    labels = {code: code if code in keep else "other" for code in known}
    if "unknown" in counts:
        labels["unknown"] = "unknown"
    return labels


def source_profile(attributions: pd.DataFrame, articles: pd.DataFrame | None = None,
                   sentences: pd.DataFrame | None = None, by: str = "article_id",
                   claims: pd.DataFrame | None = None, top: int = TOP_SIDES) -> pd.DataFrame:
    """Sourcing summary per article (`by="article_id"`) or per outlet (`by="outlet"`).

    Columns: n_attributions, n_sources (distinct canonical sources, vague excluded),
    n_<source_type> for every source type, aff_<code> for the `top` countries or blocs most
    cited in the whole table plus aff_other and aff_unknown, bloc_<bloc> for every coarse bloc
    (Russia, Ukraine, West, international, other, unknown),
    share_named, share_anonymous, share_vague, share_quoted (direct or mixed quotes), share_second_hand,
    source_entropy (Shannon entropy in bits over canonical sources, vague excluded),
    simpson_diversity (1 - sum p^2 over the same), n_factual_sentences,
    share_unattributed_factual (factual sentences with no attribution in them and not inside
    any attribution's content), factual_method (how "factual" was decided).

    `claims` (the table of `presslens.claims.extract_claims`, as `analyze()` passes it): its
    sentences are the factual ones, so check-worthiness is not scored a second time."""
    if by not in ("article_id", "outlet"):
        raise ValueError("by must be 'article_id' or 'outlet'")
    att = attributions.copy() if attributions is not None else schema.empty(schema.ATTRIBUTIONS)
    if "article_id" not in att.columns:
        att = schema.conform(att, schema.ATTRIBUTIONS)
    att["article_id"] = att["article_id"].astype(str)
    outlet_of: dict[str, str] = {}
    if articles is not None:
        outlet_of = dict(zip(articles["article_id"].astype(str), schema.outlet_labels(articles)))
    if by == "outlet":
        att["outlet"] = att["article_id"].map(outlet_of).fillna(schema.UNKNOWN_OUTLET)

    # Factual sentences and whether anything attributes them.
    factual_stats: dict[str, tuple[int, int]] = {}
    method = None
    if sentences is None and claims is None and articles is not None and "text" in articles.columns \
            and len(articles):
        # Sentences and claims through the registry (one parse, cached): the same factual
        # sentences as analyze() counts.
        got = components.run(articles, ["sentences", "claims"], given={"attributions": attributions})
        sentences, claims = got["sentences"], got["claims"]
    if sentences is not None and len(sentences):
        sents = sentences.copy()
        sents["article_id"] = sents["article_id"].astype(str)
        if claims is not None and {"article_id", "sentence_index"} <= set(claims.columns):
            claimed = set(zip(claims["article_id"].astype(str), claims["sentence_index"].astype("Int64")))
            sents["factual"] = [(a, i) in claimed for a, i in zip(sents["article_id"], sents["sentence_index"])]
            method = "claims table (check_worthiness>=0.5)"
        else:
            flags, method = _factual_flags(sents)
            sents["factual"] = flags.to_numpy()
        spans: dict[str, list[tuple[int, int]]] = {}
        attributed_idx: dict[str, set[int]] = {}
        for r in att.itertuples(index=False):
            if pd.notna(r.sentence_index):
                attributed_idx.setdefault(r.article_id, set()).add(int(r.sentence_index))
            if pd.notna(r.content_start) and pd.notna(r.content_end):
                spans.setdefault(r.article_id, []).append((int(r.content_start), int(r.content_end)))
        counts: dict[str, list[int]] = {}
        for aid, factual, index, start, end in zip(sents["article_id"].tolist(), sents["factual"].tolist(),
                                                   sents["sentence_index"].tolist(), sents["start"].tolist(),
                                                   sents["end"].tolist()):
            stats = counts.setdefault(aid, [0, 0])
            if not factual:
                continue
            stats[0] += 1
            if int(index) in attributed_idx.get(aid, ()):
                continue
            if any(s < int(end) and int(start) < e for s, e in spans.get(aid, ())):
                continue
            stats[1] += 1
        factual_stats = {aid: (n, u) for aid, (n, u) in sorted(counts.items())}

    keys = set(att[by].astype(str)) if len(att) else set()
    if articles is not None and len(articles):
        ids = articles["article_id"].astype(str)
        keys |= set(ids.map(outlet_of).fillna(schema.UNKNOWN_OUTLET)) if by == "outlet" else set(ids)
    keys |= set(factual_stats) if by == "article_id" else {outlet_of.get(a, schema.UNKNOWN_OUTLET) for a in factual_stats}

    # One pass over plain column lists (a pandas group per key costs more than the counting).
    n_att = len(att)

    def column(name: str) -> list:
        return att[name].tolist() if name in att.columns else [None] * n_att

    key_of = att[by].astype(str).tolist() if n_att else []
    source_type, affiliation = column("source_type"), column("affiliation")
    canonical, named, quote_type = column("source_canonical"), column("named"), column("quote_type")
    second_hand = column("second_hand")
    side_label = top_sides(affiliation, top)
    side_columns = [c for c in dict.fromkeys(side_label.values()) if c not in ("other", "unknown")]
    side_columns += ["other", "unknown"]
    members_of: dict[str, list[int]] = {}
    for i, key in enumerate(key_of):
        members_of.setdefault(key, []).append(i)

    def is_true(value) -> bool:
        return not schema.is_missing(value) and bool(value)

    rows = []
    for key in sorted(keys):
        part = members_of.get(key, [])
        n = len(part)
        counts = Counter(str(canonical[i]) for i in part
                         if source_type[i] != "vague" and not schema.is_missing(canonical[i]))
        total = sum(counts.values())
        row = {by: key, "n_attributions": n, "n_sources": len(counts)}
        types = Counter(source_type[i] for i in part if not schema.is_missing(source_type[i]))
        sides = Counter(side_label["unknown" if schema.is_missing(affiliation[i]) else str(affiliation[i])]
                        for i in part)
        blocs = Counter(bloc_of(None if schema.is_missing(affiliation[i]) else str(affiliation[i]))
                        for i in part)
        for st in schema.SOURCE_TYPES:
            row[f"n_{st}"] = types.get(st, 0)
        for label in side_columns:
            row[f"aff_{label}"] = sides.get(label, 0)
        for b in schema.BLOCS:
            row[f"bloc_{b}"] = blocs.get(b, 0)

        def share(hits: int, n: int = n) -> float:
            return hits / n if n else float("nan")

        row["share_named"] = share(sum(is_true(named[i]) for i in part))
        row["share_anonymous"] = share(types.get("anonymous", 0))
        row["share_vague"] = share(types.get("vague", 0))
        row["share_quoted"] = share(sum(quote_type[i] in ("direct", "mixed") for i in part))
        row["share_second_hand"] = share(sum(is_true(second_hand[i]) for i in part))
        row["source_entropy"] = round(_entropy(counts.values()), 4)
        row["simpson_diversity"] = round(1 - sum((c / total) ** 2 for c in counts.values()), 4) if total else 0.0
        if by == "article_id":
            nf, nu = factual_stats.get(key, (0, 0))
        else:
            members = [a for a in factual_stats if outlet_of.get(a, schema.UNKNOWN_OUTLET) == key]
            nf = sum(factual_stats[a][0] for a in members)
            nu = sum(factual_stats[a][1] for a in members)
        row["n_factual_sentences"] = nf
        row["share_unattributed_factual"] = nu / nf if nf else float("nan")
        row["factual_method"] = method
        rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        df = pd.DataFrame(columns=[by, "n_attributions", "n_sources"])
    return df.reset_index(drop=True)


def _finalize(ctx: components.CorpusContext) -> dict[str, pd.DataFrame]:
    return {"source_profile": source_profile(ctx.table("attributions"), articles=ctx.articles,
                                             sentences=ctx.table("sentences"), claims=ctx.table("claims"))}


components.register("profiles", assigns={"source_profile": {"article_id": "string"}},
                    requires=("attributions", "claims", "sentences", "articles"), finalize=_finalize)
