"""The notebook suite's promises that nbval does not check: one parsable `parameters` cell of
typed, commented literals, checked summary cells, no hard-coded paths, clean committed copies,
and the lesson's worksheet mode."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import papermill as pm
import pytest
from presslens import config

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
ASSIGNMENT = re.compile(r"^(\w+)\s*:\s*(\w+)\s*=\s*(.+?)\s*#\s*(\S.*)$")


def test_the_suite_has_seven_numbered_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06", "07"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_parameters_cell_of_typed_commented_literals(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    lines = [ln for ln in tagged[0].source.splitlines() if ln.strip() and not ln.startswith("#")]
    names = []
    for line in lines:
        match = ASSIGNMENT.match(line)
        assert match, f"not a typed, commented literal: {line!r}"
        assert line.count("=") == 1, f"papermill cannot parse a second '=' (in the comment?): {line!r}"
        names.append(match.group(1))
    assert list(pm.inspect_notebook(str(path))) == names  # papermill sees every parameter


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_copy_is_clean_and_checks_its_summaries(path):
    nb = nbformat.read(path, as_version=4)
    tags = [t for c in nb.cells for t in c.get("metadata", {}).get("tags", [])]
    assert "injected-parameters" not in tags, "executed copies belong in reports/, not notebooks/"
    assert "nbval-check-output" in tags, "mark the key summary cells for nbval"
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "../" not in source and "/work/" not in source, "paths come from presslens.config"
    assert all(c.get("outputs") for c in nb.cells if c.cell_type == "code" and
               "nbval-check-output" in c.get("metadata", {}).get("tags", [])), "commit with outputs"


def test_lesson_worksheet_hides_the_answers(tmp_path):
    lesson = config.NOTEBOOKS_DIR / "07_media_literacy_lesson.ipynb"
    out = tmp_path / "worksheet.ipynb"
    pm.execute_notebook(str(lesson), str(out), parameters={"reveal_answers": False},
                        kernel_name="python3", progress_bar=False, cwd=str(config.NOTEBOOKS_DIR))
    nb = nbformat.read(out, as_version=4)
    answer_cells = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("answer(")]
    assert len(answer_cells) >= 8
    for cell in answer_cells:
        texts = [o.get("text", "") for o in cell.outputs if o.output_type == "stream"]
        assert any("Your answer" in t for t in texts), cell.source
        assert not any(o.output_type in ("execute_result", "display_data") for o in cell.outputs)


# (a value, how a report's table cell shows it)
CELLS = [
    (pd.NA, ""),
    (None, ""),
    (float("nan"), ""),
    (pd.NaT, ""),
    (pd.Timestamp("2024-05-01", tz="UTC"), "2024-05-01"),
    (pd.Timestamp("2024-05-01 08:30", tz="UTC"), "2024-05-01 08:30"),
    (["Kharkiv", "Kupiansk"], "Kharkiv, Kupiansk"),
    ("first paragraph\n\nsecond", "first paragraph second"),
    ("<b>bold</b> & co", "&lt;b&gt;bold&lt;/b&gt; &amp; co"),
    (0.123456, "0.123"),
    (True, "True"),
]


@pytest.mark.parametrize(("value", "shown"), CELLS)
def test_table_cells_show_no_reprs(value, shown):
    from presslens import notebook

    html = notebook.table_html(pd.DataFrame({"column": pd.Series([value], dtype=object)}))
    cell = html.split("<td", 1)[1].split(">", 1)[1].split("</td>", 1)[0]
    assert cell == shown


def test_tables_have_no_index_and_empty_ones_a_sentence():
    from presslens import notebook

    table = notebook.show_table(pd.DataFrame({"a": [1, 2]}, index=[10, 11]))
    assert ">10<" not in table._repr_html_() and ">1<" in table._repr_html_()
    empty = notebook.summary(pd.DataFrame({"a": []}), empty="Nothing here.")
    assert empty._repr_html_() == "<p><em>Nothing here.</em></p>" and repr(empty) == "Nothing here."


def test_figures_are_shown_with_a_description_and_closed():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from presslens import notebook

    fig, ax = plt.subplots()
    ax.bar([0, 1], [3, 4], label="Wire")
    ax.set_title("Articles per outlet per day")
    ax.set_xlabel("day (UTC)")
    ax.legend()
    shown = notebook.show_figure(fig)
    assert 'alt="Articles per outlet per day. x: day (UTC). legend: Wire"' in shown._repr_html_()
    assert not plt.get_fignums()
@pytest.mark.parametrize("statuses, expected", [
    (["analysed", "analysed"], "2 of 2 articles analysed"),
    (["analysed", "skipped: language ru", "skipped: language ru", "skipped: empty text"],
     "1 of 4 articles analysed; 3 skipped (empty text 1, language ru 2), left out of every table"),
    ([], "no article analysed"),
])
def test_status_line_counts_skipped_articles_by_reason(statuses, expected):
    from presslens import notebook

    assert notebook.status_line(pd.DataFrame({"status": pd.Series(statuses, dtype="string")})) == expected
