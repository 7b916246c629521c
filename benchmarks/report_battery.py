"""`presslens report` on awkward corpora: does every notebook render, is the HTML clean, does
the exit code and index tell the truth, and how much memory and time does it take.

    .venv/bin/python benchmarks/report_battery.py                 # every case (make battery)
    .venv/bin/python benchmarks/report_battery.py --cases txt_folder,one_article --json out.json

Cases (each built in a scratch folder, then reported on in a fresh `presslens report`):

- small_awkward:   3 .txt files without outlets, a Russian article and one dated 1900-01-01;
- txt_folder:      the 137 SemEval-2025 war articles as .txt files (no outlet, no date);
                   the sample corpus's texts as .txt files without the datasets;
- one_article:     the seed article alone;
- non_english:     only Russian, Ukrainian, German and French articles (written for this test);
- dates_1900_2200: 300 synthetic articles dated uniformly from 1900 to 2200;
- synthetic_2000:  2,000 synthetic articles of real sentences, 12 outlets, dates over 2024.

Peak memory is the largest sum of the resident memory of the report's whole process tree
(the command and its notebook kernels), sampled every 0.2 s with psutil.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from presslens import config

BENCH_DIR = Path(__file__).resolve().parent
WAR_ARTICLES = config.DATASETS_DIR / "semeval2025t10_en_war" / "articles"
MEMORY_LIMIT_MB = 2048

# Articles in other languages, written for this battery (short news items, invented).
NON_ENGLISH = [
    ("ru", "Обстрел Харькова",
     "Во вторник вечером город снова подвергся обстрелу. По словам губернатора, пострадали "
     "три человека. Местные власти заявили, что восстановление электроснабжения займёт "
     "несколько дней.\n\nЖители провели ночь в укрытиях."),
    ("uk", "Нова допомога громаді",
     "Міська рада оголосила про нову програму допомоги. За словами мера, гроші отримають "
     "понад дві тисячі родин.\n\nПрограма триватиме до кінця року."),
    ("de", "Neue Verhandlungen angekündigt",
     "Die Regierung hat am Montag neue Gespräche angekündigt. Ein Sprecher sagte, man sei "
     "vorsichtig optimistisch.\n\nKritiker bezweifeln, dass die Gespräche etwas ändern."),
    ("fr", "Des coupures d'électricité",
     "Plusieurs régions ont subi des coupures d'électricité mardi. Selon le ministère, les "
     "réparations prendront au moins une semaine.\n\nLes habitants se disent épuisés."),
]

# What must not be on a report page, and why.
DIRTY = {
    "<script": "a script (pages must open offline and run nothing)",
    "PosixPath(": "a path repr",
    "Traceback (most recent call last)": "a traceback",
    'data-mime-type="application/vnd.jupyter.stderr"': "a warning box (stderr output)",
    "Empty DataFrame": "a raw empty-table repr",
    "&lt;NA&gt;": "a <NA> cell",
    ">NaT<": "a NaT cell",
    "\\n\\n": "a literal \\n\\n",
    "No description has been provided": "a figure without alt text",
}


# ------------------------------------------------------------------------------ corpora

def _jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def _sample_records() -> list[dict]:
    return [json.loads(line) for line in config.SAMPLE_CORPUS.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _txt_files(folder: Path, n: int | None = None) -> Path:
    """War articles as .txt (title on the first line); the sample corpus's without them."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(WAR_ARTICLES.glob("*.txt")) if WAR_ARTICLES.is_dir() else []
    if sources:
        for path in sources[:n]:
            shutil.copy(path, folder / path.name)
    else:
        for record in _sample_records()[:n]:
            (folder / f"{record['id']}.txt").write_text(
                f"{record.get('title') or ''}\n{record['text']}", encoding="utf-8")
    return folder


def small_awkward(root: Path) -> Path:
    folder = _txt_files(root / "small_awkward", 3)
    seed = json.loads(config.SEED_ARTICLE.read_text(encoding="utf-8").splitlines()[0])
    lang, title, text = NON_ENGLISH[0]
    _jsonl(folder / "extra.jsonl", [
        {"id": "ru-1", "title": title, "text": text, "language": lang},
        {"id": "old-1", "title": seed.get("title"), "text": seed["text"],
         "published": "1900-01-01T00:00:00Z"},
    ])
    return folder


def txt_folder(root: Path) -> Path:
    return _txt_files(root / "txt_folder")


def one_article(root: Path) -> Path:
    seed = json.loads(config.SEED_ARTICLE.read_text(encoding="utf-8").splitlines()[0])
    return _jsonl(root / "one_article.jsonl", [seed])


def non_english(root: Path) -> Path:
    return _jsonl(root / "non_english.jsonl", [
        {"id": f"{lang}-{i}", "outlet": f"Outlet {lang.upper()}", "title": title, "text": text,
         "language": lang, "published": f"2024-05-{i + 1:02d}T08:00:00Z"}
        for i, (lang, title, text) in enumerate(NON_ENGLISH)])


def _synthetic(n: int, seed: int = 0) -> list[dict]:
    sys.path.insert(0, str(BENCH_DIR))
    try:
        from run import sentence_pool, synthetic_records
    finally:
        sys.path.pop(0)
    return synthetic_records(n, sentence_pool(), seed=seed)


def dates_1900_2200(root: Path, n: int = 300) -> Path:
    rng = random.Random(1)
    low, high = pd.Timestamp("1900-01-01", tz="UTC"), pd.Timestamp("2200-01-01", tz="UTC")
    records = _synthetic(n, seed=7)
    for record in records:
        record["published"] = (low + (high - low) * rng.random()).isoformat()
    return _jsonl(root / "dates_1900_2200.jsonl", records)


def synthetic_2000(root: Path) -> Path:
    return _jsonl(root / "synthetic_2000.jsonl", _synthetic(2000, seed=3))


CASES: dict[str, Callable[[Path], Path]] = {
    "small_awkward": small_awkward,
    "txt_folder": txt_folder,
    "one_article": one_article,
    "non_english": non_english,
    "dates_1900_2200": dates_1900_2200,
    "synthetic_2000": synthetic_2000,
}


# ------------------------------------------------------------------------------ running, checking

class PeakMemory:
    """Largest summed RSS of a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                total = 0
                for proc in tree:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def check_pages(report_dir: Path) -> list[str]:
    """Problems on the report's pages: a dirty string (DIRTY), a notebook without its page."""
    problems = []
    manifest = json.loads((report_dir / "run.json").read_text(encoding="utf-8"))
    for nb in manifest["notebooks"]:
        if not nb.get("html"):
            problems.append(f"{nb['name']}: no HTML page")
            continue
        page = (report_dir / nb["html"]).read_text(encoding="utf-8")
        for needle, what in DIRTY.items():
            if needle in page:
                problems.append(f"{nb['name']}: {what}")
    index = (report_dir / "index.html").read_text(encoding="utf-8")
    n_ok = sum(nb["status"] == "ok" for nb in manifest["notebooks"])
    claimed = re.search(r"All (\d+) notebooks ran|(\d+) of (\d+) notebooks failed", index)
    if claimed is None:
        problems.append("index: no status line")
    elif claimed.group(1) and int(claimed.group(1)) != n_ok:
        problems.append("index: says all ran but not all did")
    return problems


def run_case(name: str, corpus: Path, out: Path, env: dict | None = None) -> dict:
    """`presslens report` on `corpus` in a fresh process: exit code, seconds, peak MB, each
    notebook's status, and the page problems found."""
    command = [sys.executable, "-m", "presslens.cli", "report", str(corpus), "--out", str(out),
               "--run-id", name, "--quiet"]
    clock = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    memory = PeakMemory(proc.pid)
    stdout, stderr = proc.communicate()
    peak = memory.stop()
    result = {"case": name, "corpus": str(corpus), "exit_code": proc.returncode,
              "seconds": round(time.monotonic() - clock, 1), "peak_mb": round(peak / 2**20),
              "stdout": stdout.strip().splitlines()[-2:], "stderr": stderr.strip()[-2000:]}
    report_dir = out / name
    if (report_dir / "run.json").exists():
        manifest = json.loads((report_dir / "run.json").read_text(encoding="utf-8"))
        result["notebooks"] = {nb["name"]: nb["status"] for nb in manifest["notebooks"]}
        result["problems"] = check_pages(report_dir)
        all_ok = all(s == "ok" for s in result["notebooks"].values())
        if (proc.returncode == 0) != all_ok:
            result["problems"].append("exit code disagrees with the notebooks' status")
    else:
        result["notebooks"], result["problems"] = {}, ["no report was published"]
    if peak / 2**20 > MEMORY_LIMIT_MB:
        result["problems"].append(f"peak memory {peak / 2**20:.0f} MB over {MEMORY_LIMIT_MB} MB")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated of {list(CASES)}")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a temp folder)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="presslens-battery-"))
    env = {"PRESSLENS_CACHE": str(workdir / "cache")}
    results = []
    for name in [c.strip() for c in args.cases.split(",") if c.strip()]:
        corpus = CASES[name](workdir / "corpora")
        result = run_case(name, corpus, workdir / "reports", env)
        results.append(result)
        ok = sum(s == "ok" for s in result["notebooks"].values())
        print(f"{name:16} exit {result['exit_code']}  {result['seconds']:7.1f} s  "
              f"{result['peak_mb']:5d} MB  notebooks {ok}/{len(result['notebooks'])}  "
              f"problems: {'; '.join(result['problems']) or 'none'}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"reports: {workdir / 'reports'}")
    return 0 if all(not r["problems"] and r["exit_code"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
