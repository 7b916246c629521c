"""Scoring presslens on hand-annotated real war news (`../shared/gold/realnews/`, FORMAT.md
there): who is cited, of which type and from which country, which sentences are claims, and
whether page furniture leaks into either.

The reference scorer is the shared tool `../shared/tools/realnews_score.py`; it lives outside
the package, so it runs here as a subprocess of the same interpreter with this package first
on its path, and its figures (`--json`) are returned as they are. Every gold file
(`*.json` of the gold folder) is scored together. Without the shared folder, the tool or the
datasets the gold points into, the scorer says so and skips.

    python -m presslens.evaluate realnews
    python -m presslens.evaluate.realnews --errors      # every miss, as the tool prints it
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .. import config

GOLD_DIR = config.SHARED_DIR / "gold" / "realnews"
TOOL = config.SHARED_DIR / "tools" / "realnews_score.py"
# The headline figures of the tool, in the order the README table gives them.
HEADLINE = ("attribution_f1", "attribution_precision", "attribution_recall", "side_right_where_known",
            "side_unknown_where_known", "type_right", "source_right", "claim_source_right",
            "claim_precision", "claim_recall")


def gold_files(gold_dir: Path | str | None = None) -> list[Path]:
    """The gold files of the real-news folder, sorted (dev_a.json, dev_b.json, ...)."""
    folder = Path(gold_dir or GOLD_DIR)
    return sorted(p for p in folder.glob("*.json")) if folder.is_dir() else []


def score(gold: list[Path], datasets_dir: Path | str | None = None, errors: bool = False,
          tool: Path | str | None = None) -> tuple[dict, str]:
    """Run the shared scorer on `gold` files: (its figures, its printed output)."""
    tool = Path(tool or TOOL)
    package_root = Path(__file__).resolve().parents[2]  # lib/, so this presslens is the one scored
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(package_root), *filter(None, [os.environ.get("PYTHONPATH")])])}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        cmd = [sys.executable, str(tool), *map(str, gold), "--json", str(out)]
        if datasets_dir is not None:
            cmd += ["--datasets", str(datasets_dir)]
        if errors:
            cmd.append("--errors")
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"{tool.name} failed ({done.returncode}): {done.stderr[-2000:]}")
        return json.loads(out.read_text(encoding="utf-8")), done.stdout


def run(datasets_dir: Path | str | None = None, gold_dir: Path | str | None = None) -> dict:
    """The real-news figures for `python -m presslens.evaluate`, or why they were skipped."""
    datasets_dir = Path(datasets_dir or config.DATASETS_DIR)
    gold = gold_files(gold_dir)
    if not gold:
        return {"skipped": f"no gold files in {Path(gold_dir or GOLD_DIR)}"}
    if not TOOL.exists():
        return {"skipped": f"{TOOL} not found"}
    files = [json.loads(g.read_text(encoding="utf-8")) for g in gold]
    missing = [a["file"] for f in files for a in f["articles"] if not (datasets_dir / a["file"]).exists()]
    if missing:
        return {"skipped": f"{len(missing)} gold articles not in {datasets_dir} (e.g. {missing[0]})"}
    figures, _ = score(gold, datasets_dir)
    figures["gold"] = [g.name for g in gold]
    figures["headline"] = {k: figures.get(k) for k in HEADLINE}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m presslens.evaluate.realnews", description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="*", type=Path, help="gold files (default: every file of the gold folder)")
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--errors", action="store_true", help="print every miss and false alarm")
    args = parser.parse_args(argv)
    gold = args.gold or gold_files()
    if not gold or not TOOL.exists():
        print(json.dumps(run(args.datasets)))
        return 0
    _, printed = score(gold, args.datasets, errors=args.errors)
    print(printed, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
