"""The HTML of a report: each executed notebook as a static page without code, scripts or
placeholder alt text, and the run's index.html (status, parameters, corpus, versions)."""

from __future__ import annotations

import html
import json
import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .atomic import write_text

# A report opens offline and runs nothing: nbconvert's pages load require.js, MathJax and
# mermaid from a CDN, which a static report without code does not need.
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)


def export_notebook_html(executed: Path, target: Path) -> None:
    """The executed notebook as HTML with code cells, prompts and every script removed."""
    import logging

    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    # Figures carry their own alt text (presslens.notebook.show_figure); nbconvert logs a
    # warning for any other image, which is not the reader's business.
    exporter.log.setLevel(logging.ERROR)
    body, _ = exporter.from_notebook_node(nbformat.read(str(executed), as_version=4))
    write_text(target, strip_scripts(body))


def strip_scripts(page: str) -> str:
    return _SCRIPT.sub("", page)


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


def index_html(manifest: Mapping[str, Any]) -> str:
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
    analysis = manifest.get("analysis")
    if analysis:
        skipped = sum(analysis["skipped"].values())
        reasons = ", ".join(f"{_e(k)}: {v}" for k, v in analysis["skipped"].items())
        corpus_rows += (f"<tr><th>articles analysed</th><td>{analysis['analysed']:,} of "
                        f"{analysis['articles']:,}</td></tr>"
                        f"<tr><th>skipped</th><td>{skipped:,}"
                        f"{f' ({reasons}): left out of every table' if skipped else ''}</td></tr>")
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
