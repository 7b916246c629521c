"""Snapshot every table `presslens.analyze` produces, and compare two snapshots.

A refactoring safety net: take a snapshot before a change and one after, then compare; a
change that should not alter behaviour must show no difference in any table, row or value.

    .venv/bin/python scripts/table_snapshot.py write /tmp/before        # sample + seed (+ war)
    .venv/bin/python scripts/table_snapshot.py write /tmp/after
    .venv/bin/python scripts/table_snapshot.py compare /tmp/before /tmp/after

The corpus is the bundled sample and seed articles, plus the SemEval-2025 war articles of
`../shared/datasets` when that folder is present (real text with page boilerplate). Each
table is written as CSV with floats rounded to 9 digits; nothing is cached (a fresh cache
folder per run), so the snapshot reflects the code as it is.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
WAR = ROOT.parent / "shared" / "datasets" / "semeval2025t10_en_war" / "articles"


def corpus() -> pd.DataFrame:
    import presslens

    frames = [presslens.load_articles(ROOT / "data" / "sample" / "articles.jsonl"),
              presslens.load_articles(ROOT / "data" / "seed" / "seed_article.jsonl")]
    if WAR.is_dir():
        frames.append(presslens.load_articles(WAR))
    for f in frames:
        f.attrs = {}
    return pd.concat(frames, ignore_index=True)


def _relative(path) -> str:
    text = str(path)
    for root, name in ((WAR.parents[2], "shared"), (ROOT, "")):
        if text.startswith(str(root)):
            return f"{name}{text[len(str(root)):]}"
    return text


def write(out: Path) -> None:
    import presslens

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = corpus()
        result = presslens.analyze(articles, cache_dir=tempfile.mkdtemp(), progress=False)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in result.tables().items():
        df = df.copy()
        if "source_path" in df.columns:  # the same file read from another checkout
            df["source_path"] = df["source_path"].map(_relative)
        for c in df.columns:
            if pd.api.types.is_float_dtype(df[c]):
                df[c] = df[c].round(9)
        df.to_csv(out / f"{name}.csv", index=False)
        print(f"{name:16s} {len(df):7d} rows {len(df.columns):3d} columns")


def compare(a: Path, b: Path) -> int:
    differences = 0
    for path in sorted(a.glob("*.csv")):
        other = b / path.name
        if not other.exists():
            print(f"{path.stem}: missing in {b}")
            differences += 1
            continue
        x, y = path.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")
        if x == y:
            print(f"{path.stem:16s} identical")
            continue
        differences += 1
        xl, yl = x.splitlines(), y.splitlines()
        print(f"{path.stem:16s} DIFFERS ({len(xl) - 1} vs {len(yl) - 1} rows)")
        if xl[:1] != yl[:1]:
            print(f"   columns: {xl[0][:300]}\n        vs: {yl[0][:300]}")
        shown = 0
        for i, (p, q) in enumerate(zip(xl, yl)):
            if p != q:
                print(f"   line {i}: {p[:300]}\n        vs: {q[:300]}")
                shown += 1
                if shown >= 5:
                    break
    for path in sorted(b.glob("*.csv")):
        if not (a / path.name).exists():
            print(f"{path.stem}: new in {b}")
    return 1 if differences else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write", help="analyse the snapshot corpus and write every table")
    w.add_argument("out", type=Path)
    c = sub.add_parser("compare", help="compare two snapshots; exit 1 on any difference")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "write":
        write(args.out)
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
