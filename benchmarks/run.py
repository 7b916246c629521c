"""presslens speed and memory benchmarks: measured figures and ratios from one run.

    .venv/bin/python benchmarks/run.py            # default sizes (what `make bench` runs)
    .venv/bin/python benchmarks/run.py --quick    # a few minutes
    .venv/bin/python benchmarks/run.py --full     # 2,500 vs 10,000 articles for memory; long
    .venv/bin/python benchmarks/run.py --sections cold,warm --json out.json

Every ratio compares two measurements taken in the same run on the same machine, so a busy
machine slows both sides; wall-clock and CPU seconds are both printed (CPU time is the steadier
figure on a shared machine). Nothing here asserts: it prints, and marks each figure against its
target. Sections:

- cold:     `analyze(use_cache=False)` vs spaCy's own `nlp.pipe` over the same real texts with
            the same pipeline (`presslens.nlp.load_pipeline()`);
- hotspots: where time goes besides parsing: each analysis module's `from_doc`, sentence rows,
            result assembly, parse-cache writes and reads, per document;
- warm:     a second `analyze` on a warm cache vs the first (result cache, and parse cache only);
- nproc:    `n_process=2` vs `n_process=1`, cold;
- dask:     `engine="dask"` on a two-worker LocalCluster: start-up, and seconds per article
            per worker (what docs/scaling.md quotes);
- rss:      peak resident memory analysing synthetic corpora of two sizes, each in a fresh
            subprocess (psutil sampling of the process tree), and the growth between them;
- load:     `presslens.load_articles` on a generated JSONL corpus (time, peak memory), with
            `pandas.read_json(lines=True)` on the same file for scale;
- cluster:  the claims engineer's `benchmarks/bench_clustering.py`, in a subprocess.

Real text comes from ../shared/datasets (PolNeAR and SemEval-2023 T3; skipped with a message
when absent). Synthetic articles are made by sampling real sentences with a fixed seed (or the
sentences of the project's sample corpus when the datasets are absent).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from presslens import config

BENCH_DIR = Path(__file__).resolve().parent
SIZES = {
    # cold/nproc/hotspots: real articles; rss: synthetic article counts; load: JSONL records;
    # cluster: claims to cluster.
    "quick": {"cold": 12, "nproc": 24, "rss": (250, 1000), "load": 20_000, "cluster": 2_000},
    "default": {"cold": 40, "nproc": 60, "rss": (500, 2_000), "load": 100_000, "cluster": 10_000},
    "full": {"cold": 120, "nproc": 160, "rss": (2_500, 10_000), "load": 100_000, "cluster": 10_000},
}
SECTIONS = ("cold", "hotspots", "warm", "nproc", "dask", "rss", "load", "cluster")
TARGETS = {
    "cold": ("analyze / nlp.pipe (wall)", "<= 1.25"),
    "warm": ("first / second run", ">= 20"),
    "nproc": ("speed-up n_process=2", ">= 1.6"),
    "rss": ("peak RSS at the larger size (MB)", "<= 1536"),
}
OUTLETS = ("Meridian Wire", "Northgate Ledger", "Vostok Vestnik", "Harbour Times", "Dnipro Daily",
           "Baltic Observer", "Capital Courier", "Eastern Herald", "Plains Gazette", "Channel 9 News",
           "Riverside Post", "Steppe Review")
# A sentence for sampling purposes: up to terminal punctuation and any closing quotes.
SENTENCE = re.compile(r"\S.*?[.!?]+[\"”’)]*(?=\s|$)")


# --------------------------------------------------------------------------- results table

class Results:
    """Rows of (section, figure, value, note) printed as they come and at the end."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, section: str, figure: str, value, note: str = "") -> None:
        row = {"section": section, "figure": figure, "value": value, "note": note}
        self.rows.append(row)
        print(f"  {section:<9} {figure:<52} {_fmt(value):>12}  {note}", flush=True)

    def table(self) -> str:
        lines = [f"{'section':<9} {'figure':<52} {'value':>12}  note", "-" * 100]
        lines += [f"{r['section']:<9} {r['figure']:<52} {_fmt(r['value']):>12}  {r['note']}"
                  for r in self.rows]
        return "\n".join(lines)


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _verdict(value: float, target: str) -> str:
    op, bound = target.split()
    ok = value <= float(bound) if op == "<=" else value >= float(bound)
    return f"target {target}: {'met' if ok else 'NOT met'}"


# --------------------------------------------------------------------------- machine

def machine_info() -> dict:
    import psutil
    import spacy
    from presslens import nlp

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    meta = nlp.load_pipeline().meta
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}",
        "pipeline": ",".join(nlp.load_pipeline().pipe_names),
        "load_avg_start": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --------------------------------------------------------------------------- corpora

def _split_title(raw: str) -> tuple[str, str]:
    title, _, body = raw.partition("\n")
    return title.strip(), body.strip("\n")


def real_articles(limit: int) -> pd.DataFrame | None:
    """Up to `limit` real articles, PolNeAR and SemEval-2023 T3 interleaved (sorted by file
    name, so the same run picks the same texts). None when the datasets are absent."""
    polnear = sorted((config.DATASETS_DIR / "polnear" / "train" / "text").glob("*.txt"))
    semeval = sorted((config.DATASETS_DIR / "semeval2023t3_en" / "articles").glob("*.txt"))
    if not polnear and not semeval:
        return None
    paths: list[tuple[str, Path]] = []
    for i in range(max(len(polnear), len(semeval))):
        for name, files in (("polnear", polnear), ("semeval", semeval)):
            if i < len(files):
                paths.append((name, files[i]))
    rows = []
    for name, path in paths[:limit]:
        title, text = _split_title(path.read_text(encoding="utf-8", errors="replace"))
        rows.append({"article_id": f"{name}-{path.stem}", "title": title, "text": text,
                     "outlet": name, "language": "en"})
    return pd.DataFrame(rows)


def sentence_pool() -> list[str]:
    """Real sentences to build synthetic articles from: the datasets' article bodies, else
    the project's sample corpus and seed article."""
    texts: list[str] = []
    for folder in (config.DATASETS_DIR / "polnear" / "train" / "text",
                   config.DATASETS_DIR / "semeval2023t3_en" / "articles"):
        for path in sorted(folder.glob("*.txt")):
            texts.append(_split_title(path.read_text(encoding="utf-8", errors="replace"))[1])
    if not texts:
        for path in (config.SAMPLE_CORPUS, config.SEED_ARTICLE):
            if path.exists():
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        texts.append(json.loads(line).get("text") or "")
    pool = []
    for text in texts:
        for paragraph in text.split("\n"):
            for sentence in SENTENCE.findall(paragraph.strip()):
                if 40 <= len(sentence) <= 400:
                    pool.append(sentence)
    if not pool:
        raise SystemExit("no text to build synthetic articles from (no datasets, no sample corpus)")
    return pool


def synthetic_records(n: int, pool: list[str], seed: int = 0,
                      sentences: tuple[int, int] = (5, 12)) -> list[dict]:
    """`n` articles of 5-12 real sentences in 2-4 paragraphs, with outlets and dates, as
    canonical JSONL records (deterministic for a given pool and seed)."""
    rng = random.Random(seed)
    start = pd.Timestamp("2024-01-01T06:00:00Z")
    records = []
    for i in range(n):
        chosen = rng.sample(pool, rng.randint(*sentences))
        cut = sorted(rng.sample(range(1, len(chosen)), k=min(len(chosen) - 1, rng.randint(1, 3))))
        paragraphs, last = [], 0
        for c in [*cut, len(chosen)]:
            paragraphs.append(" ".join(chosen[last:c]))
            last = c
        title = rng.choice(pool)[:90].rstrip(" ,;.")
        published = start + pd.Timedelta(minutes=rng.randrange(0, 366 * 24 * 60))
        records.append({
            "id": f"syn-{seed}-{i:06d}", "outlet": OUTLETS[rng.randrange(len(OUTLETS))],
            "url": f"https://news.example/{i}", "title": title, "authors": [],
            "published": published.isoformat(), "language": "en", "text": "\n\n".join(paragraphs),
        })
    return records


def synthetic_articles(n: int, pool: list[str], seed: int = 0) -> pd.DataFrame:
    df = pd.DataFrame(synthetic_records(n, pool, seed)).rename(columns={"id": "article_id"})
    df["published"] = pd.to_datetime(df["published"], utc=True)
    return df


def n_words(texts) -> int:
    return sum(len(t.split()) for t in texts)


# --------------------------------------------------------------------------- timing and memory

def timed(fn: Callable, *args, **kwargs):
    """(wall seconds, CPU seconds of this process, result)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return time.perf_counter() - wall, time.process_time() - cpu, result


class PeakRSS:
    """Samples the resident memory of a process and its children in a thread."""

    def __init__(self, pid: int | None = None, interval: float = 0.05):
        import psutil

        self.process = psutil.Process(pid or os.getpid())
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> int:
        import psutil

        total = 0
        try:
            procs = [self.process, *self.process.children(recursive=True)]
        except psutil.Error:
            return 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self.peak = self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.sample())


def run_child(args: list[str], timeout: float | None = None) -> tuple[dict | None, float, int, str]:
    """Run this script as a subprocess in a child mode; (its JSON answer, wall seconds, peak RSS
    of its process tree in bytes, stderr tail)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRSS(proc.pid) as rss:
        out, err = proc.communicate(timeout=timeout)
    wall = time.perf_counter() - start
    answer = None
    for line in reversed(out.splitlines()):
        if line.startswith("{"):
            answer = json.loads(line)
            break
    return answer, wall, rss.peak, err[-2000:]


def analysis_available() -> str | None:
    """None when `analyze` can run; else why not (modules still missing)."""
    import importlib.util

    missing = [m for m in ("sourcing", "claims", "framing", "language")
               if importlib.util.find_spec(f"presslens.{m}") is None]
    return f"analysis modules missing: {', '.join(missing)}" if missing else None


def _warm_up() -> float:
    """Load what both sides of a comparison load once per process: the spaCy pipeline, and
    for `analyze` its imports, lexicons and models (analysis.warm_up analyses one sentence).
    Neither side's timing then includes start-up; returns the analyses' start-up seconds,
    which `cold` reports as a figure of its own."""
    from presslens import analysis, nlp

    pipeline = nlp.load_pipeline()
    list(pipeline.pipe(["Warm-up: the ministry said on Monday that 12 drones were shot down."]))
    t = time.perf_counter()
    analysis.warm_up()
    return time.perf_counter() - t


# --------------------------------------------------------------------------- sections

COLD_REPEATS = 3  # fresh processes: one analyze run's time swings by ~5 % on an idle machine


def bench_cold(results: Results, n: int, workdir: Path) -> None:
    """analyze vs spaCy's nlp.pipe on the same texts, each measured in a fresh process (so
    no run finds another's per-process caches warm); the median of COLD_REPEATS is the figure."""
    runs = []
    for k in range(COLD_REPEATS):
        answer, _, _, err = run_child(["--child", "cold", "--n", str(n), "--workdir", str(workdir / f"cold-{k}")])
        if answer is None:
            results.add("cold", "failed", "-", err.strip().splitlines()[-1] if err.strip() else "no answer")
            return
        if "skipped" in answer:
            results.add("cold", "skipped", "-", answer["skipped"])
            return
        runs.append(answer)
    first = runs[0]
    words = first["words"]
    results.add("cold", "articles / words", f"{first['articles']} / {words:,}", "PolNeAR + SemEval, real text")
    results.add("cold", "analyses' one-off start-up s", first["startup"],
                "imports (scikit-learn), lexicons, models: once per process, not in the ratio")
    for k, run in enumerate(runs):
        results.add("cold", f"run {k + 1}: nlp.pipe / analyze wall s (CPU s)",
                    f"{run['pipe_wall']:.2f} / {run['analyze_wall']:.2f} ({run['pipe_cpu']:.2f} / {run['analyze_cpu']:.2f})",
                    f"ratio {run['analyze_wall'] / run['pipe_wall']:.3f} wall, {run['analyze_cpu'] / run['pipe_cpu']:.3f} CPU")
    wall = statistics.median(r["analyze_wall"] / r["pipe_wall"] for r in runs)
    cpu = statistics.median(r["analyze_cpu"] / r["pipe_cpu"] for r in runs)
    results.add("cold", f"ratio analyze / nlp.pipe (wall, median of {len(runs)})", wall, _verdict(wall, "<= 1.25"))
    results.add("cold", f"ratio analyze / nlp.pipe (CPU, median of {len(runs)})", cpu, "")
    pipe_wall = statistics.median(r["pipe_wall"] for r in runs)
    analyze_wall = statistics.median(r["analyze_wall"] for r in runs)
    results.add("cold", "words/s: nlp.pipe / analyze (medians)",
                f"{words / pipe_wall:,.0f} / {words / analyze_wall:,.0f}",
                f"{analyze_wall / first['articles']:.3f} s/article")
    results.add("cold", "rows", first["rows"], "")


def child_cold(n: int, workdir: Path) -> dict:
    """One cold comparison in this (fresh) process: both sides warmed up, then nlp.pipe,
    analyze(use_cache=False), nlp.pipe again; the baseline is the faster of its two runs, so a
    burst of load from elsewhere on the machine does not flatter the ratio."""
    from presslens import nlp
    from presslens.analysis import analyze

    articles = real_articles(n)
    if articles is None:
        return {"skipped": f"no datasets at {config.DATASETS_DIR}"}
    texts = articles["text"].tolist()
    pipeline = nlp.load_pipeline()
    startup = _warm_up()

    def spacy_pipe():
        for _ in pipeline.pipe(texts, batch_size=32):
            pass

    def run_analyze():
        return analyze(articles, cache_dir=workdir, use_cache=False, progress=False)

    w1, c1, _ = timed(spacy_pipe)
    wa, ca, analysis = timed(run_analyze)
    w2, c2, _ = timed(spacy_pipe)
    rows = ", ".join(f"{k}={len(v)}" for k, v in analysis.tables().items() if k != "articles")
    return {"articles": len(texts), "words": n_words(texts), "startup": startup,
            "pipe_wall": min(w1, w2), "pipe_cpu": min(c1, c2), "analyze_wall": wa, "analyze_cpu": ca,
            "rows": rows}


def bench_hotspots(results: Results, n: int, workdir: Path, profile: Path | None) -> None:
    from presslens import analysis as analysis_mod
    from presslens import nlp

    articles = real_articles(n)
    if articles is None:
        results.add("hotspots", "skipped", "-", f"no datasets at {config.DATASETS_DIR}")
        return
    pipeline = nlp.load_pipeline()
    _warm_up()
    records = analysis_mod.article_records(articles)
    ids = [r["article_id"] for r in records]
    parse_wall, parse_cpu, docs = timed(lambda: list(pipeline.pipe([r["text"] for r in records],
                                                                  batch_size=32)))
    results.add("hotspots", "parse (nlp.pipe) s", parse_wall, f"{len(docs)} articles")

    from presslens import components

    ordered = components.ordered()
    spent = {c.name: 0.0 for c in ordered if c.from_doc or c.prepare}
    steps: dict[str, float] = {c.name: 0.0 for c in ordered if c.finalize}
    rows: dict[str, list[dict]] = {}
    # as analyze_docs does: prepare steps (the check-worthiness model) once per parse batch
    for start in range(0, len(docs), analysis_mod.DOC_GROUP):
        batch = docs[start:start + analysis_mod.DOC_GROUP]
        for c in ordered:
            if c.prepare:
                t = time.perf_counter()
                c.prepare(batch)
                spent[c.name] += time.perf_counter() - t
    for record, doc in zip(records, docs):
        status = components.language_status(doc, record.get("language"))
        article = {k: v for k, v in record.items() if k != "text"}
        tables: dict[str, list[dict]] = {}
        for c in ordered:
            if c.from_doc is None:
                continue
            ctx = components.DocContext(record["article_id"], doc, article, status.language,
                                        status.english, tables, c.settings())
            t = time.perf_counter()
            produced = c.from_doc(ctx)
            spent[c.name] += time.perf_counter() - t
            for table, table_rows in produced.items():
                rows.setdefault(table, []).extend(table_rows)
                tables[table] = table_rows
    for name, seconds in spent.items():
        results.add("hotspots", f"{name}.from_doc s", seconds,
                    f"{100 * seconds / parse_wall:.1f}% of parse; {1000 * seconds / len(docs):.1f} ms/article")
    # The corpus-level steps of analysis.assemble, timed one by one.
    t = time.perf_counter()
    frames = {name: pd.DataFrame(r) for name, r in rows.items()}
    tables = components.conform_doc_tables(ordered, frames)
    conform_s = time.perf_counter() - t
    for c in ordered:
        if c.finalize:
            t = time.perf_counter()
            components.finalize([c], articles, tables)
            steps[c.name] += time.perf_counter() - t
    steps = {"tables from rows (conform)": conform_s, **{f"{k}.finalize": v for k, v in steps.items()}}
    for name, seconds in steps.items():
        results.add("hotspots", f"assembly: {name} s", seconds,
                    f"{100 * seconds / parse_wall:.1f}% of parse")

    cache = nlp.ParseCache(workdir / "hotspot-cache", pipeline)
    keys = [nlp.text_hash(r["text"]) for r in records]
    t = time.perf_counter()
    for key, doc in zip(keys, docs):
        cache.put(key, doc)
    put = time.perf_counter() - t
    t = time.perf_counter()
    for key in keys:
        cache.get(key)
    get = time.perf_counter() - t
    results.add("hotspots", "parse-cache write s", put,
                f"{100 * put / parse_wall:.1f}% of parse; {1000 * put / len(docs):.1f} ms/article")
    results.add("hotspots", "parse-cache read s", get, f"{1000 * get / len(docs):.1f} ms/article")
    del ids

    if profile is not None:
        from presslens.analysis import analyze
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
        analyze(articles, cache_dir=workdir / "profile-cache", use_cache=False, progress=False)
        profiler.stop()
        profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
        results.add("hotspots", "pyinstrument profile of analyze", str(profile), "")


def bench_warm(results: Results, n: int, workdir: Path) -> None:
    from presslens.analysis import analyze

    articles = real_articles(n)
    if articles is None:
        results.add("warm", "skipped", "-", f"no datasets at {config.DATASETS_DIR}")
        return
    _warm_up()
    cache = workdir / "warm-cache"
    first, _, _ = timed(analyze, articles, cache_dir=cache, progress=False)
    second, _, _ = timed(analyze, articles, cache_dir=cache, progress=False)
    shutil.rmtree(cache / "results")
    parse_only, _, _ = timed(analyze, articles, cache_dir=cache, progress=False)
    results.add("warm", "first run (cold, writes caches) s", first, f"{len(articles)} articles")
    results.add("warm", "second run (result cache) s", second, "")
    results.add("warm", "ratio first / second", first / second, _verdict(first / second, ">= 20"))
    results.add("warm", "rerun with parse cache only s", parse_only, "analyses rerun, no parsing")
    results.add("warm", "ratio first / parse-cache-only", first / parse_only, "")


def _row_counts(rows: dict[str, list]) -> dict[str, int]:
    """Rows per table, whether a table is held as row dicts or as per-partition frames."""
    return {table: sum(len(p) for p in parts) if parts and isinstance(parts[0], pd.DataFrame)
            else len(parts) for table, parts in rows.items()}


def bench_nproc(results: Results, n: int, workdir: Path) -> None:
    from presslens import analysis as analysis_mod

    articles = real_articles(n)
    if articles is None:
        results.add("nproc", "skipped", "-", f"no datasets at {config.DATASETS_DIR}")
        return
    _warm_up()
    records = analysis_mod.article_records(articles)
    # The per-document phase is what n_process spreads over workers (default partitioning:
    # analyze() gives each worker several partitions); the corpus-level assembly after it
    # runs once in the calling process whatever n_process is, so it is timed once.
    one, _, rows1 = timed(analysis_mod.run_local, records, str(workdir / "np1"), False, 1, 200, False)
    two, _, rows2 = timed(analysis_mod.run_local, records, str(workdir / "np2"), False, 2, 200, False)
    # What starting two workers costs (import spaCy and the analyses, load the model):
    # the same call on two one-line articles.
    tiny = [{"article_id": f"t{i}", "text": "The ministry said 3 drones fell."} for i in range(2)]
    startup, _, _ = timed(analysis_mod.run_local, tiny, str(workdir / "np0"), False, 2, 200, False)
    assemble, _, _ = timed(analysis_mod.assemble, articles, rows1, "bench")
    same = _row_counts(rows1) == _row_counts(rows2)
    results.add("nproc", "per-document phase, n_process=1 s", one, f"{len(articles)} articles")
    results.add("nproc", "per-document phase, n_process=2 s", two,
                "includes starting 2 workers (each imports spaCy, loads the model)")
    results.add("nproc", "starting 2 workers s", startup, "measured on two one-line articles")
    results.add("nproc", "speed-up of the per-document phase", one / two,
                _verdict(one / two, ">= 1.6") + ("" if same else "; ROW COUNTS DIFFER"))
    if two > startup:
        results.add("nproc", "speed-up once workers are up", one / (two - startup),
                    "(n_process=1 time) / (n_process=2 time - start-up)")
    results.add("nproc", "corpus-level assembly (serial) s", assemble, "same for any n_process")
    total1, total2 = one + assemble, two + assemble
    results.add("nproc", "speed-up of analyze (phase + assembly)", total1 / total2,
                f"{total1:.1f} s -> {total2:.1f} s; " + _verdict(total1 / total2, ">= 1.6"))


def bench_dask(results: Results, n: int, workdir: Path) -> None:
    import logging

    from distributed import Client, LocalCluster
    from presslens import analysis as analysis_mod

    articles = real_articles(n)
    if articles is None:
        results.add("dask", "skipped", "-", f"no datasets at {config.DATASETS_DIR}")
        return
    records = analysis_mod.article_records(articles)
    workers = 2
    start = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    try:
        client.run(analysis_mod.analyze_partition, [])  # each worker imports presslens, loads the model
        startup = time.perf_counter() - start
        cpu_before = client.run(time.process_time)
        # The per-document phase on the workers; assembly then runs on the client.
        wall, _, rows = timed(analysis_mod.run_dask, records, str(workdir / "dask-cache"), False,
                              max(1, math.ceil(len(records) / (4 * workers))), False, client)
        cpu_after = client.run(time.process_time)
    finally:
        client.close()
        cluster.close()
    worker_cpu = sum(cpu_after[w] - cpu_before[w] for w in cpu_after)
    assemble, _, _ = timed(analysis_mod.assemble, articles, rows, "bench")
    results.add("dask", "cluster start + model load on workers s", startup, f"{workers} workers, 1 thread each")
    results.add("dask", "per-document phase on workers, wall s", wall, f"{len(articles)} articles, cold")
    results.add("dask", "wall seconds per article per worker", wall * workers / len(articles),
                "wall x workers / articles (a busy machine inflates it)")
    results.add("dask", "worker CPU seconds per article", worker_cpu / len(articles),
                "process_time on the workers: parse + every from_doc")
    results.add("dask", "assembly on the client s", assemble, "serial; claims clustering, source profiles")


def bench_rss(results: Results, sizes: tuple[int, int], workdir: Path) -> None:
    answers = {}
    for n in sizes:
        answer, wall, peak, err = run_child(["--child", "rss", "--n", str(n), "--workdir", str(workdir)])
        if answer is None:
            results.add("rss", f"{n} articles", "failed", err.strip().splitlines()[-1] if err.strip() else "")
            return
        answers[n] = answer
        results.add("rss", f"{n:,} articles: words / analyse wall s / CPU s",
                    f"{answer['words']:,} / {answer['seconds']:.0f} / {answer['cpu_seconds']:.0f}",
                    f"{answer['cpu_seconds'] / n:.3f} CPU s/article")
        results.add("rss", f"{n:,} articles: RSS before / peak MB",
                    f"{answer['rss_base_mb']:.0f} / {answer['rss_peak_mb']:.0f}",
                    f"growth {answer['rss_peak_mb'] - answer['rss_base_mb']:.0f} MB")
    small, large = sizes
    growth_small = answers[small]["rss_peak_mb"] - answers[small]["rss_base_mb"]
    growth_large = answers[large]["rss_peak_mb"] - answers[large]["rss_base_mb"]
    results.add("rss", f"peak RSS at {large:,} MB", answers[large]["rss_peak_mb"],
                _verdict(answers[large]["rss_peak_mb"], "<= 1536"))
    results.add("rss", f"growth ratio {large:,} vs {small:,} (articles x{large / small:.0f})",
                growth_large / max(growth_small, 1.0), "sub-linear when below the article ratio")


def child_rss(n: int, workdir: Path) -> dict:
    import resource

    from presslens.analysis import analyze

    pool = sentence_pool()
    articles = synthetic_articles(n, pool, seed=n)
    del pool
    # Load the model and every analysis's resources first (analysing two other articles), so
    # that the growth measured below is what the corpus itself costs.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analyze(synthetic_articles(2, sentence_pool(), seed=-1), use_cache=False, progress=False)
    with PeakRSS() as base:
        pass
    with PeakRSS() as peak:
        wall, cpu, result = timed(analyze, articles, cache_dir=workdir / f"rss-{n}", use_cache=False,
                                  progress=False)
    return {"n": n, "words": n_words(articles["text"]), "seconds": wall, "cpu_seconds": cpu,
            "rss_base_mb": base.peak / 2**20, "rss_peak_mb": peak.peak / 2**20,
            "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rows": {k: len(v) for k, v in result.tables().items()}}


def bench_load(results: Results, n: int, workdir: Path) -> None:
    pool = sentence_pool()
    path = workdir / f"corpus-{n}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for start in range(0, n, 10_000):
            for record in synthetic_records(min(10_000, n - start), pool, seed=start):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    size_mb = path.stat().st_size / 2**20
    results.add("load", "JSONL records / size MB", f"{n:,} / {size_mb:.0f}", "synthetic, real sentences")
    answers = {}
    for reader in ("pandas", "presslens"):
        answer, wall, peak, err = run_child(["--child", "load", "--reader", reader, "--path", str(path)])
        if answer is None:
            results.add("load", f"{reader}: failed", "-", err.strip().splitlines()[-1] if err.strip() else "")
            continue
        answers[reader] = answer
        results.add("load", f"{reader}: load s / peak RSS MB", f"{answer['seconds']:.1f} / {peak / 2**20:.0f}",
                    f"{answer['rows']:,} rows; {answer.get('rejected', 0)} rejected; "
                    f"{answer['rows'] / answer['seconds']:,.0f} records/s")
    if len(answers) == 2:
        results.add("load", "ratio load_articles / pandas.read_json",
                    answers["presslens"]["seconds"] / answers["pandas"]["seconds"],
                    "load_articles also validates, normalises and reports")
    path.unlink(missing_ok=True)


def child_load(reader: str, path: Path) -> dict:
    if reader == "pandas":
        wall, _, df = timed(pd.read_json, path, lines=True)
        return {"seconds": wall, "rows": len(df)}
    import warnings

    import presslens

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wall, _, df = timed(presslens.load_articles, path)
    report = df.attrs.get("load_report")  # one row per problem: file, line, severity, reason
    rejected = 0
    if isinstance(report, pd.DataFrame) and "severity" in report.columns:
        rejected = int((report["severity"].astype(str) == "error").sum())
    return {"seconds": wall, "rows": len(df), "rejected": rejected}


def bench_cluster(results: Results, n: int) -> None:
    script = BENCH_DIR / "bench_clustering.py"
    if not script.exists():
        results.add("cluster", "skipped", "-", "benchmarks/bench_clustering.py not written yet")
        return
    cmd = [sys.executable, str(script), "--n", str(n)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRSS(proc.pid) as rss:
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        results.add("cluster", "failed", proc.returncode, (err.strip().splitlines() or [""])[-1][:80])
        return
    results.add("cluster", f"cluster {n:,} claims: wall s / peak RSS MB",
                f"{wall:.1f} / {rss.peak / 2**20:.0f}", "subprocess, includes start-up")
    for line in out.strip().splitlines()[-8:]:
        results.add("cluster", "bench_clustering says", "", line.strip()[:120])


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes (a few minutes)")
    size.add_argument("--full", action="store_true", help="2,500 vs 10,000 articles for memory (long)")
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated of {SECTIONS}")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of analyze here")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a temp folder)")
    for name in ("cold", "nproc", "load", "cluster"):
        parser.add_argument(f"--{name}", type=int, dest=f"n_{name}", help=f"override the {name} size")
    parser.add_argument("--rss", type=lambda s: tuple(int(x) for x in s.split(",")), dest="n_rss",
                        help="two sizes, e.g. 2500,10000")
    # child modes (run in a fresh process to measure memory)
    parser.add_argument("--child", choices=("rss", "load", "cold"), help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reader", help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child == "rss":
        print(json.dumps(child_rss(args.n, args.workdir)))
        return 0
    if args.child == "cold":
        print(json.dumps(child_cold(args.n, args.workdir)))
        return 0
    if args.child == "load":
        print(json.dumps(child_load(args.reader, args.path)))
        return 0

    mode = "quick" if args.quick else "full" if args.full else "default"
    sizes = dict(SIZES[mode])
    for name in ("cold", "nproc", "load", "cluster", "rss"):
        if getattr(args, f"n_{name}") is not None:
            sizes[name] = getattr(args, f"n_{name}")
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown sections {unknown}; choose from {SECTIONS}")

    info = machine_info()
    print(f"presslens benchmarks ({mode}): {json.dumps(sizes)}")
    for key, value in info.items():
        print(f"  {key:<15} {value}")
    results = Results()
    needs_analysis = {"cold", "hotspots", "warm", "nproc", "dask", "rss"}
    why_not = analysis_available()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="presslens-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        for section in sections:
            print(f"\n[{section}]", flush=True)
            if section in needs_analysis and why_not:
                results.add(section, "skipped", "-", why_not)
                continue
            if section == "cold":
                bench_cold(results, sizes["cold"], workdir)
            elif section == "hotspots":
                bench_hotspots(results, sizes["cold"], workdir, args.profile)
            elif section == "warm":
                bench_warm(results, sizes["cold"], workdir)
            elif section == "nproc":
                bench_nproc(results, sizes["nproc"], workdir)
            elif section == "dask":
                bench_dask(results, sizes["nproc"], workdir)
            elif section == "rss":
                bench_rss(results, tuple(sizes["rss"]), workdir)
            elif section == "load":
                bench_load(results, sizes["load"], workdir)
            elif section == "cluster":
                bench_cluster(results, sizes["cluster"])
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    info["load_avg_end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print("\n" + results.table())
    print(f"\nload average at start: {info['load_avg_start']}; at end: {info['load_avg_end']}")
    if args.json:
        args.json.write_text(json.dumps({"mode": mode, "sizes": sizes, "machine": info,
                                         "results": results.rows}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
