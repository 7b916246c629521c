"""The `presslens` command: `report` (scheduled notebook reports), `load` and `analyze`.

    presslens report CORPUS... [--since DATE] [--until DATE] [--outlets A,B] [--outlet NAME]
                     [--params FILE]
                     [--out reports] [--notebooks notebooks/] [--run-id ID]
                     [--kernel python3] [--timeout SECONDS] [--no-html] [--quiet]
    presslens load CORPUS... [--outlet NAME]                  load summary and rejected records
    presslens analyze CORPUS... --out DIR [--outlet NAME]     every Analysis table as Parquet

Exit codes: 0 success; 1 a notebook failed (report), an article could not be analysed
(analyze), or records were rejected with --strict (load); 2 bad arguments, an empty or unknown
selection, or input of which nothing could be read; 3 an unexpected error (a bug: set
PRESSLENS_DEBUG=1 for the traceback); 130 interrupted. Every failure is one line on stderr.
Heavy imports (papermill, spaCy) happen inside the command that needs them so
`presslens --help` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def _corpus_arg(paths: list[str]) -> str | list[str]:
    return paths[0] if len(paths) == 1 else paths


def _add_corpus(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", nargs="+", metavar="CORPUS",
                        help="corpus file(s) or folder(s): JSONL, JSON, CSV, Parquet, .txt "
                             "folders, HTML, WARC; a quoted glob is expanded")


def _add_outlet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--outlet", metavar="NAME",
                        help="the outlet of every article (a corpus that names none, such as a "
                             "folder of .txt files from one outlet); default: each record's own, "
                             "else its URL's host, else its folder")


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
    _add_outlet(report)
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
    _add_outlet(load)
    load.add_argument("--strict", action="store_true",
                      help="exit 1 when any record was rejected")

    analyze = commands.add_parser("analyze", help="analyse a corpus and write every table "
                                                  "as Parquet")
    _add_corpus(analyze)
    analyze.add_argument("--out", required=True, help="folder for the Parquet tables")
    analyze.add_argument("--format", default="auto", help="input format (default: auto)")
    _add_outlet(analyze)
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
            outlet=args.outlet,
            params_file=args.params, out=args.out or config.REPORTS_DIR,
            notebooks_dir=args.notebooks, run_id=args.run_id, kernel=args.kernel,
            timeout=args.timeout, html_output=not args.no_html, progress=not args.quiet,
            command=["presslens", *argv])
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"presslens report: {_one_line(exc)}", file=sys.stderr)
        return 2
    for run in result.failed:
        print(f"FAILED {run.name}: {run.error_name}: {run.error_message}", file=sys.stderr)
    n_ok = len(result.notebooks) - len(result.failed)
    print(f"{n_ok}/{len(result.notebooks)} notebooks ok")
    print(f"report: {result.index}")
    return result.exit_code


def _load_articles(args: argparse.Namespace):
    from .io import load_articles

    return load_articles(_corpus_arg(args.corpus), format=args.format, outlet=args.outlet,
                         progress=False if getattr(args, "quiet", False) else None)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, OSError) and exc.filename and str(exc.filename) not in text:
        text = f"{text}: {exc.filename}"
    return text[:500]


def _load(args: argparse.Namespace) -> int:
    import pandas as pd

    try:
        articles = _load_articles(args)
    except (OSError, ValueError) as exc:
        print(f"presslens load: {_one_line(exc)}", file=sys.stderr)
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
    if len(articles) == 0:
        print(f"presslens load: no article could be loaded from {' '.join(args.corpus)}",
              file=sys.stderr)
        return 2
    return 1 if (n_errors and args.strict) else 0


def _analyze(args: argparse.Namespace) -> int:
    import warnings

    from .analysis import analyze

    try:
        articles = _load_articles(args)
    except (OSError, ValueError) as exc:
        print(f"presslens analyze: {_one_line(exc)}", file=sys.stderr)
        return 2
    report = articles.attrs.get("load_report")
    if len(articles) == 0:
        rejected = len(report) if report is not None else 0
        print(f"presslens analyze: no article could be loaded from {' '.join(args.corpus)} "
              f"({rejected} load report row(s); `presslens load` lists them)", file=sys.stderr)
        return 2
    # The load report lives in attrs; Parquet would try to write it as JSON metadata.
    articles.attrs.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = analyze(articles, n_process=args.n_process, progress=not args.quiet,
                         use_cache=not args.no_cache)
    notices = [w for w in caught if not str(w.message).startswith("article ")]
    for w in notices:
        print(f"presslens analyze: note: {w.message}", file=sys.stderr)
    out = result.save(Path(args.out))
    print(result)
    print(f"tables: {out}")
    if len(result.errors):
        for row in result.errors.head(20).itertuples(index=False):
            what = f"article {row.article_id!r}" if isinstance(row.article_id, str) else "corpus step"
            print(f"presslens analyze: {what} not analysed ({row.stage}): {row.error}: "
                  f"{row.message}", file=sys.stderr)
        if len(result.errors) > 20:
            print(f"presslens analyze: ... {len(result.errors) - 20} more in the errors table",
                  file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    command = {"report": lambda: _report(args, argv), "load": lambda: _load(args),
               "analyze": lambda: _analyze(args)}[args.command]
    try:
        return command()
    except KeyboardInterrupt:
        print(f"presslens {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line, not a traceback; PRESSLENS_DEBUG=1 for the traceback
        if os.environ.get("PRESSLENS_DEBUG"):
            raise
        kind = "error" if isinstance(exc, (OSError, ValueError)) else "unexpected error"
        print(f"presslens {args.command}: {kind}: {type(exc).__name__}: {_one_line(exc)}",
              file=sys.stderr)
        return 2 if kind == "error" else 3


if __name__ == "__main__":
    sys.exit(main())
