"""Awkward inputs to load_articles, each with exact accounting: for every file, the records in
it are its rows in the table plus the `not_loaded` of its report rows (<NA> only where a file
breaks so that the loss cannot be counted). Nothing but LoadError escapes, with errors="raise"
only. Random JSON Lines, JSON arrays and CSV files (hypothesis) must add up the same way."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import time
import tracemalloc
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from presslens import schema
from presslens.io import LoadError, LoadWarning, load_articles, load_articles_with_report

BODY = ("The city council approved the new budget on Monday after a long debate; critics "
        "called it a missed chance to repair the roads.")
MEMORY = "<memory>"


def body(n: int | str) -> str:
    return f"{BODY} ({n})"


def quiet_load(*args, **kwargs):
    kwargs.setdefault("detect_language", False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LoadWarning)
        return load_articles_with_report(*args, **kwargs)


def jsonl(records: list) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def accounting(df: pd.DataFrame, report: pd.DataFrame, file: str) -> int | None:
    """Records of `file` by the table and the report: rows + not_loaded, or None when a
    report row says the loss is unknown."""
    if file == MEMORY:
        rows = int(df["source_path"].isna().sum())
    else:
        rows = int((df["source_path"] == file).sum())
    mine = report[report["file"] == file]
    if mine["not_loaded"].isna().any():
        return None
    return rows + int(mine["not_loaded"].sum())


@dataclass
class Case:
    source: object
    records: dict[str, int | None]  # file -> records in it (None: cannot be counted)
    codes: set[str] = field(default_factory=set)  # report codes that must appear
    rows: int | None = None  # rows the table must have
    check: Callable[[pd.DataFrame, pd.DataFrame], None] | None = None


def assert_accounted(case: Case, df: pd.DataFrame, report: pd.DataFrame) -> None:
    schema.validate(df, "articles")
    assert df["article_id"].is_unique
    for file, expected in case.records.items():
        assert accounting(df, report, file) == expected, (file, report.to_dict("records"))
    # Every row that loses records names a file of the case.
    losing = report[report["not_loaded"].isna() | (report["not_loaded"] > 0)]
    assert set(losing["file"]) <= set(case.records), losing.to_dict("records")
    # Every loaded row comes from a file of the case.
    paths = set(df["source_path"].dropna())
    assert paths <= set(case.records), paths
    assert case.codes <= set(report["code"]), (case.codes, report.to_dict("records"))
    if case.rows is not None:
        assert len(df) == case.rows
    if case.check is not None:
        case.check(df, report)


# --- the cases -------------------------------------------------------------------------------


def lone_surrogates(tmp: Path) -> Case:
    folder = tmp / "corpus"
    folder.mkdir()
    for n in range(50):
        (folder / f"good{n:02d}.jsonl").write_text(jsonl([{"id": f"g{n}", "text": body(n)}]))
    bad = folder / "bad.jsonl"
    bad.write_text(jsonl([
        {"id": "a\udc80", "text": body("a")},
        {"id": "b", "outlet": "Daily\udc80", "text": body("b")},
        {"id": "c", "url": "https://example.org/\udc80x", "text": body("c")},
        {"id": "d", "language": "e\udc80n", "text": body("d\udc80")},
    ]))
    records = {str(folder / f"good{n:02d}.jsonl"): 1 for n in range(50)}
    records[str(bad)] = 4

    def check(df, report):
        row = df.set_index("article_id")
        assert "a\ufffd" in row.index and row.loc["b", "outlet"] == "Daily\ufffd"
        assert row.loc["c", "outlet"] == "example.org"
        assert row.loc["d", "text"].endswith("(d\ufffd)")
        assert (report.loc[report["file"] == str(bad), "code"] == "bad_characters").sum() == 4

    return Case(folder, records, {"bad_characters"}, 54, check)


def _gzip_jsonl(n: int) -> tuple[bytes, bytes]:
    """(gzip of n JSON lines, the same cut at a third)."""
    data = gzip.compress(jsonl([{"id": f"z{i}", "text": body(f"z{i}")} for i in range(n)])
                         .encode(), compresslevel=1)
    return data, data[: len(data) // 3]


def _complete_lines(compressed: bytes) -> int:
    readable = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(compressed)
    return readable.count(b"\n")


def truncated_gzip_without_extension(tmp: Path) -> Case:
    folder = tmp / "dumps"
    folder.mkdir()
    _, cut = _gzip_jsonl(400)
    (folder / "dump").write_bytes(cut)
    (folder / "good.jsonl").write_text(jsonl([{"text": body("good")}]))
    readable = _complete_lines(cut)
    assert 10 < readable < 400

    def check(df, report):
        assert int((df["source_path"] == str(folder / "dump")).sum()) == readable
        broke = report[report["code"] == "truncated_file"]
        assert broke["line"].tolist() == [readable + 1]

    return Case(folder, {str(folder / "dump"): None, str(folder / "good.jsonl"): 1},
                {"truncated_file"}, readable + 1, check)


def truncated_jsonl_gz(tmp: Path) -> Case:
    path = tmp / "crawl.jsonl.gz"
    _, cut = _gzip_jsonl(400)
    path.write_bytes(cut)
    readable = _complete_lines(cut)
    return Case(path, {str(path): None}, {"truncated_file"}, readable)


def truncated_json_gz_holding_json_lines(tmp: Path) -> Case:
    path = tmp / "export.json.gz"
    _, cut = _gzip_jsonl(400)
    path.write_bytes(cut)
    return Case(path, {str(path): None}, {"truncated_file"}, _complete_lines(cut))


def gzip_bomb(tmp: Path) -> Case:
    path = tmp / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"word " * 6_000_000))  # 30 MB from 30 KB
    return Case(path, {str(path): 1}, {"file_too_large"}, 0)


def file_name_not_utf8(tmp: Path) -> Case:
    name = os.fsencode(tmp) + b"/caf\xe9-\xff.jsonl"
    with open(name, "wb") as handle:
        handle.write(jsonl([{"text": body(1)}, {"text": 5}]).encode())
    shown = os.fsdecode(name).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return Case(tmp, {shown: 2}, {"text_not_string"}, 1)


def small_truncated_gzip_without_extension(tmp: Path) -> Case:
    """Cut before the first line ends: nothing readable, one file-level row."""
    path = tmp / "tiny"
    data = gzip.compress(jsonl([{"text": body(1)}]).encode())
    path.write_bytes(data[:12])
    return Case(path, {str(path): None}, set(), 0)


def damaged_gzip(tmp: Path) -> Case:
    path = tmp / "damaged.jsonl.gz"
    data, _ = _gzip_jsonl(50)
    middle = len(data) // 2
    path.write_bytes(data[:middle] + bytes(b ^ 0xFF for b in data[middle:middle + 40])
                     + data[middle + 40:])
    return Case(path, {str(path): None}, {"truncated_file"})


def dangling_symlink_in_folder(tmp: Path) -> Case:
    folder = tmp / "links"
    folder.mkdir()
    (folder / "ok.jsonl").write_text(jsonl([{"text": body(1)}]))
    (folder / "gone.jsonl").symlink_to(folder / "missing.jsonl")
    return Case(folder, {str(folder / "ok.jsonl"): 1, str(folder / "gone.jsonl"): None},
                {"broken_link"}, 1)


def dangling_symlink_in_glob(tmp: Path) -> Case:
    case = dangling_symlink_in_folder(tmp)
    case.source = str(Path(case.source) / "*.jsonl")
    return case


def glob_over_a_symlink_loop(tmp: Path) -> Case:
    root = tmp / "root"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "x.jsonl").write_text(jsonl([{"text": body(1)}, {"text": body(2)}]))
    (root / "a" / "b" / "y.jsonl").write_text(jsonl([{"text": body(3)}]))
    (root / "a" / "b" / "up").symlink_to(root)
    (root / "a" / "again").symlink_to(root / "a")
    return Case(str(root / "**" / "*.jsonl"),
                {str(root / "a" / "x.jsonl"): 2, str(root / "a" / "b" / "y.jsonl"): 1},
                {"repeated_folder"}, 3)


def folder_with_a_symlink_loop(tmp: Path) -> Case:
    case = glob_over_a_symlink_loop(tmp)
    case.source = tmp / "root"
    return case


def text_of_the_wrong_type(tmp: Path) -> Case:
    path = tmp / "types.jsonl"
    path.write_text(jsonl([
        {"id": "number", "text": 12345}, {"id": "bool", "text": True},
        {"id": "numbers", "text": [1, 2]}, {"id": "dict", "text": {"a": "b"}},
        {"id": "float", "text": 1.5}, {"id": "paragraphs", "text": ["One.", "Two."]},
        {"id": "string", "text": body(1)},
    ]))

    def check(df, report):
        assert df["article_id"].tolist() == ["paragraphs", "string"]
        assert df["text"].iloc[0] == "One.\n\nTwo."
        rejected = report[report["code"] == "text_not_string"]
        assert rejected["record_id"].tolist() == ["number", "bool", "numbers", "dict", "float"]
        assert all("not a string" in reason for reason in rejected["reason"])

    return Case(path, {str(path): 7}, {"text_not_string"}, 2, check)


def utf16_without_bom(tmp: Path) -> Case:
    lines = tmp / "u16le.jsonl"
    lines.write_bytes(jsonl([{"text": body("ле")}, {"text": body(2)}]).encode("utf-16-le"))
    table = tmp / "u16be.csv"
    table.write_bytes(f'id,text\r\nc1,"{body("бе")}"\r\n'.encode("utf-16-be"))

    def check(df, report):
        assert df["text"].tolist() == [body("ле"), body(2), body("бе")]

    return Case([lines, table], {str(lines): 2, str(table): 1}, {"encoding_guessed"}, 3, check)


def mixed_encodings_line_by_line(tmp: Path) -> Case:
    path = tmp / "mixed.jsonl"
    russian = [f"Городской совет утвердил бюджет номер {n} после долгих споров." for n in range(3)]
    accented = "Le conseil a adopté le budget après un long débat — « compromis »."
    path.write_bytes(
        b"".join((json.dumps({"text": t}, ensure_ascii=False) + "\n").encode("cp1251")
                 for t in russian)
        + (json.dumps({"text": accented}, ensure_ascii=False) + "\n").encode("utf-8"))

    def check(df, report):
        assert df["text"].tolist() == [*russian, accented]
        mixed = report[report["code"] == "mixed_encoding"]
        assert len(mixed) == 1 and "lines 1, 2, 3" in mixed["reason"].iloc[0]

    return Case(path, {str(path): 4}, {"encoding_guessed", "mixed_encoding"}, 4, check)


def empty_files(tmp: Path) -> Case:
    names = ["e.jsonl", "e.json", "e.csv", "e.tsv", "e.txt", "e.html", "e.parquet",
             "e.jsonl.gz", "e.txt.gz"]
    for name in names:
        (tmp / name).write_bytes(b"")
    (tmp / "zipped-nothing.jsonl.gz").write_bytes(gzip.compress(b""))
    records = {str(tmp / name): 0 for name in names}
    # A .txt or an HTML page is one article per file: an empty one is one record without
    # text; an empty Parquet file cannot be read at all.
    records[str(tmp / "e.txt")] = records[str(tmp / "e.txt.gz")] = records[str(tmp / "e.html")] = 1
    records[str(tmp / "e.parquet")] = None
    records[str(tmp / "zipped-nothing.jsonl.gz")] = 0
    return Case([tmp / name for name in records], records, {"empty_file", "no_text"}, 0)


def bom_only_files(tmp: Path) -> Case:
    names = ["b.jsonl", "b.json", "b.csv", "b.txt"]
    for name in names:
        (tmp / name).write_bytes(b"\xef\xbb\xbf")
    records = {str(tmp / name): 0 for name in names}
    records[str(tmp / "b.txt")] = 1
    return Case([tmp / name for name in names], records, {"empty_file", "no_text"}, 0)


def binary_junk_with_text_names(tmp: Path) -> Case:
    junk = random.Random(7).randbytes(20_000)
    names = ["junk.jsonl", "junk.csv", "junk.json", "junk.txt", "junk.html"]
    for name in names:
        (tmp / name).write_bytes(junk)
    records: dict[str, int | None] = {str(tmp / name): None for name in names}
    records[str(tmp / "junk.txt")] = records[str(tmp / "junk.html")] = 1

    def check(df, report):
        codes = report.set_index("file")["code"]
        assert codes[str(tmp / "junk.jsonl")] == "binary_file"
        assert len(report) == len(names)  # one row per file, not one per "line"

    return Case([tmp / name for name in names], records, {"binary_file"}, 0, check)


def csv_with_a_broken_quote(tmp: Path) -> Case:
    path = tmp / "quotes.csv"
    path.write_text(
        "id,text\n"
        f'1,"{body(1)}"\n'
        f'2,"He said "no" twice, {body(2)}"\n'
        f'3,"{body(3)}"\n'
        f'4,"{body(4)} and a quote that never closes\n'
        f'5,"{body(5)}"\n', encoding="utf-8")

    def check(df, report):
        assert df["article_id"].tolist() == ["1", "3"]
        spans = report[report["code"] == "malformed_csv"]
        assert spans[["line", "not_loaded"]].astype("object").values.tolist() == [
            [3, 1], [5, pd.NA]]

    # Lines 5-6 are one unbalanced span: one or two records, not known.
    return Case(path, {str(path): None}, {"malformed_csv"}, 2, check)


def csv_header_only_and_old_mac_line_ends(tmp: Path) -> Case:
    header = tmp / "header.csv"
    header.write_text("id,text\n", encoding="utf-8")
    mac = tmp / "mac.csv"
    mac.write_bytes(f'id,text\r1,"{body(1)}"\r2,"{body(2)}"\r'.encode())
    return Case([header, mac], {str(header): 0, str(mac): 2}, {"empty_file"}, 2)


def json_array_with_non_objects(tmp: Path) -> Case:
    path = tmp / "array.json"
    path.write_text(json.dumps([{"text": body(1)}, 1, "x", None, [], {"text": body(2)}, True]))

    def check(df, report):
        assert report.loc[report["code"] == "not_an_object", "line"].tolist() == [2, 3, 4, 5, 7]

    return Case(path, {str(path): 7}, {"not_an_object"}, 2, check)


def truncated_json_document(tmp: Path) -> Case:
    path = tmp / "cut.json"
    path.write_text(json.dumps([{"text": body(n)} for n in range(5)])[:-30])
    return Case(path, {str(path): None}, {"malformed_json"}, 0)


def duplicate_and_colliding_ids(tmp: Path) -> Case:
    path = tmp / "ids.jsonl"
    path.write_text(jsonl([
        {"id": "x", "text": body(1)}, {"id": "x", "text": body(2)},  # one id, two texts
        {"id": "y", "text": body(1)},  # the same text again: a duplicate
        {"id": "a  b", "text": body(3)}, {"id": "a b", "text": body(4)},
        {"id": "a\tb", "text": body(5)}, {"id": "x~2", "text": body(6)},
    ]))

    def check(df, report):
        assert df["article_id"].tolist() == ["x", "x~2", "a b", "a b~2", "a b~3", "x~2~2"]
        assert df["duplicate_ids"].iloc[0] == ["y"]

    return Case(path, {str(path): 7}, {"duplicate", "duplicate_id"}, 6, check)


def huge_fields(tmp: Path) -> Case:
    lines = tmp / "huge.jsonl"
    lines.write_text(jsonl([
        {"id": "long-title", "title": "T" * 20_000, "text": body(1)},
        {"id": "long-text", "text": ("word " * 60_000).strip()},
        {"id": "x" * 20_000, "text": body(3)},
    ]))
    array = tmp / "huge.json"
    array.write_text(json.dumps([{"id": "too-big", "text": "w " * 2_600_000},
                                 {"id": "fine", "text": body(4)}]))

    def check(df, report):
        row = df.set_index("article_id")
        assert pd.isna(row.loc["long-title", "title"])
        assert row.loc["long-text", "n_words"] == 60_000
        assert report.loc[report["code"] == "record_too_large", "record_id"].tolist() == [
            "too-big"]

    return Case([lines, array], {str(lines): 3, str(array): 2},
                {"field_too_long", "large_text", "record_too_large"}, 4, check)


def nul_bytes_and_control_characters(tmp: Path) -> Case:
    path = tmp / "controls.jsonl"
    raw_nul = '{"text": "raw \x00 byte inside a JSON string"}\n'
    path.write_text(
        jsonl([{"id": "n\u0000ul", "text": "Escaped\u0000 NUL and a bell\u0007 and "
                "\x1b[31mcolour\x1b[0m in " + body(1), "title": "Tab\u000bbed"}])
        + raw_nul + jsonl([{"text": body(2)}]), encoding="utf-8")

    def check(df, report):
        row = df.iloc[0]
        assert row["article_id"] == "nul" and row["title"] == "Tabbed"
        assert row["text"].startswith("Escaped NUL and a bell and colour in ")
        assert report.loc[report["code"] == "malformed_json", "line"].tolist() == [2]

    return Case(path, {str(path): 3}, {"malformed_json", "bad_characters"}, 2, check)


def mixed_newline_styles(tmp: Path) -> Case:
    path = tmp / "newlines.jsonl"
    records = [json.dumps({"id": str(n), "text": body(n)}) for n in range(1, 6)]
    path.write_bytes((records[0] + "\n" + records[1] + "\r\n" + records[2] + "\r"
                      + records[3] + "\r\r\n" + records[4]).encode())

    def check(df, report):
        assert df["article_id"].tolist() == ["1", "2", "3", "4", "5"]

    return Case(path, {str(path): 5}, set(), 5, check)


def folder_named_like_a_file(tmp: Path) -> Case:
    folder = tmp / "looks.jsonl"
    folder.mkdir()
    (folder / "inner.jsonl").write_text(jsonl([{"text": body(1)}]))
    (folder / "notes.md").write_text("not an article")
    return Case([folder, str(tmp / "*.jsonl")], {str(folder / "inner.jsonl"): 1},
                {"skipped_file", "repeated_folder"}, 1)


def fifo_in_a_folder(tmp: Path) -> Case:
    folder = tmp / "special"
    folder.mkdir()
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "ok.jsonl").write_text(jsonl([{"text": body(1)}]))
    return Case(folder, {str(folder / "pipe.jsonl"): None, str(folder / "ok.jsonl"): 1},
                {"not_a_file"}, 1)


def same_file_named_twice(tmp: Path) -> Case:
    path = tmp / "a.jsonl"
    path.write_text(jsonl([{"text": body(1)}, {"text": body(2)}]))
    (tmp / "link.jsonl").symlink_to(path)
    return Case([path, path, tmp / "link.jsonl", str(tmp / "*.jsonl")], {str(path): 2},
                {"repeated_file"}, 2)


def records_in_memory(tmp: Path) -> Case:
    items = [{"text": body(1)}, None, 42, {"title": "no text"}, {"text": body(1)}]
    return Case(items, {MEMORY: 5}, {"not_an_object", "no_text", "duplicate"}, 1)


def missing_and_unknown(tmp: Path) -> Case:
    (tmp / "notes.dat").write_text("plain words")
    return Case([tmp / "nope.jsonl", str(tmp / "*.nothing"), tmp / "notes.dat"],
                {str(tmp / "nope.jsonl"): 0, str(tmp / "notes.dat"): None},
                {"not_found", "unknown_format"}, 0)


CASES = [
    lone_surrogates, truncated_gzip_without_extension, truncated_jsonl_gz,
    truncated_json_gz_holding_json_lines, file_name_not_utf8, gzip_bomb,
    small_truncated_gzip_without_extension, damaged_gzip, dangling_symlink_in_folder,
    dangling_symlink_in_glob, glob_over_a_symlink_loop, folder_with_a_symlink_loop,
    text_of_the_wrong_type, utf16_without_bom, mixed_encodings_line_by_line, empty_files,
    bom_only_files, binary_junk_with_text_names, csv_with_a_broken_quote,
    csv_header_only_and_old_mac_line_ends, json_array_with_non_objects, truncated_json_document,
    duplicate_and_colliding_ids, huge_fields, nul_bytes_and_control_characters,
    mixed_newline_styles, folder_named_like_a_file, fifo_in_a_folder, same_file_named_twice,
    records_in_memory, missing_and_unknown,
]


@pytest.mark.parametrize("make", CASES, ids=[make.__name__ for make in CASES])
def test_awkward_input_is_accounted_for(tmp_path, make):
    case = make(tmp_path)
    df, report = quiet_load(case.source)
    assert_accounted(case, df, report)


@pytest.mark.parametrize("make", CASES, ids=[make.__name__ for make in CASES])
def test_awkward_input_raises_load_error_at_the_first_error(tmp_path, make):
    """errors="raise" stops at the first error the report would hold, naming its file, line
    and reason, and raises nothing else."""
    case = make(tmp_path)
    _, report = quiet_load(case.source)
    errors = report[report["severity"] == "error"]
    if errors.empty:
        quiet_load(case.source, errors="raise")
        return
    first = errors.iloc[0]
    where = first["file"] if pd.isna(first["line"]) else f"{first['file']}, line {first['line']}"
    with pytest.raises(LoadError) as caught:
        quiet_load(case.source, errors="raise")
    assert str(caught.value) == f"{where}: {first['reason']}"


def test_truncated_gzip_raise_names_file_and_line(tmp_path):
    case = truncated_jsonl_gz(tmp_path)
    readable = _complete_lines(Path(case.source).read_bytes())
    with pytest.raises(LoadError, match=rf"crawl\.jsonl\.gz, line {readable + 1}: compressed"):
        load_articles(case.source, errors="raise", detect_language=False)


# --- a 50 MB record ----------------------------------------------------------------------------


def test_a_50_mb_line_is_rejected_quickly_without_holding_it(tmp_path):
    path = tmp_path / "big.jsonl"
    chunk = "the minister said café “quoted” that forces had advanced near the city "
    big_line = '{"id": "big", "text": "' + chunk * (50_000_000 // len(chunk)) + '"}\n'
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "before", "text": body(1)}) + "\n")
        handle.write(big_line)
        handle.write(json.dumps({"id": "after", "text": body(2)}) + "\n")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        df, report = quiet_load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 20  # about 0.2 s; the old reader took 10 s and 1 GB
    assert peak < 30 * 2**20
    assert df["article_id"].tolist() == ["before", "after"]
    row = report.iloc[0]
    assert (row["line"], row["code"], row["severity"], row["not_loaded"]) == (
        2, "record_too_large", "error", 1)
    assert f"line of {len(big_line.encode()):,} bytes is over the limit" in row["reason"]


# --- property tests: random files add up --------------------------------------------------------


# Printable text without line breaks, quotes or delimiters: what a junk line or a cell holds.
PLAIN = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                      blacklist_characters="\ufeff\u0085\"',;|")
RECORD = st.fixed_dictionaries(
    {"text": st.text(max_size=40)},
    optional={"id": st.text(PLAIN, max_size=6), "title": st.text(max_size=8),
              "date": st.one_of(st.integers(), st.text(PLAIN, max_size=12), st.none()),
              "url": st.text(PLAIN, max_size=12)},
)
NOT_AN_OBJECT = st.one_of(st.integers(), st.booleans(), st.none(), st.text(max_size=6),
                          st.lists(st.integers(), max_size=2))
LINE = st.one_of(RECORD.map(json.dumps), NOT_AN_OBJECT.map(json.dumps), st.text(PLAIN, max_size=20))
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(lines=st.lists(st.tuples(LINE, st.sampled_from(["\n", "\r\n", "\r"])), max_size=10),
       gz=st.booleans())
def test_random_json_lines_add_up(tmp_path, lines, gz):
    content = "".join(line + end for line, end in lines)
    path = tmp_path / ("fuzz.jsonl.gz" if gz else "fuzz.jsonl")
    path.write_bytes(gzip.compress(content.encode()) if gz else content.encode())
    records = sum(1 for line in re.split(r"\r\n|\r|\n", content) if line.strip())
    df, report = quiet_load(path)
    assert accounting(df, report, str(path)) == records


@FUZZ
@given(items=st.lists(st.one_of(RECORD, NOT_AN_OBJECT), max_size=8))
def test_random_json_arrays_add_up(tmp_path, items):
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    df, report = quiet_load(path)
    assert accounting(df, report, str(path)) == len(items)


@FUZZ
@given(rows=st.lists(st.tuples(st.text(PLAIN, max_size=5), st.text(PLAIN, max_size=30)),
                     max_size=8),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_random_csv_rows_add_up(tmp_path, rows, delimiter):
    path = tmp_path / "fuzz.csv"
    path.write_text("".join(f"{a}{delimiter}{b}\n" for a, b in [("id", "text"), *rows]),
                    encoding="utf-8")
    records = sum(1 for a, b in rows if a.strip() or b.strip())
    df, report = quiet_load(path)
    assert accounting(df, report, str(path)) == records
