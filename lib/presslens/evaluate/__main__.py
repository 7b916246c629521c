"""`python -m presslens.evaluate [all|NAME ...] [--datasets DIR] [--json FILE]`."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time

from .. import config

SCORERS = ("sourcing", "realnews", "claims", "claim_pairs", "framing", "language", "persuasion")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m presslens.evaluate", description=__doc__)
    parser.add_argument("which", nargs="*", default=["all"], help=f"all or some of {SCORERS}")
    parser.add_argument("--datasets", default=str(config.DATASETS_DIR))
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    which = SCORERS if "all" in args.which else args.which
    results = {}
    for name in which:
        module = importlib.import_module(f".{name}", __package__)
        started = time.perf_counter()
        figures = module.run(args.datasets)
        figures["seconds"] = round(time.perf_counter() - started, 1)
        results[name] = figures
        print(f"== {name}")
        print(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
