"""The `presslens` command: `report` (scheduled notebook reports), `load` and `analyze`.

    presslens report CORPUS... [--since DATE] [--until DATE] [--outlets A,B] [--params FILE]
                     [--out reports] [--notebooks notebooks/] [--run-id ID]
                     [--kernel python3] [--timeout SECONDS] [--no-html] [--quiet]
    presslens load CORPUS...                  load summary and rejected records
    presslens analyze CORPUS... --out DIR     every Analysis table as Parquet

Exit codes: 0 success; 1 a notebook failed (report) or records were rejected with
--strict (load); 2 bad arguments, or input of which nothing could be read. Heavy imports (papermill,
spaCy) happen inside the command that needs them so `presslens --help` is instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _corpus_arg(paths: list[str]) -> str | list[str]:
    return paths[0] if len(paths) == 1 else paths


def _add_corpus(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", nargs="+", metavar="CORPUS",
                        help="corpus file(s) or folder(s): JSONL, JSON, CSV, Parquet, .txt "
                             "folders, HTML, WARC; a quoted glob is expanded")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presslens",
        description="How the news frames events, which claims it repeats, whom it relies on.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    report = commands.add_parser(
        "report", help="run the numbered notebooks on a corpus and publish HTML",
        description="Run notebooks/NN_*.ipynb with papermill on CORPUS and write "
                    "reports/<run-id>/ with an index.html; reports/latest points to it.")
    _add_corpus(report)
    report.add_argument("--since", help="first day included (YYYY-MM-DD)")
    report.add_argument("--until", help="last day included (YYYY-MM-DD)")
    report.add_argument("--outlets", help="comma-separated outlets to keep, e.g. 'BBC,TASS'")
    report.add_argument("--params", metavar="FILE",
                        help="YAML file with more notebook parameters (a `notebooks:` section "
                             "sets parameters per notebook)")
    report.add_argument("--out", default=None, help="reports folder (default: reports/ in "
                        "the project, or $PRESSLENS_REPORTS)")
    report.add_argument("--notebooks", default=None, help="folder of the notebook suite "
                        "(default: the project's notebooks/)")
    report.add_argument("--run-id", help="name of this run's folder (default: UTC timestamp)")
    report.add_argument("--kernel", default="python3", help="Jupyter kernel (default python3)")
    report.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="stop a cell that runs longer than this")
    report.add_argument("--no-html", action="store_true", help="skip the HTML export")
    report.add_argument("--quiet", action="store_true", help="no progress bar")

    load = commands.add_parser("load", help="load a corpus and print the load summary and "
                                            "rejected records")
    _add_corpus(load)
    load.add_argument("--format", default="auto", help="input format (default: auto)")
    load.add_argument("--strict", action="store_true",
                      help="exit 1 when any record was rejected")

    analyze = commands.add_parser("analyze", help="analyse a corpus and write every table "
                                                  "as Parquet")
    _add_corpus(analyze)
    analyze.add_argument("--out", required=True, help="folder for the Parquet tables")
    analyze.add_argument("--format", default="auto", help="input format (default: auto)")
    analyze.add_argument("--n-process", type=int, default=1, help="local worker processes")
    analyze.add_argument("--no-cache", action="store_true", help="recompute; write no cache")
    analyze.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _report(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from . import config
    from .report import run_report

    try:
        result = run_report(
            args.corpus, since=args.since, until=args.until, outlets=args.outlets,
            params_file=args.params, out=args.out or config.REPORTS_DIR,
            notebooks_dir=args.notebooks, run_id=args.run_id, kernel=args.kernel,
            timeout=args.timeout, html_output=not args.no_html, progress=not args.quiet,
            command=["presslens", *argv])
    except (FileNotFoundError, FileExistsError, ValueError, RuntimeError) as exc:
        print(f"presslens report: {exc}", file=sys.stderr)
        return 2
    for run in result.failed:
        print(f"FAILED {run.name}: {run.error_name}: {run.error_message}", file=sys.stderr)
    n_ok = len(result.notebooks) - len(result.failed)
    print(f"{n_ok}/{len(result.notebooks)} notebooks ok")
    print(f"report: {result.index}")
    return result.exit_code


def _load_articles(args: argparse.Namespace):
    from .io import load_articles

    return load_articles(_corpus_arg(args.corpus), format=args.format)


def _load(args: argparse.Namespace) -> int:
    import pandas as pd

    try:
        articles = _load_articles(args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"presslens load: {exc}", file=sys.stderr)
        return 2
    try:
        from .io import load_summary

        summary = load_summary(articles)
        print(summary.to_string(index=False) if isinstance(summary, pd.DataFrame) else summary)
    except ImportError:
        print(f"{len(articles)} articles")
    entries = articles.attrs.get("load_report")
    n_errors = 0
    if isinstance(entries, pd.DataFrame) and len(entries):
        entries = pd.DataFrame(entries)
        if "severity" in entries.columns:
            n_errors = int((entries["severity"].astype("string") == "error").sum())
        else:
            n_errors = len(entries)
        with pd.option_context("display.max_rows", 500, "display.max_colwidth", 100,
                               "display.width", 200):
            print(f"\nload report ({n_errors} rejected, {len(entries) - n_errors} notes):")
            print(entries.to_string(index=False))
    if n_errors and len(articles) == 0:
        return 2  # nothing could be read
    return 1 if (n_errors and args.strict) else 0


def _analyze(args: argparse.Namespace) -> int:
    from .analysis import analyze

    try:
        articles = _load_articles(args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"presslens analyze: {exc}", file=sys.stderr)
        return 2
    # The load report lives in attrs; Parquet would try to write it as JSON metadata.
    articles.attrs.clear()
    result = analyze(articles, n_process=args.n_process, progress=not args.quiet,
                     use_cache=not args.no_cache)
    out = result.save(Path(args.out))
    print(result)
    print(f"tables: {out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.command == "report":
        return _report(args, argv)
    if args.command == "load":
        return _load(args)
    return _analyze(args)


if __name__ == "__main__":
    sys.exit(main())
