"""Time and peak memory of `load_articles` on a generated JSON Lines corpus.

    python -m presslens.io.benchmark --records 100000 --chars 3000

Writes a deterministic corpus (seeded) to a temporary file, then loads it in a fresh process
and prints wall time, the text volume, and peak resident memory above the process's baseline
(ru_maxrss: it counts Arrow buffers too, which tracemalloc cannot see). CPU time is printed
beside wall time because the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

WORDS = (
    "the minister said on monday that forces had advanced near the city while officials denied "
    "reports of heavy losses according to sources in the region talks resumed in geneva and "
    "prices of grain rose sharply as farmers warned of a poor harvest"
).split()
FLAVOURS = ("“quoted”", "— dash", "Zürich", "café", "naïve", "Kyiv")


def write_corpus(path: Path, records: int, chars: int, with_language: bool, seed: int = 0) -> int:
    """Write `records` JSONL articles of about `chars` characters; returns total text chars."""
    rng = random.Random(seed)
    total = 0
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(records):
            words: list[str] = []
            length = 0
            while length < chars:
                word = rng.choice(WORDS) if rng.random() > 0.02 else rng.choice(FLAVOURS)
                words.append(word)
                length += len(word) + 1
            paragraphs = [" ".join(words[i:i + 60]) + "." for i in range(0, len(words), 60)]
            text = "\n\n".join(paragraphs)
            total += len(text)
            record = {
                "id": f"gen-{number}", "title": f"Generated article {number}", "text": text,
                "outlet": f"outlet{number % 17}.example", "published": f"2024-01-{1 + number % 28:02d}",
            }
            if with_language:
                record["language"] = "en"
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return total


_MEASURE = r"""
import resource, sys, time, warnings
import psutil
from presslens.io import load_articles
base = psutil.Process().memory_info().rss
start = time.perf_counter()
cpu_start = time.process_time()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    df = load_articles(sys.argv[1])
elapsed = time.perf_counter() - start
cpu = time.process_time() - cpu_start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
text_chars = int(df["text"].str.len().sum())
print(f"{len(df)} {elapsed:.2f} {cpu:.2f} {base} {peak} {text_chars}")
"""


def measure(path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], check=True, capture_output=True, text=True
    ).stdout.split()
    rows, elapsed, cpu = int(out[0]), float(out[1]), float(out[2])
    base, peak, text_chars = int(out[3]), int(out[4]), int(out[5])
    return {"rows": rows, "seconds": elapsed, "cpu_seconds": cpu, "baseline_mb": base / 2**20,
            "peak_mb": peak / 2**20, "peak_above_baseline_mb": (peak - base) / 2**20,
            "text_mb": text_chars / 2**20}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=3_000)
    parser.add_argument("--detect-language", action="store_true",
                        help="leave `language` out of the records so it is detected")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.jsonl"
        write_corpus(path, args.records, args.chars, with_language=not args.detect_language)
        file_mb = path.stat().st_size / 2**20
        result = measure(path)
    print(f"records={result['rows']} file={file_mb:.0f}MB text={result['text_mb']:.0f}MB(chars) "
          f"wall={result['seconds']:.1f}s cpu={result['cpu_seconds']:.1f}s "
          f"({result['rows'] / result['cpu_seconds']:.0f} records per CPU second) "
          f"peak_rss={result['peak_mb']:.0f}MB baseline={result['baseline_mb']:.0f}MB "
          f"peak_above_baseline={result['peak_above_baseline_mb']:.0f}MB "
          f"ratio_to_text={result['peak_above_baseline_mb'] / max(result['text_mb'], 1e-9):.2f}")


if __name__ == "__main__":
    main()
