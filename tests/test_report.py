"""The scheduled report runner: a failing notebook is recorded while the rest run, exit codes,
parameter filtering, the YAML parameters file, escaping in index.html, and the atomic
`latest` pointer. Uses the tiny fixture suite in tests/fixtures/notebooks/suite."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from presslens import cli, report
from presslens.report import NotebookRun

SUITE = Path(__file__).parent / "fixtures" / "notebooks" / "suite"
CORPUS_LINES = ['{"id": "a", "text": "one", "outlet": "BBC", "published": "2024-05-01"}',
                '{"id": "b", "text": "two", "outlet": "TASS", "published": "2024-05-02"}', ""]


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return False
    return True


needs_kernel = pytest.mark.skipif(
    not _kernel_available(),
    reason="no python3 Jupyter kernel: .venv/bin/python -m ipykernel install --sys-prefix "
           "--name python3")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    path.write_text("\n".join(CORPUS_LINES), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory, corpus):
    """The whole fixture suite (one notebook fails on purpose), with a YAML file."""
    base = tmp_path_factory.mktemp("mixed")
    params = base / "params.yml"
    params.write_text("threshold: 0.9\nsince: '1999-01-01'\nnotebooks:\n  03_echo:\n"
                      "    label: special <i>\n", encoding="utf-8")
    result = report.run_report(corpus, since="2024-01-01", outlets="BBC, TASS ,",
                               params_file=params, out=base / "reports", notebooks_dir=SUITE,
                               run_id="mixed", progress=False, timeout=60)
    return result


# ------------------------------------------------------------------------------ full runs

@needs_kernel
def test_failing_notebook_is_recorded_and_the_others_still_run(mixed_run):
    assert mixed_run.exit_code == 1
    assert [(nb.name, nb.status) for nb in mixed_run.notebooks] == [
        ("01_count", "ok"), ("02_fails", "failed"), ("03_echo", "ok")]
    failed = mixed_run.failed[0]
    assert failed.error_name == "ValueError"
    assert failed.error_message == "deliberate failure <b>for the test</b>"
    folder = mixed_run.report_dir
    # The partial executed notebook holds the error, and is linked from the index.
    partial = nbformat.read(folder / failed.executed, as_version=4)
    errors = [o for c in partial.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].ename == "ValueError"
    index = mixed_run.index.read_text(encoding="utf-8")
    assert 'href="02_fails.ipynb"' in index and "partial notebook" in index
    assert "ValueError: deliberate failure &lt;b&gt;for the test&lt;/b&gt;" in index
    assert "<b>for the test</b>" not in index
    assert "1 of 3 notebooks failed" in index


@needs_kernel
def test_good_notebooks_have_html_without_code(mixed_run):
    folder = mixed_run.report_dir
    first = (folder / "01_count.html").read_text(encoding="utf-8")
    assert "2 records since 2024-01-01" in first  # output kept
    assert "read_text(encoding" not in first  # code hidden (exclude_input)
    assert (folder / "03_echo.html").exists() and (folder / "02_fails.html").exists()
    assert (folder / "outputs" / "01_count" / "count.txt").read_text() == "2"
    index = mixed_run.index.read_text(encoding="utf-8")
    for name in ("01_count.html", "03_echo.html", "outputs/01_count/count.txt", "run.json"):
        assert f'href="{name}"' in index


@needs_kernel
def test_only_declared_parameters_are_passed(mixed_run, corpus):
    runs = {nb.name: nb for nb in mixed_run.notebooks}
    count = runs["01_count"]
    assert set(count.parameters) == {"corpus", "since", "output_dir"}
    assert count.parameters["corpus"] == str(corpus.resolve())
    assert count.parameters["since"] == "2024-01-01"  # the run's value beats the file's
    assert {"outlets", "threshold", "label"} & set(count.not_declared) == {"outlets",
                                                                           "threshold"}
    echo = runs["03_echo"]
    # 03_echo declares no corpus; it asserts itself that none was injected (status ok).
    assert echo.status == "ok" and "corpus" in echo.not_declared
    assert echo.parameters == {"outlets": ["BBC", "TASS"], "threshold": 0.9,
                               "label": "special <i>"}
    executed = nbformat.read(mixed_run.report_dir / "03_echo.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert json.loads(printed) == {"label": "special <i>", "outlets": ["BBC", "TASS"],
                                   "threshold": 0.9}
    assert runs["02_fails"].parameters.keys() == {"corpus"}


@needs_kernel
def test_index_and_manifest_record_the_run(mixed_run, corpus):
    manifest = json.loads((mixed_run.report_dir / "run.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed"
    assert manifest["corpus"]["sha256"] == report.corpus_files_digest([corpus])["sha256"]
    assert manifest["parameters"]["since"] == "2024-01-01"
    assert manifest["per_notebook_parameters"] == {"03_echo": {"label": "special <i>"}}
    assert manifest["started"] <= manifest["finished"]
    for package in ("presslens", "pandas", "spacy", "model", "matplotlib", "papermill"):
        assert package in manifest["versions"]
    index = mixed_run.index.read_text(encoding="utf-8")
    assert manifest["corpus"]["sha256"] in index
    assert "special &lt;i&gt;" in index and "special <i>" not in index
    assert all(f"{nb['duration_s']:.1f}" in index for nb in manifest["notebooks"])


@needs_kernel
def test_latest_points_to_the_finished_run_and_nothing_half_built_remains(mixed_run):
    out = mixed_run.report_dir.parent
    assert (out / "LATEST").read_text().strip() == "mixed"
    assert os.readlink(out / "latest") == "mixed"
    assert (out / "latest" / "index.html").exists()
    assert sorted(p.name for p in out.iterdir()) == ["LATEST", "latest", "mixed"]


@needs_kernel
def test_good_suite_exits_zero_through_the_cli(tmp_path, corpus, capsys):
    suite = tmp_path / "suite"
    suite.mkdir()
    for name in ("01_count.ipynb", "03_echo.ipynb"):
        shutil.copy(SUITE / name, suite / name)
    (suite / "README.ipynb").write_text("not a numbered notebook", encoding="utf-8")
    out = tmp_path / "reports"
    args = [str(corpus), "--notebooks", str(suite), "--out", str(out), "--quiet"]
    assert cli.main(["report", *args, "--run-id", "first", "--no-html"]) == 0
    printed = capsys.readouterr().out
    assert f"report: {out / 'first' / 'index.html'}" in printed
    assert [p.name for p in (out / "first").glob("*.html")] == ["index.html"]  # --no-html
    assert (out / "LATEST").read_text().strip() == "first"
    # A second run moves `latest`; the same run id again is refused without running.
    assert cli.main(["report", *args, "--run-id", "second"]) == 0
    assert os.readlink(out / "latest") == "second"
    assert (out / "second" / "01_count.html").exists()
    assert cli.main(["report", *args, "--run-id", "second"]) == 2
    assert "already exists" in capsys.readouterr().err


# ------------------------------------------------------------------------------ no kernel needed

def test_interrupted_run_leaves_latest_alone(tmp_path, corpus, monkeypatch):
    out = tmp_path / "reports"
    (out / "old").mkdir(parents=True)
    report._point_latest(out, "old")
    calls = []

    def fake_run_one(notebook, building, *args):
        calls.append(notebook.name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        (building / f"{notebook.stem}.html").write_text("partial", encoding="utf-8")
        return NotebookRun(name=notebook.stem, source=str(notebook), status="ok")

    monkeypatch.setattr(report, "_run_one", fake_run_one)
    monkeypatch.setattr(report, "_check_kernel", lambda kernel: [])
    with pytest.raises(KeyboardInterrupt):
        report.run_report(corpus, out=out, notebooks_dir=SUITE, run_id="new", progress=False)
    assert calls == ["01_count.ipynb", "02_fails.ipynb"]
    assert os.readlink(out / "latest") == "old"
    assert (out / "LATEST").read_text().strip() == "old"
    assert sorted(p.name for p in out.iterdir()) == ["LATEST", "latest", "old"]


def test_fake_run_publishes_atomically_and_exit_code_follows_status(tmp_path, corpus,
                                                                    monkeypatch):
    statuses = iter(["ok", "ok", "failed"])

    def fake_run_one(notebook, building, *args):
        status = next(statuses)
        return NotebookRun(name=notebook.stem, source=str(notebook), status=status,
                           error_name="RuntimeError" if status == "failed" else None,
                           error_message="<script>alert(1)</script>" if status == "failed"
                           else None)

    monkeypatch.setattr(report, "_run_one", fake_run_one)
    monkeypatch.setattr(report, "_check_kernel", lambda kernel: [])
    result = report.run_report(corpus, out=tmp_path, notebooks_dir=SUITE, progress=False)
    assert result.exit_code == 1 and result.report_dir.name == result.run_id
    index = result.index.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index and "<script>" not in index
    assert not list(tmp_path.glob(".*.tmp"))


def test_select_parameters_keeps_only_declared_names():
    passed, skipped = report.select_parameters({"corpus": "c", "since": "s", "extra": 1},
                                               ["corpus", "until"])
    assert passed == {"corpus": "c"} and skipped == ["extra", "since"]


def test_declared_parameters_reads_the_parameters_cell(tmp_path):
    declared = report.declared_parameters(SUITE / "03_echo.ipynb")
    assert sorted(declared) == ["label", "outlets", "threshold"]
    assert declared["threshold"]["default"] == "0.5"
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nbformat.write(plain, tmp_path / "01_plain.ipynb")
    assert report.declared_parameters(tmp_path / "01_plain.ipynb") == {}


def test_params_file_is_validated(tmp_path):
    good = tmp_path / "good.yml"
    good.write_text("a: 1\nnotebooks:\n  01_x: {b: 2}\n", encoding="utf-8")
    assert report.load_params_file(good) == {"a": 1, "notebooks": {"01_x": {"b": 2}}}
    assert report.load_params_file(None) == {}
    for text in ("- 1\n- 2\n", "notebooks: 3\n", "notebooks:\n  01_x: 4\n"):
        bad = tmp_path / "bad.yml"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError):
            report.load_params_file(bad)
    offered = report._offered_parameters({"corpus": "c"}, report.load_params_file(good),
                                         Path("01_x.ipynb"))
    assert offered == {"a": 1, "b": 2, "corpus": "c"}


def test_corpus_files_digest_follows_the_bytes(tmp_path):
    a = tmp_path / "one" / "a.jsonl"
    a.parent.mkdir()
    a.write_bytes(b'{"id": 1}\n')
    b = tmp_path / "two" / "b.jsonl"
    b.parent.mkdir()
    b.write_bytes(b'{"id": 1}\n')
    assert report.corpus_files_digest([a]) == report.corpus_files_digest([b])
    assert report.corpus_files_digest([a])["bytes"] == 10
    folder = report.corpus_files_digest([tmp_path / "one"])
    assert folder["files"] == 1 and folder["sha256"] == report.corpus_files_digest([a])["sha256"]
    b.write_bytes(b'{"id": 2}\n')
    assert report.corpus_files_digest([a]) != report.corpus_files_digest([b])


def test_resolve_corpus_expands_globs_and_names_missing_files(tmp_path):
    for name in ("b.jsonl", "a.jsonl"):
        (tmp_path / name).write_text("{}\n", encoding="utf-8")
    assert [p.name for p in report.resolve_corpus(str(tmp_path / "*.jsonl"))] == ["a.jsonl",
                                                                                 "b.jsonl"]
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        report.resolve_corpus([tmp_path / "a.jsonl", tmp_path / "nope.jsonl"])


def test_bad_arguments_fail_before_running(tmp_path, corpus, capsys):
    common = ["--notebooks", str(SUITE), "--out", str(tmp_path), "--quiet"]
    assert cli.main(["report", str(tmp_path / "missing.jsonl"), *common]) == 2
    assert cli.main(["report", str(corpus), *common, "--since", "last week"]) == 2
    assert cli.main(["report", str(corpus), *common, "--since", "2024-05-02",
                     "--until", "2024-05-01"]) == 2
    assert cli.main(["report", str(corpus), *common, "--run-id", "../escape"]) == 2
    assert cli.main(["report", str(corpus), *common, "--run-id", "latest"]) == 2
    assert cli.main(["report", str(corpus), "--notebooks", str(tmp_path / "none"),
                     "--out", str(tmp_path)]) == 2
    assert cli.main(["report", str(corpus), *common, "--kernel", "no-such-kernel-xyz"]) == 2
    err = capsys.readouterr().err
    assert "missing.jsonl" in err and "ISO date" in err and "no-such-kernel-xyz" in err
    assert not [p for p in tmp_path.iterdir()]  # nothing was written


# ------------------------------------------------------------------------------ awkward runs

def _fake_ok(notebook, building, *args):
    name = f"{notebook.stem}.{args[6]}" if len(args) > 6 and args[6] else notebook.stem
    (building / f"{name}.html").write_text("ok", encoding="utf-8")
    return NotebookRun(name=name, source=str(notebook), status="ok", html=f"{name}.html")


@pytest.fixture
def fake_runs(monkeypatch):
    monkeypatch.setattr(report, "_run_one", _fake_ok)
    monkeypatch.setattr(report, "_check_kernel", lambda kernel: [])


# (arguments, what the one line on stderr says)
BAD_SELECTIONS = [
    (["--outlets", "BBC,Reuters"], "no outlet 'Reuters' in the corpus articles.jsonl; its outlets: BBC (1), TASS (1)"),
    (["--since", "2030-01-01"], "no article published 2030-01-01 to now in the corpus articles.jsonl: "
                                "it has 2 article(s), published 2024-05-01 to 2024-05-02"),
    (["--outlets", "TASS", "--until", "2024-05-01"], "no article from TASS published any time to 2024-05-01"),
]


@pytest.mark.parametrize(("args", "message"), BAD_SELECTIONS)
def test_an_empty_or_unknown_selection_is_refused_before_running(tmp_path, corpus, capsys,
                                                                 fake_runs, args, message):
    code = cli.main(["report", str(corpus), "--notebooks", str(SUITE), "--out", str(tmp_path),
                     "--quiet", *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_an_unknown_article_id_is_refused_before_running(tmp_path, corpus, capsys, fake_runs):
    params = tmp_path / "p.yml"
    params.write_text("notebooks:\n  05_article_deep_dive:\n    article_id: nope\n", encoding="utf-8")
    code = cli.main(["report", str(corpus), "--notebooks", str(SUITE), "--out",
                     str(tmp_path / "r"), "--quiet", "--params", str(params)])
    err = capsys.readouterr().err
    assert code == 2 and "no article 'nope' in the corpus window of 2 article(s); its ids include 'a', 'b'" in err


@pytest.mark.parametrize(("content", "message"), [
    ("a: [1, 2\n", "is not valid YAML (line 2, column 1)"),
    (None, "is a folder; give a YAML file"),
    ("- 1\n", "must hold a mapping"),
    (b"\xff\xfe\x00bad", "is not UTF-8 text"),
])
def test_a_bad_params_file_is_one_line_and_exit_2(tmp_path, corpus, capsys, content, message):
    params = tmp_path / "params"
    if content is None:
        params.mkdir()
    elif isinstance(content, bytes):
        params.write_bytes(content)
    else:
        params.write_text(content, encoding="utf-8")
    code = cli.main(["report", str(corpus), "--notebooks", str(SUITE), "--out",
                     str(tmp_path / "r"), "--quiet", "--params", str(params)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_a_run_id_being_built_is_refused(tmp_path, corpus, fake_runs):
    out = tmp_path / "reports"
    out.mkdir()
    (out / ".busy.lock").write_text(f"{os.getppid()}\n")  # a live process holds it
    with pytest.raises(FileExistsError, match="being built by another presslens report"):
        report.run_report(corpus, out=out, notebooks_dir=SUITE, run_id="busy", progress=False)
    assert (out / ".busy.lock").exists() and not (out / "busy").exists()
    assert not (out / "LATEST").exists()


def test_builds_of_killed_runs_are_removed_and_their_locks_taken_over(tmp_path, corpus, fake_runs):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    out = tmp_path / "reports"
    (out / f".old.{dead}.tmp" / "outputs").mkdir(parents=True)
    (out / f".again.{dead}.tmp").mkdir()
    (out / ".again.lock").write_text(f"{dead}\n")
    result = report.run_report(corpus, out=out, notebooks_dir=SUITE, run_id="again", progress=False)
    assert result.ok
    assert sorted(p.name for p in out.iterdir()) == ["LATEST", "again", "latest"]


def test_sigterm_removes_the_build_and_releases_the_run_id(tmp_path, corpus, monkeypatch):
    import signal

    calls = []

    def terminated(notebook, building, *args):
        calls.append(notebook.name)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGTERM)
        return _fake_ok(notebook, building, *args)

    monkeypatch.setattr(report, "_run_one", terminated)
    monkeypatch.setattr(report, "_check_kernel", lambda kernel: [])
    out = tmp_path / "reports"
    with pytest.raises(KeyboardInterrupt):
        report.run_report(corpus, out=out, notebooks_dir=SUITE, run_id="t", progress=False)
    assert list(out.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or callable(signal.getsignal(signal.SIGTERM))


def test_the_lesson_runs_as_worksheet_and_answer_key(tmp_path, corpus, fake_runs):
    suite = tmp_path / "suite"
    suite.mkdir()
    lesson = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        'reveal_answers: bool = True  # the key', metadata={"tags": ["parameters"]})],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    nbformat.write(lesson, suite / "07_lesson.ipynb")
    shutil.copy(SUITE / "01_count.ipynb", suite / "01_count.ipynb")
    result = report.run_report(corpus, out=tmp_path / "r", notebooks_dir=suite, progress=False)
    assert [nb.name for nb in result.notebooks] == ["01_count", "07_lesson.worksheet",
                                                    "07_lesson.answer_key"]
    assert "All 3 notebooks ran" in result.index.read_text(encoding="utf-8")
    # Asked for one of them, the run makes that one only.
    again = report.run_report(corpus, out=tmp_path / "r", notebooks_dir=suite, progress=False,
                              params={"reveal_answers": False})
    assert [nb.name for nb in again.notebooks] == ["01_count", "07_lesson"]


@needs_kernel
def test_pages_load_no_scripts_and_show_no_reprs(mixed_run):
    for page in mixed_run.report_dir.glob("0*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.lower(), page.name
        assert "cdnjs" not in text and "PosixPath(" not in text


def test_strip_scripts_removes_every_script_element():
    from presslens.reporthtml import strip_scripts

    page = ('<head><script src="https://cdn/x.js"></script><style>a{}</style></head>'
            '<body><SCRIPT type="module">\nimport x from "https://y";\n</SCRIPT><p>text</p></body>')
    assert strip_scripts(page) == '<head><style>a{}</style></head><body><p>text</p></body>'


@needs_kernel
def test_a_small_awkward_corpus_reports_cleanly(tmp_path, monkeypatch):
    """The real suite on 3 .txt files without outlets, a Russian article and one dated 1900:
    every notebook renders, the pages are clean, the exit code and index tell the truth
    (benchmarks/report_battery.py runs the larger cases)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "report_battery", Path(__file__).parents[1] / "benchmarks" / "report_battery.py")
    battery = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(battery)
    corpus = battery.small_awkward(tmp_path / "corpora")
    result = battery.run_case("small", corpus, tmp_path / "reports",
                              env={"PYTHONPATH": os.pathsep.join(
                                  [str(Path(__file__).parents[1] / "lib"),
                                   os.environ.get("PYTHONPATH", "")])})
    assert result["exit_code"] == 0, result["stderr"]
    assert len(result["notebooks"]) == 8 and set(result["notebooks"].values()) == {"ok"}
    assert result["problems"] == []
    # the index says how many articles were analysed and why the others were skipped
    manifest = json.loads((tmp_path / "reports" / "small" / "run.json").read_text(encoding="utf-8"))
    assert manifest["analysis"]["skipped"].get("language ru") == 1
    index = (tmp_path / "reports" / "small" / "index.html").read_text(encoding="utf-8")
    assert "articles analysed" in index and "language ru: 1" in index


def test_outlet_names_the_outlet_of_a_corpus_without_one(tmp_path, fake_runs, capsys):
    folder = tmp_path / "txt"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_text(f"Title {name}\nOfficials said {name}.", encoding="utf-8")
    common = ["--notebooks", str(SUITE), "--out", str(tmp_path / "r"), "--quiet"]
    assert cli.main(["report", str(folder), *common, "--outlets", "Kyiv Post"]) == 2
    assert "no outlet 'Kyiv Post' in the corpus txt; its outlets: (unknown outlet) (2)" in capsys.readouterr().err
    result = report.run_report(folder, out=tmp_path / "r", notebooks_dir=SUITE, progress=False,
                               outlet="Kyiv Post", outlets="Kyiv Post")
    assert result.parameters["outlet"] == "Kyiv Post"
    assert cli.main(["load", str(folder), "--outlet", "Kyiv Post"]) == 0
    assert "Kyiv Post" in capsys.readouterr().out
