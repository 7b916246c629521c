"""Speed and memory of claim clustering on 10,000 synthetic claims: presslens.claims.cluster_events
(`--method events`, the default clustering; lexical similarity: the default install has no sentence
encoder) or the word-overlap clustering it builds on, presslens.claims.cluster_words
(`--method words`).

The corpus mimics a news week: a few hundred distinct assertions, each repeated in
paraphrase (synonyms, place spellings, other figures) by several outlets, plus thousands of
near-identical wire copies (the same sentence with a dateline or a figure changed) and
unrelated one-off claims. Prints time, peak memory (tracemalloc), the number of pairs
compared within blocks against the n*(n-1)/2 of an all-pairs comparison, and the ratio of the time
at n to the time at n/2 (about 2 means linear growth, 4 quadratic).

    .venv/bin/python benchmarks/bench_clustering.py [--n 10000] [--seed 0] [--method events|words]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc

import pandas as pd
from presslens import claims
from presslens.claims import cluster

# Invented place names (syllable combinations) in two spellings, so that the corpus has as
# many distinct stories as a week of real coverage has.
SYLLABLES = ["vol", "kup", "pok", "bah", "kra", "sel", "dov", "lym", "tor", "mar", "ziv", "hor"]
SUBJECTS = ["Russian forces", "Russian troops", "Ukrainian units", "Ukrainian soldiers", "the army"]
VERBS = ["control", "hold", "captured", "shelled", "attacked", "evacuated", "repelled attacks near",
         "mined the roads to", "withdrew from", "struck a depot in", "encircled", "lost ground near"]
FIGURES = ["the majority of", "over 80% of", "about half of", "two thirds of", "more than 1,500 people in",
           "dozens of positions near", "12 villages around", "nearly 2,000 residents of"]
TAILS = ["the ministry said", "officials said on Monday", "according to the regional governor",
         "a Telegram channel claimed", "the general staff reported", ""]
FILLER = ("grain exports energy grid sanctions talks drones missiles bridge railway hospital school "
          "power plant refinery port corridor convoy prisoners exchange aid package loan tanks budget "
          "inflation wheat harvest tariff pipeline reactor dam airport election parliament court "
          "bank currency bond ceasefire summit treaty visa border customs fuel price ration").split()
FILLER_VERBS = ["reached", "fell to", "rose by", "cost", "totalled", "was cut by", "doubled to", "lost"]


def _places(rng: random.Random, k: int = 120) -> list[tuple[str, str]]:
    names = sorted({(a + b + "ansk").capitalize() for a in SYLLABLES for b in SYLLABLES})
    return [(name, name.replace("ansk", "iansk")) for name in rng.sample(names, k)]


def synthetic_claims(n: int, seed: int = 0) -> pd.DataFrame:
    rng = random.Random(seed)
    places = _places(rng)
    texts: list[str] = []
    n_wire = n * 4 // 10      # wire copies of a few hundred stories
    n_para = n * 4 // 10      # paraphrases of the same assertions
    stories = [f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(FIGURES)} "
               f"{rng.choice(places)[0]}, {rng.choice(TAILS)}.".replace(", .", ".") for _ in range(300)]
    for i in range(n_wire):
        story = stories[i % len(stories)]
        texts.append(story if rng.random() < 0.7 else story.replace(".", f" on day {rng.randint(1, 30)}."))
    for _ in range(n_para):
        place = rng.choice(places)
        texts.append(f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(FIGURES)} "
                     f"{rng.choice(place)}, {rng.choice(TAILS)}.")
    while len(texts) < n:
        words = rng.sample(FILLER, 4)
        texts.append(f"The {words[0]} {words[1]} {rng.choice(FILLER_VERBS)} {rng.randint(2, 900)} "
                     f"{words[2]} in {rng.choice(places)[0]} {words[3]}.")
    rng.shuffle(texts)
    rows = [{"article_id": f"b{i // 5:05d}", "claim_id": f"b{i:06d}", "sentence_index": i % 5, "start": 0,
             "end": len(t), "text": t, "check_worthiness": 0.9, "attributed_to": None, "hedged": False,
             "quantities": []} for i, t in enumerate(texts)]
    return pd.DataFrame(rows)


def clusterer(method: str):
    if method == "events":
        return lambda df: claims.cluster_events(df, embeddings=False)
    return claims.cluster_words


def measure(df: pd.DataFrame, method: str = "events") -> tuple[float, float, int, dict]:
    tracemalloc.start()
    started = time.perf_counter()
    out = clusterer(method)(df)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, int(out["cluster_id"].nunique()), out.attrs.get("claim_events", {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--method", choices=("events", "words"), default="events")
    args = parser.parse_args(argv)
    clusterer(args.method)(synthetic_claims(50, args.seed))  # warm-up: imports and lexicons
    half = synthetic_claims(args.n // 2, args.seed)
    full = synthetic_claims(args.n, args.seed)
    terms = cluster.claim_terms(full)
    unique = sorted(set(terms))
    blocks = cluster.blocks([t.split() for t in unique], max_block=400)
    n_pairs = sum(len(b) * (len(b) - 1) // 2 for b in blocks)
    t_half, _, _, _ = measure(half, args.method)
    t_full, mem, n_clusters, stats = measure(full, args.method)
    all_pairs = args.n * (args.n - 1) // 2
    print(f"method: {args.method}  claims: {args.n}  distinct term strings: {len(unique)}  clusters: {n_clusters}")
    if stats:  # the events method compares its own blocks (names, dates, figures, rare terms)
        n_pairs = stats["candidate_pairs"]
        print(f"candidate pairs compared (distinct): {n_pairs:,} of {all_pairs:,} all-pairs ({n_pairs / all_pairs:.2%})")
    else:
        print(f"pairs compared (within blocks, with repeats): {n_pairs:,} of {all_pairs:,} all-pairs "
              f"({n_pairs / all_pairs:.2%})")
    print(f"time: {t_full:.2f} s  peak memory (tracemalloc): {mem:.0f} MiB")
    print(f"time ratio n / (n/2): {t_full / t_half:.2f}  (2 = linear, 4 = quadratic)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
